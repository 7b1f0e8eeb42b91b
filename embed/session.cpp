// libplan's public API (include/plan/plan.hpp): a Session is the core session with the stdlib's
// natives and the sweep layer installed.
#include "embed/install.hpp"
#include "interpreter/session.hpp"
#include "plan/plan.hpp"
#include "sweep/driver.hpp"

namespace plan {

std::string version() { return PLAN_VERSION; }

struct Session::Impl {
    CoreSession core;
    explicit Impl(SessionOptions options) : core((install_extensions(), std::move(options)), run_sweep) {}
};

Session::Session(SessionOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Session::~Session() = default;

Result Session::eval(std::string_view code, std::string_view name, Mode mode) {
    return impl_->core.run(std::string(name), std::string(code), mode);
}
Result Session::run_file(const std::string& path, Mode mode) { return impl_->core.run_file(path, mode); }
Result Session::type_of(std::string_view expression) { return impl_->core.type_of(expression); }
std::vector<std::string> Session::completions(std::string_view prefix) const { return impl_->core.completions(prefix); }
std::vector<std::string> Session::fields_of(std::string_view name) const { return impl_->core.fields_of(name); }
std::string Session::help(std::string_view name) const { return impl_->core.help(name); }
std::vector<std::string> Session::parameters_of(std::string_view name) const { return impl_->core.parameters_of(name); }
bool Session::is_function(std::string_view name) const { return impl_->core.is_function(name); }
std::vector<std::string> Session::definitions() const { return impl_->core.definitions(); }

}  // namespace plan

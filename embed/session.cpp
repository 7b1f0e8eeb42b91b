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
Result Session::set(std::string_view name, const HostValue& value) { return impl_->core.set(std::string(name), value); }
Result Session::call(std::string_view function, const std::vector<HostValue>& args,
                     const std::vector<std::pair<std::string, HostValue>>& named) {
    return impl_->core.call(std::string(function), args, named);
}
Result Session::define_function(std::string_view signature, std::string_view doc, HostFunction function) {
    return impl_->core.define_function(std::string(signature), std::string(doc), std::move(function));
}
void Session::cancel() { impl_->core.cancel(); }
Result Session::type_of(std::string_view expression) { return impl_->core.type_of(expression); }
std::vector<std::string> Session::completions(std::string_view prefix) const { return impl_->core.completions(prefix); }
std::vector<std::string> Session::fields_of(std::string_view name) const { return impl_->core.fields_of(name); }
std::string Session::help(std::string_view name) const { return impl_->core.help(name); }
std::vector<std::string> Session::parameters_of(std::string_view name) const { return impl_->core.parameters_of(name); }
bool Session::is_function(std::string_view name) const { return impl_->core.is_function(name); }
std::vector<std::string> Session::definitions() const { return impl_->core.definitions(); }

struct Prepared::Impl {
    CoreSession& core;
    std::unique_ptr<CoreSession::Prepared> prepared;
};

Prepared Session::prepare(std::string_view expression, const std::vector<std::pair<std::string, HostValue>>& parameters) {
    auto prepared = impl_->core.prepare(std::string(expression), parameters);
    return Prepared(std::make_unique<Prepared::Impl>(Prepared::Impl{impl_->core, std::move(prepared)}));
}

Prepared::Prepared(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Prepared::Prepared(Prepared&&) noexcept = default;
Prepared& Prepared::operator=(Prepared&&) noexcept = default;
Prepared::~Prepared() = default;

HostValue Prepared::evaluate(const std::vector<HostValue>& values) { return impl_->core.evaluate(*impl_->prepared, values); }
double Prepared::number(std::initializer_list<double> si_values) { return number(si_values.begin(), si_values.size()); }
double Prepared::number(const double* si_values, size_t count) { return impl_->core.number(*impl_->prepared, si_values, count); }

}  // namespace plan

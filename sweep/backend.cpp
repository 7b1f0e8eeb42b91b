#include "sweep/backend.hpp"

#include "sweep/interp_backend.hpp"

namespace plan::sweep {

namespace {
std::vector<Backend>& registry() {
    static std::vector<Backend> all{interpreter_backend()};
    return all;
}
}  // namespace

void register_backend(Backend backend) {
    if (!find_backend(backend.name)) registry().push_back(std::move(backend));
}

const Backend* find_backend(const std::string& name) {
    for (const Backend& b : registry())
        if (b.name == name) return &b;
    return nullptr;
}

std::vector<std::string> backend_names() {
    std::vector<std::string> names;
    for (const Backend& b : registry()) names.push_back(b.name);
    return names;
}

}  // namespace plan::sweep

#include "files/shared_library.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace plan::files {

SharedLibrary::SharedLibrary(std::string name, std::string soname, const std::string& needed_by)
    : handle_(dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL)), name_(std::move(name)), soname_(std::move(soname)) {
    if (!handle_) {
        const char* why = dlerror();
        throw std::runtime_error("cannot load " + name_ + " (" + soname_ + "), which " + needed_by + ": " + (why ? why : "unknown error"));
    }
}

void* SharedLibrary::find(const char* symbol) const {
    void* f = dlsym(handle_, symbol);
    if (!f) throw std::runtime_error(name_ + " (" + soname_ + ") has no " + symbol);
    return f;
}

}  // namespace plan::files

// A shared library opened when first needed (dlopen) instead of linked: a library only some
// commands use (OpenBLAS for training, librsvg for PNG plots) would otherwise cost every `plan`
// process its loading and relocation at start-up (bench/README.md, start-up).
#pragma once

#include <string>

namespace plan::files {

class SharedLibrary {
public:
    // Opens `soname` for the life of the process (the functions bound from it are called until
    // it exits). Throws std::runtime_error "cannot load NAME (SONAME), which NEEDED_BY: why".
    SharedLibrary(std::string name, std::string soname, const std::string& needed_by);

    // Sets `f` to the function `symbol` of the library or of the libraries it loaded with it;
    // throws std::runtime_error "NAME (SONAME) has no SYMBOL" when there is none.
    template <typename F>
    void bind(F& f, const char* symbol) const {
        f = reinterpret_cast<F>(find(symbol));
    }

private:
    void* find(const char* symbol) const;
    void* handle_;
    std::string name_, soname_;
};

}  // namespace plan::files

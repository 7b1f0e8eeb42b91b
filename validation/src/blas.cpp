#include "validation/blas.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace plan::validation {

namespace {

// PLAN_OPENBLAS_SONAME, defined by the build: the library's SONAME, which Debian's libopenblas0
// provides through the alternatives system (the OpenBLAS variant the administrator chose loads).

void* symbol(void* library, const char* name) {
    void* f = dlsym(library, name);
    if (!f) throw std::runtime_error(std::string("OpenBLAS (" PLAN_OPENBLAS_SONAME ") has no ") + name);
    return f;
}

BlasFunctions load() {
    // Kept loaded for the life of the process: the functions are called until it exits.
    void* library = dlopen(PLAN_OPENBLAS_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char* why = dlerror();
        throw std::runtime_error(std::string("cannot load OpenBLAS (" PLAN_OPENBLAS_SONAME "), which training needs: ") +
                                 (why ? why : "unknown error"));
    }
    return {reinterpret_cast<decltype(&cblas_sgemm)>(symbol(library, "cblas_sgemm")),
            reinterpret_cast<decltype(&cblas_dgemm)>(symbol(library, "cblas_dgemm")),
            reinterpret_cast<decltype(&openblas_set_num_threads)>(symbol(library, "openblas_set_num_threads"))};
}

}  // namespace

const BlasFunctions& blas() {
    static const BlasFunctions functions = load();
    return functions;
}

void set_blas_single_threaded() {
    // A process-wide setting, cheap to repeat.
    blas().set_num_threads(1);
}

}  // namespace plan::validation

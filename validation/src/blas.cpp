#include "validation/blas.hpp"

#include "files/shared_library.hpp"

namespace plan::validation {

namespace {

// PLAN_OPENBLAS_SONAME, defined by the build: the library's SONAME, which Debian's libopenblas0
// provides through the alternatives system (the OpenBLAS variant the administrator chose loads).
BlasFunctions load() {
    const files::SharedLibrary library("OpenBLAS", PLAN_OPENBLAS_SONAME, "training needs");
    BlasFunctions f{};
    library.bind(f.sgemm, "cblas_sgemm");
    library.bind(f.dgemm, "cblas_dgemm");
    library.bind(f.set_num_threads, "openblas_set_num_threads");
    return f;
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

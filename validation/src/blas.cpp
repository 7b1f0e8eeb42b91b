#include "validation/blas.hpp"

namespace plan::validation {

void set_blas_single_threaded() {
    // Declared by OpenBLAS's cblas.h; a process-wide setting, cheap to repeat.
    openblas_set_num_threads(1);
}

}  // namespace plan::validation

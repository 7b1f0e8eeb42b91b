#include "embed/install.hpp"

#include <mutex>

#include "interpreter/builtins.hpp"
#include "stdlib/native/natives.hpp"
#if PLAN_HAVE_JIT
#include "jit/jit.hpp"
#endif
#if PLAN_HAVE_MPI
#include "cluster/mpi_team.hpp"
#endif

namespace plan {

void install_extensions() {
    static std::once_flag once;
    std::call_once(once, [] {
        install_natives(hf_natives());
        install_natives(fitting_natives());
        install_natives(plot_natives());
#if PLAN_HAVE_TRAINING
        install_natives(training_natives());
#endif
#if PLAN_HAVE_JIT
        sweep::register_backend(jit::host_backend());
#endif
#if PLAN_HAVE_MPI
        cluster::install_mpi_team();
#endif
    });
}

}  // namespace plan

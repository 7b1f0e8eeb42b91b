// The registry of sweep backends. A backend turns a checked sweep into a kernel that follows the
// protocol of sweep/kernel.hpp: the interpreter (sweep/interp_backend.cpp, always there), the JIT
// for the host CPU (jit/), and later a GPU or remote ranks; libplan registers the compiled ones it
// was built with (embed/install.cpp), and the driver (sweep/driver.cpp) picks one by name.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "interpreter/checked.hpp"
#include "interpreter/evaluator.hpp"
#include "sweep/kernel.hpp"

namespace plan::sweep {

struct Backend {
    std::string name;  // what `--backend` says: "jit"
    // Throws DiagnosticError for a sweep it cannot compile. `space`: what the ranges of its calls
    // count. `quick`: a small grid, where compile time matters more than the code's speed.
    std::function<std::unique_ptr<CompiledSweep>(const CheckedSweep& sweep, Evaluator& eval, const Space& space, bool quick)> compile;
};

// Called once at start-up, before any sweep runs; a name registered twice keeps the first.
void register_backend(Backend backend);
// The backend of that name ("interp" is always there), or null.
const Backend* find_backend(const std::string& name);
std::vector<std::string> backend_names();

}  // namespace plan::sweep

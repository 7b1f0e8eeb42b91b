// The registry of compiled sweep backends. A backend (jit/ for the host CPU; gpu/ later) turns a
// checked sweep into a kernel (sweep/kernel.hpp); libplan registers the backends it was built with
// (embed/install.cpp), and the driver (sweep/driver.cpp) picks one by name. The interpreter backend
// is the driver's own reference and needs no registration.
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
    // Throws DiagnosticError for a sweep it cannot compile. `quick`: a small grid, where compile
    // time matters more than the code's speed.
    std::function<std::unique_ptr<CompiledSweep>(const CheckedSweep& sweep, Evaluator& eval, bool quick)> compile;
};

// Called once at start-up, before any sweep runs; a name registered twice keeps the first.
void register_backend(Backend backend);
// The backend of that name, or null.
const Backend* find_backend(const std::string& name);
std::vector<std::string> backend_names();

}  // namespace plan::sweep

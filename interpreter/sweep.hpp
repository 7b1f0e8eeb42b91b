// Runs a checked sweep on the tree-walking evaluator: one loop per axis, items evaluated at the
// depth where they stand, streaming top-K, Pareto frontier and all-points reports. The JIT backend
// will run the same CheckedSweep and must report the same points in the same order.
#pragma once
#include <iosfwd>
#include <string>

#include "checker.hpp"
#include "evaluator.hpp"

namespace plan {

struct SweepOptions {
    std::string backend = "jit";  // or "interp"
    int threads = 0;              // 0: every core
    bool stats = false;
    bool progress = false;
};

// Prints the reports to `out` (or writes them to their files, relative to `dir`).
void run_sweep(const CheckedSweep& sweep, Evaluator& eval, const UnitTable& units, std::ostream& out,
               const std::string& dir, const SweepOptions& options = {});

}  // namespace plan

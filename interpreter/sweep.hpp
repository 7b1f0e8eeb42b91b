// Runs a checked sweep: one loop per axis, items evaluated at the depth where they stand, streaming
// top-K, Pareto frontier and all-points reports. Two backends run the same CheckedSweep and report
// the same points in the same order: the JIT (jit/, the default: one LLVM loop nest, the outer axis
// split across threads, per-chunk reports merged in enumeration order) and the tree-walking
// evaluator (`interp`). Ctrl-C stops either and prints the best found so far.
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

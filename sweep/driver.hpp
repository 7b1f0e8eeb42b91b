// Runs a checked sweep: one loop per axis, items evaluated at the depth where they stand, streaming
// top-K, Pareto frontier and all-points reports. The backends run the same CheckedSweep and report
// the same points in the same order: a compiled one from the registry (sweep/backend.hpp; the JIT
// is the default: one LLVM loop nest, the outer axis split across threads, per-chunk reports merged
// in enumeration order) or the tree-walking evaluator (`interp`). Ctrl-C stops either and prints
// the best found so far.
#pragma once
#include <iosfwd>
#include <string>

#include "interpreter/checked.hpp"
#include "interpreter/evaluator.hpp"
#include "plan/plan.hpp"

namespace plan {

// Prints the reports to `out` (or writes them to their files, relative to `dir`). Uses the
// options' backend ("auto", "interp", or a registered name), threads, stats and progress.
void run_sweep(const CheckedSweep& sweep, Evaluator& eval, const UnitTable& units, std::ostream& out, const std::string& dir,
               const SessionOptions& options);

}  // namespace plan

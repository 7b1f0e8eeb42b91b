// Runs a checked sweep: picks the backend (a compiled one from the registry, sweep/backend.hpp,
// the JIT by default; or the interpreter), cuts the iteration space into ranges
// (sweep/partition.hpp), runs them on threads with a progress bar and Ctrl-C (which stops the
// kernels and prints the best found so far), merges the ranges' reports in enumeration order
// (sweep/report.hpp), prints statistics, and writes the reports (sweep/output.hpp). Every backend
// reports the same points in the same order.
#pragma once
#include <iosfwd>
#include <string>

#include "interpreter/checked.hpp"
#include "interpreter/evaluator.hpp"
#include "interpreter/session.hpp"
#include "plan/plan.hpp"

namespace plan {

// Prints the reports to `out` (or writes them to their files, relative to `dir`). Uses the
// options' backend ("auto", "interp", or a registered name), threads, stats and progress. Returns
// the value of `let NAME = sweep { ... }` (sweep_value), an empty Value for a plain sweep. The
// sweep stops when `host.halt` is set (Ctrl-C, the host's cancel); its rows also go to `host.row`.
Value run_sweep(const CheckedSweep& sweep, Evaluator& eval, const UnitTable& units, std::ostream& out, const std::string& dir,
               const SessionOptions& options, SweepHost& host);

}  // namespace plan

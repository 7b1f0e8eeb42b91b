// The interpreter backend: the tree-walking evaluator behind the kernel protocol, so the driver
// runs it like a compiled backend (ranges, threads, progress, Ctrl-C); and the replay of a point
// where a kernel failed, which gives the interpreter's own diagnostic for it.
#pragma once
#include <vector>

#include "interpreter/checked.hpp"
#include "interpreter/evaluator.hpp"
#include "sweep/backend.hpp"

namespace plan::sweep {

// "interp". Each call evaluates its range with its own copy of the evaluator, so calls may run at once.
Backend interpreter_backend();

// Runs the point a kernel reported failing (`error`: the item, then the values of the axes bound
// there) on the interpreter, which throws its diagnostic; if it does not fail, that is a bug of
// the backend, and the error says so.
[[noreturn]] void replay_failure(const CheckedSweep& sweep, Evaluator& eval, const StringTable& strings,
                                 const std::vector<double>& error);

}  // namespace plan::sweep

// The contract between the sweep driver and a compiled backend: what a kernel is called with and
// what it gives back. Backends (jit/, gpu/) include this header and nothing else of sweep/.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace plan::sweep {

// emit(sink, row, order): a feasible point whose key (row[columns]) is below *threshold: the
// column values as doubles (Bools 0/1, strings as ids into CompiledSweep::strings), then the key
// (the objective, negated when maximized); `order` counts the feasible points of this call before it.
using EmitFn = void (*)(void* sink, const double* row, int64_t order);
// Runs the outer axis over [lo, hi) of its items. err: [item index, axis values...] of a point whose
// evaluation fails; stop: set to stop early; progress: counts iterations at the progress depth.
// Returns 0 when done, 1 on a runtime error, 2 when stopped.
using KernelFn = int32_t (*)(void* sink, EmitFn emit, const double* threshold, double* err, const int32_t* stop,
                             int64_t* progress, int64_t lo, int64_t hi, int64_t* feasible);

enum { kDone = 0, kError = 1, kStopped = 2 };

struct CompiledSweep {
    KernelFn fn = nullptr;
    int64_t outer_count = -1;            // items of the outer axis, -1 when computed at run time
    std::vector<std::string> strings;    // interned strings by id
    std::vector<int> axis_items;         // item index of each axis, outermost first
    int progress_depth = 0;              // the axis whose iterations `progress` counts
    double progress_total = 0;           // their number over the whole grid, 0 if unknown
    double compile_ms = 0;               // lowering + optimization + code generation
    size_t ir_instructions = 0;
    std::shared_ptr<void> code;          // frees the machine code when the last copy goes
};

}  // namespace plan::sweep

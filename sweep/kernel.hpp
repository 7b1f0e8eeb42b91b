// The kernel protocol: what a sweep backend's kernel is given and what it gives back. A call
// evaluates a range of the sweep's iteration space and writes into buffers the host owns: no
// callback into the host and no value the host changes while it runs, so the same call can run on
// a CPU thread, a GPU block or a remote rank. Backends (jit/, gpu/) include this header and
// sweep/backend.hpp, nothing else of sweep/.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace plan::sweep {

// The iteration space that ranges cut, decided from the checked sweep alone (sweep/partition.cpp)
// so that every backend cuts the same one. Its units are the items of the outer axis or, when that
// axis is short and the second one is a list known before the sweep runs, (outer, second) pairs:
// unit u is outer item u / pairs and second item u % pairs. A range [lo, hi) of units covers the
// outer items lo / pairs .. (hi - 1) / pairs, the first and the last of them only partly.
struct Space {
    int64_t units = -1;         // -1: not known before the sweep runs (one range covers everything)
    int64_t pairs = 0;          // 0: units are items of the outer axis; else the second axis's length
    int progress_depth = 0;     // the axis (0: outer, 1: second) whose iterations `progress` counts
    double progress_total = 0;  // their number over the whole grid; 0 if not known
};

enum Status : int32_t {
    kDone = 0,     // the range is done
    kError = 1,    // a point failed: `error` says where
    kStopped = 2,  // *stop was set
    kFull = 3,     // the row buffer is full, or `budget` is spent: call again with `resume` set to go on
                   // from `cursor`
    kOverBudget = 4,  // the innermost axis's next loop alone has more points than `budget`: nothing of it
                      // ran, and `cursor` is where it starts (call again with `resume` and a larger budget)
};

// One kernel call. The host fills the inputs and owns every buffer; the kernel fills the outputs.
// A feasible point whose key is at most `bound` is written as a row. When a row does not fit, the
// kernel stores where that point is in `cursor` and returns kFull, `feasible` counting the points
// before it: the host merges the rows, may lower the bound, and calls again on the same range.
struct KernelCall {
    // In.
    int64_t lo = 0, hi = 0;  // units of the Space
    // A top-K bound known when the call starts: rows whose key is above it need not be written
    // (a bound from a later range must let ties through: ties keep enumeration order).
    double bound = std::numeric_limits<double>::infinity();
    int64_t capacity = 0;            // rows the row buffer holds (at least 1)
    int32_t resume = 0;              // nonzero: go on from `cursor` (the last call on this range was kFull)
    const int32_t* stop = nullptr;   // optional: nonzero asks the kernel to stop soon (Ctrl-C)
    int64_t* progress = nullptr;     // optional: iterations at Space::progress_depth are added to it
    // Points the call may enumerate before it leaves: on entering a loop of the innermost axis, the
    // kernel adds that loop's items to `points`, and when they would pass the budget it leaves with
    // kFull (or kOverBudget when it has counted none yet) and the loop's start as the cursor. So the
    // host counts a sweep's points (and stops one that passes the limit) between calls, at a cost of
    // one addition per innermost loop, not per point.
    int64_t budget = std::numeric_limits<int64_t>::max();
    // Buffers.
    double* rows = nullptr;     // capacity × (columns + 1): a row's columns as numbers (Bools 0/1,
                                // strings as ids into CompiledSweep::strings), then its key (the
                                // first objective, negated when maximized: smaller is better)
    int64_t* orders = nullptr;  // capacity: each row's enumeration order among the range's feasible points
    int64_t* cursor = nullptr;  // CompiledSweep::cursor_size numbers, the kernel's own
    double* error = nullptr;    // 1 + axes: the failing item's index, then the values of the axes
                                // bound at the failing point, outermost first
    // In and out: feasible points of the range before this call (0 at first), then up to its end.
    int64_t feasible = 0;
    // Out.
    int64_t count = 0;  // rows written
    int64_t points = 0; // points enumerated (the items of the innermost loops entered; see `budget`)
    int32_t status = kDone;
};
static_assert(std::is_standard_layout_v<KernelCall>, "compiled kernels read KernelCall by offsets");

// Strings in rows and errors travel as ids into this table. A compiled backend fills it when it
// compiles; the interpreter as it meets them, from any thread.
class StringTable {
public:
    double id(const std::string& text) {
        std::lock_guard lock(mutex_);
        auto [at, added] = ids_.try_emplace(text, texts_.size());
        if (added) texts_.push_back(text);
        return static_cast<double>(at->second);
    }
    const std::string& text(double id) const {
        std::lock_guard lock(mutex_);
        return texts_.at(static_cast<size_t>(id));
    }
    size_t size() const {
        std::lock_guard lock(mutex_);
        return texts_.size();
    }

private:
    mutable std::mutex mutex_;
    std::deque<std::string> texts_;  // a deque: a text's address stays while others are added
    std::unordered_map<std::string, size_t> ids_;
};

struct CompiledSweep {
    std::function<void(KernelCall&)> launch;  // one call; calls on different ranges may run at once
    StringTable strings;
    size_t cursor_size = 0;       // numbers in KernelCall::cursor
    double compile_ms = -1;       // lowering + optimization + code generation; -1 when nothing is compiled
};

}  // namespace plan::sweep

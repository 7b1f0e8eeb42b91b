// The iteration space of a sweep and its ranges: plain data that threads, a GPU grid or MPI ranks
// can share out. Every backend is handed the same Space (sweep/kernel.hpp), so a range means the
// same points whichever backend evaluates it.
#pragma once
#include <cstdint>
#include <vector>

#include "interpreter/checked.hpp"
#include "interpreter/evaluator.hpp"
#include "sweep/kernel.hpp"

namespace plan::sweep {

struct Range {
    int64_t lo = 0, hi = 0;  // units of the Space
};

// The units of the sweep's iteration space: the outer axis's items, or (outer, second) pairs when
// the outer axis is short and the second is a list known before the sweep runs.
Space space_of(const CheckedSweep& sweep, Evaluator& eval);

// The space cut into contiguous ranges in enumeration order, several per worker (so that a worker
// done early takes another); one range over everything when the number of units is not known.
std::vector<Range> cut(const Space& space, int workers);

}  // namespace plan::sweep

// One range of a sweep run to its end on a backend: the kernel called, each call's rows merged
// into the range's own reports, and called again from where its row buffer filled, with the bound
// those reports (and the other ranges) give.
#pragma once
#include <atomic>
#include <limits>
#include <mutex>
#include <vector>

#include "interpreter/checked.hpp"
#include "sweep/kernel.hpp"
#include "sweep/partition.hpp"
#include "sweep/report.hpp"

namespace plan::sweep {

// The tightest bound any range has published (its reports' kth_bound), with the first range in
// enumeration order that published it. A range after that one may make it strict; a range
// before it lets ties with it through (they come first: they may enter).
class SharedBound {
public:
    // For the range that starts at unit `lo`.
    double for_range(int64_t lo) const {
        std::lock_guard lock(mutex_);
        return publisher_ < lo ? strictly_below(value_) : value_;
    }
    void publish(double bound, int64_t lo) {
        std::lock_guard lock(mutex_);
        if (bound < value_ || (bound == value_ && lo < publisher_)) {
            value_ = bound;
            publisher_ = lo;
        }
    }

private:
    mutable std::mutex mutex_;
    double value_ = std::numeric_limits<double>::infinity();
    int64_t publisher_ = std::numeric_limits<int64_t>::max();  // its range's first unit
};

// What every range of one run shares.
struct RangeJob {
    const CheckedSweep& sweep;
    const CompiledSweep& code;
    const std::vector<ReportState>& reports;  // empty, with their limits
    SharedBound& shared;
    const int32_t* stop;                      // the kernel's stop word (may be null)
    // The points the ranges have enumerated, and the most they may (this process's share of the
    // sweep's limit): a range that would pass it throws E0507 (the sweep's axes computed from
    // earlier ones made it larger than the limit).
    std::atomic<int64_t>& points;
    int64_t max_points;
    int64_t limit;  // the sweep's, for the message
};

// The buffers a worker's kernel calls write into, kept from one range to the next.
struct CallBuffers {
    explicit CallBuffers(const RangeJob& job);
    int64_t capacity;              // rows
    std::vector<double> rows, error;
    std::vector<int64_t> orders, cursor;
};

// E0507: the sweep passes `limit` points (naming its axis computed from earlier ones).
[[noreturn]] void too_many_points(const CheckedSweep& sweep, int64_t limit);

// `progress`: the worker's counter (may be null). Throws E0507 when the sweep passes its points.
RangeResult run_range(const RangeJob& job, Range range, CallBuffers& buffers, int64_t* progress);

}  // namespace plan::sweep

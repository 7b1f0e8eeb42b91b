// One range of a sweep run to its end on a backend: the kernel called, each call's rows merged
// into the range's own reports, and called again from where its row buffer filled, with the bound
// those reports (and the other ranges) give.
#pragma once
#include <atomic>
#include <limits>
#include <vector>

#include "interpreter/checked.hpp"
#include "sweep/kernel.hpp"
#include "sweep/partition.hpp"
#include "sweep/report.hpp"

namespace plan::sweep {

// The lowest bound any range has published (sweep/report.hpp's shared_bound): a range earlier in
// enumeration order may use it too, so ties with it pass.
class SharedBound {
public:
    double get() const { return value_.load(std::memory_order_relaxed); }
    void lower(double bound) {
        double now = value_.load(std::memory_order_relaxed);
        while (bound < now && !value_.compare_exchange_weak(now, bound, std::memory_order_relaxed)) {
        }
    }

private:
    std::atomic<double> value_{std::numeric_limits<double>::infinity()};
};

// What every range of one run shares.
struct RangeJob {
    const CheckedSweep& sweep;
    const CompiledSweep& code;
    const std::vector<ReportState>& reports;  // empty, with their limits
    SharedBound& shared;
    const int32_t* stop;                      // the kernel's stop word (may be null)
};

// The buffers a worker's kernel calls write into, kept from one range to the next.
struct CallBuffers {
    explicit CallBuffers(const RangeJob& job);
    int64_t capacity;              // rows
    std::vector<double> rows, error;
    std::vector<int64_t> orders, cursor;
};

// `progress`: the worker's counter (may be null).
RangeResult run_range(const RangeJob& job, Range range, CallBuffers& buffers, int64_t* progress);

}  // namespace plan::sweep

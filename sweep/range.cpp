#include "sweep/range.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "interpreter/evaluator.hpp"
#include "interpreter/sweep_items.hpp"
#include "interpreter/units.hpp"

namespace plan::sweep {

namespace {

constexpr int64_t kMinRowsPerCall = 64;
constexpr int64_t kMaxRowsPerCall = 4096;
// Points a call may enumerate before the host adds them to the sweep's count: with every thread's
// call that far ahead at most, the count passes the limit by little; a pause costs a resume (the
// loops outside the innermost entered again), some microseconds per 16 million points.
constexpr int64_t kPointsPerCall = int64_t{1} << 24;

// Rows a call may write: for top-K reports about twice the largest K, so that the bound is known
// after a few rows (while it is +inf every point is written); for the others, a buffer's worth.
// PLAN_SWEEP_ROWS=N says N instead (the tests use 1 to resume after every row).
int64_t row_capacity(const std::vector<ReportState>& reports) {
    if (const char* rows = std::getenv("PLAN_SWEEP_ROWS"); rows && std::atoll(rows) > 0) return std::atoll(rows);
    int64_t k = 0;
    for (const ReportState& r : reports) {
        if (r.report().kind != CheckedSweep::Report::Kind::Top) return kMaxRowsPerCall;
        k = std::max(k, static_cast<int64_t>(r.limit()));
    }
    return std::clamp(2 * k, kMinRowsPerCall, kMaxRowsPerCall);
}

// Offers the call's rows to the range's reports; false when a `report all` is full.
bool offer_rows(const KernelCall& call, size_t columns, std::vector<ReportState>& reports) {
    for (int64_t i = 0; i < call.count; ++i) {
        const double* row = call.rows + static_cast<size_t>(i) * (columns + 1);
        for (ReportState& r : reports)
            if (!r.offer(row[columns], static_cast<uint64_t>(call.orders[i]), row, columns)) return false;
    }
    return true;
}

// The axis whose list is computed from earlier axes (the first such): why the sweep's size was
// not known before it ran.
std::string growing_axis(const CheckedSweep& s) {
    for (int item : axis_items(s))
        if (reads_sweep_locals(*s.items[static_cast<size_t>(item)].expr)) return s.items[static_cast<size_t>(item)].name;
    return {};
}

}  // namespace

void too_many_points(const CheckedSweep& s, int64_t limit) {
    std::string axis = growing_axis(s);
    runtime_error(Code::TooLarge, s.span,
                  fmt::format("this sweep has more points than the limit of {}{}", format_number(static_cast<double>(limit), false),
                              axis.empty() ? std::string()
                                           : fmt::format(" (its axis `{}` is computed from earlier axes: the points were counted as they ran)", axis)),
                  "narrow an axis, or split the sweep");
}

CallBuffers::CallBuffers(const RangeJob& job)
    : capacity(row_capacity(job.reports)), rows(static_cast<size_t>(capacity) * (job.sweep.columns.size() + 1)),
      error(1 + axis_items(job.sweep).size()), orders(static_cast<size_t>(capacity)), cursor(std::max<size_t>(job.code.cursor_size, 1)) {}

RangeResult run_range(const RangeJob& job, Range range, CallBuffers& buffers, int64_t* progress) {
    const size_t columns = job.sweep.columns.size();
    std::vector<ReportState> reports = job.reports;
    KernelCall call;
    call.lo = range.lo;
    call.hi = range.hi;
    call.capacity = buffers.capacity;
    call.stop = job.stop;
    call.progress = progress;
    call.rows = buffers.rows.data();
    call.orders = buffers.orders.data();
    call.cursor = buffers.cursor.data();
    call.error = buffers.error.data();
    RangeResult result;
    result.lo = range.lo;
    result.hi = range.hi;
    bool whole_rest = false;  // the last call's next loop was longer than its budget
    for (;;) {
        call.bound = std::min(range_bound(reports), job.shared.for_range(range.lo));
        const int64_t left = std::max<int64_t>(0, job.max_points - job.points.load(std::memory_order_relaxed));
        call.budget = whole_rest ? left : std::min(left, kPointsPerCall);
        call.count = 0;
        call.points = 0;
        job.code.launch(call);
        job.points.fetch_add(call.points, std::memory_order_relaxed);
        if (!offer_rows(call, columns, reports)) {
            result.overflow = true;
            call.status = kStopped;
            break;
        }
        job.shared.publish(kth_bound(reports), range.lo);
        if (call.status == kOverBudget) {
            if (call.budget == left) too_many_points(job.sweep, job.limit);  // that loop alone passes the limit
            whole_rest = true;
        } else if (call.status == kFull) {
            whole_rest = false;
        } else {
            break;
        }
        call.resume = 1;
    }
    result.status = call.status;
    result.feasible = static_cast<uint64_t>(call.feasible);
    if (call.status == kError) result.error = buffers.error;
    for (ReportState& r : reports) result.reports.push_back(r.take_rows());
    return result;
}

}  // namespace plan::sweep

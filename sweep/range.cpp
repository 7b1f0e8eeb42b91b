#include "sweep/range.hpp"

#include <algorithm>
#include <cstdlib>

#include "interpreter/sweep_items.hpp"

namespace plan::sweep {

namespace {

constexpr int64_t kMinRowsPerCall = 64;
constexpr int64_t kMaxRowsPerCall = 4096;

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

}  // namespace

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
    for (;;) {
        call.bound = std::min(range_bound(reports), job.shared.for_range(range.lo));
        call.count = 0;
        job.code.launch(call);
        if (!offer_rows(call, columns, reports)) {
            result.overflow = true;
            call.status = kStopped;
            break;
        }
        job.shared.publish(kth_bound(reports), range.lo);
        if (call.status != kFull) break;
        call.resume = 1;
    }
    result.status = call.status;
    result.feasible = static_cast<uint64_t>(call.feasible);
    if (call.status == kError) result.error = buffers.error;
    for (ReportState& r : reports) result.reports.push_back(r.take_rows());
    return result;
}

}  // namespace plan::sweep

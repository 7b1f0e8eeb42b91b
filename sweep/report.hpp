// The reports of a sweep while points stream past: top K (ties in enumeration order), the Pareto
// frontier, every point. What a range gives back (plain data that could be shipped between
// machines), and the one merge of ranges in enumeration order that threads, GPU blocks and MPI
// ranks all go through, so the answer does not depend on who evaluated which range, or when.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "interpreter/checked.hpp"
#include "interpreter/evaluator.hpp"
#include "sweep/kernel.hpp"

namespace plan::sweep {

// A `report all` keeps at most this many rows (more is an error), and `report top` at most this K.
constexpr size_t kMaxRowsKept = 1'000'000;

struct Row {
    double key;                 // the first objective, negated when maximized: smaller is better
    uint64_t order;             // enumeration order among the feasible points: ties keep it
    std::vector<double> cells;  // the columns as numbers (Bools 0/1, strings as ids)
};

// A column's value as a row's cell, and back (by the column's type).
double cell_of(const Value& v, StringTable& strings);
Value value_of_cell(const Type& type, double cell, const StringTable& strings);

// What one report keeps: bounded (top K, the frontier) or capped (all).
class ReportState {
public:
    ReportState(const CheckedSweep::Report& report, size_t limit);

    // Offers a point whose columns are cells[0 .. columns): its Row is built only when it is kept,
    // so a point that does not enter a top K or a frontier costs no allocation. False when a
    // `report all` holds kMaxRowsKept rows already (the point is not kept).
    bool offer(double key, uint64_t order, const double* cells, size_t columns);
    bool offer(Row&& row);

    // A top K that holds K rows: its K-th key (a point with a larger key cannot enter). Else +inf.
    double kth_key() const;
    // The rows kept, the frontier's moved out of its staircase.
    std::vector<Row> take_rows();
    const CheckedSweep::Report& report() const { return *report_; }
    size_t limit() const { return limit_; }

private:
    template <class At, class Make>
    bool offer_point(double key, const At& at, const Make& make);
    template <class Make>
    bool offer_to_frontier(const Make& make);

    const CheckedSweep::Report* report_;
    size_t limit_;  // top K: K
    std::vector<Row> rows_;
    // Pareto: room for the coordinates of the point being offered (smaller is better), so that the
    // dominance test never allocates. Two coordinates: the frontier is a staircase keyed by x (y
    // then descends), tested in O(log n); `rows_` holds only points with a NaN coordinate, which
    // neither dominate nor are dominated. Three or more: the coordinates of each row of `rows_`,
    // rows_.size() × dimensions, tested one by one.
    std::vector<double> coords_, point_;
    std::map<double, std::pair<double, Row>> stair_;
};

// The empty reports of a sweep, with the K of each `report top` (evaluated here).
std::vector<ReportState> initial_reports(const CheckedSweep& sweep, Evaluator& eval);

// The largest K-th key of the reports: a point with a larger key enters none of them. +inf unless
// every report is a top K that holds K rows.
double kth_bound(const std::vector<ReportState>& reports);
// A bound for points that come after the rows it was taken from, in enumeration order: a tie with
// the K-th key cannot enter either (the double just below it; +inf stays).
double strictly_below(double bound);
// The bound of the next kernel call on a range from the range's own reports.
inline double range_bound(const std::vector<ReportState>& reports) { return strictly_below(kth_bound(reports)); }

[[noreturn]] void too_many_rows(const CheckedSweep::Report& report);

// What one range of the iteration space gives back. Orders count the range's feasible points.
struct RangeResult {
    int64_t lo = 0, hi = 0;
    int32_t status = -1;                    // a kernel Status (sweep/kernel.hpp); -1: never run
    uint64_t feasible = 0;
    std::vector<double> error;              // status kError: the failing item, then the axis values
    bool overflow = false;                  // a `report all` had more rows than it keeps
    std::vector<std::vector<Row>> reports;  // per report, its rows
};

struct Merged {
    std::vector<std::vector<Row>> reports;  // per report, its rows; orders count the whole sweep
    uint64_t feasible = 0;
    bool interrupted = false;               // a range was stopped, or never run
    std::vector<double> failure;            // the failing point of the first range in enumeration
                                            // order that has one (as RangeResult::error); else empty
};

// Merges range results in enumeration order (`ranges` sorted by lo), each row's order offset by
// the feasible points of the ranges before it, into `reports` (the sweep's initial ones). Stops at
// the first failed range after merging its rows (those before the failing point); throws when a
// `report all` gets more rows than it keeps.
Merged merge_ranges(std::vector<ReportState> reports, std::vector<RangeResult>& ranges);

}  // namespace plan::sweep

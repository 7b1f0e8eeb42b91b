#include "sweep/report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sweep/kernel.hpp"

namespace plan::sweep {

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

double cell_of(const Value& v, StringTable& strings) {
    switch (v.v.index()) {
        case 1: return v.truth() ? 1 : 0;
        case 2: return strings.id(v.str());
        default: return v.num();  // columns are numbers, Bools or strings: anything else throws
    }
}

Value value_of_cell(const Type& type, double cell, const StringTable& strings) {
    if (type.is(Type::Kind::Bool)) return Value(cell != 0);
    if (type.is(Type::Kind::String)) return Value::string(strings.text(cell));
    return Value(cell);
}

ReportState::ReportState(const CheckedSweep::Report& report, size_t limit)
    : report_(&report), limit_(limit), point_(report.columns.size()) {}

// `at(c)` reads column c of the point as a number; `make()` builds its Row.
template <class At, class Make>
bool ReportState::offer_point(double key, const At& at, const Make& make) {
    switch (report_->kind) {
        case CheckedSweep::Report::Kind::Top: {
            if (rows_.size() == limit_ && !(key < rows_.back().key)) return true;
            auto where = std::upper_bound(rows_.begin(), rows_.end(), key, [](double k, const Row& r) { return k < r.key; });
            rows_.insert(where, make());
            if (rows_.size() > limit_) rows_.pop_back();
            return true;
        }
        case CheckedSweep::Report::Kind::Pareto:
            for (size_t j = 0; j < point_.size(); ++j) {
                double v = at(report_->columns[j]);
                point_[j] = report_->maximize[j] ? -v : v;
            }
            return offer_to_frontier(make);
        case CheckedSweep::Report::Kind::All:
            if (rows_.size() >= kMaxRowsKept) return false;
            rows_.push_back(make());
            return true;
    }
    return true;
}

// The point's coordinates are in point_. It is dropped when a kept point is at least as good in
// every coordinate (equal included: the earliest of equal points stays); kept, it drops the
// points it dominates. Which points are kept does not depend on the order they are stored in.
template <class Make>
bool ReportState::offer_to_frontier(const Make& make) {
    const size_t d = point_.size();
    const double* p = point_.data();
    if (d == 2) {
        double x = p[0], y = p[1];
        if (std::isnan(x) || std::isnan(y)) {
            rows_.push_back(make());
            return true;
        }
        auto after = stair_.upper_bound(x);  // the last before it has the least y of x' <= x
        if (after != stair_.begin() && std::prev(after)->second.first <= y) return true;
        auto first = stair_.lower_bound(x), last = first;  // x' >= x: those with y' >= y go
        while (last != stair_.end() && last->second.first >= y) ++last;
        stair_.erase(first, last);
        stair_.emplace_hint(last, x, std::pair<double, Row>(y, make()));
        return true;
    }
    const double* kept = coords_.data();
    for (size_t r = 0; r < rows_.size(); ++r, kept += d) {
        size_t j = 0;
        while (j < d && kept[j] <= p[j]) ++j;
        if (j == d) return true;
    }
    size_t out = 0;
    for (size_t r = 0; r < rows_.size(); ++r) {
        const double* q = coords_.data() + r * d;
        size_t j = 0;
        while (j < d && p[j] <= q[j]) ++j;
        if (j == d) continue;
        if (out != r) {
            rows_[out] = std::move(rows_[r]);
            std::copy(q, q + d, coords_.data() + out * d);
        }
        ++out;
    }
    rows_.resize(out);
    coords_.resize(out * d);
    rows_.push_back(make());
    coords_.insert(coords_.end(), p, p + d);
    return true;
}

bool ReportState::offer(double key, uint64_t order, const double* cells, size_t columns) {
    return offer_point(key, [&](int c) { return cells[c]; }, [&] { return Row{key, order, std::vector<double>(cells, cells + columns)}; });
}

bool ReportState::offer(Row&& row) {
    return offer_point(row.key, [&](int c) { return row.cells[static_cast<size_t>(c)]; }, [&] { return std::move(row); });
}

double ReportState::kth_key() const {
    bool full = report_->kind == CheckedSweep::Report::Kind::Top && rows_.size() == limit_;
    return full ? rows_.back().key : kInfinity;
}

std::vector<Row> ReportState::take_rows() {
    for (auto& [x, entry] : stair_) rows_.push_back(std::move(entry.second));
    stair_.clear();
    coords_.clear();
    return std::move(rows_);
}

std::vector<ReportState> initial_reports(const CheckedSweep& sweep, Evaluator& eval) {
    std::vector<ReportState> reports;
    for (const auto& report : sweep.reports) {
        size_t limit = 0;
        if (report.kind == CheckedSweep::Report::Kind::Top) {
            double k = eval.evaluate(*report.count, 0).num();
            if (k < 1 || k != std::floor(k) || k > static_cast<double>(kMaxRowsKept))
                runtime_error(Code::ValueOutOfRange, report.count->span, fmt::format("`report top` needs a whole number from 1 to {}", kMaxRowsKept));
            limit = static_cast<size_t>(k);
        }
        reports.emplace_back(report, limit);
    }
    return reports;
}

double kth_bound(const std::vector<ReportState>& reports) {
    double bound = -kInfinity;
    for (const ReportState& r : reports) bound = std::max(bound, r.kth_key());
    return bound;
}

double strictly_below(double bound) { return bound == kInfinity ? bound : std::nextafter(bound, -kInfinity); }

void too_many_rows(const CheckedSweep::Report& report) {
    runtime_error(Code::TooLarge, report.span, fmt::format("more than {} feasible points to report", kMaxRowsKept),
                  "add constraints, or report `top N` or `pareto(x, y)`");
}

Merged merge_ranges(std::vector<ReportState> reports, std::vector<RangeResult>& ranges) {
    Merged merged;
    uint64_t offset = 0;
    for (RangeResult& range : ranges) {
        for (size_t r = 0; r < reports.size(); ++r) {
            for (Row& row : range.reports[r]) {
                row.order += offset;
                if (!reports[r].offer(std::move(row))) too_many_rows(reports[r].report());
            }
            range.reports[r] = {};  // its memory goes now
        }
        if (range.overflow)
            for (const ReportState& r : reports)
                if (r.report().kind == CheckedSweep::Report::Kind::All) too_many_rows(r.report());
        offset += range.feasible;
        if (range.status == kError) {
            merged.failure = range.error;
            break;
        }
        if (range.status == kStopped || range.status < 0) merged.interrupted = true;
    }
    merged.feasible = offset;
    for (ReportState& r : reports) merged.reports.push_back(r.take_rows());
    return merged;
}

}  // namespace plan::sweep

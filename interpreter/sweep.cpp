#include "sweep.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <ostream>

#include <fmt/format.h>

#include "display.hpp"

namespace plan {

namespace {

// Beyond this many points the interpreter would run for hours; the limit is checked up front.
constexpr double kMaxPoints = 1e10;
constexpr size_t kMaxRowsKept = 1'000'000;

struct Row {
    double key;     // the objective, negated when maximized: smaller is better
    uint64_t order; // enumeration order: ties keep it
    std::vector<Value> values;
};

using Kind = CheckedSweep::Item::Kind;

class Runner {
public:
    Runner(const CheckedSweep& s, Evaluator& eval, const UnitTable& units)
        : s_(s), eval_(eval), units_(units), frame_(static_cast<size_t>(s.frame_size)), states_(s.reports.size()) {
        for (size_t r = 0; r < s.reports.size(); ++r) {
            const auto& report = s.reports[r];
            if (report.kind != CheckedSweep::Report::Kind::Top) continue;
            double k = eval_.evaluate(*report.count, 0).num();
            if (k < 1 || k != std::floor(k) || k > static_cast<double>(kMaxRowsKept))
                runtime_error(report.count->span, fmt::format("`report top` needs a whole number from 1 to {}", kMaxRowsKept));
            states_[r].limit = static_cast<size_t>(k);
        }
    }

    // The grid size when no axis depends on another; 0 when it cannot be known before running.
    double grid_size() {
        double size = 1;
        for (auto& item : s_.items) {
            if (item.kind != Kind::Axis) continue;
            if (uses_locals(*item.expr)) return 0;
            size *= static_cast<double>(eval_.eval(*item.expr, frame_).list().items.size());
        }
        return size;
    }

    void run() { step(0); }

    uint64_t feasible() const { return feasible_; }
    const std::vector<Row>& rows(size_t report) const { return states_[report].rows; }

private:
    struct State {
        size_t limit = 0;
        std::vector<Row> rows;
    };

    static bool uses_locals(const TExpr& e) {
        if (e.op == Op::Local) return true;
        return std::any_of(e.kids.begin(), e.kids.end(), [](auto& k) { return uses_locals(*k); });
    }

    void step(size_t i) {
        if (i == s_.items.size()) {
            leaf();
            return;
        }
        const auto& item = s_.items[i];
        switch (item.kind) {
            case Kind::Axis: {
                Value values = eval_.eval(*item.expr, frame_);
                for (const Value& v : values.list().items) {
                    frame_[item.slot] = v;
                    step(i + 1);
                }
                return;
            }
            case Kind::Let: frame_[item.slot] = eval_.eval(*item.expr, frame_); break;
            case Kind::Constraint:
                if (!eval_.eval(*item.expr, frame_).truth()) return;  // prunes every point below
                break;
            case Kind::Objective: objective_ = eval_.eval(*item.expr, frame_).num(); break;
        }
        step(i + 1);
    }

    void leaf() {
        ++feasible_;
        Row row{0, order_++, {}};
        row.values.reserve(s_.columns.size());
        for (auto& c : s_.columns) row.values.push_back(c.slot >= 0 ? frame_[c.slot] : Value(objective_));
        if (s_.objective >= 0) row.key = s_.items[s_.objective].maximize ? -objective_ : objective_;
        for (size_t r = 0; r < s_.reports.size(); ++r) offer(s_.reports[r], states_[r], row);
    }

    double coordinate(const Row& row, int column, bool maximize) const {
        double v = row.values[column].num();
        return maximize ? -v : v;
    }

    void offer(const CheckedSweep::Report& report, State& state, const Row& row) {
        auto& rows = state.rows;
        switch (report.kind) {
            case CheckedSweep::Report::Kind::Top: {
                if (rows.size() == state.limit && !(row.key < rows.back().key)) return;
                auto at = std::upper_bound(rows.begin(), rows.end(), row.key,
                                           [](double key, const Row& r) { return key < r.key; });
                rows.insert(at, row);
                if (rows.size() > state.limit) rows.pop_back();
                return;
            }
            case CheckedSweep::Report::Kind::Pareto: {
                double x = coordinate(row, report.x, report.x_max), y = coordinate(row, report.y, report.y_max);
                for (const Row& r : rows) {
                    double rx = coordinate(r, report.x, report.x_max), ry = coordinate(r, report.y, report.y_max);
                    if (rx <= x && ry <= y) return;  // dominated, or equal to a point already kept
                }
                std::erase_if(rows, [&](const Row& r) {
                    return x <= coordinate(r, report.x, report.x_max) && y <= coordinate(r, report.y, report.y_max);
                });
                rows.push_back(row);
                return;
            }
            case CheckedSweep::Report::Kind::All:
                if (rows.size() >= kMaxRowsKept)
                    runtime_error(report.span, fmt::format("more than {} feasible points to report", kMaxRowsKept),
                                  "add constraints, or report `top N` or `pareto(x, y)`");
                rows.push_back(row);
                return;
        }
    }

    const CheckedSweep& s_;
    Evaluator& eval_;
    const UnitTable& units_;
    std::vector<Value> frame_;
    std::vector<State> states_;
    double objective_ = 0;
    uint64_t feasible_ = 0, order_ = 0;
};

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Numbers in the column's own unit (as written, not rescaled), named in the header.
void write_csv(std::ostream& f, const CheckedSweep& s, const std::vector<Row>& rows, const UnitTable& units) {
    std::vector<UnitTerm> terms;
    for (size_t i = 0; i < s.columns.size(); ++i) {
        const Type& t = s.columns[i].type;
        UnitTerm term = t.is(Type::Kind::Number) ? (t.hint.empty() ? units.default_term(t.dim) : t.hint) : UnitTerm{};
        std::string unit = units.text(term);
        f << (i ? "," : "") << csv_field(unit.empty() ? s.columns[i].name : s.columns[i].name + " [" + unit + "]");
        terms.push_back(term);
    }
    f << "\n";
    for (const Row& row : rows) {
        for (size_t i = 0; i < s.columns.size(); ++i) {
            const Type& t = s.columns[i].type;
            const Value& v = row.values[i];
            std::string cell = t.is(Type::Kind::Number) ? fmt::format("{}", v.num() / units.factor(terms[i]))
                               : t.is(Type::Kind::Bool) ? (v.truth() ? "true" : "false")
                                                        : csv_field(v.str());
            f << (i ? "," : "") << cell;
        }
        f << "\n";
    }
}

}  // namespace

void run_sweep(const CheckedSweep& s, Evaluator& eval, const UnitTable& units, std::ostream& out, const std::string& dir,
               const SweepOptions&) {
    Runner runner(s, eval, units);
    double size = runner.grid_size();
    if (size > kMaxPoints)
        runtime_error(s.span, fmt::format("this sweep has {} points; the limit is {}", format_number(size, true),
                                          format_number(kMaxPoints, false)),
                      "narrow an axis, or split the sweep");
    runner.run();
    std::string title = s.name.empty() ? "sweep" : "sweep " + s.name;
    out << title << ": " << runner.feasible() << " feasible point" << (runner.feasible() == 1 ? "" : "s");
    if (size > 0) out << " of " << format_number(size, true);
    out << "\n";

    Type row_type;
    row_type.kind = Type::Kind::Record;
    auto record = std::make_shared<RecordType>();
    for (auto& c : s.columns) {
        record->names.push_back(c.name);
        record->types.push_back(c.type);
    }
    row_type.record = record;
    for (size_t r = 0; r < s.reports.size(); ++r) {
        const auto& report = s.reports[r];
        const auto& rows = runner.rows(r);
        std::vector<Row> sorted = rows;
        if (report.kind == CheckedSweep::Report::Kind::Pareto) {
            std::sort(sorted.begin(), sorted.end(), [&](const Row& a, const Row& b) {
                double ax = a.values[report.x].num(), bx = b.values[report.x].num();
                return ax != bx ? ax < bx : a.order < b.order;
            });
        }
        std::string what = report.kind == CheckedSweep::Report::Kind::Top
                               ? fmt::format("top {} by {}", sorted.size(),
                                             s.items[s.objective].maximize ? "largest objective" : "smallest objective")
                           : report.kind == CheckedSweep::Report::Kind::Pareto
                               ? fmt::format("Pareto frontier of {} and {} ({} points)", s.columns[report.x].name,
                                             s.columns[report.y].name, sorted.size())
                               : fmt::format("all {} feasible points", sorted.size());
        if (!report.file.empty()) {
            std::filesystem::path path = std::filesystem::path(report.file).is_absolute() ? report.file : dir + "/" + report.file;
            std::ofstream f(path);
            if (!f) runtime_error(report.span, "cannot write " + report.file);
            if (path.extension() == ".json") {
                nlohmann::ordered_json rows_json = nlohmann::ordered_json::array();
                for (const Row& row : sorted) rows_json.push_back(to_json(make_record(row.values), row_type, units));
                f << rows_json.dump(2) << "\n";
            } else {
                write_csv(f, s, sorted, units);
            }
            out << what << ": written to " << report.file << "\n";
            continue;
        }
        out << what << ":\n";
        if (sorted.empty()) continue;
        std::vector<Value> records;
        for (const Row& row : sorted) records.push_back(make_record(row.values));
        out << show_block(make_list(std::move(records)), Type::list(row_type), units) << "\n";
    }
}

}  // namespace plan

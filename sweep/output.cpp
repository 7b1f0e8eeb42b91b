#include "sweep/output.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <ostream>

#include <fmt/format.h>

#include "files/file_access.hpp"
#include "interpreter/display.hpp"

namespace plan::sweep {

namespace {

std::vector<Value> values_of(const CheckedSweep& s, const Row& row, const StringTable& strings) {
    std::vector<Value> values;
    values.reserve(s.columns.size());
    for (size_t c = 0; c < s.columns.size(); ++c) values.push_back(value_of_cell(s.columns[c].type, row.cells[c], strings));
    return values;
}

// A frontier by its first coordinate, then in enumeration order; the others as kept.
std::vector<const Row*> in_print_order(const CheckedSweep::Report& report, const std::vector<Row>& rows) {
    std::vector<const Row*> sorted;
    for (const Row& row : rows) sorted.push_back(&row);
    if (report.kind == CheckedSweep::Report::Kind::Pareto) {
        size_t first = static_cast<size_t>(report.columns[0]);
        std::sort(sorted.begin(), sorted.end(), [&](const Row* a, const Row* b) {
            double ax = a->cells[first], bx = b->cells[first];
            return ax != bx ? ax < bx : a->order < b->order;
        });
    }
    return sorted;
}

std::string title(const CheckedSweep& s, const CheckedSweep::Report& report, size_t rows) {
    switch (report.kind) {
        case CheckedSweep::Report::Kind::Top: {
            // Several objectives: `top` ranks by the first.
            const auto& first = s.objectives.at(0);
            const std::string& name = s.columns[first.column].name;
            const char* which = first.maximize ? "largest" : "smallest";
            bool hidden = s.items[s.objective].name.empty();  // not an axis or let: no name to show
            if (hidden) return fmt::format("top {} by {} {}objective", rows, which, s.objectives.size() == 1 ? "" : "first ");
            if (s.objectives.size() == 1) return fmt::format("top {} by {} {}", rows, which, name);
            return fmt::format("top {} by {} {} (the first objective)", rows, which, name);
        }
        case CheckedSweep::Report::Kind::Pareto: {
            std::string names;
            for (size_t i = 0; i < report.columns.size(); ++i)
                names += (i == 0 ? "" : i + 1 == report.columns.size() ? " and " : ", ") + s.columns[report.columns[i]].name;
            return fmt::format("Pareto frontier of {} ({} points)", names, rows);
        }
        case CheckedSweep::Report::Kind::All: return fmt::format("all {} feasible points", rows);
    }
    return {};
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. A
// string that starts with = + - @ (or a tab or CR) would be a formula to a spreadsheet that opens
// the file (OWASP "CSV injection"): it gets a leading ' (which spreadsheets show as text) and
// quotes. Numbers are written as numbers, a negative one with its minus.
std::string csv_field(const std::string& s) {
    bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos;
    if (!formula && s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = formula ? "\"'" : "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Numbers in the column's own unit (as written, not rescaled), named in the header.
void write_csv(std::ostream& f, const CheckedSweep& s, const std::vector<std::vector<Value>>& rows, const UnitTable& units) {
    std::vector<UnitTerm> terms;
    for (size_t i = 0; i < s.columns.size(); ++i) {
        const Type& t = s.columns[i].type;
        UnitTerm term = t.is(Type::Kind::Number) ? (t.hint.empty() ? units.default_term(t.dim) : t.hint) : UnitTerm{};
        std::string unit = units.text(term);
        f << (i ? "," : "") << csv_field(unit.empty() ? s.columns[i].name : s.columns[i].name + " [" + unit + "]");
        terms.push_back(term);
    }
    f << "\n";
    for (const auto& row : rows) {
        for (size_t i = 0; i < s.columns.size(); ++i) {
            const Type& t = s.columns[i].type;
            const Value& v = row[i];
            std::string cell = t.is(Type::Kind::Number) ? fmt::format("{}", v.num() / units.factor(terms[i]))
                               : t.is(Type::Kind::Bool) ? (v.truth() ? "true" : "false")
                                                        : csv_field(v.str());
            f << (i ? "," : "") << cell;
        }
        f << "\n";
    }
}

Type row_type(const CheckedSweep& s) {
    auto record = std::make_shared<RecordType>();
    for (auto& c : s.columns) {
        record->names.push_back(c.name);
        record->types.push_back(c.type);
    }
    Type t;
    t.kind = Type::Kind::Record;
    t.record = record;
    return t;
}

// A report to its file: JSON for a .json name, CSV for any other.
// The file is made whole in memory and replaced atomically through the session's sandbox.
void write_file(const CheckedSweep& s, const CheckedSweep::Report& report, const std::vector<std::vector<Value>>& rows,
                const UnitTable& units, const std::string& dir, const files::FileAccess& access) {
    std::filesystem::path path = std::filesystem::path(report.file).is_absolute() ? report.file : dir + "/" + report.file;
    std::ostringstream f;
    if (path.extension() != ".json") {
        write_csv(f, s, rows, units);
    } else {
        Type type = row_type(s);
        nlohmann::ordered_json json = nlohmann::ordered_json::array();
        for (const auto& row : rows) json.push_back(to_json(make_record(row), type, units));
        f << json.dump(2) << "\n";
    }
    try {
        access.write(path.lexically_normal().string(), f.str());
    } catch (const files::FileError& e) {
        bool outside = e.kind == files::FileError::Kind::NotAllowed;
        runtime_error(outside ? Code::PathNotAllowed : Code::CannotWrite, report.span, e.what(),
                      outside ? "`plan run --allow-write DIR` lets a script write inside DIR" : "a relative path is found beside the script");
    }
}

}  // namespace

// `plan run --json`: the sweep as one line {"sweep": {...}}, each report's rows as record values
// (docs/plan-output.schema.json). A report written to a file is written there too, and named.
void write_json(std::ostream& out, const CheckedSweep& s, const Merged& merged, const StringTable& strings, const UnitTable& units,
                const std::string& dir, double grid, const files::FileAccess& access) {
    using json = nlohmann::ordered_json;
    json reports = json::array();
    for (size_t r = 0; r < s.reports.size(); ++r) {
        const auto& report = s.reports[r];
        std::vector<std::vector<Value>> rows;
        for (const Row* row : in_print_order(report, merged.reports[r])) rows.push_back(values_of(s, *row, strings));
        json entry{{"title", title(s, report, rows.size())}};
        if (!report.file.empty()) {
            write_file(s, report, rows, units, dir, access);
            entry["file"] = report.file;
        }
        json values = json::array();
        for (auto& row : rows) values.push_back(to_json(make_record(std::move(row)), row_type(s), units));
        entry["rows"] = std::move(values);
        reports.push_back(std::move(entry));
    }
    json sweep{{"name", s.name.empty() ? nullptr : json(s.name)},
               {"feasible", merged.feasible},
               {"points", grid > 0 ? json(grid) : json(nullptr)},
               {"interrupted", merged.interrupted},
               {"reports", std::move(reports)}};
    out << json{{"sweep", std::move(sweep)}}.dump() << "\n";
}

void write_reports(std::ostream& out, const CheckedSweep& s, const Merged& merged, const StringTable& strings, const UnitTable& units,
                   const std::string& dir, double grid, const files::FileAccess& access, bool as_json) {
    if (as_json) return write_json(out, s, merged, strings, units, dir, grid, access);
    // Counts as plan shows them (docs/language.md 4.5): whole below 10^6, then "1e6".
    auto count = [](double n) { return format_number(n, n < 1e6); };
    out << (s.name.empty() ? "sweep" : "sweep " + s.name) << ": " << count(static_cast<double>(merged.feasible)) << " feasible point"
        << (merged.feasible == 1 ? "" : "s");
    if (grid > 0) out << " of " << count(grid);
    out << "\n";
    for (size_t r = 0; r < s.reports.size(); ++r) {
        const auto& report = s.reports[r];
        std::vector<std::vector<Value>> rows;
        for (const Row* row : in_print_order(report, merged.reports[r])) rows.push_back(values_of(s, *row, strings));
        std::string what = title(s, report, rows.size());
        if (!report.file.empty()) {
            write_file(s, report, rows, units, dir, access);
            out << what << ": written to " << report.file << "\n";
            continue;
        }
        out << what << ":\n";
        if (rows.empty()) continue;
        std::vector<Value> records;
        for (auto& row : rows) records.push_back(make_record(std::move(row)));
        out << show_block(make_list(std::move(records)), Type::list(row_type(s)), units) << "\n";
    }
}

Value sweep_value(const CheckedSweep& s, const Merged& merged, const StringTable& strings) {
    auto rows_of = [&](size_t r) {
        std::vector<Value> rows;
        for (const Row* row : in_print_order(s.reports[r], merged.reports[r])) rows.push_back(make_record(values_of(s, *row, strings)));
        return rows;
    };
    std::vector<Value> rows = rows_of(0);
    std::vector<Value> fields{Value(static_cast<double>(merged.feasible)), make_list(rows)};
    if (s.reports[0].kind == CheckedSweep::Report::Kind::Top) {
        if (rows.empty())
            runtime_error(Code::SweepValueNoBest, s.span, "`" + s.name + ".best` has no value: the sweep has no feasible point",
                          "loosen its constraints or widen its axes; `" + s.name + ".feasible` counts the feasible points");
        fields.push_back(rows[0]);
    }
    for (size_t r = 0; r < s.reports.size(); ++r)
        if (s.reports[r].kind == CheckedSweep::Report::Kind::Pareto) {
            fields.push_back(make_list(rows_of(r)));
            break;
        }
    return make_record(std::move(fields));
}

}  // namespace plan::sweep

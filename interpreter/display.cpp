#include "interpreter/display.hpp"

#include <algorithm>

namespace plan {

namespace {

struct Quantity {
    std::string number;
    std::string unit;
};

Quantity quantity(double si, const Type& t, const UnitTable& units) {
    UnitTerm term = units.display_term(t.hint, t.dim, si);
    double x = si / units.factor(term);
    std::string unit = units.text(term);
    // `-> exact`: every digit. Otherwise 6 significant digits (or as many as asked), a count too,
    // so that 8030261248 parameters read 8.03026e9 and cannot pass for bytes; a whole count below
    // 10^6 stays whole whatever the precision (4096, not 4.1e3).
    std::string number = t.hint.exact ? format_exact(x) : format_number(x, t.dim.none() && std::abs(x) < 1e6, units.display_digits);
    if (unit == "percent") return {number + "%", ""};
    return {number, unit};
}

std::string join(const Quantity& q) { return q.unit.empty() ? q.number : q.number + " " + q.unit; }

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

size_t width(const std::string& s) {
    // Display width: count UTF-8 code points, not bytes (units use "·").
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string show_value(const Value& v, const Type& t, const UnitTable& units) {
    switch (t.kind) {
        case Type::Kind::Number: return join(quantity(v.num(), t, units));
        case Type::Kind::Bool: return v.truth() ? "true" : "false";
        case Type::Kind::String: return quote(v.str());
        case Type::Kind::List: {
            std::string s = "[";
            const auto& items = v.list().items;
            for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + show_value(items[i], *t.elem, units);
            return s + "]";
        }
        case Type::Kind::Record: {
            const RecordType& r = *t.record;
            std::string s = r.keyword.empty() ? "{ " : r.keyword + " { ";
            if (r.names.empty()) return s + "}";
            for (size_t i = 0; i < r.names.size(); ++i)
                s += (i ? ", " : "") + r.names[i] + " = " + show_value(v.record().fields[i], r.types[i], units);
            return s + " }";
        }
        case Type::Kind::Any: break;
    }
    return "?";
}

std::string show_block(const Value& v, const Type& t, const UnitTable& units) {
    if (!t.is(Type::Kind::List) || !t.elem->is(Type::Kind::Record) || v.list().items.empty())
        return show_value(v, t, units);
    const RecordType& r = *t.elem->record;
    std::vector<std::vector<std::string>> cells(1, r.names);
    std::vector<bool> numeric(r.names.size());
    for (const Value& row : v.list().items) {
        std::vector<std::string> line;
        for (size_t i = 0; i < r.names.size(); ++i) {
            const Type& ft = r.types[i];
            numeric[i] = ft.is(Type::Kind::Number);
            const Value& f = row.record().fields[i];
            line.push_back(ft.is(Type::Kind::String) ? f.str() : show_value(f, ft, units));
        }
        cells.push_back(std::move(line));
    }
    std::vector<size_t> widths(r.names.size());
    for (auto& line : cells)
        for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], width(line[i]));
    std::string out;
    for (size_t row = 0; row < cells.size(); ++row) {
        std::string line;
        for (size_t i = 0; i < cells[row].size(); ++i) {
            std::string pad(widths[i] - width(cells[row][i]), ' ');
            const std::string& c = cells[row][i];
            line += (i ? "  " : "") + (numeric[i] && row > 0 ? pad + c : c + pad);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
        if (row == 0) {
            std::string rule;
            for (size_t i = 0; i < widths.size(); ++i) rule += (i ? "  " : "") + std::string(widths[i], '-');
            out += rule + "\n";
        }
    }
    out.pop_back();
    return out;
}

nlohmann::ordered_json to_json(const Value& v, const Type& t, const UnitTable& units) {
    using json = nlohmann::ordered_json;
    // Every value, at every depth, is {"type", "value", ...} (docs/plan-output.schema.json): a
    // reader needs no context to tell a record from a quantity, or a string from a unit.
    json out{{"type", type_name(t, units)}};
    switch (t.kind) {
        case Type::Kind::Number: {
            Quantity q = quantity(v.num(), t, units);
            UnitTerm term = units.display_term(t.hint, t.dim, v.num());
            out["value"] = v.num();
            out["unit"] = units.text(term);
            out["display"] = join(q);
            out["dimension"] = units.dimension_name(t.dim);
            out["base_unit"] = units.text(units.default_term(t.dim));
            return out;
        }
        case Type::Kind::Bool: out["value"] = v.truth(); return out;
        case Type::Kind::String: out["value"] = v.str(); return out;
        case Type::Kind::List: {
            json a = json::array();
            for (const Value& item : v.list().items) a.push_back(to_json(item, *t.elem, units));
            out["value"] = std::move(a);
            return out;
        }
        case Type::Kind::Record: {
            json o = json::object();
            const RecordType& r = *t.record;
            for (size_t i = 0; i < r.names.size(); ++i) o[r.names[i]] = to_json(v.record().fields[i], r.types[i], units);
            out["value"] = std::move(o);
            return out;
        }
        case Type::Kind::Any: break;
    }
    out["value"] = nullptr;
    return out;
}

}  // namespace plan

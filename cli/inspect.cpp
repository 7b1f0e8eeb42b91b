// `plan inspect`: evaluates model_card(...) of stdlib/card.plan through the public API and lays
// its record out as titled sections of aligned rows (or prints its JSON). The figures and their
// sources are the stdlib's; this file only decides what to evaluate and how it looks.
#include "cli/inspect.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace plan {
namespace {

// What to pass to model_card: hf_model("PATH") for a file or folder, the name itself for a stdlib
// model (an identifier), or nothing.
std::optional<std::string> model_expression(const std::string& path) {
    if (fs::exists(path)) {
        std::string quoted;
        for (char c : path) {
            if (c == '"' || c == '\\' || c == '{' || c == '}') quoted += '\\';
            quoted += c;
        }
        return "hf_model(\"" + quoted + "\")";
    }
    bool identifier = !path.empty() && (std::isalpha(static_cast<unsigned char>(path[0])) || path[0] == '_');
    for (char c : path) identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (identifier) return path;
    return std::nullopt;
}

// A whole number with thousands separators: 8,030,261,248.
std::string grouped(double v) {
    std::string digits = fmt::format("{:.0f}", std::abs(v));
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
}

// The JSON of a value is {"type", "value", ...} at every depth (docs/plan-output.schema.json): a
// quantity keeps its display fields, anything else is its "value".
const json& unwrapped(const json& v) {
    return v.is_object() && v.contains("type") && v.contains("value") && !v.contains("display") ? v["value"] : v;
}

// One value as the table shows it: a count grouped by thousands, a quantity as plan displays it,
// a list of names joined by commas, a string as it is.
std::string shown(const json& wrapped) {
    const json& v = unwrapped(wrapped);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_array()) {
        if (v.empty()) return "none";
        std::string out;
        for (const json& item : v) out += (out.empty() ? "" : ", ") + shown(item);
        return out;
    }
    if (v.is_object() && v.contains("display")) {
        double x = v.value("value", 0.0);
        bool count = v.value("dimension", "") == "Scalar" && x == std::floor(x) && std::abs(x) < 1e15;
        return count ? grouped(x) : v["display"].get<std::string>();
    }
    return v.dump();
}

// "full_fits_on" -> "full fits on".
std::string label(std::string key) {
    for (char& c : key)
        if (c == '_') c = ' ';
    return key;
}

void print_table(const json& wrapped) {
    const json& card = unwrapped(wrapped);
    std::cout << fmt::format("{} ({})\n", shown(card["name"]), shown(card["family"]));
    size_t width = 0;
    for (const auto& [section, field] : card.items()) {
        const json& rows = unwrapped(field);
        if (rows.is_object() && !rows.contains("display"))
            for (const auto& [key, value] : rows.items()) width = std::max(width, label(key).size());
    }
    for (const auto& [section, field] : card.items()) {
        const json& rows = unwrapped(field);
        if (!rows.is_object() || rows.contains("display")) continue;
        std::cout << "\n" << label(section) << "\n";
        for (const auto& [key, value] : rows.items())
            std::cout << fmt::format("  {:<{}}  {}\n", label(key), width, shown(value));
    }
}

}  // namespace

int inspect_model(const std::string& path, bool as_json, const SessionOptions& options) {
    std::optional<std::string> model = model_expression(path);
    if (!model) {
        std::cerr << "error: `" << path << "` is not a file, a folder or a stdlib model name\n"
                  << "  = help: pass a config.json, a model folder, or a name such as llama3_8b\n";
        return 2;
    }
    SessionOptions o = options;
    o.print_expressions = false;
    Session session(o);
    Result r = session.eval("model_card(" + *model + ")", "<inspect>");
    if (!r.ok() || !r.value) {
        for (auto& e : r.errors) std::cerr << e.rendered;
        return r.exit_code == 0 ? 1 : r.exit_code;
    }
    if (as_json) {
        std::cout << r.value->json << "\n";
        return 0;
    }
    print_table(json::parse(r.value->json));
    return 0;
}

}  // namespace plan

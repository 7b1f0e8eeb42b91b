// The error codes of the public API (include/plan/plan.hpp), from the table in grammar/codes.def.
#include "grammar/codes.hpp"
#include "grammar/diagnostic.hpp"
#include "plan/plan.hpp"

namespace plan {
namespace {

ErrorCode entry(const CodeInfo& c) {
    return {code_name(c.code), class_name(c.kind), std::string(c.title), std::string(c.explanation), std::string(c.mistake),
            std::string(c.fix)};
}

}  // namespace

std::vector<ErrorCode> error_codes() {
    std::vector<ErrorCode> out;
    for (const CodeInfo& c : all_codes()) out.push_back(entry(c));
    return out;
}

std::optional<ErrorCode> error_code(std::string_view code) {
    if (auto found = find_code(code)) return entry(code_info(*found));
    return std::nullopt;
}

std::string closest_error_code(std::string_view code) {
    std::vector<std::string> names;
    for (const CodeInfo& c : all_codes()) names.push_back(code_name(c.code));
    return closest_name(std::string(code), names);
}

}  // namespace plan

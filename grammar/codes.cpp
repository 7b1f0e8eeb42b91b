#include "grammar/codes.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace plan {
namespace {

constexpr CodeInfo kCodes[] = {
#define PLAN_ERROR(name, number, kind, title, explanation, mistake, fix) \
    {Code::name, number, ErrorClass::kind, Reach::Example, title, explanation, mistake, fix, ""},
#define PLAN_ERROR_SETUP(name, number, kind, title, explanation, mistake, fix, setup) \
    {Code::name, number, ErrorClass::kind, Reach::Setup, title, explanation, mistake, fix, setup},
#define PLAN_ERROR_UNREACHED(name, number, kind, title, explanation, reason) \
    {Code::name, number, ErrorClass::kind, Reach::Unreached, title, explanation, "", "", reason},
#include "grammar/codes.def"
#undef PLAN_ERROR
#undef PLAN_ERROR_SETUP
#undef PLAN_ERROR_UNREACHED
};

// Numbers increase through the table, and the hundreds of each are its class (E02xx: dimension).
constexpr bool numbered_by_class() {
    for (size_t i = 0; i < std::size(kCodes); ++i) {
        if (kCodes[i].number / 100 != static_cast<int>(kCodes[i].kind) || kCodes[i].number >= 800) return false;
        if (i > 0 && kCodes[i].number <= kCodes[i - 1].number) return false;
    }
    return true;
}
static_assert(numbered_by_class(), "grammar/codes.def: numbers must increase and lie in their class's hundred");

}  // namespace

std::span<const CodeInfo> all_codes() { return kCodes; }

const CodeInfo& code_info(Code code) { return kCodes[static_cast<size_t>(code)]; }

std::string code_name(Code code) { return fmt::format("E{:04}", code_info(code).number); }

ErrorClass class_of(Code code) { return code_info(code).kind; }

std::string class_name(ErrorClass kind) {
    switch (kind) {
        case ErrorClass::Parse: return "parse";
        case ErrorClass::Name: return "name";
        case ErrorClass::Dimension: return "dimension";
        case ErrorClass::Type: return "type";
        case ErrorClass::Arity: return "arity";
        case ErrorClass::Runtime: return "runtime";
        case ErrorClass::Assert: return "assert";
        case ErrorClass::Io: return "io";
    }
    return "error";
}

std::optional<Code> find_code(std::string_view name) {
    for (const CodeInfo& c : kCodes) {
        std::string written = code_name(c.code);
        if (std::equal(written.begin(), written.end(), name.begin(), name.end(), [](char a, char b) {
                return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
            }))
            return c.code;
    }
    return std::nullopt;
}

}  // namespace plan

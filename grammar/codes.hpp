// Error codes: every diagnostic has one (E0101: unknown name); its class follows from it. The
// codes and their explanations are defined once, in grammar/codes.def.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace plan {

// The class of a code: what kind of mistake, and (with the stage that found it) the exit status.
enum class ErrorClass { Parse, Name, Dimension, Type, Arity, Runtime, Assert, Io };

enum class Code : uint16_t {
#define PLAN_ERROR(name, number, kind, title, explanation, mistake, fix) name,
#define PLAN_ERROR_SETUP(name, number, kind, title, explanation, mistake, fix, setup) name,
#define PLAN_ERROR_UNREACHED(name, number, kind, title, explanation, reason) name,
#include "grammar/codes.def"
#undef PLAN_ERROR
#undef PLAN_ERROR_SETUP
#undef PLAN_ERROR_UNREACHED
};

// How a code's example is shown to work (see grammar/codes.def).
enum class Reach {
    Example,    // its mistake and fix run in a plain session (tests/codes_test.cpp)
    Setup,      // its example needs files or another setup; a golden test shows it
    Unreached,  // no program raises it on purpose; exempt from the golden tests
};

struct CodeInfo {
    Code code;
    int number;  // 101 for E0101
    ErrorClass kind;
    Reach reach;
    std::string_view title;        // "unknown name"
    std::string_view explanation;  // a few lines: what is wrong and why
    std::string_view mistake;      // an example of the mistake (empty when unreached)
    std::string_view fix;          // the example fixed (empty when unreached)
    std::string_view note;         // Setup: what the example needs; Unreached: why no program reaches it
};

// Every code, in increasing number.
std::span<const CodeInfo> all_codes();
const CodeInfo& code_info(Code code);
std::string code_name(Code code);  // "E0101"
ErrorClass class_of(Code code);
std::string class_name(ErrorClass kind);  // "name"
// The code written `name` ("E0101", "e0101"); none when no code has that name.
std::optional<Code> find_code(std::string_view name);

}  // namespace plan

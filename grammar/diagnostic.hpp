// The one diagnostic type shared by every stage (parser, checker, evaluator, CLI).
#pragma once
#include <string>
#include <vector>

#include "grammar/codes.hpp"
#include "grammar/source.hpp"

namespace plan {

struct Label {
    Span span;
    std::string text;  // may be empty: carets only
};

struct Diagnostic {
    explicit Diagnostic(Code code) : code(code) {}

    Code code;                  // what kind of mistake (its class follows from it)
    std::string message;        // one line, lower case: "cannot add Data and Time"
    std::vector<Label> labels;  // labels[0] is the primary position
    std::string help;           // a suggested fix, if there is one
    std::vector<std::string> notes;
};

// Thrown by the checker and the evaluator; the parser collects several instead.
struct DiagnosticError {
    Diagnostic diagnostic;
};

// error[CODE]: MESSAGE / --> file:line:col / source lines with carets under each label / help.
std::string render(const Diagnostic& d, const SourceMap& sources, bool color = false);

// Closest candidate by edit distance, for "did you mean"; empty when nothing is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace plan

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

// The candidates `name` most likely meant, best first: the same name in another case, else its
// family (candidates that extend it after `_`: `H100` → `H100_PCIe`, `H100_SXM`), else the one
// closest by edit distance. Empty when nothing is close.
std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates, size_t most = 3);
// The first of closest_names, or "".
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
// "did you mean `a`?", "did you mean `a` or `b`?"; "" when nothing is close.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace plan

// Checks written as a parameter's type: `recompute: ["none", "selective", "full"]` (one of these
// values), `targets: [["q", "k", "v"]]` (a list whose items are each one of these), `tp: Count` (a
// whole number ≥ 1), `micro_batches: Whole` (a whole number ≥ 0). The
// checker applies a rule where the argument is a literal (a type error, exit 2); the evaluator
// where it is computed (a runtime error); either way the caret is on the caller's argument.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "interpreter/value.hpp"

namespace plan {

struct ParamRule {
    enum class Kind { None, OneOf, EachOf, Count, Whole } kind = Kind::None;
    std::vector<Value> allowed;  // OneOf, EachOf (of the list's items): strings or plain numbers
    bool any() const { return kind != Kind::None; }
};

// What is wrong with `v` as the argument `param`: a message, a label for the argument, and a help
// line (a did-you-mean for a misspelt string); none when `v` obeys the rule.
struct RuleViolation {
    std::string message, label, help;
};
std::optional<RuleViolation> violates(const ParamRule& rule, const std::string& param, const Value& v);

// What is wrong with `item` as an item of the list argument `param` under an EachOf rule.
std::optional<RuleViolation> violates_item(const ParamRule& rule, const std::string& param, const Value& item);

// The rule as it is written in a signature: `["none", "full"]`, `[["q", "k"]]`, `Count`, `Whole`.
std::string rule_text(const ParamRule& rule);

}  // namespace plan

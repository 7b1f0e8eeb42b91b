#include "interpreter/param_rules.hpp"

#include <cmath>

#include "grammar/diagnostic.hpp"
#include "interpreter/units.hpp"

namespace plan {

namespace {

bool is_string(const Value& v) { return v.v.index() == 2; }

std::string shown(const Value& v) { return is_string(v) ? "\"" + v.str() + "\"" : format_number(v.num(), true); }

std::string allowed_list(const ParamRule& rule) {
    std::string out;
    for (const Value& a : rule.allowed) out += (out.empty() ? "" : ", ") + shown(a);
    return out;
}

}  // namespace

std::optional<RuleViolation> violates_item(const ParamRule& rule, const std::string& param, const Value& item) {
    ParamRule one = rule;
    one.kind = ParamRule::Kind::OneOf;
    std::optional<RuleViolation> bad = violates(one, param, item);
    if (bad) bad->message = shown(item) + " is not a value of the items of `" + param + "`";
    return bad;
}

std::optional<RuleViolation> violates(const ParamRule& rule, const std::string& param, const Value& v) {
    switch (rule.kind) {
        case ParamRule::Kind::None: return std::nullopt;
        case ParamRule::Kind::OneOf: {
            std::vector<std::string> names;
            for (const Value& a : rule.allowed) {
                if (is_string(a) ? is_string(v) && a.str() == v.str() : !is_string(v) && a.num() == v.num()) return std::nullopt;
                if (is_string(a)) names.push_back(a.str());
            }
            std::string guess = is_string(v) ? closest_name(v.str(), names) : "";
            return RuleViolation{shown(v) + " is not a value of `" + param + "`", "not one of " + allowed_list(rule),
                                 guess.empty() ? "use one of " + allowed_list(rule) : "did you mean \"" + guess + "\"?"};
        }
        case ParamRule::Kind::EachOf: {
            if (v.v.index() != 3) return std::nullopt;  // not a list: the type check reports it
            for (const Value& item : v.list().items)
                if (auto bad = violates_item(rule, param, item)) return bad;
            return std::nullopt;
        }
        case ParamRule::Kind::Count: case ParamRule::Kind::Whole: {
            if (v.v.index() != 0) return std::nullopt;  // not a number: the type check reports it
            double x = v.num();
            double least = rule.kind == ParamRule::Kind::Count ? 1 : 0;
            if (x == std::floor(x) && x >= least && std::isfinite(x)) return std::nullopt;
            std::string want = rule.kind == ParamRule::Kind::Count ? "a whole number of at least 1" : "a whole number of at least 0";
            return RuleViolation{"`" + param + "` must be " + want + ", not " + format_number(x, false),
                                 x != std::floor(x) ? "not whole" : "too small", ""};
        }
    }
    return std::nullopt;
}

std::string rule_text(const ParamRule& rule) {
    switch (rule.kind) {
        case ParamRule::Kind::None: return "";
        case ParamRule::Kind::OneOf: return "[" + allowed_list(rule) + "]";
        case ParamRule::Kind::EachOf: return "[[" + allowed_list(rule) + "]]";
        case ParamRule::Kind::Count: return "Count";
        case ParamRule::Kind::Whole: return "Whole";
    }
    return "";
}

}  // namespace plan

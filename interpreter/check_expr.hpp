// Checking expressions: one ExprChecker per scope of locals (a statement, a function body).
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "interpreter/checker.hpp"

namespace plan {

[[noreturn]] void check_fail(Code code, std::string message, std::vector<Label> labels, std::string help = {});
// A key naming a type exactly, display hints included: function instances are cached by it.
std::string type_key(const Type& t, const UnitTable& units);
// A help line for a sum or comparison of two different dimensions.
bool contains_any(const Type& t);
std::string dimension_help(const Dim& a, const Dim& b, const UnitTable& units, bool derived = false);
// Where a literal argument (or default) breaks its parameter's rule, and what is wrong: the
// literal, or for a rule on a list's items the literal item of a list written out.
std::optional<std::pair<Span, RuleViolation>> literal_violation(const ParamRule& rule, const std::string& param, const TExpr& arg);

class ExprChecker {
public:
    ExprChecker(Checker& c, size_t visible, int& frame_size) : c_(c), visible_(visible), frame_size_(frame_size) {}

    int add_local(const std::string& name, Type type) {
        int slot = frame_size_++;
        locals_.push_back({name, slot, std::move(type)});
        return slot;
    }

    TExprPtr check(const ast::Expr& e);

private:
    struct Local {
        std::string name;
        int slot;
        Type type;
    };

    const UnitTable& units() const { return c_.units_; }
    std::string tname(const Type& t) const { return type_name(t, c_.units_); }

    TExprPtr node(Op op, Type type, Span span) {
        auto t = std::make_unique<TExpr>();
        t->op = op;
        t->type = std::move(type);
        t->span = span;
        return t;
    }
    TExprPtr constant(Value v, Type type, Span span) {
        auto t = node(Op::Const, std::move(type), span);
        t->constant = std::move(v);
        return t;
    }

    void expect_number(const TExpr& t, const std::string& what) {
        if (t.type.is(Type::Kind::Number) || t.type.is(Type::Kind::Any)) return;
        check_fail(Code::NeedsNumber, what + " needs a number, not " + tname(t.type), {{t.span, tname(t.type)}});
    }
    void expect_bool(const TExpr& t, const std::string& what) {
        if (t.type.is(Type::Kind::Bool) || t.type.is(Type::Kind::Any)) return;
        check_fail(Code::NeedsBool, what + " needs a Bool, not " + tname(t.type), {{t.span, tname(t.type)}},
             t.type.is(Type::Kind::Number) ? "compare it with something, e.g. `x > 0`" : "");
    }

    TExprPtr name(const ast::Expr& e);
    TExprPtr juxtaposed_unit(const ast::Expr& atom, const ast::Expr& number);
    std::vector<std::string> unit_names() const;  // every unit and plural spelling
    TExprPtr unary(const ast::Expr& e);
    TExprPtr binary(const ast::Expr& e);
    TExprPtr arithmetic(Op op, TExprPtr a, TExprPtr b, Span span);
    TExprPtr power(TExprPtr a, TExprPtr b, Span span);
    TExprPtr compare(Op op, const std::string& text, TExprPtr a, TExprPtr b, Span span);
    TExprPtr convert(const ast::Expr& e);
    UnitTerm unit_expression(const ast::Expr& e);
    TExprPtr call(const ast::Expr& e);
    TExprPtr call_builtin(const Binding& b, const ast::Expr& e, std::vector<TExprPtr> args);
    TExprPtr call_fn(const Binding& b, const ast::Expr& e, std::vector<TExprPtr> args);
    // Arguments a default reads, evaluated once into unnamed locals before the call.
    struct Hoisted {
        std::vector<int> slots;
        std::vector<TExprPtr> values;
    };
    std::vector<TExprPtr> bind_arguments(const Binding& b, const FnDef& fn, const ast::Expr& e, std::vector<TExprPtr> args);
    Hoisted fill_defaults(const Binding& b, const FnDef& fn, const ast::Expr& e, std::vector<TExprPtr>& bound);
    void check_literal_arguments(const FnDef& fn, const std::vector<TExprPtr>& bound);
    std::optional<std::vector<Type>> argument_types(const Binding& b, const FnDef& fn, const std::vector<TExprPtr>& bound);
    const FnInstance& specialise(const Binding& b, FnDef& fn, const std::vector<Type>& types, const ast::Expr& e);
    TExprPtr field(const ast::Expr& e);
    TExprPtr index(const ast::Expr& e);
    TExprPtr with(const ast::Expr& e);
    TExprPtr list(const ast::Expr& e);
    TExprPtr comprehension(const ast::Expr& e);
    TExprPtr range(const ast::Expr& e);
    TExprPtr record(const ast::Expr& e);
    TExprPtr conditional(const ast::Expr& e);
    TExprPtr string(const ast::Expr& e);
    TExprPtr block(const ast::Expr& e);
    std::optional<double> constant_value(const TExpr& t);

    Checker& c_;
    size_t visible_;
    int& frame_size_;
    std::vector<Local> locals_;
};

}  // namespace plan

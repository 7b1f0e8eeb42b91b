#include "interpreter/check_expr.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "interpreter/builtins.hpp"
#include "interpreter/unit_hints.hpp"

namespace plan {
namespace {

// While it lives, the checker checks code of `layer` (a function's defaults and body, checked
// again at each call from wherever the call is).
class InLayer {
public:
    InLayer(Checker& c, Layer layer) : c_(c), saved_(c.layer()) { c_.set_layer(layer); }
    ~InLayer() { c_.set_layer(saved_); }
    InLayer(const InLayer&) = delete;
    InLayer& operator=(const InLayer&) = delete;

private:
    Checker& c_;
    Layer saved_;
};

[[noreturn]] void unknown_unit(const std::string& name, const Span& span, const UnitHint& hint) {
    Diagnostic d(Code::UnknownUnit);
    d.message = "unknown unit `" + name + "`";
    d.labels.push_back({span, "not a unit"});
    d.help = hint.help;
    if (!hint.note.empty()) d.notes.push_back(hint.note);
    throw DiagnosticError{std::move(d)};
}

}  // namespace

void check_fail(Code code, std::string message, std::vector<Label> labels, std::string help) {
    Diagnostic d(code);
    d.message = std::move(message);
    d.labels = std::move(labels);
    d.help = std::move(help);
    throw DiagnosticError{std::move(d)};
}

std::string type_key(const Type& t, const UnitTable& units) {
    switch (t.kind) {
        case Type::Kind::Number: return fmt::format("{}[{}]", type_name(t, units), units.text(t.hint));
        case Type::Kind::List: return fmt::format("List<{}>", type_key(*t.elem, units));
        case Type::Kind::Record: {
            std::vector<std::string> fields;
            for (size_t i = 0; i < t.record->names.size(); ++i)
                fields.push_back(fmt::format("{}:{}", t.record->names[i], type_key(t.record->types[i], units)));
            return fmt::format("{{{}}}", fmt::join(fields, ","));
        }
        default: return type_name(t, units);
    }
}

std::string dimension_help(const Dim& a, const Dim& b, const UnitTable& units, bool derived) {
    if (a.none() || b.none())
        return "give the plain number a unit, e.g. `3 s` or `80 GB`, or divide the other side by one";
    // Suggest a factor only when it is one named dimension: a base one for sums and comparisons
    // (Data vs Data·Time), a derived one too for conversions (Compute → Time via ComputeRate).
    auto named = [&](const Dim& d) {
        std::string n = units.dimension_name(d);
        if (n.find('/') != std::string::npos || n.find("·") != std::string::npos || n.find('^') != std::string::npos)
            return std::string();
        int exps = 0;
        for (auto e : d.exp) exps += e != 0;
        return derived || exps == 1 ? n : std::string();
    };
    if (std::string r = named(a / b); !r.empty())
        return "the left side has an extra factor of " + r + ": divide it by a " + r + " (or multiply the right side by one)";
    if (std::string r = named(b / a); !r.empty())
        return "the right side has an extra factor of " + r + ": multiply the left side by a " + r + " (or divide the right side by one)";
    return "";
}


bool same_type(const Type& a, const Type& b) {
    if (a.is(Type::Kind::Any) || b.is(Type::Kind::Any)) return true;
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Type::Kind::Number: return a.dim == b.dim;
        case Type::Kind::List: return same_type(*a.elem, *b.elem);
        case Type::Kind::Record:
            if (a.record->names != b.record->names) return false;
            for (size_t i = 0; i < a.record->types.size(); ++i)
                if (!same_type(a.record->types[i], b.record->types[i])) return false;
            return true;
        default: return true;
    }
}

std::string type_name(const Type& t, const UnitTable& units) {
    switch (t.kind) {
        case Type::Kind::Number: return units.dimension_name(t.dim);
        case Type::Kind::Bool: return "Bool";
        case Type::Kind::String: return "String";
        case Type::Kind::Any: return "Any";
        case Type::Kind::List: return "List<" + type_name(*t.elem, units) + ">";
        case Type::Kind::Record: {
            std::string s = "{ ";
            for (size_t i = 0; i < t.record->names.size(); ++i)
                s += (i ? ", " : "") + t.record->names[i] + ": " + type_name(t.record->types[i], units);
            return s + " }";
        }
    }
    return "?";
}



// Not yet known, in whole or in part (a list of a generic parameter): checked again per call.
bool contains_any(const Type& t) {
    switch (t.kind) {
        case Type::Kind::Any: return true;
        case Type::Kind::List: return contains_any(*t.elem);
        case Type::Kind::Record:
            return std::any_of(t.record->types.begin(), t.record->types.end(), [](const Type& f) { return contains_any(f); });
        default: return false;
    }
}

TExprPtr ExprChecker::check(const ast::Expr& e) {
    switch (e.kind) {
        case ast::ExprKind::Number: return constant(Value(e.number), Type::number(Dim{}), e.span);
        case ast::ExprKind::Bool: return constant(Value(e.number != 0), Type::boolean(), e.span);
        case ast::ExprKind::String: return string(e);
        case ast::ExprKind::Name: return name(e);
        case ast::ExprKind::Unary: return unary(e);
        case ast::ExprKind::Binary: return binary(e);
        case ast::ExprKind::Juxtapose: {
            TExprPtr acc = check(*e.args[0]);
            for (size_t i = 1; i < e.args.size(); ++i)
                acc = arithmetic(Op::Mul, std::move(acc), juxtaposed_unit(*e.args[i], *e.args[0]), e.span);
            return acc;
        }
        case ast::ExprKind::Convert: return convert(e);
        case ast::ExprKind::Call: return call(e);
        case ast::ExprKind::Field: return field(e);
        case ast::ExprKind::Index: return index(e);
        case ast::ExprKind::With: return with(e);
        case ast::ExprKind::List: return list(e);
        case ast::ExprKind::Comprehension: return comprehension(e);
        case ast::ExprKind::Range: return range(e);
        case ast::ExprKind::Record: return record(e);
        case ast::ExprKind::If: return conditional(e);
        case ast::ExprKind::Block: return block(e);
    }
    throw std::logic_error("checker: unknown expression");
}

TExprPtr ExprChecker::name(const ast::Expr& e) {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
        if (it->name != e.text) continue;
        auto t = node(Op::Local, it->type, e.span);
        t->slot = it->slot;
        return t;
    }
    const Binding* b = c_.lookup_visible(e.text, visible_, Checker::Want::Value);
    if (!b) b = c_.lookup_visible(e.text, visible_);  // a function: reported below
    if (!b) {
        std::vector<std::string> names = c_.visible_names();
        for (auto& l : locals_) names.push_back(l.name);
        std::string help = did_you_mean(e.text, names);
        if (auto plural = c_.units_.find_plural(e.text))
            help = "`" + e.text + "` is the plural of the unit `" + c_.units_.unit(*plural).name + "`, which follows a number: `2 " +
                   e.text + "`, or `1 " + c_.units_.unit(*plural).name + "` alone";
        else if (help.empty() && c_.units_.find_dimension(e.text))
            help = "`" + e.text + "` is a dimension; values need a unit of it";
        check_fail(Code::UnknownName, "unknown name `" + e.text + "`", {{e.span, "not defined"}}, help);
    }
    if (b->kind == Binding::Kind::Function || b->kind == Binding::Kind::Builtin)
        check_fail(Code::FunctionNotCalled, "`" + e.text + "` is a function; call it", {{e.span, "function"}},
             "write `" + b->signature + "`");
    auto t = node(Op::Global, b->type, e.span);
    t->slot = b->slot;
    return t;
}

// A unit written after a number: `5 GB`, `2 days`, `3 B^2`. Only units multiply so; a value
// there (`5 tokens` with a variable `tokens`) is an error, not a silent product.
TExprPtr ExprChecker::juxtaposed_unit(const ast::Expr& atom, const ast::Expr& number) {
    bool powered = atom.kind == ast::ExprKind::Binary;  // `B^2`: the grammar allows only a name there
    const ast::Expr& n = powered ? *atom.args[0] : atom;
    bool local = std::any_of(locals_.begin(), locals_.end(), [&](const Local& l) { return l.name == n.text; });
    const Binding* b = local ? nullptr : c_.lookup_visible(n.text, visible_);
    std::optional<int> plural = units().find_plural(n.text);
    TExprPtr unit;
    if (b && b->kind == Binding::Kind::Unit) {
        unit = name(n);
    } else if (plural && (local || b)) {
        std::string singular = units().unit(*plural).name;
        std::string what = local || b->kind == Binding::Kind::Value ? "a value" : "a function";
        check_fail(Code::NotAUnitAfterNumber,
                   "`" + n.text + "` is both " + what + " and the plural of the unit `" + singular + "`", {{n.span, "ambiguous"}},
                   "write `" + number.text + " " + singular + "` for the unit" +
                       (what == "a value" ? ", or `" + number.text + " * " + n.text + "` for the value" : ""));
    } else if (plural) {
        const Binding* u = c_.lookup_visible(units().unit(*plural).name, visible_);
        unit = node(Op::Global, u->type, n.span);
        unit->slot = u->slot;
    } else if (local || b) {
        check_fail(Code::NotAUnitAfterNumber, "`" + n.text + "` is not a unit: only units follow a number",
                   {{n.span, local || b->kind == Binding::Kind::Value ? "a value" : "a function"}},
                   local || b->kind == Binding::Kind::Value ? "to multiply, write `" + number.text + " * " + n.text + "`"
                                                             : "call it: `" + number.text + " * " + n.text + "(...)`");
    } else {
        unknown_unit(n.text, n.span, unit_hint(n.text, units(), unit_names()));
    }
    if (powered) return power(std::move(unit), check(*atom.args[1]), atom.span);
    return unit;
}

std::vector<std::string> ExprChecker::unit_names() const {
    std::vector<std::string> names;
    for (size_t i = 0; i < c_.units_.unit_count(); ++i) {
        const UnitDef& u = c_.units_.unit(static_cast<int>(i));
        names.push_back(u.name);
        if (!u.plural.empty()) names.push_back(u.plural);
    }
    return names;
}

TExprPtr ExprChecker::unary(const ast::Expr& e) {
    TExprPtr a = check(*e.args[0]);
    if (e.text == "not") {
        expect_bool(*a, "`not`");
        auto t = node(Op::Not, Type::boolean(), e.span);
        t->kids.push_back(std::move(a));
        return t;
    }
    expect_number(*a, "`" + e.text + "`");
    if (e.text == "+") return a;
    Type type = a->type;
    auto t = node(Op::Neg, type, e.span);
    t->kids.push_back(std::move(a));
    return t;
}

TExprPtr ExprChecker::binary(const ast::Expr& e) {
    const std::string& op = e.text;
    if (op == "and" || op == "or") {
        TExprPtr a = check(*e.args[0]);
        TExprPtr b = check(*e.args[1]);
        expect_bool(*a, "`" + op + "`");
        expect_bool(*b, "`" + op + "`");
        auto t = node(op == "and" ? Op::And : Op::Or, Type::boolean(), e.span);
        t->kids.push_back(std::move(a));
        t->kids.push_back(std::move(b));
        return t;
    }
    TExprPtr a = check(*e.args[0]);
    TExprPtr b = check(*e.args[1]);
    if (op == "+") return arithmetic(Op::Add, std::move(a), std::move(b), e.span);
    if (op == "-") return arithmetic(Op::Sub, std::move(a), std::move(b), e.span);
    if (op == "*") return arithmetic(Op::Mul, std::move(a), std::move(b), e.span);
    if (op == "/") return arithmetic(Op::Div, std::move(a), std::move(b), e.span);
    if (op == "^") return power(std::move(a), std::move(b), e.span);
    static const std::map<std::string, Op> comparisons = {{"==", Op::Eq}, {"!=", Op::Ne}, {"<", Op::Lt},
                                                          {"<=", Op::Le}, {">", Op::Gt},  {">=", Op::Ge}};
    return compare(comparisons.at(op), op, std::move(a), std::move(b), e.span);
}

TExprPtr ExprChecker::arithmetic(Op op, TExprPtr a, TExprPtr b, Span span) {
    if (a->type.is(Type::Kind::String) && b->type.is(Type::Kind::String) && op == Op::Add)
        check_fail(Code::CannotAddStrings, "cannot add strings", {{span, ""}}, "use interpolation: \"{a}{b}\"");
    const std::string symbol = op == Op::Add ? "`+`" : op == Op::Sub ? "`-`" : op == Op::Mul ? "`*`" : "`/`";
    expect_number(*a, symbol);
    expect_number(*b, symbol);
    Type type;
    if (a->type.is(Type::Kind::Any) || b->type.is(Type::Kind::Any)) {
        type = Type::any();
    } else if (op == Op::Add || op == Op::Sub) {
        if (!(a->type.dim == b->type.dim)) {
            std::string an = tname(a->type), bn = tname(b->type);
            check_fail(Code::CannotAdd,
                 op == Op::Add ? "cannot add " + an + " and " + bn : "cannot subtract " + bn + " from " + an,
                 {{a->span, an}, {b->span, bn}}, dimension_help(a->type.dim, b->type.dim, units()));
        }
        type = a->type.hint.empty() ? b->type : a->type;
        type.hint.fixed = false;
        type.hint.exact = false;
    } else {
        int sign = op == Op::Mul ? 1 : -1;
        Dim d = op == Op::Mul ? a->type.dim * b->type.dim : a->type.dim / b->type.dim;
        type = Type::number(d, units().multiply(a->type.hint, b->type.hint, sign));
    }
    auto t = node(op, type, span);
    t->kids.push_back(std::move(a));
    t->kids.push_back(std::move(b));
    return t;
}

std::optional<double> ExprChecker::constant_value(const TExpr& t) {
    switch (t.op) {
        case Op::Const: return t.type.is(Type::Kind::Number) ? std::optional<double>(t.constant.num()) : std::nullopt;
        case Op::Neg: {
            auto v = constant_value(*t.kids[0]);
            return v ? std::optional<double>(-*v) : std::nullopt;
        }
        case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: {
            auto a = constant_value(*t.kids[0]), b = constant_value(*t.kids[1]);
            if (!a || !b || !t.type.dim.none()) return std::nullopt;
            if (t.op == Op::Add) return *a + *b;
            if (t.op == Op::Sub) return *a - *b;
            if (t.op == Op::Mul) return *a * *b;
            return *b == 0 ? std::nullopt : std::optional<double>(*a / *b);
        }
        default: return std::nullopt;
    }
}

TExprPtr ExprChecker::power(TExprPtr a, TExprPtr b, Span span) {
    expect_number(*a, "`^`");
    expect_number(*b, "`^`");
    Type type = Type::any();
    if (a->type.is(Type::Kind::Number) && b->type.is(Type::Kind::Number)) {
        if (!b->type.dim.none())
            check_fail(Code::ExponentNotScalar, "an exponent must be a Scalar, not " + tname(b->type),
                 {{b->span, tname(b->type)}});
        if (a->type.dim.none()) {
            type = Type::number(Dim{}, {});
        } else {
            auto n = constant_value(*b);
            if (!n || *n != std::round(*n) || std::abs(*n) > 64)
                check_fail(Code::PowerNotConstant, "a " + tname(a->type) + " can only be raised to a constant integer power",
                     {{a->span, tname(a->type)}, {b->span, "not a constant integer"}},
                     "divide by a unit first to get a Scalar, e.g. `(x / GB)^y`");
            int k = static_cast<int>(*n);
            type = Type::number(a->type.dim.pow(k), units().pow(a->type.hint, k));
        }
    }
    auto t = node(Op::Pow, type, span);
    t->kids.push_back(std::move(a));
    t->kids.push_back(std::move(b));
    return t;
}

TExprPtr ExprChecker::compare(Op op, const std::string& text, TExprPtr a, TExprPtr b, Span span) {
    const Type& ta = a->type;
    const Type& tb = b->type;
    bool ordered = op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
    if (!ta.is(Type::Kind::Any) && !tb.is(Type::Kind::Any)) {
        if (ta.is(Type::Kind::Number) && tb.is(Type::Kind::Number)) {
            if (!(ta.dim == tb.dim))
                check_fail(Code::CannotCompare, "cannot compare " + tname(ta) + " with " + tname(tb),
                     {{a->span, tname(ta)}, {b->span, tname(tb)}}, dimension_help(ta.dim, tb.dim, units()));
        } else if (ordered || ta.kind != tb.kind || ta.is(Type::Kind::List) || ta.is(Type::Kind::Record)) {
            check_fail(Code::OperatorTypes, "cannot use `" + text + "` on " + tname(ta) + " and " + tname(tb),
                 {{a->span, tname(ta)}, {b->span, tname(tb)}});
        }
    }
    auto t = node(op, Type::boolean(), span);
    t->kids.push_back(std::move(a));
    t->kids.push_back(std::move(b));
    return t;
}

UnitTerm ExprChecker::unit_expression(const ast::Expr& e) {
    switch (e.kind) {
        case ast::ExprKind::Name: {
            auto id = c_.units_.find_unit(e.text);
            const Binding* b = c_.lookup_visible(e.text, visible_);
            if (!id || !b || b->kind != Binding::Kind::Unit) {
                if (auto plural = c_.units_.find_plural(e.text)) return UnitTerm{{{*plural, 1}}};  // `-> days`
                unknown_unit(e.text, e.span, unit_hint(e.text, units(), unit_names()));
            }
            return UnitTerm{{{*id, 1}}};
        }
        case ast::ExprKind::Binary:
            if (e.text == "*" || e.text == "/") {
                UnitTerm a = unit_expression(*e.args[0]);
                UnitTerm b = unit_expression(*e.args[1]);
                for (auto f : b.factors) a.factors.push_back({f.unit, e.text == "*" ? f.exp : -f.exp});
                return a;
            }
            if (e.text == "^") {
                UnitTerm a = unit_expression(*e.args[0]);
                int frame = 0;
                ExprChecker sub(c_, visible_, frame);
                auto n = sub.constant_value(*sub.check(*e.args[1]));
                if (!n || *n != std::round(*n))
                    check_fail(Code::NotUnits, "a unit can only be raised to a constant integer power", {{e.args[1]->span, ""}});
                for (auto& f : a.factors) f.exp *= static_cast<int>(*n);
                return a;
            }
            break;
        case ast::ExprKind::Juxtapose:
            if (e.args[0]->number == 1) {
                UnitTerm a;
                for (size_t i = 1; i < e.args.size(); ++i)
                    for (auto f : unit_expression(*e.args[i]).factors) a.factors.push_back(f);
                return a;
            }
            break;
        default: break;
    }
    check_fail(Code::NotUnits, "expected a unit after `->`", {{e.span, "not a unit"}},
         "convert to units such as `GiB`, `day` or `USD/h`");
}

TExprPtr ExprChecker::convert(const ast::Expr& e) {
    TExprPtr value = check(*e.args[0]);
    expect_number(*value, "`->`");
    // `x -> exact` keeps x's unit and shows every digit (8030261248, not 8.03026e9): a display
    // choice like any conversion. A unit named `exact`, if one is declared, wins.
    const ast::Expr& target_expr = *e.args[1];
    if (target_expr.kind == ast::ExprKind::Name && target_expr.text == "exact" && !c_.units_.find_unit("exact")) {
        value->type.hint.fixed = true;
        value->type.hint.exact = true;
        value->span = e.span;
        return value;
    }
    UnitTerm term = unit_expression(target_expr);
    // Merge repeated units (GB*GB → GB^2) but keep distinct ones as written.
    UnitTerm merged;
    for (auto f : term.factors) {
        bool found = false;
        for (auto& m : merged.factors)
            if (m.unit == f.unit) {
                m.exp += f.exp;
                found = true;
            }
        if (!found) merged.factors.push_back(f);
    }
    std::erase_if(merged.factors, [](const UnitFactor& f) { return f.exp == 0; });
    merged.fixed = true;
    Dim target = units().dim(merged);
    if (value->type.is(Type::Kind::Number) && !(value->type.dim == target))
        check_fail(Code::CannotConvert,
             "cannot convert " + tname(value->type) + " to " + units().dimension_name(target),
             {{value->span, tname(value->type)}, {e.args[1]->span, units().dimension_name(target)}},
             dimension_help(value->type.dim, target, units(), true));
    if (value->type.is(Type::Kind::Number)) value->type.hint = merged;
    value->span = e.span;
    return value;
}

TExprPtr ExprChecker::call(const ast::Expr& e) {
    const ast::Expr& callee = *e.args[0];
    if (callee.kind != ast::ExprKind::Name)
        check_fail(Code::NotAFunction, "only named functions can be called", {{callee.span, "not a function name"}});
    for (auto& l : locals_)
        if (l.name == callee.text)
            check_fail(Code::NotAFunction, "`" + callee.text + "` is a value, not a function", {{callee.span, tname(l.type)}});
    const Binding* b = c_.lookup_visible(callee.text, visible_, Checker::Want::Callable);
    if (!b) b = c_.lookup_visible(callee.text, visible_);  // a value: reported below
    if (!b) {
        std::vector<std::string> fns;
        for (auto& n : c_.visible_names()) {
            const Binding* x = c_.lookup(n);
            if (x && (x->kind == Binding::Kind::Function || x->kind == Binding::Kind::Builtin)) fns.push_back(n);
        }
        check_fail(Code::UnknownFunction, "unknown function `" + callee.text + "`", {{callee.span, "not defined"}},
             did_you_mean(callee.text, fns));
    }
    std::vector<TExprPtr> args;
    for (size_t i = 1; i < e.args.size(); ++i) args.push_back(check(*e.args[i]));
    if (b->kind == Binding::Kind::Value && b->type.is(Type::Kind::Any)) {  // a definition that failed to check
        auto t = node(Op::Call, Type::any(), e.span);
        t->kids = std::move(args);
        return t;
    }
    if (b->kind != Binding::Kind::Function && b->kind != Binding::Kind::Builtin)
        check_fail(Code::NotAFunction, "`" + callee.text + "` is a value, not a function", {{callee.span, tname(b->type)}});
    if (b->kind == Binding::Kind::Builtin) return call_builtin(*b, e, std::move(args));
    return call_fn(*b, e, std::move(args));
}

TExprPtr ExprChecker::call_builtin(const Binding& b, const ast::Expr& e, std::vector<TExprPtr> args) {
    const Builtin& fn = *b.native;
    for (size_t i = 0; i < e.names.size(); ++i)
        if (!e.names[i].empty())
            check_fail(Code::NoNamedArguments, "`" + b.name + "` takes no named arguments", {{e.name_spans[i], ""}},
                 "write `" + std::string(fn.signature) + "`");
    int n = static_cast<int>(args.size());
    if (n < fn.min_args || (fn.max_args >= 0 && n > fn.max_args)) {
        std::string expected = fn.min_args == fn.max_args ? std::to_string(fn.min_args)
                               : fn.max_args < 0         ? "at least " + std::to_string(fn.min_args)
                                                         : fmt::format("{} to {}", fn.min_args, fn.max_args);
        check_fail(Code::ArgumentCount, fmt::format("`{}` takes {} argument{} but {} {} given", b.name, expected,
                                            expected == "1" ? "" : "s", n, n == 1 ? "was" : "were"),
             {{e.span, ""}}, "write `" + std::string(fn.signature) + "`");
    }
    std::vector<Type> types;
    std::vector<Span> spans;
    bool any = false;
    for (auto& a : args) {
        types.push_back(a->type);
        spans.push_back(a->span);
        any = any || contains_any(a->type);
    }
    Type result = any ? Type::any() : fn.check(BuiltinCall{types, spans, e.span, units()});
    auto t = node(Op::Builtin, result, e.span);
    t->index = b.slot;
    t->native = &fn;
    t->kids = std::move(args);
    return t;
}

// A call of a plan function: arguments bound to parameters, defaults filled in, types checked,
// then the instance of the function for these argument types (checked once per signature).
TExprPtr ExprChecker::call_fn(const Binding& b, const ast::Expr& e, std::vector<TExprPtr> args) {
    FnDef& fn = c_.fns_[b.slot];
    std::vector<TExprPtr> bound = bind_arguments(b, fn, e, std::move(args));
    check_literal_arguments(fn, bound);  // before defaults hoist the arguments they read
    Hoisted hoisted = fill_defaults(b, fn, e, bound);
    std::optional<std::vector<Type>> types = argument_types(b, fn, bound);
    if (!types) {  // an argument not yet known: the call is checked again where it is
        auto t = node(Op::Call, fn.result_type.value_or(Type::any()), e.span);
        t->kids = std::move(bound);
        return t;
    }
    const FnInstance& inst = specialise(b, fn, *types, e);
    auto t = node(Op::Call, inst.result, e.span);
    t->fn = &inst;
    t->kids = std::move(bound);
    if (hoisted.values.empty()) return t;
    auto block = node(Op::Block, inst.result, e.span);
    block->slots = std::move(hoisted.slots);
    block->kids = std::move(hoisted.values);
    block->kids.push_back(std::move(t));
    return block;
}

// The arguments in parameter order: positional ones first, then named ones (null where none).
std::vector<TExprPtr> ExprChecker::bind_arguments(const Binding& b, const FnDef& fn, const ast::Expr& e, std::vector<TExprPtr> args) {
    const auto& params = fn.decl->params;
    std::vector<TExprPtr> bound(params.size());
    size_t positional = 0;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& label = e.names[i];
        size_t target = positional;
        if (label.empty()) {
            if (positional >= params.size())
                check_fail(Code::ArgumentCount,
                     fmt::format("`{}` takes {} argument{} but {} were given", b.name, params.size(),
                                 params.size() == 1 ? "" : "s", args.size()),
                     {{args[i]->span, "extra argument"}}, "write `" + b.signature + "`");
            ++positional;
        } else {
            target = params.size();
            for (size_t p = 0; p < params.size(); ++p)
                if (params[p].name == label) target = p;
            if (target == params.size()) {
                std::vector<std::string> names;
                for (auto& p : params) names.push_back(p.name);
                std::string guess = closest_name(label, names);
                check_fail(Code::UnknownParameter, "`" + b.name + "` has no parameter `" + label + "`", {{e.name_spans[i], "unknown"}},
                     guess.empty() ? "write `" + b.signature + "`" : "did you mean `" + guess + "`?");
            }
        }
        if (bound[target])
            check_fail(Code::ArgumentGivenTwice, "parameter `" + params[target].name + "` of `" + b.name + "` is given twice",
                 {{args[i]->span, "again here"}});
        bound[target] = std::move(args[i]);
    }
    return bound;
}

// A default is checked again at each call that needs it, in the definition's scope, where the
// parameters before it are visible (`fn f(m, seq = m.context)`): those arguments are then
// evaluated once, into slots of the caller's frame (hoisted), and the call is wrapped in a block.
ExprChecker::Hoisted ExprChecker::fill_defaults(const Binding& b, const FnDef& fn, const ast::Expr& e, std::vector<TExprPtr>& bound) {
    const auto& params = fn.decl->params;
    std::vector<int> temp_slot(params.size(), -1);
    Hoisted hoisted;
    InLayer definition_layer(c_, fn.layer);  // defaults see what the definition sees
    for (size_t p = 0; p < params.size(); ++p) {
        if (bound[p]) continue;
        if (!fn.defaults[p])
            check_fail(Code::MissingArgument, "missing argument `" + params[p].name + "` in call to `" + b.name + "`",
                 {{e.span, ""}}, "write `" + b.signature + "`");
        ExprChecker sub(c_, fn.visible, frame_size_);
        if (fn.default_uses_params[p]) {
            for (size_t q = 0; q < p; ++q) {
                if (temp_slot[q] < 0) {
                    Type type = bound[q]->type;
                    Span span = bound[q]->span;
                    temp_slot[q] = add_local("", type);  // unnamed: only the default sees it
                    hoisted.values.push_back(std::move(bound[q]));
                    bound[q] = node(Op::Local, type, span);
                    bound[q]->slot = temp_slot[q];
                }
                sub.locals_.push_back({params[q].name, temp_slot[q], bound[q]->type});
            }
        }
        bound[p] = sub.check(*params[p].default_value);
    }
    for (int slot : temp_slot)
        if (slot >= 0) hoisted.slots.push_back(slot);
    return hoisted;
}

// The type of each argument, each checked against its parameter's annotation; none when one is
// not yet known (Any).
std::optional<std::vector<Type>> ExprChecker::argument_types(const Binding& b, const FnDef& fn, const std::vector<TExprPtr>& bound) {
    const auto& params = fn.decl->params;
    std::vector<Type> types;
    bool any = false;
    for (size_t p = 0; p < params.size(); ++p) {
        const Type& want = fn.param_types[p];
        const Type& got = bound[p]->type;
        any = any || got.is(Type::Kind::Any);
        if (!same_type(want, got)) {
            bool dims = want.is(Type::Kind::Number) && got.is(Type::Kind::Number);
            check_fail(dims ? Code::ArgumentDimension : Code::ArgumentType,
                 "argument `" + params[p].name + "` of `" + b.name + "` must be " + tname(want) + ", not " + tname(got),
                 {{bound[p]->span, tname(got)}}, dims ? dimension_help(got.dim, want.dim, units(), true) : "");
        }
        types.push_back(got);
    }
    if (any) return std::nullopt;
    return types;
}

std::optional<std::pair<Span, RuleViolation>> literal_violation(const ParamRule& rule, const std::string& param, const TExpr& arg) {
    auto literal = [](const TExpr& t) -> std::optional<Value> {
        if (t.op == Op::Const) return t.constant;
        if (t.op == Op::Neg && t.kids[0]->op == Op::Const && t.kids[0]->constant.v.index() == 0) return Value(-t.kids[0]->constant.num());
        return std::nullopt;
    };
    if (!rule.any()) return std::nullopt;
    if (std::optional<Value> v = literal(arg)) {
        if (auto bad = violates(rule, param, *v)) return std::pair{arg.span, *bad};
        return std::nullopt;
    }
    // A list written out: each literal item is checked, and the caret goes under the one it is.
    if (rule.kind != ParamRule::Kind::EachOf || arg.op != Op::List) return std::nullopt;
    for (const TExprPtr& item : arg.kids)
        if (std::optional<Value> v = literal(*item))
            if (auto bad = violates_item(rule, param, *v)) return std::pair{item->span, *bad};
    return std::nullopt;
}

// An argument written as a literal is checked against its parameter's rule now, so
// `recompute = "ful"` or `zero = 4` is an error before anything runs; a computed one is checked
// when the call runs (Evaluator::call).
void ExprChecker::check_literal_arguments(const FnDef& fn, const std::vector<TExprPtr>& bound) {
    for (size_t p = 0; p < bound.size(); ++p) {
        if (!bound[p]) continue;  // not given: its default was checked with the definition
        const TExpr& arg = *bound[p];
        if (!same_type(fn.param_types[p], arg.type)) continue;
        if (auto bad = literal_violation(fn.param_rules[p], fn.decl->params[p].name, arg))
            check_fail(Code::ArgumentNotAllowed, bad->second.message, {{bad->first, bad->second.label}}, bad->second.help);
    }
}

// The instance of `fn` for these argument types: its body checked with the parameters typed so,
// once per signature (display hints included), and kept in the function's cache.
const FnInstance& ExprChecker::specialise(const Binding& b, FnDef& fn, const std::vector<Type>& types, const ast::Expr& e) {
    std::string key;
    for (auto& t : types) key += type_key(t, units()) + ";";
    if (auto found = fn.by_signature.find(key); found != fn.by_signature.end()) return *found->second;
    if (c_.specialising_ >= kMaxSpecialiseDepth)
        check_fail(Code::CallsTooDeep, "calls nested too deeply", {{e.span, ""}},
                   fmt::format("more than {} generic functions are checked one inside the other here", kMaxSpecialiseDepth));
    ++c_.specialising_;
    struct Done {
        size_t& n;
        ~Done() { --n; }
    } done{c_.specialising_};
    const auto& params = fn.decl->params;
    auto instance = std::make_unique<FnInstance>();
    instance->decl = fn.decl;
    instance->params = types;
    instance->rules = fn.param_rules;
    int frame = 0;
    InLayer definition_layer(c_, fn.layer);  // the body sees what the definition sees
    ExprChecker body(c_, fn.visible, frame);
    for (size_t p = 0; p < params.size(); ++p) body.add_local(params[p].name, types[p]);
    try {
        instance->body = body.check(*fn.decl->value);
    } catch (DiagnosticError& err) {
        if (err.diagnostic.notes.size() >= 4) throw;  // enough to find the user's line; a chain may be 2000 deep
        std::string sig;
        for (size_t p = 0; p < types.size(); ++p) sig += (p ? ", " : "") + params[p].name + ": " + tname(types[p]);
        err.diagnostic.notes.push_back("while checking `" + b.name + "(" + sig + ")`");
        err.diagnostic.labels.push_back({e.span, "in this call"});
        throw;
    }
    instance->frame_size = frame;
    instance->result = instance->body->type;
    if (fn.result_type && !same_type(*fn.result_type, instance->result))
        check_fail(Code::DeclaredDimension,
             "`" + b.name + "` must return " + tname(*fn.result_type) + ", but its body is " + tname(instance->result),
             {{fn.decl->value->span, tname(instance->result)}, {e.span, "in this call"}});
    FnInstance* inst = instance.get();
    fn.instances.push_back(std::move(instance));
    fn.by_signature[key] = inst;
    return *inst;
}

TExprPtr ExprChecker::field(const ast::Expr& e) {
    TExprPtr base = check(*e.args[0]);
    if (base->type.is(Type::Kind::Any)) {
        auto t = node(Op::Field, Type::any(), e.span);
        t->kids.push_back(std::move(base));
        return t;
    }
    if (!base->type.is(Type::Kind::Record))
        check_fail(Code::NotARecord, "cannot take field `" + e.text + "` of " + tname(base->type),
             {{base->span, tname(base->type)}});
    const RecordType& r = *base->type.record;
    int i = r.find(e.text);
    if (i < 0) {
        std::string guess = closest_name(e.text, r.names);
        std::string fields;
        for (auto& n : r.names) fields += (fields.empty() ? "" : ", ") + n;
        check_fail(Code::UnknownField, "no field `" + e.text + "` in this record", {{e.name_spans[0], "unknown field"}},
             guess.empty() ? "its fields are: " + fields : "did you mean `" + guess + "`?");
    }
    auto t = node(Op::Field, r.types[i], e.span);
    t->index = i;
    t->kids.push_back(std::move(base));
    return t;
}

TExprPtr ExprChecker::index(const ast::Expr& e) {
    TExprPtr base = check(*e.args[0]);
    TExprPtr at = check(*e.args[1]);
    if (!base->type.is(Type::Kind::List) && !base->type.is(Type::Kind::Any))
        check_fail(Code::NotAList, "cannot index " + tname(base->type), {{base->span, tname(base->type)}});
    expect_number(*at, "an index");
    if (at->type.is(Type::Kind::Number) && !at->type.dim.none())
        check_fail(Code::NeedsScalar, "an index must be a Scalar, not " + tname(at->type), {{at->span, tname(at->type)}});
    Type type = base->type.is(Type::Kind::List) ? *base->type.elem : Type::any();
    auto t = node(Op::Index, type, e.span);
    t->kids.push_back(std::move(base));
    t->kids.push_back(std::move(at));
    return t;
}

TExprPtr ExprChecker::with(const ast::Expr& e) {
    TExprPtr base = check(*e.args[0]);
    const ast::Expr& fields = *e.args[1];
    if (base->type.is(Type::Kind::Any)) {
        auto t = node(Op::With, Type::any(), e.span);
        t->kids.push_back(std::move(base));
        for (auto& f : fields.args) t->kids.push_back(check(*f));
        return t;
    }
    if (!base->type.is(Type::Kind::Record))
        check_fail(Code::NotARecord, "`with` needs a record, not " + tname(base->type), {{base->span, tname(base->type)}});
    auto record = std::make_shared<RecordType>(*base->type.record);
    auto t = node(Op::With, Type{}, e.span);
    t->kids.push_back(std::move(base));
    for (size_t i = 0; i < fields.names.size(); ++i) {
        int at = record->find(fields.names[i]);
        if (at < 0) {
            std::string guess = closest_name(fields.names[i], record->names);
            check_fail(Code::UnknownField, "no field `" + fields.names[i] + "` to override", {{fields.name_spans[i], "unknown field"}},
                 guess.empty() ? "`with` changes existing fields; build a new record to add fields"
                               : "did you mean `" + guess + "`?");
        }
        TExprPtr v = check(*fields.args[i]);
        if (!same_type(record->types[at], v->type))
            check_fail(record->types[at].is(Type::Kind::Number) && v->type.is(Type::Kind::Number) ? Code::FieldDimension
                                                                                             : Code::FieldType,
                 "field `" + fields.names[i] + "` is " + tname(record->types[at]) + ", not " + tname(v->type),
                 {{fields.args[i]->span, tname(v->type)}});
        record->types[at] = v->type;
        t->slots.push_back(at);
        t->kids.push_back(std::move(v));
    }
    t->type.kind = Type::Kind::Record;
    t->type.record = record;
    return t;
}

TExprPtr ExprChecker::list(const ast::Expr& e) {
    auto t = node(Op::List, Type{}, e.span);
    Type elem = Type::any();
    for (auto& item : e.args) {
        TExprPtr v = check(*item);
        if (!t->kids.empty() && !same_type(t->kids[0]->type, v->type))
            check_fail(Code::ListItemTypes, "list items must have one type: " + tname(t->kids[0]->type) + " and " + tname(v->type),
                 {{t->kids[0]->span, tname(t->kids[0]->type)}, {v->span, tname(v->type)}});
        if (elem.is(Type::Kind::Any)) elem = v->type;
        t->kids.push_back(std::move(v));
    }
    t->type = Type::list(elem);
    return t;
}

TExprPtr ExprChecker::comprehension(const ast::Expr& e) {
    TExprPtr source = check(*e.args[1]);
    if (!source->type.is(Type::Kind::List) && !source->type.is(Type::Kind::Any))
        check_fail(Code::NotAList, "`for` needs a list, not " + tname(source->type), {{source->span, tname(source->type)}});
    Type elem = source->type.is(Type::Kind::List) ? *source->type.elem : Type::any();
    size_t depth = locals_.size();
    int slot = add_local(e.text, elem);
    TExprPtr item = check(*e.args[0]);
    TExprPtr cond = e.args.size() > 2 ? check(*e.args[2]) : nullptr;
    if (cond) expect_bool(*cond, "the `if` of a list comprehension");
    locals_.resize(depth);
    auto t = node(Op::Comprehension, Type::list(item->type), e.span);
    t->slot = slot;
    t->kids.push_back(std::move(item));
    t->kids.push_back(std::move(source));
    if (cond) t->kids.push_back(std::move(cond));
    return t;
}

TExprPtr ExprChecker::range(const ast::Expr& e) {
    auto t = node(Op::Range, Type{}, e.span);
    if (e.text == "log") {  // from .. to log count: the count is a plain number
        t->index = 1;
        TExprPtr count = check(*e.args[2]);
        if (!count->type.is(Type::Kind::Number) || !count->type.dim.none())
            check_fail(Code::CountNotScalar, "the number of points of a log range must be a Scalar, not " + tname(count->type),
                       {{count->span, tname(count->type)}});
        for (size_t i = 0; i < 2; ++i) {
            TExprPtr v = check(*e.args[i]);
            expect_number(*v, "a range");
            if (!t->kids.empty() && !same_type(t->kids[0]->type, v->type))
                check_fail(Code::MixedDimensions, "range bounds must have one dimension: " + tname(t->kids[0]->type) + " and " + tname(v->type),
                           {{t->kids[0]->span, tname(t->kids[0]->type)}, {v->span, tname(v->type)}});
            t->kids.push_back(std::move(v));
        }
        t->kids.push_back(std::move(count));
        t->type = Type::list(t->kids[0]->type);
        return t;
    }
    for (auto& a : e.args) {
        TExprPtr v = check(*a);
        expect_number(*v, "a range");
        if (!t->kids.empty() && !same_type(t->kids[0]->type, v->type))
            check_fail(Code::MixedDimensions, "range bounds must have one dimension: " + tname(t->kids[0]->type) + " and " + tname(v->type),
                 {{t->kids[0]->span, tname(t->kids[0]->type)}, {v->span, tname(v->type)}});
        t->kids.push_back(std::move(v));
    }
    Type elem = t->kids[0]->type;
    if (t->kids.size() == 2) {
        if (elem.is(Type::Kind::Number) && !elem.dim.none())
            check_fail(Code::RangeNeedsStep, "a range of " + tname(elem) + " needs a step", {{e.span, ""}},
                 "add one, e.g. `1 GB .. 8 GB step 1 GB`");
        t->kids.push_back(constant(Value(1.0), Type::number(Dim{}), e.span));
    }
    t->type = Type::list(elem);
    return t;
}

TExprPtr ExprChecker::record(const ast::Expr& e) {
    auto type = std::make_shared<RecordType>();
    auto t = node(Op::Record, Type{}, e.span);
    for (size_t i = 0; i < e.names.size(); ++i) {
        if (type->find(e.names[i]) >= 0)
            check_fail(Code::FieldGivenTwice, "field `" + e.names[i] + "` is given twice", {{e.name_spans[i], "again here"}});
        TExprPtr v = check(*e.args[i]);
        type->names.push_back(e.names[i]);
        type->types.push_back(v->type);
        t->kids.push_back(std::move(v));
    }
    t->type.kind = Type::Kind::Record;
    t->type.record = type;
    return t;
}

TExprPtr ExprChecker::conditional(const ast::Expr& e) {
    TExprPtr cond = check(*e.args[0]);
    expect_bool(*cond, "`if`");
    TExprPtr a = check(*e.args[1]);
    TExprPtr b = check(*e.args[2]);
    if (!same_type(a->type, b->type)) {
        bool dims = a->type.is(Type::Kind::Number) && b->type.is(Type::Kind::Number);
        check_fail(dims ? Code::BranchDimensions : Code::BranchTypes,
             "the branches of `if` differ: " + tname(a->type) + " and " + tname(b->type),
             {{a->span, tname(a->type)}, {b->span, tname(b->type)}});
    }
    Type type = a->type.is(Type::Kind::Any) ? b->type : a->type;
    auto t = node(Op::If, type, e.span);
    t->kids.push_back(std::move(cond));
    t->kids.push_back(std::move(a));
    t->kids.push_back(std::move(b));
    return t;
}

TExprPtr ExprChecker::string(const ast::Expr& e) {
    auto t = node(Op::Interpolate, Type::string(), e.span);
    std::string text;
    for (auto& part : e.parts) {
        if (!part.expr) {
            text += part.text;
            continue;
        }
        t->parts.push_back(text);
        text.clear();
        t->kids.push_back(check(*part.expr));
    }
    t->parts.push_back(text);
    if (t->kids.empty()) return constant(Value::string(text), Type::string(), e.span);
    return t;
}

TExprPtr ExprChecker::block(const ast::Expr& e) {
    size_t depth = locals_.size();
    auto t = node(Op::Block, Type{}, e.span);
    for (auto& s : e.block) {
        TExprPtr v = check(*s->value);
        if (s->type) {
            Type want = c_.resolve_type_annotation(*s->type);
            if (!same_type(want, v->type))
                check_fail(Code::DeclaredDimension, "`" + s->name + "` is declared " + tname(want) + " but is " + tname(v->type),
                     {{s->value->span, tname(v->type)}, {s->type->span, tname(want)}});
        }
        t->slots.push_back(add_local(s->name, v->type));
        t->kids.push_back(std::move(v));
    }
    TExprPtr result = check(*e.args[0]);
    locals_.resize(depth);
    t->type = result->type;
    t->kids.push_back(std::move(result));
    return t;
}

}  // namespace plan

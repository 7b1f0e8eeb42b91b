#include "checker.hpp"

#include <cmath>

#include <fmt/format.h>

#include "builtins.hpp"
#include "evaluator.hpp"

namespace plan {

namespace {

[[noreturn]] void fail(ErrorClass kind, std::string message, std::vector<Label> labels, std::string help = {}) {
    Diagnostic d;
    d.kind = kind;
    d.message = std::move(message);
    d.labels = std::move(labels);
    d.help = std::move(help);
    throw DiagnosticError{std::move(d)};
}

std::string type_key(const Type& t, const UnitTable& units) {
    std::string k = type_name(t, units);
    if (t.is(Type::Kind::Number)) k += "[" + units.text(t.hint) + "]";
    if (t.is(Type::Kind::List) && t.elem) k += "<" + type_key(*t.elem, units) + ">";
    if (t.is(Type::Kind::Record))
        for (auto& f : t.record->types) k += "," + type_key(f, units);
    return k;
}

// A help line for a sum or comparison of two different dimensions.
std::string dimension_help(const Dim& a, const Dim& b, const UnitTable& units) {
    if (a.none() || b.none())
        return "give the plain number a unit, e.g. `3 s` or `80 GB`, or divide the other side by one";
    std::string ratio = units.dimension_name(a / b);
    if (ratio.find('/') == std::string::npos && ratio.find("·") == std::string::npos)
        return "the left side has an extra factor of " + ratio + "; multiply the right side by a " + ratio +
               " or divide the left side by one";
    std::string inverse = units.dimension_name(b / a);
    if (inverse.find('/') == std::string::npos && inverse.find("·") == std::string::npos)
        return "the right side has an extra factor of " + inverse + "; multiply the left side by a " + inverse +
               " or divide the right side by one";
    return "";
}

}  // namespace

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

// ---------------------------------------------------------------------------------------------
// Expressions

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
        fail(ErrorClass::Type, what + " needs a number, not " + tname(t.type), {{t.span, tname(t.type)}});
    }
    void expect_bool(const TExpr& t, const std::string& what) {
        if (t.type.is(Type::Kind::Bool) || t.type.is(Type::Kind::Any)) return;
        fail(ErrorClass::Type, what + " needs a Bool, not " + tname(t.type), {{t.span, tname(t.type)}},
             t.type.is(Type::Kind::Number) ? "compare it with something, e.g. `x > 0`" : "");
    }

    TExprPtr name(const ast::Expr& e);
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
                acc = arithmetic(Op::Mul, std::move(acc), check(*e.args[i]), e.span);
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
        std::string guess = closest_name(e.text, names);
        std::string help = guess.empty() ? "" : "did you mean `" + guess + "`?";
        if (guess.empty() && c_.units_.find_dimension(e.text))
            help = "`" + e.text + "` is a dimension; values need a unit of it";
        fail(ErrorClass::Name, "unknown name `" + e.text + "`", {{e.span, "not defined"}}, help);
    }
    if (b->kind == Binding::Kind::Function || b->kind == Binding::Kind::Builtin)
        fail(ErrorClass::Type, "`" + e.text + "` is a function; call it", {{e.span, "function"}},
             "write `" + b->signature + "`");
    auto t = node(Op::Global, b->type, e.span);
    t->slot = b->slot;
    return t;
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
    const char* verb = op == Op::Add ? "add" : op == Op::Sub ? "subtract" : op == Op::Mul ? "multiply" : "divide";
    if (a->type.is(Type::Kind::String) && b->type.is(Type::Kind::String) && op == Op::Add)
        fail(ErrorClass::Type, "cannot add strings", {{span, ""}}, "use interpolation: \"{a}{b}\"");
    expect_number(*a, std::string("`") + (op == Op::Add ? "+" : op == Op::Sub ? "-" : op == Op::Mul ? "*" : "/") + "`");
    expect_number(*b, std::string("`") + (op == Op::Add ? "+" : op == Op::Sub ? "-" : op == Op::Mul ? "*" : "/") + "`");
    Type type;
    if (a->type.is(Type::Kind::Any) || b->type.is(Type::Kind::Any)) {
        type = Type::any();
    } else if (op == Op::Add || op == Op::Sub) {
        if (!(a->type.dim == b->type.dim)) {
            if (op == Op::Sub)
                verb = "subtract";
            std::string an = tname(a->type), bn = tname(b->type);
            fail(ErrorClass::Dimension,
                 op == Op::Add ? "cannot add " + an + " and " + bn : "cannot subtract " + bn + " from " + an,
                 {{a->span, an}, {b->span, bn}}, dimension_help(a->type.dim, b->type.dim, units()));
        }
        type = a->type.hint.empty() ? b->type : a->type;
        type.hint.fixed = false;
    } else {
        int sign = op == Op::Mul ? 1 : -1;
        Dim d = op == Op::Mul ? a->type.dim * b->type.dim : a->type.dim / b->type.dim;
        type = Type::number(d, units().multiply(a->type.hint, b->type.hint, sign));
    }
    (void)verb;
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
            fail(ErrorClass::Dimension, "an exponent must be a Scalar, not " + tname(b->type),
                 {{b->span, tname(b->type)}});
        if (a->type.dim.none()) {
            type = Type::number(Dim{}, {});
        } else {
            auto n = constant_value(*b);
            if (!n || *n != std::round(*n) || std::abs(*n) > 64)
                fail(ErrorClass::Dimension, "a " + tname(a->type) + " can only be raised to a constant integer power",
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
                fail(ErrorClass::Dimension, "cannot compare " + tname(ta) + " with " + tname(tb),
                     {{a->span, tname(ta)}, {b->span, tname(tb)}}, dimension_help(ta.dim, tb.dim, units()));
        } else if (ordered || ta.kind != tb.kind || ta.is(Type::Kind::List) || ta.is(Type::Kind::Record)) {
            fail(ErrorClass::Type, "cannot use `" + text + "` on " + tname(ta) + " and " + tname(tb),
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
                std::vector<std::string> names;
                for (size_t i = 0; i < c_.units_.unit_count(); ++i) names.push_back(c_.units_.unit(static_cast<int>(i)).name);
                std::string guess = closest_name(e.text, names);
                fail(ErrorClass::Name, "unknown unit `" + e.text + "`", {{e.span, "not a unit"}},
                     guess.empty() ? "" : "did you mean `" + guess + "`?");
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
                    fail(ErrorClass::Type, "a unit can only be raised to a constant integer power", {{e.args[1]->span, ""}});
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
    fail(ErrorClass::Type, "expected a unit after `->`", {{e.span, "not a unit"}},
         "convert to units such as `GiB`, `day` or `USD/h`");
}

TExprPtr ExprChecker::convert(const ast::Expr& e) {
    TExprPtr value = check(*e.args[0]);
    expect_number(*value, "`->`");
    UnitTerm term = unit_expression(*e.args[1]);
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
        fail(ErrorClass::Dimension,
             "cannot convert " + tname(value->type) + " to " + units().dimension_name(target),
             {{value->span, tname(value->type)}, {e.args[1]->span, units().dimension_name(target)}},
             dimension_help(value->type.dim, target, units()));
    if (value->type.is(Type::Kind::Number)) value->type.hint = merged;
    value->span = e.span;
    return value;
}

TExprPtr ExprChecker::call(const ast::Expr& e) {
    const ast::Expr& callee = *e.args[0];
    if (callee.kind != ast::ExprKind::Name)
        fail(ErrorClass::Type, "only named functions can be called", {{callee.span, "not a function name"}});
    for (auto& l : locals_)
        if (l.name == callee.text)
            fail(ErrorClass::Type, "`" + callee.text + "` is a value, not a function", {{callee.span, tname(l.type)}});
    const Binding* b = c_.lookup_visible(callee.text, visible_, Checker::Want::Callable);
    if (!b) b = c_.lookup_visible(callee.text, visible_);  // a value: reported below
    if (!b) {
        std::vector<std::string> fns;
        for (auto& n : c_.visible_names()) {
            const Binding* x = c_.lookup(n);
            if (x && (x->kind == Binding::Kind::Function || x->kind == Binding::Kind::Builtin)) fns.push_back(n);
        }
        std::string guess = closest_name(callee.text, fns);
        fail(ErrorClass::Name, "unknown function `" + callee.text + "`", {{callee.span, "not defined"}},
             guess.empty() ? "" : "did you mean `" + guess + "`?");
    }
    std::vector<TExprPtr> args;
    for (size_t i = 1; i < e.args.size(); ++i) args.push_back(check(*e.args[i]));
    if (b->kind == Binding::Kind::Value && b->type.is(Type::Kind::Any)) {  // a definition that failed to check
        auto t = node(Op::Call, Type::any(), e.span);
        t->kids = std::move(args);
        return t;
    }
    if (b->kind != Binding::Kind::Function && b->kind != Binding::Kind::Builtin)
        fail(ErrorClass::Type, "`" + callee.text + "` is a value, not a function", {{callee.span, tname(b->type)}});
    if (b->kind == Binding::Kind::Builtin) return call_builtin(*b, e, std::move(args));
    return call_fn(*b, e, std::move(args));
}

TExprPtr ExprChecker::call_builtin(const Binding& b, const ast::Expr& e, std::vector<TExprPtr> args) {
    const Builtin& fn = builtins()[b.slot];
    for (size_t i = 0; i < e.names.size(); ++i)
        if (!e.names[i].empty())
            fail(ErrorClass::Arity, "`" + b.name + "` takes no named arguments", {{e.name_spans[i], ""}},
                 "write `" + std::string(fn.signature) + "`");
    int n = static_cast<int>(args.size());
    if (n < fn.min_args || (fn.max_args >= 0 && n > fn.max_args)) {
        std::string expected = fn.min_args == fn.max_args ? std::to_string(fn.min_args)
                               : fn.max_args < 0         ? "at least " + std::to_string(fn.min_args)
                                                         : fmt::format("{} to {}", fn.min_args, fn.max_args);
        fail(ErrorClass::Arity, fmt::format("`{}` takes {} argument{} but {} {} given", b.name, expected,
                                            expected == "1" ? "" : "s", n, n == 1 ? "was" : "were"),
             {{e.span, ""}}, "write `" + std::string(fn.signature) + "`");
    }
    std::vector<Type> types;
    std::vector<Span> spans;
    bool any = false;
    for (auto& a : args) {
        types.push_back(a->type);
        spans.push_back(a->span);
        any = any || a->type.is(Type::Kind::Any);
    }
    Type result = any ? Type::any() : fn.check(BuiltinCall{types, spans, e.span, units()});
    auto t = node(Op::Builtin, result, e.span);
    t->index = b.slot;
    t->kids = std::move(args);
    return t;
}

TExprPtr ExprChecker::call_fn(const Binding& b, const ast::Expr& e, std::vector<TExprPtr> args) {
    FnDef& fn = c_.fns_[b.slot];
    const auto& params = fn.decl->params;
    std::vector<TExprPtr> bound(params.size());
    size_t positional = 0;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& label = e.names[i];
        size_t target = positional;
        if (label.empty()) {
            if (positional >= params.size())
                fail(ErrorClass::Arity,
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
                fail(ErrorClass::Arity, "`" + b.name + "` has no parameter `" + label + "`", {{e.name_spans[i], "unknown"}},
                     guess.empty() ? "write `" + b.signature + "`" : "did you mean `" + guess + "`?");
            }
        }
        if (bound[target])
            fail(ErrorClass::Arity, "parameter `" + params[target].name + "` of `" + b.name + "` is given twice",
                 {{args[i]->span, "again here"}});
        bound[target] = std::move(args[i]);
    }
    for (size_t p = 0; p < params.size(); ++p) {
        if (bound[p]) continue;
        if (!fn.defaults[p])
            fail(ErrorClass::Arity, "missing argument `" + params[p].name + "` in call to `" + b.name + "`",
                 {{e.span, ""}}, "write `" + b.signature + "`");
        // Defaults are constants of the definition scope: re-check them at the call for a fresh tree.
        int frame = 0;
        ExprChecker sub(c_, fn.visible, frame);
        bound[p] = sub.check(*params[p].default_value);
    }
    std::vector<Type> types;
    bool any = false;
    for (size_t p = 0; p < params.size(); ++p) {
        const Type& want = fn.param_types[p];
        const Type& got = bound[p]->type;
        any = any || got.is(Type::Kind::Any);
        if (!same_type(want, got)) {
            bool dims = want.is(Type::Kind::Number) && got.is(Type::Kind::Number);
            fail(dims ? ErrorClass::Dimension : ErrorClass::Type,
                 "argument `" + params[p].name + "` of `" + b.name + "` must be " + tname(want) + ", not " + tname(got),
                 {{bound[p]->span, tname(got)}}, dims ? dimension_help(got.dim, want.dim, units()) : "");
        }
        types.push_back(got);
    }
    Type result = fn.result_type.value_or(Type::any());
    if (any) {
        auto t = node(Op::Call, result, e.span);
        t->kids = std::move(bound);
        return t;
    }
    std::string key;
    for (auto& t : types) key += type_key(t, units()) + ";";
    FnInstance* inst;
    auto found = fn.by_signature.find(key);
    if (found != fn.by_signature.end()) {
        inst = found->second;
    } else {
        auto instance = std::make_unique<FnInstance>();
        instance->decl = fn.decl;
        instance->params = types;
        int frame = 0;
        ExprChecker body(c_, fn.visible, frame);
        for (size_t p = 0; p < params.size(); ++p) body.add_local(params[p].name, types[p]);
        try {
            instance->body = body.check(*fn.decl->value);
        } catch (DiagnosticError& err) {
            std::string sig;
            for (size_t p = 0; p < types.size(); ++p) sig += (p ? ", " : "") + params[p].name + ": " + tname(types[p]);
            err.diagnostic.notes.push_back("while checking `" + b.name + "(" + sig + ")`");
            err.diagnostic.labels.push_back({e.span, "in this call"});
            throw;
        }
        instance->frame_size = frame;
        instance->result = instance->body->type;
        if (fn.result_type && !same_type(*fn.result_type, instance->result))
            fail(ErrorClass::Dimension,
                 "`" + b.name + "` must return " + tname(*fn.result_type) + ", but its body is " + tname(instance->result),
                 {{fn.decl->value->span, tname(instance->result)}, {e.span, "in this call"}});
        inst = instance.get();
        fn.instances.push_back(std::move(instance));
        fn.by_signature[key] = inst;
    }
    auto t = node(Op::Call, inst->result, e.span);
    t->fn = inst;
    t->kids = std::move(bound);
    return t;
}

TExprPtr ExprChecker::field(const ast::Expr& e) {
    TExprPtr base = check(*e.args[0]);
    if (base->type.is(Type::Kind::Any)) {
        auto t = node(Op::Field, Type::any(), e.span);
        t->kids.push_back(std::move(base));
        return t;
    }
    if (!base->type.is(Type::Kind::Record))
        fail(ErrorClass::Type, "cannot take field `" + e.text + "` of " + tname(base->type),
             {{base->span, tname(base->type)}});
    const RecordType& r = *base->type.record;
    int i = r.find(e.text);
    if (i < 0) {
        std::string guess = closest_name(e.text, r.names);
        std::string fields;
        for (auto& n : r.names) fields += (fields.empty() ? "" : ", ") + n;
        fail(ErrorClass::Name, "no field `" + e.text + "` in this record", {{e.name_spans[0], "unknown field"}},
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
        fail(ErrorClass::Type, "cannot index " + tname(base->type), {{base->span, tname(base->type)}});
    expect_number(*at, "an index");
    if (at->type.is(Type::Kind::Number) && !at->type.dim.none())
        fail(ErrorClass::Dimension, "an index must be a Scalar, not " + tname(at->type), {{at->span, tname(at->type)}});
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
        fail(ErrorClass::Type, "`with` needs a record, not " + tname(base->type), {{base->span, tname(base->type)}});
    auto record = std::make_shared<RecordType>(*base->type.record);
    auto t = node(Op::With, Type{}, e.span);
    t->kids.push_back(std::move(base));
    for (size_t i = 0; i < fields.names.size(); ++i) {
        int at = record->find(fields.names[i]);
        if (at < 0) {
            std::string guess = closest_name(fields.names[i], record->names);
            fail(ErrorClass::Name, "no field `" + fields.names[i] + "` to override", {{fields.name_spans[i], "unknown field"}},
                 guess.empty() ? "`with` changes existing fields; build a new record to add fields"
                               : "did you mean `" + guess + "`?");
        }
        TExprPtr v = check(*fields.args[i]);
        if (!same_type(record->types[at], v->type))
            fail(record->types[at].is(Type::Kind::Number) && v->type.is(Type::Kind::Number) ? ErrorClass::Dimension
                                                                                             : ErrorClass::Type,
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
            fail(ErrorClass::Type, "list items must have one type: " + tname(t->kids[0]->type) + " and " + tname(v->type),
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
        fail(ErrorClass::Type, "`for` needs a list, not " + tname(source->type), {{source->span, tname(source->type)}});
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
    for (auto& a : e.args) {
        TExprPtr v = check(*a);
        expect_number(*v, "a range");
        if (!t->kids.empty() && !same_type(t->kids[0]->type, v->type))
            fail(ErrorClass::Dimension, "range bounds must have one dimension: " + tname(t->kids[0]->type) + " and " + tname(v->type),
                 {{t->kids[0]->span, tname(t->kids[0]->type)}, {v->span, tname(v->type)}});
        t->kids.push_back(std::move(v));
    }
    Type elem = t->kids[0]->type;
    if (t->kids.size() == 2) {
        if (elem.is(Type::Kind::Number) && !elem.dim.none())
            fail(ErrorClass::Dimension, "a range of " + tname(elem) + " needs a step", {{e.span, ""}},
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
            fail(ErrorClass::Name, "field `" + e.names[i] + "` is given twice", {{e.name_spans[i], "again here"}});
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
        fail(dims ? ErrorClass::Dimension : ErrorClass::Type,
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
                fail(ErrorClass::Dimension, "`" + s->name + "` is declared " + tname(want) + " but is " + tname(v->type),
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

// ---------------------------------------------------------------------------------------------
// Statements and scopes

Checker::Checker(UnitTable& units, std::vector<Value>& globals, Evaluator& eval, ModuleLoader loader)
    : units_(units), globals_(globals), eval_(eval), loader_(std::move(loader)) {
    const auto& all = builtins();
    for (size_t i = 0; i < all.size(); ++i) {
        Binding b{all[i].name, Binding::Kind::Builtin, Type::any(), static_cast<int>(i), {}, all[i].doc, all[i].signature};
        by_name_[b.name].push_back(bindings_.size());
        bindings_.push_back(std::move(b));
    }
}

const Binding* Checker::lookup_visible(const std::string& name, size_t visible, Want want) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return nullptr;
    for (auto i = it->second.rbegin(); i != it->second.rend(); ++i) {
        if (*i >= visible) continue;
        const Binding& b = bindings_[*i];
        bool callable = b.kind == Binding::Kind::Function || b.kind == Binding::Kind::Builtin;
        if (want == Want::Any || (want == Want::Callable) == callable) return &b;
    }
    return nullptr;
}

const Binding* Checker::lookup(const std::string& name) const { return lookup_visible(name, bindings_.size()); }

std::vector<std::string> Checker::visible_names() const {
    std::vector<std::string> names;
    for (auto& [n, ids] : by_name_) names.push_back(n);
    return names;
}

std::vector<const Binding*> Checker::user_bindings() const {
    std::vector<const Binding*> out;
    for (size_t i = prelude_end_; i < bindings_.size(); ++i)
        if (lookup(bindings_[i].name) == &bindings_[i]) out.push_back(&bindings_[i]);
    return out;
}

void Checker::bind(Binding b, const Span& at) {
    if (const Binding* old = lookup(b.name)) {
        // A unit may share its name with a builtin function (`min` the minute, `min(a, b)`).
        bool beside_builtin = (old->kind == Binding::Kind::Builtin) != (b.kind == Binding::Kind::Builtin) &&
                              (old->kind == Binding::Kind::Unit || b.kind == Binding::Kind::Unit);
        bool replaceable = beside_builtin || (allow_redefinition_ && (old->kind == Binding::Kind::Value || old->kind == Binding::Kind::Function) &&
                           (b.kind == Binding::Kind::Value || b.kind == Binding::Kind::Function));
        if (!replaceable) {
            Diagnostic d;
            d.kind = ErrorClass::Name;
            d.message = "`" + b.name + "` is already defined";
            d.labels.push_back({at, "defined again here"});
            if (old->span.end > 0) d.labels.push_back({old->span, "first defined here"});
            else d.notes.push_back("`" + b.name + "` is a builtin function");
            d.help = "choose another name";
            throw DiagnosticError{std::move(d)};
        }
    }
    by_name_[b.name].push_back(bindings_.size());
    bindings_.push_back(std::move(b));
}

void Checker::define_value(const std::string& name, const Type& type, Value v) {
    int slot = static_cast<int>(globals_.size());
    globals_.push_back(std::move(v));
    bool allow = allow_redefinition_;
    allow_redefinition_ = true;
    bind({name, Binding::Kind::Value, type, slot, {}, "", ""}, {});
    allow_redefinition_ = allow;
}

Dim Checker::resolve_dimension(const ast::Expr& e) const {
    switch (e.kind) {
        case ast::ExprKind::Name: {
            if (auto d = units_.find_dimension(e.text)) return *d;
            std::string guess = closest_name(e.text, units_.dimension_names());
            fail(ErrorClass::Name, "unknown dimension `" + e.text + "`", {{e.span, "not a dimension"}},
                 guess.empty() ? "dimensions are: " + fmt::format("{}", fmt::join(units_.dimension_names(), ", "))
                               : "did you mean `" + guess + "`?");
        }
        case ast::ExprKind::Number:
            if (e.number == 1) return Dim{};
            break;
        case ast::ExprKind::Binary: {
            Dim a = resolve_dimension(*e.args[0]);
            if (e.text == "*") return a * resolve_dimension(*e.args[1]);
            if (e.text == "/") return a / resolve_dimension(*e.args[1]);
            const ast::Expr& n = *e.args[1];
            bool neg = n.kind == ast::ExprKind::Unary && n.text == "-";
            const ast::Expr& lit = neg ? *n.args[0] : n;
            if (e.text == "^" && lit.kind == ast::ExprKind::Number && lit.number == std::round(lit.number))
                return a.pow(static_cast<int>(neg ? -lit.number : lit.number));
            break;
        }
        default: break;
    }
    fail(ErrorClass::Type, "expected a dimension such as `Data`, `Time` or `Data/Time`", {{e.span, ""}});
}

Type Checker::resolve_type_annotation(const ast::Expr& e) const {
    if (e.kind == ast::ExprKind::Name) {
        if (e.text == "Bool") return Type::boolean();
        if (e.text == "String") return Type::string();
    }
    return Type::number(resolve_dimension(e));
}

void Checker::check_dimension(const ast::Stmt& s) {
    if (units_.find_dimension(s.name))
        fail(ErrorClass::Name, "dimension `" + s.name + "` is already defined", {{s.name_span, "defined again here"}});
    if (s.type) {
        units_.add_derived_dimension(s.name, resolve_dimension(*s.type));
        return;
    }
    if (!units_.add_base_dimension(s.name))
        fail(ErrorClass::Type, fmt::format("too many base dimensions (at most {})", kMaxBaseDimensions),
             {{s.name_span, ""}}, "define it from existing ones: `dimension Energy = Power * Time`");
}

void Checker::check_unit(const ast::Stmt& s) {
    UnitDef def{s.name, Dim{}, 1.0, -1, false, s.autoscale, s.doc};
    UnitTerm hint;
    if (s.value) {
        int frame = 0;
        ExprChecker ec(*this, bindings_.size(), frame);
        TExprPtr v = ec.check(*s.value);
        if (!v->type.is(Type::Kind::Number))
            fail(ErrorClass::Type, "a unit must be a number", {{s.value->span, type_name(v->type, units_)}});
        def.dim = v->type.dim;
        def.factor = eval_.evaluate(*v, frame).num();
        if (s.type) {
            Dim want = resolve_dimension(*s.type);
            if (!(want == def.dim))
                fail(ErrorClass::Dimension,
                     "unit `" + s.name + "` is declared " + units_.dimension_name(want) + " but is " + units_.dimension_name(def.dim),
                     {{s.value->span, units_.dimension_name(def.dim)}, {s.type->span, units_.dimension_name(want)}});
        }
    } else if (s.type) {
        def.dim = resolve_dimension(*s.type);
    }
    if (lookup_visible(s.name, bindings_.size(), Want::Value))
        bind({s.name, Binding::Kind::Unit, Type::any(), -1, s.name_span, "", ""}, s.name_span);  // reports the clash
    int id = units_.add_unit(def);
    for (auto& p : s.prefixes) {
        if (p != "si" && p != "binary")
            fail(ErrorClass::Name, "unknown prefix system `" + p + "`", {{s.span, ""}}, "use `si` or `binary`");
        units_.add_prefixed(id, p);
    }
    for (size_t u = static_cast<size_t>(id); u < units_.unit_count(); ++u) {
        const UnitDef& d = units_.unit(static_cast<int>(u));
        if (lookup_visible(d.name, bindings_.size(), Want::Value) && u != static_cast<size_t>(id))
            continue;  // a prefixed name already taken
        int slot = static_cast<int>(globals_.size());
        globals_.push_back(Value(d.factor));
        std::string doc = d.doc.empty() ? fmt::format("unit of {}: {} {}", units_.dimension_name(d.dim),
                                                      format_number(d.factor, false),
                                                      units_.text(units_.default_term(d.dim)))
                                        : d.doc;
        bind({d.name, Binding::Kind::Unit, Type::number(d.dim, UnitTerm{{{static_cast<int>(u), 1}}}), slot, s.name_span, doc, ""},
             s.name_span);
    }
}

void Checker::check_fn(const ast::Stmt& s) {
    FnDef fn;
    fn.decl = &s;
    fn.visible = bindings_.size();
    std::string signature = s.name + "(";
    for (size_t i = 0; i < s.params.size(); ++i) {
        const ast::Param& p = s.params[i];
        for (size_t j = 0; j < i; ++j)
            if (s.params[j].name == p.name)
                fail(ErrorClass::Name, "parameter `" + p.name + "` is declared twice", {{p.span, "again here"}});
        Type t = p.type ? resolve_type_annotation(*p.type) : Type::any();
        signature += (i ? ", " : "") + p.name;
        if (p.type) signature += ": " + type_name(t, units_);
        TExprPtr def;
        if (p.default_value) {
            int frame = 0;
            ExprChecker ec(*this, fn.visible, frame);
            def = ec.check(*p.default_value);
            if (!same_type(t, def->type))
                fail(ErrorClass::Dimension, "the default of `" + p.name + "` is " + type_name(def->type, units_) +
                                                ", not " + type_name(t, units_),
                     {{p.default_value->span, type_name(def->type, units_)}});
            signature += " = " + std::string(p.default_value->kind == ast::ExprKind::Number ? p.default_value->text : "…");
        }
        fn.param_types.push_back(t);
        fn.defaults.push_back(std::move(def));
    }
    signature += ")";
    if (s.type) {
        fn.result_type = resolve_type_annotation(*s.type);
        signature += ": " + type_name(*fn.result_type, units_);
    }
    // Check the body once with the annotated types (Any where there is none): this finds unknown
    // names and, for annotated parameters, dimension errors before any call.
    int frame = 0;
    ExprChecker ec(*this, fn.visible, frame);
    for (size_t i = 0; i < s.params.size(); ++i) ec.add_local(s.params[i].name, fn.param_types[i]);
    TExprPtr body = ec.check(*s.value);
    if (fn.result_type && !same_type(*fn.result_type, body->type))
        fail(ErrorClass::Dimension,
             "`" + s.name + "` must return " + type_name(*fn.result_type, units_) + ", but its body is " +
                 type_name(body->type, units_),
             {{s.value->span, type_name(body->type, units_)}, {s.type->span, "declared here"}});
    int index = static_cast<int>(fns_.size());
    Binding b{s.name, Binding::Kind::Function, Type::any(), index, s.name_span, s.doc, signature};
    bind(std::move(b), s.name_span);
    fns_.push_back(std::move(fn));
}

CheckedStmt Checker::check(const ast::Stmt& s) {
    CheckedStmt out;
    out.src = &s;
    ExprChecker ec(*this, bindings_.size(), out.frame_size);
    switch (s.kind) {
        case ast::StmtKind::Let: {
            TExprPtr v = ec.check(*s.value);
            if (s.type) {
                Type want = resolve_type_annotation(*s.type);
                if (!same_type(want, v->type))
                    fail(ErrorClass::Dimension,
                         "`" + s.name + "` is declared " + type_name(want, units_) + " but is " + type_name(v->type, units_),
                         {{s.value->span, type_name(v->type, units_)}, {s.type->span, type_name(want, units_)}},
                         dimension_help(v->type.dim, want.dim, units_));
            }
            if (s.keyword != "let" && !v->type.is(Type::Kind::Record))
                fail(ErrorClass::Type, "a `" + s.keyword + "` must be a record, not " + type_name(v->type, units_),
                     {{s.value->span, type_name(v->type, units_)}}, "write `" + s.keyword + " " + s.name + " = { field = value, ... }`");
            if (s.keyword != "let") {
                auto r = std::make_shared<RecordType>(*v->type.record);
                r->keyword = s.keyword;
                v->type.record = r;
            }
            out.kind = CheckedStmt::Kind::Define;
            out.slot = static_cast<int>(globals_.size());
            globals_.emplace_back();
            bind({s.name, Binding::Kind::Value, v->type, out.slot, s.name_span, s.doc, ""}, s.name_span);
            out.exprs.push_back(std::move(v));
            return out;
        }
        case ast::StmtKind::Fn: check_fn(s); return out;
        case ast::StmtKind::Dimension: check_dimension(s); return out;
        case ast::StmtKind::Unit: check_unit(s); return out;
        case ast::StmtKind::Use: loader_.load(s.name, s.name_span); return out;
        case ast::StmtKind::Assert: {
            TExprPtr cond = ec.check(*s.value);
            if (!cond->type.is(Type::Kind::Bool))
                fail(ErrorClass::Type, "`assert` needs a Bool, not " + type_name(cond->type, units_),
                     {{cond->span, type_name(cond->type, units_)}}, "compare two values, e.g. `assert memory <= 80 GB`");
            out.kind = CheckedStmt::Kind::Assert;
            out.exprs.push_back(std::move(cond));
            if (s.message) out.exprs.push_back(ec.check(*s.message));
            return out;
        }
        case ast::StmtKind::Print:
            out.kind = CheckedStmt::Kind::Print;
            for (auto& v : s.values) out.exprs.push_back(ec.check(*v));
            return out;
        case ast::StmtKind::Constraint: {
            TExprPtr cond = ec.check(*s.value);
            if (!cond->type.is(Type::Kind::Bool))
                fail(ErrorClass::Type, "`constraint` needs a Bool, not " + type_name(cond->type, units_),
                     {{cond->span, type_name(cond->type, units_)}}, "compare two values, e.g. `constraint tokens >= 20 * n`");
            out.kind = CheckedStmt::Kind::Constraint;
            out.exprs.push_back(std::move(cond));
            return out;
        }
        case ast::StmtKind::Budget: {
            // Budget quantities with a fixed meaning must be bounded in their own dimension.
            static const std::map<std::string, std::string> known = {
                {"compute", "Compute"}, {"time", "Time"},   {"cost", "Money"},
                {"memory", "Data"},     {"energy", "Energy"}, {"power", "Power"}};
            out.kind = CheckedStmt::Kind::Budget;
            for (size_t i = 0; i < s.items.size(); ++i) {
                const ast::BudgetItem& item = s.items[i];
                for (size_t j = 0; j < i; ++j)
                    if (s.items[j].name == item.name)
                        fail(ErrorClass::Name, "`" + item.name + "` is bounded twice in this budget", {{item.name_span, "again here"}});
                TExprPtr v = ec.check(*item.bound);
                if (!v->type.is(Type::Kind::Number))
                    fail(ErrorClass::Type, "a budget bound must be a number", {{v->span, type_name(v->type, units_)}});
                auto k = known.find(item.name);
                if (k != known.end()) {
                    auto want = units_.find_dimension(k->second);
                    if (want && !(*want == v->type.dim))
                        fail(ErrorClass::Dimension,
                             "a budget on `" + item.name + "` must be " + k->second + ", not " + type_name(v->type, units_),
                             {{item.name_span, k->second}, {v->span, type_name(v->type, units_)}});
                }
                out.exprs.push_back(std::move(v));
            }
            return out;
        }
        case ast::StmtKind::Expression:
            out.kind = CheckedStmt::Kind::Expression;
            out.exprs.push_back(ec.check(*s.value));
            return out;
    }
    return out;
}

Checker::Mark Checker::mark() const { return {bindings_.size(), globals_.size(), fns_.size(), budgets_.size(), units_.mark()}; }

void Checker::rollback(const Mark& m) {
    while (bindings_.size() > m.bindings) {
        auto& ids = by_name_[bindings_.back().name];
        ids.pop_back();
        if (ids.empty()) by_name_.erase(bindings_.back().name);
        bindings_.pop_back();
    }
    globals_.resize(m.globals);
    while (fns_.size() > m.fns) fns_.pop_back();
    budgets_.resize(m.budgets);
    units_.rollback(m.units);
}

}  // namespace plan

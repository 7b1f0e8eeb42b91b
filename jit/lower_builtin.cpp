// The core builtins in a compiled sweep: a table indexed by BuiltinId says how each one is lowered
// when its arguments change within the sweep, and what bounds its result has. A builtin whose
// arguments are all constants (core or native) is evaluated once, by the interpreter, instead.
#include <algorithm>
#include <array>
#include <cmath>

#include "interpreter/builtins.hpp"
#include "jit/lower_expr.hpp"
#include "jit/math_link.hpp"
#include "numeric/math.hpp"

namespace plan::jit {

namespace {

// Where a function of one number is defined; an argument outside raises the error flag.
enum class Domain { All, NonNegative, Positive };

bool inside(const Interval& r, Domain d) {
    switch (d) {
        case Domain::All: return true;
        case Domain::NonNegative: return r.known() && r.lo >= 0;
        case Domain::Positive: return r.known() && r.lo > 0;
    }
    return false;
}

Interval monotonic(const Interval& a, double (*f)(double)) {
    if (!a.known()) return {};
    double x = f(a.lo), y = f(a.hi);
    Interval r{std::min(x, y), std::max(x, y)};
    return std::isnan(r.lo) || std::isnan(r.hi) ? Interval{} : r;
}

template <double (*F)(double)>
Interval monotonic_bounds(const Interval& a) {
    return monotonic(a, F);
}

double sqrt_of(double x) { return std::sqrt(x); }
double floor_of(double x) { return std::floor(x); }
double ceil_of(double x) { return std::ceil(x); }
double round_of(double x) { return std::round(x); }

Interval abs_bounds(const Interval& a) {
    if (!a.known()) return {};
    double far = std::max(std::abs(a.lo), std::abs(a.hi));
    return {a.lo <= 0 && a.hi >= 0 ? 0.0 : std::min(std::abs(a.lo), std::abs(a.hi)), far};
}

struct Lowering {
    enum class Form {
        None,      // not lowered: only with constant arguments (lists in or out, or no value)
        Unary,     // an intrinsic of one number, or a function of numeric/math.hpp
        Extremum,  // min or max of two or more numbers
    } form = Form::None;
    llvm::Intrinsic::ID intrinsic = llvm::Intrinsic::not_intrinsic;  // Unary
    const char* math = nullptr;                                      // Unary, instead of the intrinsic
    Domain domain = Domain::All;                                     // Unary
    Interval (*bounds)(const Interval&) = nullptr;  // Unary: of the result, for an argument inside the domain
    bool may_overflow = false;                      // Unary: flag a result beyond the doubles
    bool maximum = false;                           // Extremum: max, else min
};

constexpr Lowering unary_rule(llvm::Intrinsic::ID id, Domain d, Interval (*bounds)(const Interval&)) {
    return {Lowering::Form::Unary, id, nullptr, d, bounds, false, false};
}

// The transcendental functions: the same code as the interpreter's (numeric/math.hpp).
constexpr Lowering math_rule(const char* name, Domain d, Interval (*bounds)(const Interval&), bool may_overflow = false) {
    return {Lowering::Form::Unary, llvm::Intrinsic::not_intrinsic, name, d, bounds, may_overflow, false};
}

constexpr Lowering extremum_rule(bool maximum) {
    return {Lowering::Form::Extremum, llvm::Intrinsic::not_intrinsic, nullptr, Domain::All, nullptr, false, maximum};
}

// No default: an id without a rule is a compiler warning (-Wswitch).
constexpr Lowering rule_of(BuiltinId id) {
    namespace I = llvm::Intrinsic;
    switch (id) {
        case BuiltinId::Sqrt: return unary_rule(I::sqrt, Domain::NonNegative, monotonic_bounds<sqrt_of>);
        case BuiltinId::Exp: return math_rule("plan_exp", Domain::All, monotonic_bounds<plan_exp>, true);
        case BuiltinId::Log: return math_rule("plan_log", Domain::Positive, monotonic_bounds<plan_log>);
        case BuiltinId::Log2: return math_rule("plan_log2", Domain::Positive, monotonic_bounds<plan_log2>);
        case BuiltinId::Log10: return math_rule("plan_log10", Domain::Positive, monotonic_bounds<plan_log10>);
        case BuiltinId::Abs: return unary_rule(I::fabs, Domain::All, abs_bounds);
        case BuiltinId::Floor: return unary_rule(I::floor, Domain::All, monotonic_bounds<floor_of>);
        case BuiltinId::Ceil: return unary_rule(I::ceil, Domain::All, monotonic_bounds<ceil_of>);
        case BuiltinId::Round: return unary_rule(I::round, Domain::All, monotonic_bounds<round_of>);
        case BuiltinId::Min: return extremum_rule(false);
        case BuiltinId::Max: return extremum_rule(true);
        // divisors(n) of an axis that changes is an axis list of its own (jit/axis_lists.cpp).
        case BuiltinId::Sum: case BuiltinId::Mean: case BuiltinId::Error: case BuiltinId::Divisors: case BuiltinId::Len:
        case BuiltinId::Require:  // lowered by ExprLowering::builtin itself: a flag
            return {};
    }
    return {};
}

constexpr std::array<Lowering, kCoreBuiltins> kLowerings = [] {
    std::array<Lowering, kCoreBuiltins> table{};
    for (size_t i = 0; i < kCoreBuiltins; ++i) table[i] = rule_of(static_cast<BuiltinId>(i));
    return table;
}();

}  // namespace

LV ExprLowering::builtin(const TExpr& e) {
    const Builtin& bi = *e.native;
    if (core_builtin(e.index) == BuiltinId::Require) {
        // A false condition flags the point and the interpreter's replay reports it, message
        // and all: the message itself is never needed here.
        LV holds = lower(*e.kids[0]);
        flag(holds.k == LV::K::Const ? (holds.c.truth() ? b_.getFalse() : b_.getTrue()) : b_.CreateNot(scalar(holds, e.kids[0].get())));
        return LV::constant(Value(true));
    }
    std::vector<LV> args;
    for (auto& k : e.kids) args.push_back(lower(*k));
    bool all_const = std::all_of(args.begin(), args.end(), [](const LV& a) { return a.k == LV::K::Const; });
    if (all_const) {  // e.g. a native of a constant record passed through a function
        std::vector<Value> values;
        for (auto& a : args) values.push_back(a.c);
        try {
            return LV::constant(bi.eval(values, CallSite{e.span, "", &e.type}));
        } catch (const DiagnosticError&) {
            flag(b_.getTrue());
            return dummy(e.type);
        }
    }
    std::optional<BuiltinId> id = core_builtin(e.index);
    const Lowering rule = id ? kLowerings[static_cast<size_t>(*id)] : Lowering{};
    auto x = [&](size_t i) { return scalar(args[i], e.kids[i].get()); };
    switch (rule.form) {
        case Lowering::Form::Unary: {
            if (args.size() != 1 || !e.kids[0]->type.is(Type::Kind::Number)) break;
            llvm::Value* a = x(0);
            Interval ra = range_of(args[0]);
            bool in_domain = inside(ra, rule.domain);
            if (rule.domain == Domain::NonNegative && !in_domain) flag(b_.CreateFCmpOLT(a, f64(0)));
            if (rule.domain == Domain::Positive && !in_domain) flag(b_.CreateFCmpOLE(a, f64(0)));
            llvm::Value* v = rule.math ? math_call(m_, b_, rule.math, {a}) : unary(rule.intrinsic, a);
            Interval r = in_domain ? rule.bounds(ra) : Interval{};
            if (rule.may_overflow && !r.tame()) {
                flag_not_finite(v);
                r = {};
            }
            return LV::scalar(v, r);
        }
        case Lowering::Form::Extremum: {
            if (args.size() < 2) break;
            // As std::min_element / max_element: the first of equal extremes.
            llvm::Value* m = x(0);
            Interval r = range_of(args[0]);
            for (size_t i = 1; i < args.size(); ++i) {
                llvm::Value* v = x(i);
                m = b_.CreateSelect(rule.maximum ? b_.CreateFCmpOLT(m, v) : b_.CreateFCmpOLT(v, m), v, m);
                Interval ri = range_of(args[i]);
                auto pick = [&](double p, double q) { return rule.maximum ? std::max(p, q) : std::min(p, q); };
                r = r.known() && ri.known() ? Interval{pick(r.lo, ri.lo), pick(r.hi, ri.hi)} : Interval{};
            }
            return LV::scalar(m, r);
        }
        case Lowering::Form::None: break;
    }
    throw Unsupported{"`" + std::string(bi.name) + "` of values that change within the sweep", e.span};
}

}  // namespace plan::jit

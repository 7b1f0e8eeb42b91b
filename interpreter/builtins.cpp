#include "interpreter/builtins.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "interpreter/checked.hpp"
#include "numeric/math.hpp"


namespace plan {

namespace {

[[noreturn]] void fail(Code code, std::string message, Span at, std::string label, std::string help = {}) {
    builtin_fail(code, std::move(message), at, std::move(label), std::move(help));
}

std::string name_of(const BuiltinCall& c, size_t i) { return type_name(c.args[i], c.units); }

const Type& number_arg(const BuiltinCall& c, size_t i, const char* fn) {
    if (!c.args[i].is(Type::Kind::Number))
        fail(Code::NeedsNumber, fmt::format("`{}` needs a number, not {}", fn, name_of(c, i)), c.arg_spans[i], name_of(c, i));
    return c.args[i];
}

Type scalar_fn(const BuiltinCall& c, const char* fn) {
    const Type& t = number_arg(c, 0, fn);
    if (!t.dim.none())
        fail(Code::NeedsScalar, fmt::format("`{}` needs a Scalar, not {}", fn, name_of(c, 0)), c.arg_spans[0],
             name_of(c, 0), fmt::format("divide by a unit first, e.g. `{}(x / GB)`", fn));
    return Type::number(Dim{});
}

Type same_dim_fn(const BuiltinCall& c, const char* fn) {
    Type t = number_arg(c, 0, fn);
    t.hint.fixed = false;
    t.hint.exact = false;
    return t;
}

// min, max: several numbers of one dimension, or one list of them.
Type extremum(const BuiltinCall& c, const char* fn) {
    if (c.args.size() == 1) {
        if (!c.args[0].is(Type::Kind::List) || !c.args[0].elem->is(Type::Kind::Number))
            fail(Code::NotAList, fmt::format("`{}` of one argument needs a list of numbers, not {}", fn, name_of(c, 0)),
                 c.arg_spans[0], name_of(c, 0));
        return *c.args[0].elem;
    }
    for (size_t i = 0; i < c.args.size(); ++i) {
        number_arg(c, i, fn);
        if (!(c.args[i].dim == c.args[0].dim))
            fail(Code::MixedDimensions,
                 fmt::format("`{}` needs arguments of one dimension: {} and {}", fn, name_of(c, 0), name_of(c, i)),
                 c.arg_spans[i], name_of(c, i));
    }
    return c.args[0];
}

Type list_of_numbers(const BuiltinCall& c, const char* fn) {
    if (!c.args[0].is(Type::Kind::List) || !c.args[0].elem->is(Type::Kind::Number))
        fail(Code::NotAList, fmt::format("`{}` needs a list of numbers, not {}", fn, name_of(c, 0)), c.arg_spans[0],
             name_of(c, 0));
    return *c.args[0].elem;
}

double checked(double r, Span at, const char* what) {
    if (!std::isfinite(r))
        fail(Code::NotFinite, fmt::format("{} is not a finite number", what), at, "");
    return r;
}

Value log_of(const std::vector<Value>& a, Span at, double (*f)(double), const char* fn) {
    double x = a[0].num();
    if (x <= 0)
        fail(Code::MathDomain, fmt::format("`{}` of {}: the logarithm needs a positive number", fn, format_number(x, false)),
             at, "", "");
    return Value(f(x));
}

const std::vector<double>& nums(const Value& list, std::vector<double>& out) {
    for (auto& v : list.list().items) out.push_back(v.num());
    return out;
}

Value extremum_eval(const std::vector<Value>& a, Span at, bool want_max) {
    std::vector<double> xs;
    if (a.size() == 1)
        nums(a[0], xs);
    else
        for (auto& v : a) xs.push_back(v.num());
    if (xs.empty()) fail(Code::EmptyList, want_max ? "`max` of an empty list" : "`min` of an empty list", at, "");
    return Value(want_max ? *std::max_element(xs.begin(), xs.end()) : *std::min_element(xs.begin(), xs.end()));
}

}  // namespace

const Type& CallSite::arg_type(size_t i) const { return expr->kids.at(i)->type; }
Span CallSite::arg_span(size_t i) const { return expr && i < expr->kids.size() ? expr->kids[i]->span : span; }

const files::FileAccess& CallSite::access() const {
    static const files::FileAccess unrestricted;
    return files ? *files : unrestricted;
}

void file_fail(const files::FileError& e, Span at, std::string label, bool writing) {
    using Kind = files::FileError::Kind;
    switch (e.kind) {
        case Kind::NotAllowed:
            builtin_fail(Code::PathNotAllowed, e.what(), at, std::move(label),
                         writing ? "`plan run --allow-write DIR` lets a script write inside DIR"
                                 : "`plan run --allow-read DIR` lets a script read inside DIR");
        case Kind::TooLarge: builtin_fail(Code::FileTooLarge, e.what(), at, std::move(label));
        case Kind::Missing:
        case Kind::NotRegular:
        case Kind::Unreadable:
        case Kind::WriteFailed:
            builtin_fail(writing ? Code::CannotWrite : Code::CannotRead, e.what(), at, std::move(label),
                         "a relative path is found beside the file that names it");
    }
    builtin_fail(writing ? Code::CannotWrite : Code::CannotRead, e.what(), at, std::move(label));
}

void builtin_fail(Code code, std::string message, Span at, std::string label, std::string help) {
    Diagnostic d(code);
    d.message = std::move(message);
    d.labels.push_back({at, std::move(label)});
    d.help = std::move(help);
    throw DiagnosticError{std::move(d)};
}

// One entry per id: the switch has no default, so a new id without an entry is a compiler warning
// (-Wswitch), and every id is placed at its own index below.
static Builtin core_entry(BuiltinId id) {
    switch (id) {
        case BuiltinId::Sqrt:
            return {"sqrt", "sqrt(x)", "Square root; halves the dimension's exponents (sqrt(4 B^2) = 2 B).", 1, 1,
                    [](const BuiltinCall& c) {
                        const Type& t = number_arg(c, 0, "sqrt");
                        auto d = t.dim.root(2);
                        if (!d)
                            fail(Code::SqrtDimension, fmt::format("`sqrt` of {} has no dimension", name_of(c, 0)), c.arg_spans[0],
                                 name_of(c, 0), "only dimensions with even exponents have square roots, e.g. Data^2");
                        return Type::number(*d);
                    },
                    [](const std::vector<Value>& a, const CallSite& at) {
                        if (a[0].num() < 0)
                            fail(Code::MathDomain, fmt::format("`sqrt` of a negative number ({})", format_number(a[0].num(), false)), at, "");
                        return Value(std::sqrt(a[0].num()));
                    }};
        case BuiltinId::Exp:
            return {"exp", "exp(x)", "e raised to a Scalar.", 1, 1,
                    [](const BuiltinCall& c) { return scalar_fn(c, "exp"); },
                    [](const std::vector<Value>& a, const CallSite& at) { return Value(checked(plan_exp(a[0].num()), at, "`exp` of this")); }};
        case BuiltinId::Log:
            return {"log", "log(x)", "Natural logarithm of a positive Scalar.", 1, 1,
                    [](const BuiltinCall& c) { return scalar_fn(c, "log"); },
                    [](const std::vector<Value>& a, const CallSite& at) { return log_of(a, at, plan_log, "log"); }};
        case BuiltinId::Log2:
            return {"log2", "log2(x)", "Base-2 logarithm of a positive Scalar.", 1, 1,
                    [](const BuiltinCall& c) { return scalar_fn(c, "log2"); },
                    [](const std::vector<Value>& a, const CallSite& at) { return log_of(a, at, plan_log2, "log2"); }};
        case BuiltinId::Log10:
            return {"log10", "log10(x)", "Base-10 logarithm of a positive Scalar.", 1, 1,
                    [](const BuiltinCall& c) { return scalar_fn(c, "log10"); },
                    [](const std::vector<Value>& a, const CallSite& at) { return log_of(a, at, plan_log10, "log10"); }};
        case BuiltinId::Abs:
            return {"abs", "abs(x)", "Absolute value, in the dimension of x.", 1, 1,
                    [](const BuiltinCall& c) { return same_dim_fn(c, "abs"); },
                    [](const std::vector<Value>& a, const CallSite&) { return Value(std::abs(a[0].num())); }};
        case BuiltinId::Floor:
            return {"floor", "floor(x)", "Largest integer not above a Scalar.", 1, 1,
                    [](const BuiltinCall& c) { return scalar_fn(c, "floor"); },
                    [](const std::vector<Value>& a, const CallSite&) { return Value(std::floor(a[0].num())); }};
        case BuiltinId::Ceil:
            return {"ceil", "ceil(x)", "Smallest integer not below a Scalar.", 1, 1,
                    [](const BuiltinCall& c) { return scalar_fn(c, "ceil"); },
                    [](const std::vector<Value>& a, const CallSite&) { return Value(std::ceil(a[0].num())); }};
        case BuiltinId::Round:
            return {"round", "round(x)", "Nearest integer to a Scalar (halves away from zero).", 1, 1,
                    [](const BuiltinCall& c) { return scalar_fn(c, "round"); },
                    [](const std::vector<Value>& a, const CallSite&) { return Value(std::round(a[0].num())); }};
        case BuiltinId::Min:
            return {"min", "min(a, b, ...) or min(list)", "Smallest of numbers of one dimension.", 1, -1,
                    [](const BuiltinCall& c) { return extremum(c, "min"); },
                    [](const std::vector<Value>& a, const CallSite& at) { return extremum_eval(a, at, false); }};
        case BuiltinId::Max:
            return {"max", "max(a, b, ...) or max(list)", "Largest of numbers of one dimension.", 1, -1,
                    [](const BuiltinCall& c) { return extremum(c, "max"); },
                    [](const std::vector<Value>& a, const CallSite& at) { return extremum_eval(a, at, true); }};
        case BuiltinId::Sum:
            return {"sum", "sum(list)", "Sum of a list of numbers of one dimension (0 for an empty list).", 1, 1,
                    [](const BuiltinCall& c) { return list_of_numbers(c, "sum"); },
                    [](const std::vector<Value>& a, const CallSite& at) {
                        std::vector<double> xs;
                        nums(a[0], xs);
                        return Value(checked(std::accumulate(xs.begin(), xs.end(), 0.0), at, "the sum"));
                    }};
        case BuiltinId::Mean:
            return {"mean", "mean(list)", "Arithmetic mean of a non-empty list of numbers.", 1, 1,
                    [](const BuiltinCall& c) { return list_of_numbers(c, "mean"); },
                    [](const std::vector<Value>& a, const CallSite& at) {
                        std::vector<double> xs;
                        nums(a[0], xs);
                        if (xs.empty()) fail(Code::EmptyList, "`mean` of an empty list", at, "");
                        return Value(checked(std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size()), at, "the mean"));
                    }};
        case BuiltinId::Error:
            return {"error", "error(message)",
                    "Stops with a runtime error saying `message`, e.g. `if ok then x else error(\"unknown optimizer\")`. Its type fits "
                    "any place, so it can stand in either branch of an `if`.",
                    1, 1,
                    [](const BuiltinCall& c) {
                        if (!c.args[0].is(Type::Kind::String))
                            fail(Code::NeedsString, "`error` needs a String message, not " + name_of(c, 0), c.arg_spans[0], name_of(c, 0));
                        return Type::any();
                    },
                    [](const std::vector<Value>& a, const CallSite& at) -> Value { fail(Code::UserError, a[0].str(), at, ""); }};
        case BuiltinId::Divisors:
            return {"divisors", "divisors(n)",
                    "The divisors of a whole number n from 1 to 1e12, ascending: divisors(12) = [1, 2, 3, 4, 6, 12]. For axes "
                    "that depend on earlier ones, e.g. `tp in divisors(gpus)`.",
                    1, 1, [](const BuiltinCall& c) { return Type::list(scalar_fn(c, "divisors")); },
                    [](const std::vector<Value>& a, const CallSite& at) {
                        double n = a[0].num();
                        if (!(n >= 1 && n <= kMaxDivisorsOf && n == std::floor(n)))
                            fail(Code::ValueOutOfRange, fmt::format("`divisors` needs a whole number from 1 to 1e12, not {}", format_number(n, false)),
                                 at, "");
                        // Pairs (k, n / k) for k up to sqrt(n): the small ones ascending, then the large ones.
                        std::vector<Value> low, high;
                        for (double k = 1; k * k <= n; ++k) {
                            if (std::fmod(n, k) != 0) continue;
                            low.push_back(Value(k));
                            if (k * k != n) high.push_back(Value(n / k));
                        }
                        low.insert(low.end(), high.rbegin(), high.rend());
                        return make_list(std::move(low));
                    }};
        case BuiltinId::Len:
            return {"len", "len(list)", "Number of items in a list.", 1, 1,
                    [](const BuiltinCall& c) {
                        if (!c.args[0].is(Type::Kind::List))
                            fail(Code::NotAList, "`len` needs a list, not " + name_of(c, 0), c.arg_spans[0], name_of(c, 0));
                        return Type::number(Dim{});
                    },
                    [](const std::vector<Value>& a, const CallSite&) { return Value(static_cast<double>(a[0].list().items.size())); }};
        case BuiltinId::Require:
            // The evaluator moves the error from here to the call in the user's code, under the
            // arguments the condition reads (Evaluator::call).
            return {"require", "require(condition, message)",
                    "true when `condition` holds; otherwise a runtime error saying `message`, reported at the call in the "
                    "user's code under the arguments the condition uses. For what a function's arguments must satisfy: "
                    "`let ok = require(m.heads / tp == floor(m.heads / tp), \"tp must divide the heads\")`.",
                    2, 2,
                    [](const BuiltinCall& c) {
                        if (!c.args[0].is(Type::Kind::Bool))
                            fail(Code::NeedsBool, "`require` needs a Bool condition, not " + name_of(c, 0), c.arg_spans[0], name_of(c, 0));
                        if (!c.args[1].is(Type::Kind::String))
                            fail(Code::NeedsString, "`require` needs a String message, not " + name_of(c, 1), c.arg_spans[1], name_of(c, 1));
                        return Type::boolean();
                    },
                    [](const std::vector<Value>& a, const CallSite& at) -> Value {
                        if (!a[0].truth()) fail(Code::RequirementFailed, a[1].str(), at, "");
                        return Value(true);
                    }};
    }
    throw std::logic_error("a builtin id without an entry");
}

static std::vector<Builtin> core_builtins() {
    std::vector<Builtin> all;
    for (size_t i = 0; i < kCoreBuiltins; ++i) all.push_back(core_entry(static_cast<BuiltinId>(i)));
    return all;
}

static std::vector<Builtin>& registry() {
    static std::vector<Builtin> all = core_builtins();
    return all;
}

const std::vector<Builtin>& builtins() { return registry(); }

const Builtin& builtin(BuiltinId id) { return registry()[static_cast<size_t>(id)]; }

std::optional<BuiltinId> core_builtin(int index) {
    if (index < 0 || static_cast<size_t>(index) >= kCoreBuiltins) return std::nullopt;
    return static_cast<BuiltinId>(index);
}

void install_natives(const std::vector<Builtin>& natives) {
    auto& all = registry();
    for (const Builtin& b : natives)
        if (std::none_of(all.begin(), all.end(), [&](const Builtin& a) { return a.name == b.name; }))
            all.push_back(b);
}

}  // namespace plan

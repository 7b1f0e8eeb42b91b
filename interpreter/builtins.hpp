// Native functions: the math plan cannot express in itself. Each has a dimension rule
// (checked statically) and an implementation (which reports domain errors at the call).
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "files/file_access.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/types.hpp"
#include "interpreter/value.hpp"

namespace plan {

struct TExpr;

struct BuiltinCall {
    const std::vector<Type>& args;
    const std::vector<Span>& arg_spans;
    Span call;
    const UnitTable& units;
};

// Where a builtin is called from: the span to report errors at, and the file it is in (files
// named by a relative path are found beside it).
struct CallSite {
    Span span;
    std::string_view file;
    // The checked type of the call: a native that fills a record of a plan-defined type (hf_read)
    // learns the field names here.
    const Type* result = nullptr;
    // The innermost call in the user's code that led here (the call itself outside the stdlib):
    // where a native reading a file the user named reports, and finds relative paths beside.
    Span origin = span;
    std::string_view origin_file = file;
    // The session's sandbox: every file a native reads or writes goes through it.
    const files::FileAccess* files = nullptr;
    const files::FileAccess& access() const;
    // The checked call and the session's units, where the evaluator runs it: a native whose result
    // depends on its arguments' static types (plot labels its axes with their units) reads them
    // here. Null when the JIT folds a call of constants, which such a native never is.
    const TExpr* expr = nullptr;
    const UnitTable* units = nullptr;
    const Type& arg_type(size_t i) const;  // needs `expr`
    Span arg_span(size_t i) const;         // the call's span without `expr`
    operator Span() const { return span; }
};

// A function written in C++: a core builtin, a stdlib native (installed for every session) or a
// host's function (one session's: interpreter/host.cpp). The check and the evaluation may hold
// state (a host's closure). A checked call points at its Builtin (TExpr::native), which outlives
// every checked tree that reads it.
struct Builtin {
    std::string name;
    std::string signature;
    std::string doc;
    int min_args, max_args;  // max -1: any number
    std::function<Type(const BuiltinCall& c)> check;  // throws DiagnosticError
    std::function<Value(const std::vector<Value>& args, const CallSite& call)> eval;
};

// `divisors(n)` takes n up to this (its loop runs to sqrt(n)); the JIT's lowering checks the same.
constexpr double kMaxDivisorsOf = 1e12;

// The core math builtins, by id: the id is the builtin's index in builtins(), which the checker
// binds calls by (Op::Builtin's index) and the JIT lowers them by (jit/lower_builtin.cpp).
enum class BuiltinId { Sqrt, Exp, Log, Log2, Log10, Abs, Floor, Ceil, Round, Min, Max, Sum, Mean, Error, Divisors, Len, Require };
constexpr size_t kCoreBuiltins = static_cast<size_t>(BuiltinId::Require) + 1;

// The id of the builtin at `index` of builtins(); none for a native.
std::optional<BuiltinId> core_builtin(int index);

// The core math builtins in the order of their ids, then the natives that layers above the core
// installed (stdlib/native/), which are known by name only.
const std::vector<Builtin>& builtins();
const Builtin& builtin(BuiltinId id);
// Appends natives to builtins() (a name already there is skipped). Called once at start-up,
// before the first session is made (libplan does it: embed/install.cpp); never while sessions run.
void install_natives(const std::vector<Builtin>& natives);

// Shared by natives: raise a diagnostic at a span.
[[noreturn]] void builtin_fail(Code code, std::string message, Span at, std::string label, std::string help = {});
// A file the native read or wrote for the user failed (files::FileAccess): the diagnostic of its
// kind (outside the sandbox, too large, unreadable, unwritable) at `at`.
[[noreturn]] void file_fail(const files::FileError& e, Span at, std::string label, bool writing);

}  // namespace plan

// The tree-walking evaluator: runs checked expressions. It is the reference backend that the
// JIT is tested against.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "grammar/codes.hpp"
#include "grammar/source.hpp"
#include "interpreter/builtins.hpp"
#include "interpreter/checked.hpp"
#include "interpreter/units.hpp"

namespace plan {

// The value a host's cancel stores in its session's stop word (SweepHost::halt). The evaluator
// looks for it at each function call and comprehension item, so that any long evaluation stops,
// not only a sweep.
inline constexpr int32_t kCancelWord = 3;

class Evaluator {
public:
    Evaluator(const UnitTable& units, std::vector<Value>& globals, const SourceMap* sources = nullptr,
              const files::FileAccess* files = nullptr)
        : units_(units), globals_(globals), sources_(sources), files_(files) {}

    // Evaluates a top-level expression whose comprehensions and blocks use `frame_size` locals.
    Value evaluate(const TExpr& e, int frame_size);
    Value eval(const TExpr& e, std::vector<Value>& frame);

    // The text `print` and the REPL show for a value.
    std::string show(const Value& v, const Type& t) const;

    // What the files this evaluation reads and writes go through (unrestricted when none was given).
    const files::FileAccess& files() const;

    // The word a host's cancel sets (null: nothing cancels this evaluator, as on a sweep's
    // threads, which the sweep's own kernels stop). A cancel seen is consumed: the word goes back
    // to 0 and the evaluation ends with E0562 at the call or comprehension it reached.
    void cancel_on(std::atomic<int32_t>* word) { cancel_word_ = word; }

private:
    Value call(const TExpr& e, std::vector<Value>& frame);
    [[noreturn]] void reject_argument(const TExpr& call, size_t param, const RuleViolation& bad);
    void blame_caller(DiagnosticError& err, const TExpr& call);
    std::string checked_by(const std::string& fn, const Span& at) const;
    CallSite call_site(const TExpr& builtin) const;
    bool in_stdlib(const Span& s) const;
    Value range(const TExpr& e, std::vector<Value>& frame);
    double arithmetic(const TExpr& e, double a, double b) const;
    void stop_if_cancelled(const Span& at);

    const UnitTable& units_;
    std::vector<Value>& globals_;
    const SourceMap* sources_;  // names the file of a builtin's call site
    const files::FileAccess* files_;
    std::atomic<int32_t>* cancel_word_ = nullptr;
    std::vector<Span> calls_;   // the calls of plan functions being evaluated, outermost first
    std::vector<const FnInstance*> active_;  // the functions of those calls
    // While an argument that a function rejects (E0526, E0527) travels out to the call in the
    // user's code: the parameters of the function being left that the bad value came from.
    std::optional<std::vector<int>> blame_;
    std::string blame_note_;  // where the check that failed is: "checked by `f` at FILE:LINE:COL"
};

// Runtime errors: the code, the expression to point at, the message.
[[noreturn]] void runtime_error(Code code, const Span& at, std::string message, std::string help = {});

}  // namespace plan

// The tree-walking evaluator: runs checked expressions. It is the reference backend that the
// JIT is tested against.
#pragma once
#include <vector>

#include "grammar/codes.hpp"
#include "grammar/source.hpp"
#include "interpreter/builtins.hpp"
#include "interpreter/checked.hpp"
#include "interpreter/units.hpp"

namespace plan {

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

private:
    Value call(const TExpr& e, std::vector<Value>& frame);
    CallSite call_site(const TExpr& builtin) const;
    bool in_stdlib(const Span& s) const;
    Value range(const TExpr& e, std::vector<Value>& frame);
    double arithmetic(const TExpr& e, double a, double b) const;

    const UnitTable& units_;
    std::vector<Value>& globals_;
    const SourceMap* sources_;  // names the file of a builtin's call site
    const files::FileAccess* files_;
    std::vector<Span> calls_;   // the calls of plan functions being evaluated, outermost first
};

// Runtime errors: the code, the expression to point at, the message.
[[noreturn]] void runtime_error(Code code, const Span& at, std::string message, std::string help = {});

}  // namespace plan

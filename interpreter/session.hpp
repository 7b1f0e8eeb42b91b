// The core of a session: parse → check → run over one shared state (sources, units, globals,
// definitions). libplan's public plan::Session (embed/) wraps it; it needs no LLVM, BLAS or
// SQLite. Sweeps are run by whatever the layer above installs as the sweep runner.
#pragma once
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/evaluator.hpp"
#include "plan/plan.hpp"

namespace plan {

// Runs a checked sweep and prints its reports to `out` (report files go relative to `dir`).
using SweepRunner = std::function<void(const CheckedSweep& sweep, Evaluator& eval, const UnitTable& units, std::ostream& out,
                                       const std::string& dir, const SessionOptions& options)>;

class CoreSession {
public:
    // Without a sweep runner, a sweep statement is a runtime error.
    CoreSession(SessionOptions options, SweepRunner sweeps = {});

    Result run(std::string name, std::string text, Mode mode, bool nested = false);
    Result run_file(const std::string& path, Mode mode);
    Result type_of(std::string_view expression);
    std::vector<std::string> completions(std::string_view prefix) const;
    std::vector<std::string> fields_of(std::string_view name) const;
    std::string help(std::string_view name) const;
    std::vector<std::string> definitions() const;

private:
    std::ostream& out() const;
    Message message(const Diagnostic& d) const;
    void load(const std::string& name, Span at);
    std::string show_condition_values(const TExpr& cond, std::vector<Value>& frame);
    void execute(const CheckedStmt& s, Mode mode, Result& result);

    SessionOptions options_;
    SweepRunner sweeps_;
    SourceMap sources_;
    UnitTable units_;
    std::vector<Value> globals_;
    Evaluator eval_{units_, globals_, &sources_};
    Checker checker_;
    std::vector<std::unique_ptr<ast::Module>> modules_;
    std::set<std::string> loaded_;
    std::vector<std::filesystem::path> dirs_{std::filesystem::current_path()};
};

}  // namespace plan

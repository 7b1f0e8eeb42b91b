// The core of a session: parse → resolve → check → run over one shared state (sources, units,
// globals, definitions). libplan's public plan::Session (embed/) wraps it; it needs no LLVM, BLAS
// or SQLite. Sweeps are run by whatever the layer above installs as the sweep runner.
#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "files/file_access.hpp"
#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/builtins.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/evaluator.hpp"
#include "interpreter/resolver.hpp"
#include "plan/plan.hpp"

namespace plan {

// What a session's sweeps share with their runner: the word that stops a running sweep's
// kernels, which the host sets from any thread (Session::cancel), and where each report's rows go.
struct SweepHost {
    static constexpr int32_t kInterrupt = 1, kFailed = 2, kCancel = kCancelWord;  // the values of `halt`
    std::atomic<int32_t> halt{0};
    // Each row of each report once the ranges are merged, report by report, each in its order:
    // the report's index in sweep.reports and the row's columns (sweep.columns) as values.
    std::function<void(const CheckedSweep& sweep, size_t report, std::vector<Value> row)> row;
};

// Runs a checked sweep and prints its reports to `out` (report files go relative to `dir`).
using SweepRunner = std::function<Value(const CheckedSweep& sweep, Evaluator& eval, const UnitTable& units, std::ostream& out,
                                       const std::string& dir, const SessionOptions& options, SweepHost& host)>;

class CoreSession {
public:
    // Without a sweep runner, a sweep statement is a runtime error.
    CoreSession(SessionOptions options, SweepRunner sweeps = {});

    Result run(std::string name, std::string text, Mode mode);
    Result run_file(const std::string& path, Mode mode);
    Result type_of(std::string_view expression);
    // Names and library names not loaded yet; the next two load a library name's module to describe it.
    std::vector<std::string> completions(std::string_view prefix);
    std::vector<std::string> fields_of(std::string_view name);
    std::string help(std::string_view name);
    std::vector<std::string> parameters_of(std::string_view name);
    bool is_function(std::string_view name);
    std::vector<std::string> definitions() const;

    // The embedding API's values (interpreter/host.cpp): bindings from the host, calls of plan
    // functions, expressions checked once and evaluated many times.
    Result set(const std::string& name, const HostValue& value);
    Result call(const std::string& function, const std::vector<HostValue>& args,
                const std::vector<std::pair<std::string, HostValue>>& named);
    struct Prepared;
    // Throws plan::Error when the expression or a parameter does not check.
    std::unique_ptr<Prepared> prepare(const std::string& expression, const std::vector<std::pair<std::string, HostValue>>& parameters);
    HostValue evaluate(Prepared& p, const std::vector<HostValue>& values);
    double number(Prepared& p, const double* si_values, size_t count);
    HostValue to_host(const Value& v, const Type& t, bool top) const;
    // Stops the evaluation or sweep running now, or the next one to start (thread-safe).
    void cancel() { sweep_host_.halt.store(SweepHost::kCancel); }
    // A host's function (interpreter/host_functions.cpp).
    Result define_function(const std::string& signature, const std::string& doc, HostFunction function);

private:
    std::string signature_with_defaults(const Binding& b) const;
    // Code to check and run: a module the program needs, or the program itself.
    struct Unit {
        const ast::Module* ast;
        Layer layer;
        std::filesystem::path dir;  // where its sweeps write report files
        std::vector<Label> via;     // why it is loaded: notes on its errors
    };
    // A program checked with its modules, ready to run: the modules in order, the program last.
    struct Checked {
        std::vector<Unit> units;
        std::vector<std::vector<CheckedStmt>> stmts;  // per unit
        std::vector<std::string> keys;               // of the modules, loaded once they have run
    };
    // Where a program comes from.
    struct Origin {
        std::string key;  // a file's canonical path, or ""
        std::filesystem::path dir;
        Layer layer;
    };

    std::ostream& out() const;
    Message message(const Diagnostic& d) const;
    Result run_program(std::string name, std::string text, const Origin& origin, Mode mode);
    // Parses, resolves and checks; runs nothing. On an error, `result` holds it and this is false.
    bool check_program(std::string name, std::string text, const Origin& origin, Checked& checked, Result& result);
    std::vector<CheckedStmt> check_unit(const Unit& unit, Result& result);
    bool run_checked(const Checked& checked, Mode mode, Result& result);
    void load_library_name(const std::string& name);
    std::string show_condition_values(const TExpr& cond, std::vector<Value>& frame);
    void execute(const CheckedStmt& s, Mode mode, const std::filesystem::path& dir, Result& result);

    SessionOptions options_;
    SweepRunner sweeps_;
    SweepHost sweep_host_;
    files::FileAccess files_;  // the sandbox of options_
    SourceMap sources_;
    UnitTable units_;
    std::vector<Value> globals_;
    Evaluator eval_{units_, globals_, &sources_, &files_};
    Checker checker_{units_, globals_, eval_};
    Resolver resolver_;
    std::vector<std::unique_ptr<ast::Module>> programs_;
    std::set<std::string> loaded_;  // keys of the modules loaded
    // What a host's quantity needs from its unit: the type (dimension, hint) and one unit in SI.
    struct UnitOfHost {
        Type type;
        double factor;
    };
    std::map<std::string, UnitOfHost> host_units_;
    UnitOfHost host_unit(const std::string& unit, const std::string& binding);
    std::pair<Value, Type> from_host(const HostValue& h, const std::string& binding);
    void bind_host(const std::string& name, Value v, const Type& t);
    // A value this session made (a result the host passes back): its exact value and type.
    std::optional<std::pair<Value, Type>> own_value(const HostValue& h) const;
    bool host_value_as(const HostValue& h, const Type& want, const std::string& what, Value& out, std::string& why) const;
    std::deque<Builtin> host_natives_;  // the host's functions' natives: checked calls point at them
};

// An expression checked once: the program, and the global slots of its parameters.
struct CoreSession::Prepared {
    Checked checked;
    std::vector<int> slots;
    std::vector<Type> types;
    std::vector<std::string> names;
    const TExpr* expr = nullptr;
    int frame_size = 0;
};

}  // namespace plan

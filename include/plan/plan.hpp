// libplan: embed the plan language in a C++ program.
//
//   plan::Session session;
//   plan::Result r = session.eval("70e9 * 2 B -> GiB");
//   if (r.ok()) std::cout << r.value->display << "\n";   // 130.385 GiB
//   else        std::cerr << r.errors[0].rendered;
//
// A session keeps its definitions between calls; a call that fails leaves nothing behind.
// Values travel both ways as plan::HostValue: every result carries one, and a host binds names
// (Session::set), calls plan functions (Session::call) and evaluates prepared expressions with them.
//
// Threads and lifetime: a Session, and everything made from it (a Prepared), belongs to one thread
// at a time (except Session::cancel, which any thread may call); independent sessions run in parallel threads without locks (the one-time setup they
// share is thread-safe). A Prepared must not outlive its Session. HostValues are plain data: they
// outlive the session that made them, and can be copied between threads.
// docs/embedding.md describes the API with a worked example.
#pragma once
#include <cstddef>
#include <exception>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plan {

// One error with its position; `rendered` shows the source line with carets under it.
struct Message {
    std::string code;  // what kind of mistake: "E0101" (`plan explain E0101` says more)
    std::string kind;  // its class: parse, name, dimension, type, arity, runtime, assert, io
    std::string message;
    std::string file;
    int line = 0;
    int column = 0;
    std::string help;
    // Every label under the source (the first at file:line:column: "left side 112 GB, right side
    // 80 GB"), then the diagnostic's notes (without a position: line 0).
    struct Note {
        std::string message;
        std::string file;
        int line = 0;
        int column = 0;
    };
    std::vector<Note> notes;
    std::string rendered;
};

// A plan value as a host sees it and builds it. Results carry one; a host makes its own with the
// constructors (a number is a Scalar, text a String), quantity(), HostValue::list and ::record.
class HostValue {
public:
    enum class Kind { Quantity, Bool, String, List, Record };

    HostValue() : HostValue(0.0) {}
    HostValue(double scalar);  // a Scalar (a pure number: a count, a ratio)
    HostValue(int scalar) : HostValue(static_cast<double>(scalar)) {}
    HostValue(long long scalar) : HostValue(static_cast<double>(scalar)) {}
    HostValue(bool b);
    HostValue(const char* text) : HostValue(std::string(text)) {}
    HostValue(std::string text);
    static HostValue list(std::vector<HostValue> items);
    static HostValue record(std::vector<std::pair<std::string, HostValue>> fields);

    Kind kind = Kind::Quantity;
    // Quantity. A result's `si` is its value in SI base units and `amount` the same in `unit`, its
    // display unit. A quantity the host builds holds `amount` in `unit`; its `si`, `dimension` and
    // `display` are filled in when a session reads it (they are NaN and empty until then).
    double si = 0;
    double amount = 0;
    std::string unit;       // "GiB", "FLOP/s"; "" for a Scalar
    std::string dimension;  // "Data", "Compute/Time", "Scalar"
    bool boolean = false;                                   // Bool
    std::string text;                                       // String
    std::vector<HostValue> items;                           // List
    std::vector<std::pair<std::string, HostValue>> fields;  // Record, in the record's order
    std::string display;    // "130.385 GiB", "true", "{ layers = 12 }" (results only)
    std::string type;       // "Data", "Bool", "List<Time>", "{ layers: Scalar }" (results only)

    bool is(Kind k) const { return kind == k; }
    // A record's field by name, or null (also when this is not a record).
    const HostValue* field(std::string_view name) const;
    // A record's field by name; throws std::out_of_range naming the field when there is none.
    const HostValue& operator[](std::string_view name) const;

private:
    friend struct HostValueAccess;  // the session that made a value keeps its exact plan type here
    std::shared_ptr<const void> origin_;
};

// A quantity of `amount` in `unit`: quantity(1e24, "FLOP"), quantity(80, "GiB"), quantity(3.35, "TB/s").
// The unit is any unit expression of plan; a session checks it when it reads the value.
HostValue quantity(double amount, std::string_view unit);

// The value of an evaluation: the typed value, and the same as JSON text.
struct ResultValue : HostValue {
    ResultValue() = default;
    std::string json;              // a quantity: {"value": <SI>, "unit": ..., "display": ..., "dimension": ...}
    std::optional<double> number;  // a quantity's value in SI base units (= si)
};

// One report of a sweep the call ran: its rows as records of the report's columns (axes, lets,
// objectives; each a HostValue as a result carries it), in the order the CLI prints them.
struct SweepReport {
    std::string sweep;  // the sweep's name (`sweep grid { ... }`); "" for an unnamed one
    std::string kind;   // "top", "pareto" or "all"
    std::vector<HostValue> rows;  // empty for `report all` when SessionOptions::on_row took them
};

struct Result {
    int exit_code = 0;  // 0 success, 1 failed assert or runtime error, 2 parse or check error
    std::vector<Message> errors;
    std::optional<ResultValue> value;  // of the last expression statement, if any
    // Every report of every sweep the call ran, in the order written (after a cancel too: the
    // rows found before it).
    std::vector<SweepReport> sweeps;
    int asserts_passed = 0;
    int asserts_failed = 0;
    int asserts_not_run = 0;  // asserts after a runtime error, which the run never reached
    bool ok() const { return exit_code == 0; }
};

enum class Mode {
    Run,    // check, then run every statement; bare expressions are printed
    Check,  // parse and check only
    Test,   // run; a failed assert is reported and the run goes on
};

struct SessionOptions {
    bool prelude = true;         // load the standard units
    bool stdlib = true;          // a stdlib name used without `use` loads its module (with the prelude)
    bool color = false;          // ANSI colours in rendered errors
    bool print_expressions = true;  // print the value of bare expression statements
    bool allow_redefinition = false;  // the REPL allows `let x = ...` twice
    bool bind_answer = false;         // the REPL binds `ans` to each expression's value
    std::ostream* out = nullptr;  // where `print` writes; std::cout when null
    // Sweeps: "auto" (the default) compiles them with the JIT when this build has it, else runs
    // the tree-walker; "jit" and "interp" ask for one.
    std::string backend = "auto";
    int threads = 0;     // sweep threads, 0 to kMaxSweepThreads; 0: every core
    bool stats = false;  // print compile and run statistics of each sweep (to stderr)
    bool progress = false;  // a progress bar for long sweeps (to stderr, when it is a terminal)
    // The sandbox (docs/language.md, "Files and the sandbox"): when on, the files a script reads
    // (hf_model, CSV tables, corpora) must be inside `read_dirs` or `write_dirs`, and the files it
    // writes (reports, plots, run stores) inside `write_dirs`, after every symlink is resolved.
    // Off, any path may be read and written. `plan run`, `plan test` and `plan check` turn it on.
    bool sandbox = false;
    std::vector<std::string> read_dirs;
    std::vector<std::string> write_dirs;
    int precision = 6;      // significant digits of the numbers shown (1 to 17; `-> exact` shows every digit)
    // Output as JSON lines (docs/plan-output.schema.json): a bare expression's value, {"print":
    // text}, {"sweep": report} — what `plan run --json` prints.
    bool json = false;
    // The rows of a sweep's `report all`, each a record of its columns, in enumeration order (the
    // order of the CLI's table), once the sweep's ranges are merged. A row it takes (returns true
    // for) is not kept in Result::sweeps. Called on the thread that runs the session. An exception
    // it throws stops the program with a runtime error (E0560) at the report.
    std::function<bool(const HostValue& row)> on_row;
};

// More threads than this is a mistake (each costs a stack), not a request to honour.
constexpr int kMaxSweepThreads = 1024;

class Prepared;

// A function of the host that plan code calls (Session::define_function). It gets the arguments
// in the order of the signature's parameters (defaults filled in), each a HostValue of the
// parameter's type as a result carries it (a quantity's si, amount, unit, display), and returns a
// value of the declared result type (a quantity in any unit of its dimension: quantity(2.5,
// "USD")). An exception it throws becomes a runtime error (E0560) at the call in plan code.
using HostFunction = std::function<HostValue(const std::vector<HostValue>& args)>;

class Session {
public:
    explicit Session(SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Runs source text named `name` in diagnostics ("<expr>", "<repl>", a path).
    Result eval(std::string_view code, std::string_view name = "<embed>", Mode mode = Mode::Run);
    // Reads and runs a file; `use` inside it finds modules next to it.
    Result run_file(const std::string& path, Mode mode = Mode::Run);

    // Binds `name` to a host value, replacing an earlier binding of the name. Later code sees it
    // like a `let`; its type comes from the value (a quantity's dimension from its unit). An error
    // (a unit plan does not know) is in the Result, and nothing is bound.
    Result set(std::string_view name, const HostValue& value);
    // Calls the plan function `function` (a user's, a stdlib one, a builtin) with positional and
    // named arguments; the Result holds its value or the errors, at the call written out as
    // `function(<arg 1>, ..., name = <arg>)` in a source named "<call>".
    Result call(std::string_view function, const std::vector<HostValue>& args,
                const std::vector<std::pair<std::string, HostValue>>& named = {});

    // An expression checked once and evaluated many times with new values of the names in
    // `parameters`, which the expression reads as it would a `let`. Each parameter's type (and
    // dimension) is that of its example value; every evaluation must give values of that type.
    // Throws plan::Error when the expression or a parameter does not check.
    Prepared prepare(std::string_view expression, const std::vector<std::pair<std::string, HostValue>>& parameters);

    // Defines a function that plan code calls like its own. `signature` is a plan function header
    // with the type of every parameter and of the result: "gpu_price(gpu: String, hours: Time =
    // 1 h): Money" (a dimension, Scalar, Bool, String, or a parameter rule such as `Count` or
    // `["a", "b"]`; lists and records are not annotatable, docs/language.md §5). Each call is checked against it as a plan function's is
    // (named arguments, defaults, dimensions), before anything runs. `doc` is what help() shows.
    // A sweep that calls a host function runs on the interpreter (the "auto" backend picks it;
    // the JIT cannot call the host), on its threads, one call of the function at a time (a lock
    // per function). The function lives as long as the session; user code may shadow the name.
    Result define_function(std::string_view signature, std::string_view doc, HostFunction function);

    // Stops what this session is running, from any thread (the one thread-safe member): a sweep's
    // kernels stop within a few points, and the call that ran it returns the rows found so far in
    // Result::sweeps, with a runtime error E0562 at the sweep; any other evaluation stops at its
    // next function call or comprehension item (E0562 there). When nothing runs, the next call
    // stops at its first function call, comprehension item or sweep.
    void cancel();

    // For the REPL.
    Result type_of(std::string_view expression);        // value->display holds the type
    std::vector<std::string> completions(std::string_view prefix) const;
    std::vector<std::string> fields_of(std::string_view name) const;
    std::string help(std::string_view name) const;        // doc comment and signature, or ""
    std::vector<std::string> parameters_of(std::string_view name) const;  // a function's, in order
    bool is_function(std::string_view name) const;        // a call completes as `name(`
    std::vector<std::string> definitions() const;         // "name: Type" for each user definition

private:
    friend class Prepared;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The errors of a call that has no Result to put them in (Session::prepare, Prepared::evaluate).
class Error : public std::exception {
public:
    explicit Error(std::vector<Message> errors);
    const char* what() const noexcept override { return what_.c_str(); }
    const std::vector<Message>& errors() const { return errors_; }

private:
    std::vector<Message> errors_;
    std::string what_;  // the first error, rendered
};

// An expression checked once (Session::prepare). Evaluating it stores the new parameter values
// where the expression reads them and runs the checked tree: nothing is parsed or checked again.
class Prepared {
public:
    Prepared(Prepared&&) noexcept;
    Prepared& operator=(Prepared&&) noexcept;
    ~Prepared();

    // The value with these parameter values, in the order of `parameters`; a quantity must have
    // the dimension of its example. Throws plan::Error on a mismatch or a runtime error.
    HostValue evaluate(const std::vector<HostValue>& values);
    // The fast path for numbers: parameter values in SI base units, the result (a quantity) in SI
    // base units. No allocation and no checks beyond the count.
    double number(std::initializer_list<double> si_values);
    double number(const double* si_values, size_t count);

private:
    friend class Session;
    struct Impl;
    explicit Prepared(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

std::string version();

// An error code (docs/language.md §8): every Message has one; `plan explain CODE` prints its entry.
struct ErrorCode {
    std::string code;         // "E0101"
    std::string kind;         // its class: "name"
    std::string title;        // "unknown name"
    std::string explanation;  // what is wrong, in a few lines
    std::string mistake;      // an example of the mistake and the same example fixed; both empty
    std::string fix;          // for an error that no program is expected to reach
};
// Every code, in increasing order.
std::vector<ErrorCode> error_codes();
// The entry of a code written "E0101" (in any case); none when there is no such code.
std::optional<ErrorCode> error_code(std::string_view code);
// The existing code nearest to a mistyped one, for "did you mean"; "" when none is close.
std::string closest_error_code(std::string_view code);

}  // namespace plan

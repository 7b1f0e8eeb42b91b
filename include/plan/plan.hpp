// libplan: embed the plan language in a C++ program.
//
//   plan::Session session;
//   plan::Result r = session.eval("70e9 * 2 B -> GiB");
//   if (r.ok()) std::cout << r.value->display << "\n";   // 130.385 GiB
//   else        std::cerr << r.errors[0].rendered;
//
// A session keeps its definitions between calls; a call that fails leaves nothing behind.
#pragma once
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

struct ResultValue {
    std::string display;  // "130.385 GiB", "true", "{ layers = 12 }"
    std::string type;     // "Data", "Bool", "List<Time>", ...
    std::string json;     // a quantity: {"value": <SI>, "unit": ..., "display": ..., "dimension": ...}
    std::optional<double> number;  // a quantity's value in SI base units
    std::string unit;              // a quantity's display unit
};

struct Result {
    int exit_code = 0;  // 0 success, 1 failed assert or runtime error, 2 parse or check error
    std::vector<Message> errors;
    std::optional<ResultValue> value;  // of the last expression statement, if any
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
    int precision = 6;      // significant digits of the numbers shown (1 to 17; counts stay exact)
    // Output as JSON lines (docs/plan-output.schema.json): a bare expression's value, {"print":
    // text}, {"sweep": report} — what `plan run --json` prints.
    bool json = false;
};

// More threads than this is a mistake (each costs a stack), not a request to honour.
constexpr int kMaxSweepThreads = 1024;

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

    // For the REPL.
    Result type_of(std::string_view expression);        // value->display holds the type
    std::vector<std::string> completions(std::string_view prefix) const;
    std::vector<std::string> fields_of(std::string_view name) const;
    std::string help(std::string_view name) const;        // doc comment and signature, or ""
    std::vector<std::string> parameters_of(std::string_view name) const;  // a function's, in order
    bool is_function(std::string_view name) const;        // a call completes as `name(`
    std::vector<std::string> definitions() const;         // "name: Type" for each user definition

private:
    struct Impl;
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

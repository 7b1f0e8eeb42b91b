// The `plan` command: a client of the libplan API (include/plan/plan.hpp).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "files/file_access.hpp"
#include "grammar/formatter.hpp"
#include "plan/plan.hpp"
#include "cli/inspect.hpp"
#include "cli/repl.hpp"
#include "cli/source.hpp"
#include "cli/test_command.hpp"
#if PLAN_HAVE_TRAINING
#include "validation/train_command.hpp"
#endif

namespace fs = std::filesystem;

namespace {

bool color_errors() { return isatty(STDERR_FILENO) && !std::getenv("NO_COLOR"); }

plan::SessionOptions options() {
    plan::SessionOptions o;
    o.color = color_errors();
    return o;
}

// An error as one JSON line (docs/plan-output.schema.json, "diagnostic"), for `--json`.
std::string json_diagnostic(const plan::Message& m) {
    using json = nlohmann::ordered_json;
    auto position = [](json o, const std::string& file, int line, int column) {
        o["file"] = file.empty() ? json(nullptr) : json(file);
        o["line"] = line > 0 ? json(line) : json(nullptr);
        o["column"] = column > 0 ? json(column) : json(nullptr);
        return o;
    };
    json notes = json::array();
    for (const auto& n : m.notes) notes.push_back(position(json{{"message", n.message}}, n.file, n.line, n.column));
    json d = position(json{{"severity", "error"}, {"code", m.code}, {"kind", m.kind}, {"message", m.message}}, m.file, m.line, m.column);
    d["notes"] = std::move(notes);
    d["help"] = m.help.empty() ? json(nullptr) : json(m.help);
    return json{{"diagnostic", std::move(d)}}.dump();
}

int report(const plan::Result& r, bool json = false) {
    for (auto& e : r.errors) std::cerr << (json ? json_diagnostic(e) + "\n" : e.rendered);
    return r.exit_code;
}

// Files named on the command line; directories contribute their *.plan files, sorted; `-` is
// standard input.
std::vector<std::string> plan_files(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (auto& p : paths) {
        if (p == plan::kStdinPath || !fs::is_directory(p)) {
            files.push_back(p);
            continue;
        }
        std::vector<std::string> found;
        for (auto& entry : fs::recursive_directory_iterator(p))
            if (entry.is_regular_file() && entry.path().extension() == ".plan") found.push_back(entry.path().string());
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

// The sandbox of `plan run`, `plan test` and `plan check`: a script reads and writes inside the
// current directory and its own folder, and inside the folders the user allowed.
struct Allowed {
    std::vector<std::string> read, write;
};

void add_allow_options(CLI::App& command, Allowed& allowed) {
    command.add_option("--allow-read", allowed.read, "Let scripts also read files inside DIR (repeatable)")->type_name("DIR");
    command.add_option("--allow-write", allowed.write, "Let scripts also read and write files inside DIR (repeatable)")->type_name("DIR");
}

void sandbox(plan::SessionOptions& o, const std::string& file, const Allowed& allowed) {
    o.sandbox = true;
    fs::path folder = fs::path(file).parent_path();
    o.write_dirs = {".", folder.empty() ? "." : folder.string()};
    o.write_dirs.insert(o.write_dirs.end(), allowed.write.begin(), allowed.write.end());
    o.read_dirs = allowed.read;
}

int run_files(const std::vector<std::string>& files, plan::Mode mode, const Allowed& allowed,
              const plan::SessionOptions& sweep = {}) {
    int status = 0;
    for (auto& file : files) {
        plan::SessionOptions o = options();
        o.backend = sweep.backend;
        o.threads = sweep.threads;
        o.stats = sweep.stats;
        o.progress = isatty(STDERR_FILENO);
        // `run` and `test` both print a bare expression's value: no statement of a file
        // silently discards one (`check` evaluates nothing).
        o.print_expressions = mode != plan::Mode::Check;
        sandbox(o, file, allowed);
        o.json = sweep.json;
        o.precision = sweep.precision;
        plan::Session session(o);
        plan::Result r = plan::run_source(session, file, mode);
        status = std::max(status, report(r, o.json));
    }
    return status;
}

int format_files(const std::vector<std::string>& files, bool check, bool write) {
    int status = 0;
    for (auto& file : files) {
        std::string text;
        try {
            text = plan::files::read_regular_file(file, plan::files::kMaxSourceFile);
        } catch (const plan::files::FileError& e) {
            std::cerr << "error: " << e.what() << "\n";
            status = 2;
            continue;
        }
        plan::FormatResult f = plan::format_source(file, text, color_errors());
        if (!f.ok) {
            std::cerr << f.errors;
            status = 2;
            continue;
        }
        if (check) {
            if (f.text != text) {
                std::cout << file << ": not formatted\n";
                status = std::max(status, 1);
            }
        } else if (write) {
            // Replaced atomically: a failed write leaves the source as it was.
            if (f.text != text) {
                try {
                    plan::files::write_atomically(file, f.text);
                } catch (const plan::files::FileError& e) {
                    std::cerr << "error: " << e.what() << "\n";
                    status = 2;
                }
            }
        } else {
            std::cout << f.text;
        }
    }
    return status;
}

// `plan explain`: every code with its class and title.
int list_codes() {
    for (const plan::ErrorCode& c : plan::error_codes()) std::cout << fmt::format("{}  {:<9}  {}\n", c.code, c.kind, c.title);
    return 0;
}

std::string indented(const std::string& code) {
    std::string out;
    std::istringstream lines(code);
    for (std::string line; std::getline(lines, line);) out += "    " + line + "\n";
    return out;
}

// `plan explain CODE`: its title and explanation, and an example of the mistake with its fix.
int explain(const std::string& code) {
    std::optional<plan::ErrorCode> c = plan::error_code(code);
    if (!c) {
        // A mistake on the command line, like an unknown option: it has no code of its own.
        std::string closest = plan::closest_error_code(code);
        std::cerr << "error: unknown error code `" << code << "`\n"
                  << "  = help: " << (closest.empty() ? "`plan explain` lists the codes" : "did you mean `" + closest + "`?") << "\n";
        return 2;
    }
    std::cout << c->code << " (" << c->kind << " error): " << c->title << "\n\n" << c->explanation << "\n";
    if (!c->mistake.empty()) std::cout << "\nFor example:\n\n" << indented(c->mistake) << "\nFixed:\n\n" << indented(c->fix);
    return 0;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Edits from a to b, a swap of neighbours counting as one (optimal string alignment): `rnu` is
// one edit from `run`, as a typing slip is.
size_t edits(const std::string& a, const std::string& b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The command a misspelt word most likely meant: the nearest within two edits, fewer than the
// word has letters (so `x` suggests nothing); "" when none is that near.
std::string closest_command(const std::string& word, const std::vector<std::string>& commands) {
    std::string best;
    size_t best_edits = std::min<size_t>(3, word.size());
    for (const std::string& c : commands)
        if (size_t e = edits(word, c); e < best_edits) best = c, best_edits = e;
    return best;
}

// What the first argument means when it names no command: `plan FILE.plan ...` is
// `plan run FILE.plan ...`; any other word is a misspelt command (`plan rnu x.plan`), an error
// that names the closest one, never a file to open. Returns the arguments to parse, or nullopt
// after printing that error.
std::optional<std::vector<std::string>> command_line(const CLI::App& app, int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    if (args.size() < 2 || args[1].empty() || args[1][0] == '-') return args;
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) commands.push_back(sub->get_name());
    const std::string& first = args[1];
    if (std::find(commands.begin(), commands.end(), first) != commands.end()) return args;
    if (ends_with(first, ".plan")) {
        args.insert(args.begin() + 1, "run");
        return args;
    }
    std::string closest = closest_command(first, commands);
    std::cerr << "error: unknown command `" << first << "`\n  = help: "
              << (!closest.empty()              ? "did you mean `" + closest + "`?"
                  : fs::is_regular_file(first) ? "to run the file: plan run " + first
                                                : "`plan --help` lists the commands")
              << "\n";
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"plan: a units-aware language for sizing large language models", "plan"};
    app.set_version_flag("--version", "plan " + plan::version());
    app.require_subcommand(0, 1);
    app.footer("A first argument FILE.plan runs it: plan FILE.plan is plan run FILE.plan.");

    std::vector<std::string> paths;
    auto* run = app.add_subcommand("run", "Run a .plan script");
    std::string run_file;
    run->add_option("FILE", run_file, "The script; - reads it from standard input")->required();
    plan::SessionOptions sweep_options;
    run->add_option("--backend", sweep_options.backend,
                    "How sweeps run: auto (the default: jit when built in), jit (compiled) or interp (the tree-walker)")
        ->check(CLI::IsMember({"auto", "jit", "interp"}));
    run->add_option("--threads", sweep_options.threads, "Sweep threads, at most 1024 (default: every core)")
        ->check(CLI::Range(0, plan::kMaxSweepThreads));
    run->add_flag("--stats", sweep_options.stats, "Print sweep compile and run statistics");
    Allowed allowed;
    add_allow_options(*run, allowed);
    run->add_option("--precision", sweep_options.precision, "Significant digits of the numbers shown (default 6)")
        ->check(CLI::Range(1, 17));
    run->add_flag("--json", sweep_options.json,
                  "Print JSON lines: values, print lines and sweep reports on stdout, errors on stderr");

    auto* check = app.add_subcommand("check", "Parse and check files without running them");
    check->add_option("FILE", paths, "Files or directories; - reads standard input")->required();
    add_allow_options(*check, allowed);

    auto* eval = app.add_subcommand("eval", "Evaluate an expression with the prelude and print it");
    std::string expression;
    bool json = false;
    eval->add_option("EXPR", expression, "Code to evaluate, e.g. '1 PFLOP/s * 1 day -> FLOP'")->required();
    eval->add_flag("--json", json, "Print the value as one JSON object, errors as JSON lines on stderr");
    int eval_precision = 6;
    eval->add_option("--precision", eval_precision, "Significant digits of the numbers shown (default 6)")->check(CLI::Range(1, 17));

    auto* test = app.add_subcommand("test", "Run the asserts of files (directories: every *.plan inside)");
    plan::TestCommandOptions test_options;
    test->add_option("PATH", test_options.paths, "Files or directories; - reads standard input")->required();
    test->add_option("-k", test_options.pattern, "Only the files whose path contains PATTERN");
    test->add_option("--junit", test_options.junit, "Also write a JUnit XML report to FILE");
    add_allow_options(*test, allowed);

    auto* fmt_cmd = app.add_subcommand("fmt", "Print files in canonical formatting");
    bool fmt_check = false, fmt_write = false;
    fmt_cmd->add_option("FILE", paths, "Files or directories")->required();
    fmt_cmd->add_flag("--check", fmt_check, "Exit 1 and name the files that are not formatted");
    fmt_cmd->add_flag("-w,--write", fmt_write, "Rewrite the files in place");

    auto* inspect = app.add_subcommand("inspect", "Print a model's card: parameters, FLOPs, memory to serve and fine-tune, GPUs that fit");
    std::string inspect_path;
    bool inspect_json = false;
    inspect->add_option("PATH", inspect_path, "A config.json, a model folder, or a stdlib model name (llama3_8b)")->required();
    inspect->add_flag("--json", inspect_json, "Print the card as one JSON object");

    app.add_subcommand("repl", "Start the interactive session (also: plan with no command)");

    auto* explain_cmd = app.add_subcommand("explain", "Explain an error code such as E0101; alone, list the codes");
    std::string code;
    explain_cmd->add_option("CODE", code, "The code, as in error[E0101]");

#if PLAN_HAVE_TRAINING
    auto* train = app.add_subcommand("train", "Train one tiny transformer on a corpus (the CPU reference trainer)");
    plan::validation::TrainCommandOptions train_options;
    plan::validation::add_train_options(*train, train_options);
#endif

    std::optional<std::vector<std::string>> args = command_line(app, argc, argv);
    if (!args) return 2;
    std::vector<char*> arg_pointers;
    for (std::string& a : *args) arg_pointers.push_back(a.data());
    try {
        app.parse(static_cast<int>(arg_pointers.size()), arg_pointers.data());
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help, the version, or the usage error
        return code == 0 ? 0 : 2;
    }

    try {
        if (*run) return run_files({run_file}, plan::Mode::Run, allowed, sweep_options);
        if (*check) return run_files(plan_files(paths), plan::Mode::Check, allowed);
        if (*test) {
            test_options.sandbox = [&](plan::SessionOptions& o, const std::string& file) { sandbox(o, file, allowed); };
            return plan::run_test_command(test_options, options());
        }
        if (*fmt_cmd) return format_files(plan_files(paths), fmt_check, fmt_write);
        if (*inspect) return plan::inspect_model(inspect_path, inspect_json, options());
        if (*explain_cmd) return code.empty() ? list_codes() : explain(code);
#if PLAN_HAVE_TRAINING
        if (*train) return plan::validation::run_train_command(train_options);
#endif
        if (*eval) {
            plan::SessionOptions o = options();
            o.print_expressions = false;
            o.precision = eval_precision;
            plan::Session session(o);
            plan::Result r = session.eval(expression, "<expr>");
            if (r.ok() && r.value) std::cout << (json ? r.value->json : r.value->display) << "\n";
            return report(r, json);
        }
        return plan::run_repl(options());
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}

#include "cli/repl.hpp"

#include <editline/readline.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace plan {

namespace {

Session* g_session = nullptr;

// Set by Ctrl-C. Outside a sweep (which installs its own handler and stops itself) it only
// interrupts the line being read: readline returns, the input is dropped, the session goes on.
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

const std::vector<std::string> kCommands = {":help", ":type", ":list", ":load", ":quit"};

const char* kHelp = R"(plan — a units-aware calculator for sizing language models.

  70e9 * 2 B -> GiB            quantities with units; `->` converts
  let n = 7B                   7B is seven billion; 7 B is seven bytes
  fn flops(n, d) = 6 * n * d   functions; then flops(n, 1.4T)
  ans                          the last result

Commands:
  :help [NAME]   this text, or the documentation of NAME
  :type EXPR     the type (dimension) of an expression
  :list          your definitions
  :load FILE     run a .plan file into this session
  :quit          leave (also Ctrl-D)
)";

// Brackets still open outside strings and comments: keep reading lines.
int open_brackets(const std::string& text) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '#') while (i < text.size() && text[i] != '\n') ++i;
        else if (c == '(' || c == '[' || c == '{') ++depth;
        else if (c == ')' || c == ']' || c == '}') --depth;
    }
    return depth;
}

// Binary operators (and `=`, `,`): a line that ends with one goes on, as in files.
bool ends_with_operator(const std::string& text) {
    size_t newline = text.rfind('\n');
    std::string line = newline == std::string::npos ? text : text.substr(newline + 1);
    size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] == ':') return false;  // a `:` command is one line
    bool in_string = false;
    for (size_t i = 0; i < line.size(); ++i) {  // drop a comment
        if (in_string) {
            if (line[i] == '\\') ++i;
            else if (line[i] == '"') in_string = false;
        } else if (line[i] == '"') {
            in_string = true;
        } else if (line[i] == '#') {
            line.resize(i);
            break;
        }
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (line.empty()) return false;
    for (const char* word : {" and", " or", " not"})
        if (line.size() >= std::strlen(word) && line.compare(line.size() - std::strlen(word), std::string::npos, word) == 0) return true;
    return std::string("+-*/^<>=,").find(line.back()) != std::string::npos;
}

std::vector<std::string> g_matches;

char* completion_generator(const char*, int state) {
    if (static_cast<size_t>(state) >= g_matches.size()) return nullptr;
    return strdup(g_matches[static_cast<size_t>(state)].c_str());
}

// The function whose call is open at `end` in `line` (`f(a, b` → "f"), or "".
std::string open_call(const std::string& line, size_t end) {
    int depth = 0;
    for (size_t i = end; i-- > 0;) {
        char c = line[i];
        if (c == ')' || c == ']' || c == '}') ++depth;
        else if ((c == '[' || c == '{') && depth-- == 0) return "";
        else if (c == '(' && depth-- == 0) {
            size_t name_end = i;
            while (name_end > 0 && line[name_end - 1] == ' ') --name_end;
            size_t begin = name_end;
            while (begin > 0 && (std::isalnum(static_cast<unsigned char>(line[begin - 1])) || line[begin - 1] == '_')) --begin;
            return line.substr(begin, name_end - begin);
        }
    }
    return "";
}

// Completes `:` commands, the named arguments of the call being written (`batch = `), names,
// units and `record.field`. A function completes as `name(`, ready for its arguments.
char** complete(const char* text, int start, int) {
    std::string word(text), line(rl_line_buffer);
    g_matches.clear();
    rl_completion_append_character = ' ';
    auto dot = word.rfind('.');
    if (start == 0 && word.rfind(':', 0) == 0) {
        for (auto& c : kCommands)
            if (c.rfind(word, 0) == 0) g_matches.push_back(c);
    } else if (dot != std::string::npos) {
        std::string base = word.substr(0, dot), partial = word.substr(dot + 1);
        for (auto& f : g_session->fields_of(base))
            if (f.rfind(partial, 0) == 0) g_matches.push_back(base + "." + f);
    } else {
        std::string call = open_call(line, static_cast<size_t>(start));
        if (!call.empty())
            for (auto& p : g_session->parameters_of(call))
                if (p.rfind(word, 0) == 0) g_matches.push_back(p + " = ");
        for (auto& n : g_session->completions(word)) g_matches.push_back(n);
        // libedit escapes a `(` inside a match; as the character it appends, it goes in as is.
        if (g_matches.size() == 1 && g_matches[0].back() != ' ' && g_session->is_function(g_matches[0]))
            rl_completion_append_character = '(';
    }
    if (g_matches.size() == 1 && g_matches[0].back() == ' ') rl_completion_append_character = '\0';
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, completion_generator);
}

std::string history_path() {
    if (const char* p = std::getenv("PLAN_HISTORY")) return p;
    const char* home = std::getenv("HOME");
    return home ? std::string(home) + "/.plan_history" : "";
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Runs one complete input; returns false on :quit.
bool handle(Session& session, const std::string& input, std::ostream& out) {
    std::string line = trim(input);
    if (line.empty()) return true;
    if (line[0] == ':') {
        auto space = line.find(' ');
        std::string cmd = line.substr(0, space);
        std::string arg = space == std::string::npos ? "" : trim(line.substr(space + 1));
        if (cmd == ":quit" || cmd == ":q" || cmd == ":exit") return false;
        if (cmd == ":help" || cmd == ":h") {
            if (arg.empty()) {
                out << kHelp;
            } else {
                std::string h = session.help(arg);
                out << (h.empty() ? "no definition named `" + arg + "`" : h) << "\n";
            }
        } else if (cmd == ":type" || cmd == ":t") {
            Result r = session.type_of(arg);
            for (auto& e : r.errors) std::cerr << e.rendered;
            if (r.ok()) out << r.value->display << "\n";
        } else if (cmd == ":list" || cmd == ":l") {
            for (auto& d : session.definitions()) out << d << "\n";
        } else if (cmd == ":load") {
            Result r = session.run_file(arg);
            for (auto& e : r.errors) std::cerr << e.rendered;
        } else {
            std::cerr << "error: unknown command " << cmd << " (try :help)\n";
        }
        return true;
    }
    Result r = session.eval(input, "<repl>");
    for (auto& e : r.errors) std::cerr << e.rendered;
    return true;
}

}  // namespace

int run_repl(SessionOptions options) {
    options.allow_redefinition = true;
    options.bind_answer = true;
    Session session(options);
    g_session = &session;
    bool interactive = isatty(STDIN_FILENO);
    std::string history = history_path();
    if (interactive) {
        rl_readline_name = "plan";
        rl_catch_signals = 0;  // Ctrl-C is ours (on_interrupt), not libedit's, which ends the process
        struct sigaction interrupt = {};
        interrupt.sa_handler = on_interrupt;  // no SA_RESTART: the read in readline returns
        sigemptyset(&interrupt.sa_mask);
        sigaction(SIGINT, &interrupt, nullptr);
        rl_attempted_completion_function = complete;
        rl_basic_word_break_characters = const_cast<char*>(" \t\n\"\\'`@$><=;|&{([,+-*/^");
        using_history();
        if (!history.empty()) read_history(history.c_str());
        std::cout << "plan " << version() << " — :help for help, :quit to leave\n";
    }
    std::string pending;
    while (true) {
        std::string line;
        if (interactive) {
            g_interrupted = 0;
            char* raw = readline(pending.empty() ? ">>> " : "... ");
            if (!raw && g_interrupted) {  // Ctrl-C: drop what was typed, a new prompt
                std::cout << "^C\n";
                pending.clear();
                continue;
            }
            if (!raw) break;  // Ctrl-D on an empty line
            line = raw;
            std::free(raw);
        } else if (!std::getline(std::cin, line)) {
            break;
        }
        pending += (pending.empty() ? "" : "\n") + line;
        if (open_brackets(pending) > 0 || ends_with_operator(pending)) continue;
        std::string input = std::move(pending);
        pending.clear();
        if (interactive && !trim(input).empty()) {
            add_history(input.c_str());
            if (!history.empty()) write_history(history.c_str());
        }
        if (!handle(session, input, std::cout)) break;
    }
    if (!pending.empty()) handle(session, pending, std::cout);
    g_session = nullptr;
    return 0;
}

}  // namespace plan

// Start-up and per-line latency of plan, with baselines measured in the same run.
//   plan_bench_startup PATH/TO/plan
// Prints the median wall time of `plan eval '1+1'` beside /bin/true and python3 -c 'print(1+1)';
// of one-liners whose stdlib names load their module, beside loading every module with `use`; and
// the median time of one REPL line (Session::eval) beside Python's eval of the same arithmetic.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "plan/plan.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> xs) {
    std::sort(xs.begin(), xs.end());
    return xs[xs.size() / 2];
}

// Median wall time of running argv to completion, output discarded.
double time_process(const std::vector<std::string>& argv, int runs) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        std::fflush(stdout);  // or the child's freopen writes what is buffered once more
        auto start = Clock::now();
        pid_t pid = fork();
        if (pid == 0) {
            freopen("/dev/null", "w", stdout);
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        times.push_back(seconds_since(start));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fmt::print(stderr, "{} failed\n", argv[0]);
            return -1;
        }
    }
    return median(times);
}

// Python's eval of one line, timed by timeit inside one python3 process (seconds per line).
double python_line_seconds(const std::string& expr) {
    std::string cmd = fmt::format("/usr/bin/python3 -c \"import timeit; n=200000; print(timeit.timeit('eval(\\'{}\\')', number=n)/n)\"", expr);
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return -1;
    double s = -1;
    if (fscanf(p, "%lf", &s) != 1) s = -1;
    pclose(p);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        fmt::print(stderr, "usage: {} PATH/TO/plan\n", argv[0]);
        return 2;
    }
    const int runs = 41;
    double plan_eval = time_process({argv[1], "eval", "1+1"}, runs);
    double true_run = time_process({"/bin/true"}, runs);
    double python = time_process({"/usr/bin/python3", "-c", "print(1+1)"}, runs);
    fmt::print("start-up (median of {} runs)\n", runs);
    fmt::print("  plan eval '1+1'          {:8.2f} ms\n", plan_eval * 1e3);
    fmt::print("  /bin/true                {:8.2f} ms   plan / true   = {:.1f}x\n", true_run * 1e3, plan_eval / true_run);
    fmt::print("  python3 -c 'print(1+1)'  {:8.2f} ms   plan / python = {:.2f}x\n", python * 1e3, plan_eval / python);

    // A stdlib name loads its module (and the modules it uses) only; the baseline loads them all.
    const char* all = "use models; use compute; use hardware; use memory; use inference; use cost; use scaling; "
                      "use parallelism; 1+1";
    double every = time_process({argv[1], "eval", all}, runs);
    fmt::print("  {:<46}{:8.2f} ms\n", "plan eval, every stdlib module used", every * 1e3);
    for (const char* code : {"H100_SXM.memory", "params(gpt3_175b)", "optimal(chinchilla, 1e24 FLOP).params"})
        fmt::print("  {:<46}{:8.2f} ms\n", fmt::format("plan eval '{}'", code), time_process({argv[1], "eval", code}, runs) * 1e3);

    plan::SessionOptions o;
    o.print_expressions = false;
    o.allow_redefinition = true;
    plan::Session session(o);
    const char* line = "6 * 7e9 * 1.4e12 FLOP / (1024 * 989 TFLOP/s * 40%) -> day";
    std::vector<double> times;
    for (int i = 0; i < 2000; ++i) {
        auto start = Clock::now();
        plan::Result r = session.eval(line, "<repl>");
        times.push_back(seconds_since(start));
        if (!r.ok()) return 1;
    }
    double plan_line = median(times);
    double py_line = python_line_seconds("6 * 7e9 * 1.4e12 / (1024 * 989e12 * 0.4) / 86400");
    fmt::print("one REPL line (median of {}): {}\n", times.size(), line);
    fmt::print("  plan Session::eval       {:8.1f} us\n", plan_line * 1e6);
    fmt::print("  python3 eval (no units)  {:8.1f} us   plan / python = {:.1f}x\n", py_line * 1e6, plan_line / py_line);
    return 0;
}

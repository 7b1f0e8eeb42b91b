// Start-up and per-line latency of plan, with baselines measured in the same run.
//   plan_bench_startup PATH/TO/plan [RUNS]
// Prints the median and the least wall time, and the median and the least CPU time (user +
// system, from wait4), of RUNS (41) runs of `plan eval '1+1'` beside /bin/true and
// python3 -c 'print(1+1)'; of one-liners whose stdlib names load their module, beside loading
// every module with `use`; and the median time of one REPL line (Session::eval) beside Python's
// eval of the same arithmetic. The load average comes first: wall times mean little under load.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
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

double cpu_seconds(const rusage& u) {
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

struct Times {
    double wall_median = -1, wall_min = -1, cpu_median = -1, cpu_min = -1;  // seconds; -1: it failed
};

// Wall and CPU times of running argv to completion `runs` times, output discarded.
Times time_process(const std::vector<std::string>& argv, int runs) {
    std::vector<double> walls, cpus;
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
        rusage usage{};
        wait4(pid, &status, 0, &usage);
        walls.push_back(seconds_since(start));
        cpus.push_back(cpu_seconds(usage));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fmt::print(stderr, "{} failed\n", argv[0]);
            return {};
        }
    }
    return {median(walls), *std::min_element(walls.begin(), walls.end()), median(cpus), *std::min_element(cpus.begin(), cpus.end())};
}

void print_times(const std::string& what, const Times& t) {
    fmt::print("  {:<46}{:8.2f} {:8.2f} {:8.2f} {:8.2f}\n", what, t.wall_median * 1e3, t.wall_min * 1e3, t.cpu_median * 1e3,
               t.cpu_min * 1e3);
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return in ? one + " " + five + " " + fifteen : "unknown";
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
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 41;
    fmt::print("load average before: {}\n", load_average());
    fmt::print("start-up, {} runs each (ms)                       wall med  wall min  CPU med  CPU min\n", runs);
    Times plan_eval = time_process({argv[1], "eval", "1+1"}, runs);
    Times true_run = time_process({"/bin/true"}, runs);
    Times python = time_process({"/usr/bin/python3", "-c", "print(1+1)"}, runs);
    print_times("plan eval '1+1'", plan_eval);
    print_times("/bin/true", true_run);
    print_times("python3 -c 'print(1+1)'", python);
    print_times("plan --version", time_process({argv[1], "--version"}, runs));

    // A stdlib name loads its module (and the modules it uses) only; the baseline loads them all.
    const char* all = "use models; use compute; use hardware; use memory; use inference; use cost; use scaling; "
                      "use parallelism; 1+1";
    print_times("plan eval, every stdlib module used", time_process({argv[1], "eval", all}, runs));
    for (const char* code : {"H100_SXM.memory", "params(gpt3_175b)", "optimal(chinchilla, 1e24 FLOP).params"})
        print_times(fmt::format("plan eval '{}'", code), time_process({argv[1], "eval", code}, runs));
    fmt::print("  plan / true (median wall) = {:.1f}x, plan / python = {:.2f}x\n", plan_eval.wall_median / true_run.wall_median,
               plan_eval.wall_median / python.wall_median);

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
    fmt::print("load average after: {}\n", load_average());
    return 0;
}

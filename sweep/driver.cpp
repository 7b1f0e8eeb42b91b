#include "sweep/driver.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "interpreter/display.hpp"
#include "sweep/backend.hpp"
#include "sweep/interp_backend.hpp"
#include "sweep/output.hpp"
#include "sweep/partition.hpp"
#include "sweep/progress.hpp"
#include "sweep/range.hpp"
#include "sweep/report.hpp"

namespace plan {

namespace {

using namespace sweep;

// Beyond this many points the interpreter would run for hours; the limit is checked up front.
constexpr double kMaxPoints = 1e10;
// A grid known to be this small runs in well under a millisecond: it is compiled quickly instead.
constexpr double kQuickGrid = 20'000;

// The kernels' stop word: set by Ctrl-C, and by a range that must stop the others.
std::atomic<int32_t> g_halt{0};
static_assert(std::atomic<int32_t>::is_always_lock_free && sizeof(std::atomic<int32_t>) == sizeof(int32_t));

extern "C" void plan_sweep_interrupt(int) { g_halt.store(1); }

// Ctrl-C during a sweep stops it; the best found so far is printed.
struct InterruptScope {
    using Handler = void (*)(int);
    Handler previous;
    InterruptScope() {
        g_halt.store(0);
        previous = std::signal(SIGINT, plan_sweep_interrupt);
    }
    ~InterruptScope() {
        std::signal(SIGINT, previous == SIG_ERR ? SIG_DFL : previous);
        g_halt.store(0);
    }
};

bool uses_locals(const TExpr& e) {
    if (e.op == Op::Local) return true;
    return std::any_of(e.kids.begin(), e.kids.end(), [](auto& k) { return uses_locals(*k); });
}

// The grid size when no axis depends on another; 0 when it cannot be known before running.
double grid_size(const CheckedSweep& s, Evaluator& eval) {
    double size = 1;
    std::vector<Value> frame(static_cast<size_t>(s.frame_size));
    for (auto& item : s.items) {
        if (item.kind != CheckedSweep::Item::Kind::Axis) continue;
        if (uses_locals(*item.expr)) return 0;
        size *= static_cast<double>(eval.eval(*item.expr, frame).list().items.size());
    }
    return size;
}

// The backend `--backend NAME` asks for: "auto" is the JIT when this build has it, else the
// interpreter; a name this build lacks is an error.
const Backend& chosen_backend(const CheckedSweep& s, const std::string& name) {
    const Backend* jit = find_backend("jit");
    if (name == "auto") return jit ? *jit : *find_backend("interp");
    if (const Backend* b = find_backend(name)) return *b;
    runtime_error(Code::NoSuchBackend, s.span, "this build of plan has no sweep backend `" + name + "`",
                  fmt::format("the backends built in: {}", fmt::join(backend_names(), ", ")));
}

// Runs the ranges on `threads` workers, each taking the next range not yet taken. No range after
// the first one with a failing point is started; a range whose `report all` overflows stops the
// others through the stop word (the merge reports it).
std::vector<RangeResult> run_ranges(const RangeJob& job, const std::vector<Range>& ranges, int threads, ProgressBar& bar) {
    std::vector<RangeResult> results(ranges.size());
    for (size_t i = 0; i < ranges.size(); ++i) {
        results[i].lo = ranges[i].lo;
        results[i].hi = ranges[i].hi;
        results[i].reports.resize(job.reports.size());
    }
    std::atomic<size_t> next{0}, first_error{ranges.size()};
    std::mutex failure_mutex;
    std::exception_ptr failure;
    auto work = [&](int worker) {
        try {
            CallBuffers buffers(job);
            for (size_t i; (i = next.fetch_add(1)) < ranges.size() && i <= first_error.load();) {
                results[i] = run_range(job, ranges[i], buffers, bar.counter(worker));
                if (results[i].status == kError) {
                    size_t e = first_error.load();
                    while (i < e && !first_error.compare_exchange_weak(e, i)) {
                    }
                }
                if (results[i].overflow) g_halt.store(2);
                if (results[i].status == kStopped) return;
            }
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
            g_halt.store(2);
        }
    };
    if (threads == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
        for (auto& t : pool) t.join();
    }
    if (failure) std::rethrow_exception(failure);
    return results;
}

// The result of running a sweep on a backend.
struct Outcome {
    std::unique_ptr<CompiledSweep> code;
    Merged merged;
    int threads = 1;
};

Outcome run_backend(const Backend& backend, const CheckedSweep& s, Evaluator& eval, const std::vector<ReportState>& reports,
                    double grid, const SessionOptions& options) {
    Outcome outcome;
    const Space space = space_of(s, eval);
    outcome.code = backend.compile(s, eval, space, grid > 0 && grid <= kQuickGrid);
    int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const std::vector<Range> ranges = cut(space, threads);
    outcome.threads = std::max(1, std::min<int>(threads, static_cast<int>(ranges.size())));
    SharedBound shared;
    RangeJob job{s, *outcome.code, reports, shared, reinterpret_cast<const int32_t*>(&g_halt)};
    double per = space.progress_total > 0 && grid > 0 ? grid / space.progress_total : 1;
    std::vector<RangeResult> results;
    {
        ProgressBar bar(options.progress && isatty(STDERR_FILENO), outcome.threads, space.progress_total, per);
        results = run_ranges(job, ranges, outcome.threads, bar);
    }
    outcome.merged = merge_ranges(reports, results);
    return outcome;
}

void print_stats(const CheckedSweep& s, const Backend& backend, const Outcome& outcome, double seconds, double grid) {
    const double compile_ms = outcome.code->compile_ms;
    double run = seconds - std::max(0.0, compile_ms) / 1000;
    std::string line = fmt::format("{}: backend {}", s.name.empty() ? "sweep" : "sweep " + s.name, backend.name);
    if (compile_ms >= 0) line += fmt::format(", JIT compile {:.1f} ms", compile_ms);
    line += fmt::format(", {} threads, run {:.5f} s", outcome.threads, run);
    if (grid > 0 && !outcome.merged.interrupted)
        line += fmt::format(", {} points, {} points/s", format_number(grid, true), human_rate(grid / std::max(run, 1e-9)));
    line += fmt::format(", {} feasible", outcome.merged.feasible);
    std::cerr << line << "\n";
}

}  // namespace

Value run_sweep(const CheckedSweep& s, Evaluator& eval, const UnitTable& units, std::ostream& out, const std::string& dir,
                const SessionOptions& options) {
    const Backend& backend = chosen_backend(s, options.backend);
    std::vector<ReportState> reports = initial_reports(s, eval);
    double grid = grid_size(s, eval);
    if (grid > kMaxPoints)
        runtime_error(Code::TooLarge, s.span, fmt::format("this sweep has {} points; the limit is {}", format_number(grid, true),
                                          format_number(kMaxPoints, false)),
                      "narrow an axis, or split the sweep");
    auto start = std::chrono::steady_clock::now();
    Outcome outcome;
    {
        InterruptScope interrupt;
        outcome = run_backend(backend, s, eval, reports, grid, options);
    }
    if (!outcome.merged.failure.empty()) replay_failure(s, eval, outcome.code->strings, outcome.merged.failure);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.stats) print_stats(s, backend, outcome, seconds, grid);
    if (outcome.merged.interrupted) std::cerr << "interrupted: the best found so far\n";
    write_reports(out, s, outcome.merged, outcome.code->strings, units, dir, grid, options.json);
    if (outcome.merged.interrupted) runtime_error(Code::Interrupted, s.span, "the sweep was interrupted (Ctrl-C)", "the reports above cover the points before it");
    if (!s.value_type.is(Type::Kind::Record)) return {};
    return sweep_value(s, outcome.merged, outcome.code->strings);
}

}  // namespace plan

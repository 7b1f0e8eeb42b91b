#include "sweep/driver.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "interpreter/display.hpp"
#include "interpreter/sweep_items.hpp"
#include "sweep/backend.hpp"
#include "sweep/interp_backend.hpp"
#include "sweep/output.hpp"
#include "sweep/partition.hpp"
#include "sweep/progress.hpp"
#include "sweep/range.hpp"
#include "sweep/report.hpp"
#include "sweep/team.hpp"
#include "sweep/wire.hpp"

namespace plan {

namespace {

using namespace sweep;

// Beyond this many points the interpreter would run for hours. The limit is checked up front when
// the grid's size is known, and as points are enumerated (sweep/range.cpp) when it is not.
// PLAN_SWEEP_MAX_POINTS=N lowers it to N (the tests, which cannot wait for 1e10 points).
constexpr int64_t kMaxPoints = 10'000'000'000;

int64_t max_points() {
    if (const char* n = std::getenv("PLAN_SWEEP_MAX_POINTS"); n && std::atoll(n) > 0) return std::min<int64_t>(std::atoll(n), kMaxPoints);
    return kMaxPoints;
}
// A grid known to be this small runs in well under a millisecond: it is compiled quickly instead.
constexpr double kQuickGrid = 20'000;

// Ctrl-C stops every sweep running in this process: the handler sets the stop word of each (a
// session's own word, SweepHost::halt, which its host's cancel also sets). The words are kept in
// fixed slots so that the handler only does lock-free atomic stores.
constexpr size_t kSignalSlots = 64;
std::atomic<std::atomic<int32_t>*> g_words[kSignalSlots];
static_assert(std::atomic<int32_t>::is_always_lock_free && sizeof(std::atomic<int32_t>) == sizeof(int32_t));
static_assert(std::atomic<std::atomic<int32_t>*>::is_always_lock_free);

extern "C" void plan_sweep_interrupt(int) {
    for (auto& slot : g_words)
        if (std::atomic<int32_t>* word = slot.load()) word->store(SweepHost::kInterrupt);
}

// While a sweep runs, Ctrl-C stops it (the best found so far is printed). The handler is installed
// while any sweep runs, and the one before it put back when the last one ends.
class InterruptScope {
public:
    explicit InterruptScope(std::atomic<int32_t>& word) {
        std::lock_guard hold(mutex_);
        if (active_++ == 0) previous_ = std::signal(SIGINT, plan_sweep_interrupt);
        for (auto& s : g_words) {
            std::atomic<int32_t>* empty = nullptr;
            if (s.compare_exchange_strong(empty, &word)) {
                slot_ = &s;
                break;
            }
        }
    }
    ~InterruptScope() {
        std::lock_guard hold(mutex_);
        if (slot_) slot_->store(nullptr);
        if (--active_ == 0) std::signal(SIGINT, previous_ == SIG_ERR ? SIG_DFL : previous_);
    }
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

private:
    std::atomic<std::atomic<int32_t>*>* slot_ = nullptr;  // none when more sweeps run than slots
    static inline std::mutex mutex_;
    static inline int active_ = 0;
    static inline void (*previous_)(int) = SIG_DFL;
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

// Whether `e`, or a function it calls, calls a host's function (Session::define_function): a
// native with no builtin id, that only the interpreter calls (with values that change per point).
bool calls_host(const TExpr& e, std::set<const FnInstance*>& seen) {
    if (e.op == Op::Builtin && e.native && e.index < 0) return true;
    if (e.fn && seen.insert(e.fn).second && e.fn->body && calls_host(*e.fn->body, seen)) return true;
    return std::any_of(e.kids.begin(), e.kids.end(), [&](auto& k) { return calls_host(*k, seen); });
}

// The backend `--backend NAME` asks for: "auto" is the JIT when this build has it (and the sweep
// calls no host function), else the interpreter; a name this build lacks is an error.
const Backend& chosen_backend(const CheckedSweep& s, const std::string& name) {
    const Backend* jit = find_backend("jit");
    std::set<const FnInstance*> seen;
    auto host = [&] {
        return std::any_of(s.items.begin(), s.items.end(), [&](auto& item) { return item.expr && calls_host(*item.expr, seen); });
    };
    if (name == "auto") return jit && !host() ? *jit : *find_backend("interp");
    if (const Backend* b = find_backend(name)) return *b;
    runtime_error(Code::NoSuchBackend, s.span, "this build of plan has no sweep backend `" + name + "`",
                  fmt::format("the backends built in: {}", fmt::join(backend_names(), ", ")));
}

// Runs the ranges on `threads` workers, each taking the next range not yet taken (from `shared`,
// the team's counter, when given: then the ranks share the ranges the same way). No range after
// the first one with a failing point is started; a range whose `report all` overflows stops the
// others through the stop word (the merge reports it). A range never run keeps status -1.
std::vector<RangeResult> run_ranges(const RangeJob& job, const std::vector<Range>& ranges, int threads, ProgressBar& bar,
                                    SharedCounter* shared, std::atomic<int32_t>& halt) {
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
            auto take = [&]() -> size_t { return shared ? static_cast<size_t>(shared->take()) : next.fetch_add(1); };
            for (size_t i; (i = take()) < ranges.size() && i <= first_error.load();) {
                results[i] = run_range(job, ranges[i], buffers, bar.counter(worker));
                if (results[i].status == kError) {
                    size_t e = first_error.load();
                    while (i < e && !first_error.compare_exchange_weak(e, i)) {
                    }
                }
                if (results[i].overflow) halt.store(SweepHost::kFailed);
                if (results[i].status == kStopped) return;
            }
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
            halt.store(SweepHost::kFailed);
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
    int ranks = 1;             // the processes of the team (MPI ranks) that shared the sweep
    bool mine_to_show = true;  // false on the ranks of a team other than 0: rank 0 prints and writes
    // On rank 0 of a team (--stats): each rank's time on its ranges, and how many it ran.
    std::vector<double> rank_seconds, rank_ranges;
    double merge_bytes = 0, merge_seconds = 0;  // what rank 0 received, and its time to decode and merge it
};

// The ranges of the cut that rank `rank` of `ranks` runs when the team has no shared counter:
// every ranks-th, so that each rank's share spreads over the whole space (axes computed from
// earlier axes make ranges uneven; bench/sweep/README.md measures how much the counter gains).
std::vector<Range> share_of(const std::vector<Range>& ranges, int rank, int ranks) {
    std::vector<Range> mine;
    for (size_t i = static_cast<size_t>(rank); i < ranges.size(); i += static_cast<size_t>(ranks)) mine.push_back(ranges[i]);
    return mine;
}

std::string message_of(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const DiagnosticError& e) {
        return e.diagnostic.message;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an unknown error";
    }
}

// Rank 0 gathers every rank's results (or the error that stopped a rank) and merges them; then
// every rank learns whether the sweep ended well, so that a failure stops the program on all ranks.
// A rank sends the ranges it ran; one that no rank ran (the sweep stopped) merges as never run.
void merge_on_team(const Team& team, const CheckedSweep& s, CompiledSweep& code, const std::vector<ReportState>& reports,
                   const std::vector<Range>& ranges, std::vector<RangeResult> results, std::exception_ptr failure, double seconds,
                   int64_t points, Outcome& outcome) {
    std::erase_if(results, [](const RangeResult& r) { return r.status == -1; });
    // The first byte says whether this rank ran its share (0) or failed (1, then the message); then
    // the seconds it took, the ranges it ran and the points it counted (doubles: the ranks share a
    // byte order).
    std::string bytes(1, failure ? '\1' : '\0');
    const double ran = static_cast<double>(results.size()), counted = static_cast<double>(points);
    bytes.append(reinterpret_cast<const char*>(&seconds), sizeof seconds);
    bytes.append(reinterpret_cast<const char*>(&ran), sizeof ran);
    bytes.append(reinterpret_cast<const char*>(&counted), sizeof counted);
    bytes += failure ? message_of(failure) : encode_ranges(results, code.strings);
    std::vector<std::string> all = team.gather(bytes);
    int verdict = 0;
    std::exception_ptr error;
    if (team.rank() == 0) {
        const auto merge_start = std::chrono::steady_clock::now();
        try {
            if (failure) std::rethrow_exception(failure);
            std::vector<RangeResult> gathered;
            constexpr size_t head = 1 + 3 * sizeof(double);
            double total_points = 0;
            for (size_t rank = 0; rank < all.size(); ++rank) {
                if (all[rank].size() < head) throw std::runtime_error(fmt::format("rank {} sent {} bytes", rank, all[rank].size()));
                if (all[rank][0] != '\0')
                    runtime_error(Code::RankFailed, s.span, fmt::format("rank {} of the MPI job failed: {}", rank, all[rank].substr(head)));
                double taken = 0, ran = 0;
                std::memcpy(&taken, all[rank].data() + 1, sizeof taken);
                std::memcpy(&ran, all[rank].data() + 1 + sizeof taken, sizeof ran);
                double counted_there = 0;
                std::memcpy(&counted_there, all[rank].data() + 1 + 2 * sizeof taken, sizeof counted_there);
                total_points += counted_there;
                outcome.rank_seconds.push_back(taken);
                outcome.rank_ranges.push_back(ran);
                decode_ranges(all[rank].substr(head), s, code.strings, gathered);
            }
            if (total_points > static_cast<double>(max_points())) too_many_points(s, max_points());
            std::vector<RangeResult> whole(ranges.size());
            for (size_t i = 0; i < ranges.size(); ++i) {
                whole[i].lo = ranges[i].lo;
                whole[i].hi = ranges[i].hi;
                whole[i].reports.resize(reports.size());
            }
            for (RangeResult& r : gathered) {
                auto at = std::lower_bound(ranges.begin(), ranges.end(), r.lo, [](const Range& range, int64_t lo) { return range.lo < lo; });
                if (at == ranges.end() || at->lo != r.lo) throw std::runtime_error("a rank sent a range of another cut");
                whole[static_cast<size_t>(at - ranges.begin())] = std::move(r);
            }
            gathered = std::move(whole);
            outcome.merged = merge_ranges(reports, gathered);
            for (const std::string& part : all) outcome.merge_bytes += static_cast<double>(part.size());
            outcome.merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - merge_start).count();
            verdict = outcome.merged.failure.empty() && !outcome.merged.interrupted ? 0 : 1;
        } catch (...) {
            error = std::current_exception();
            verdict = 1;
        }
    }
    verdict = team.broadcast(verdict);
    if (error) std::rethrow_exception(error);
    outcome.mine_to_show = team.rank() == 0;
    if (team.rank() != 0 && verdict != 0)  // rank 0 shows the error; this one stops as it does
        runtime_error(Code::RankFailed, s.span, "rank 0 stopped the sweep with an error");
    // `let v = sweep { ... }`: every rank goes on with the same value, so rank 0 sends the merged
    // reports (as one range) to the others.
    if (!s.value_type.is(Type::Kind::Record)) return;
    std::string merged;
    if (team.rank() == 0) {
        RangeResult whole;
        whole.status = kDone;
        whole.feasible = outcome.merged.feasible;
        whole.reports = outcome.merged.reports;
        merged = encode_ranges({whole}, code.strings);
    }
    merged = team.broadcast_bytes(merged);
    if (team.rank() != 0) {
        std::vector<RangeResult> whole;
        decode_ranges(merged, s, code.strings, whole);
        outcome.merged.feasible = whole.at(0).feasible;
        outcome.merged.reports = std::move(whole.at(0).reports);
    }
}

Outcome run_backend(const Backend& backend, const CheckedSweep& s, Evaluator& eval, const std::vector<ReportState>& reports,
                    double grid, const SessionOptions& options, std::atomic<int32_t>& halt) {
    Outcome outcome;
    const Space space = space_of(s, eval);
    outcome.code = backend.compile(s, eval, space, grid > 0 && grid <= kQuickGrid);
    if (options.threads < 0 || options.threads > kMaxSweepThreads)
        runtime_error(Code::ValueOutOfRange, s.span, fmt::format("{} sweep threads asked for; the limit is {}", options.threads, kMaxSweepThreads));
    int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const Team* ranks = team();
    const int rank = ranks ? ranks->rank() : 0, size = ranks ? ranks->size() : 1;
    const std::vector<Range> all = cut(space, threads * size);
    std::unique_ptr<SharedCounter> counter = size > 1 ? ranks->counter() : nullptr;
    const std::vector<Range> ranges = size == 1 || counter ? all : share_of(all, rank, size);
    outcome.threads = std::max(1, std::min<int>(threads, static_cast<int>(ranges.size())));
    outcome.ranks = size;
    SharedBound shared;
    // Each rank of a team takes ranges as it frees up, so its share of the points is not known in
    // advance: it stops at the whole limit, and rank 0 holds the ranks' sum to the limit at the merge.
    std::atomic<int64_t> points{0};
    RangeJob job{s, *outcome.code, reports, shared, reinterpret_cast<const int32_t*>(&halt), points, max_points(), max_points()};
    double per = space.progress_total > 0 && grid > 0 ? grid / space.progress_total : 1;
    std::vector<RangeResult> results;
    std::exception_ptr failure;
    const auto start = std::chrono::steady_clock::now();
    try {
        ProgressBar bar(options.progress && rank == 0 && isatty(STDERR_FILENO), outcome.threads, space.progress_total / size, per);
        results = run_ranges(job, ranges, outcome.threads, bar, counter.get(), halt);
        // Threads that took their budgets at once may have passed the limit together.
        if (points.load() > job.max_points) too_many_points(s, job.limit);
    } catch (...) {
        if (size == 1) throw;
        failure = std::current_exception();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    counter.reset();  // collective: every rank is done taking
    if (size > 1)
        merge_on_team(*ranks, s, *outcome.code, reports, all, std::move(results), failure, seconds, points.load(), outcome);
    else
        outcome.merged = merge_ranges(reports, results);
    return outcome;
}

// The axis values of a failing point, "gpus = 12.5, tp = 4": the axes bound before the failing
// item (an axis whose own list failed is not bound yet), as the report would show them.
std::string point_text(const CheckedSweep& s, const std::vector<double>& failure, const StringTable& strings, const UnitTable& units) {
    const int failing = static_cast<int>(failure.at(0));
    std::vector<std::string> parts;
    std::vector<int> axes = axis_items(s);
    for (size_t d = 0; d < axes.size() && axes[d] < failing && 1 + d < failure.size(); ++d) {
        const CheckedSweep::Item& axis = s.items[static_cast<size_t>(axes[d])];
        const Type& type = *axis.expr->type.elem;
        parts.push_back(axis.name + " = " + show_value(value_of_cell(type, failure[1 + d], strings), type, units));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

void print_stats(const CheckedSweep& s, const Backend& backend, const Outcome& outcome, double seconds, double grid) {
    const double compile_ms = outcome.code->compile_ms;
    double run = seconds - std::max(0.0, compile_ms) / 1000;
    std::string line = fmt::format("{}: backend {}", s.name.empty() ? "sweep" : "sweep " + s.name, backend.name);
    if (compile_ms >= 0) line += fmt::format(", JIT compile {:.1f} ms", compile_ms);
    if (outcome.ranks > 1) line += fmt::format(", {} ranks", outcome.ranks);
    line += fmt::format(", {} threads, run {:.5f} s", outcome.threads, run);
    if (outcome.rank_seconds.size() > 1) {  // how evenly the work fell: each rank's ranges and time on them
        std::vector<std::string> each;
        for (size_t r = 0; r < outcome.rank_seconds.size(); ++r)
            each.push_back(fmt::format("{} in {:.5f} s", outcome.rank_ranges[r], outcome.rank_seconds[r]));
        line += fmt::format(" (ranges per rank: {}; merged {} bytes in {:.5f} s)", fmt::join(each, ", "), outcome.merge_bytes,
                            outcome.merge_seconds);
    }
    if (grid > 0 && !outcome.merged.interrupted)
        line += fmt::format(", {} points, {} points/s", format_number(grid, true), human_rate(grid / std::max(run, 1e-9)));
    line += fmt::format(", {} feasible", outcome.merged.feasible);
    std::cerr << line << "\n";
}

}  // namespace

Value run_sweep(const CheckedSweep& s, Evaluator& eval, const UnitTable& units, std::ostream& out, const std::string& dir,
                const SessionOptions& options, SweepHost& host) {
    const Backend& backend = chosen_backend(s, options.backend);
    std::vector<ReportState> reports = initial_reports(s, eval);
    double grid = grid_size(s, eval);
    if (grid > static_cast<double>(max_points()))
        runtime_error(Code::TooLarge, s.span, fmt::format("this sweep has {} points; the limit is {}", format_number(grid, true),
                                          format_number(static_cast<double>(max_points()), false)),
                      "narrow an axis, or split the sweep");
    auto start = std::chrono::steady_clock::now();
    Outcome outcome;
    int32_t stopped_by = 0;
    {
        // A cancel the host sent before the sweep started stops it at once; the word is cleared
        // once the sweep ends, whatever stopped it.
        struct Clear {
            std::atomic<int32_t>& word;
            int32_t& seen;
            ~Clear() { seen = word.exchange(0); }
        } clear{host.halt, stopped_by};
        InterruptScope interrupt(host.halt);
        outcome = run_backend(backend, s, eval, reports, grid, options, host.halt);
    }
    const bool cancelled = stopped_by == SweepHost::kCancel;
    if (!outcome.mine_to_show) return s.value_type.is(Type::Kind::Record) ? sweep_value(s, outcome.merged, outcome.code->strings) : Value{};
    if (!outcome.merged.failure.empty()) {
        // Both backends stop at the first failing point (in the grid's order) and replay it on the
        // interpreter; the diagnostic says which point it was.
        try {
            replay_failure(s, eval, outcome.code->strings, outcome.merged.failure);
        } catch (DiagnosticError& e) {
            std::string point = point_text(s, outcome.merged.failure, outcome.code->strings, units);
            if (!point.empty()) e.diagnostic.notes.push_back("in " + (s.name.empty() ? std::string("the sweep") : "sweep `" + s.name + "`") + " at " + point);
            throw;
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.stats) print_stats(s, backend, outcome, seconds, grid);
    if (outcome.merged.interrupted && !cancelled) std::cerr << "interrupted: the best found so far\n";
    write_reports(out, s, outcome.merged, outcome.code->strings, units, dir, grid, eval.files(), options.json);
    if (host.row) {  // the host's rows: the same rows, in the same order, as the reports written
        for (size_t r = 0; r < outcome.merged.reports.size(); ++r)
            for (const Row& row : outcome.merged.reports[r]) {
                std::vector<Value> values;
                for (size_t c = 0; c < s.columns.size(); ++c) values.push_back(value_of_cell(s.columns[c].type, row.cells[c], outcome.code->strings));
                host.row(s, r, std::move(values));
            }
    }
    if (outcome.merged.interrupted && cancelled)
        runtime_error(Code::Cancelled, s.span, "the host cancelled the sweep", "the reports cover the points before it");
    if (outcome.merged.interrupted) runtime_error(Code::Interrupted, s.span, "the sweep was interrupted (Ctrl-C)", "the reports above cover the points before it");
    if (!s.value_type.is(Type::Kind::Record)) return {};
    return sweep_value(s, outcome.merged, outcome.code->strings);
}

}  // namespace plan

#include "sweep/driver.hpp"

#include "interpreter/display.hpp"
#include "sweep/backend.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include <fmt/format.h>


namespace plan {

namespace {

// Beyond this many points the interpreter would run for hours; the limit is checked up front.
constexpr double kMaxPoints = 1e10;
constexpr size_t kMaxRowsKept = 1'000'000;

struct Row {
    double key;     // the objective, negated when maximized: smaller is better
    uint64_t order; // enumeration order: ties keep it
    std::vector<Value> values;
};

using Kind = CheckedSweep::Item::Kind;

// What one report keeps while points stream past: bounded (top K, the frontier) or capped (all).
struct State {
    size_t limit = 0;
    std::vector<Row> rows;
    // Pareto: room for the coordinates of the point being offered (smaller is better), so that the
    // dominance test never allocates. Two coordinates: the frontier is a staircase keyed by x (y
    // then descends), tested in O(log n); `rows` holds only points with a NaN coordinate, which
    // neither dominate nor are dominated. Three or more: the coordinates of each row of `rows`,
    // rows.size() × dimensions, tested one by one. settle() moves the staircase into `rows`.
    std::vector<double> coords, point;
    std::map<double, std::pair<double, Row>> stair;
};

void settle(State& state) {
    for (auto& [x, entry] : state.stair) state.rows.push_back(std::move(entry.second));
    state.stair.clear();
}

// Set by Ctrl-C (and by a sweep that must stop early); read by both backends.
std::atomic<int32_t> g_halt{0};
static_assert(std::atomic<int32_t>::is_always_lock_free);

// Offers one point to one report. `key` is its objective (smaller is better), `at(c)` reads its
// column c as a number, and `make()` builds its Row: only when the point is kept, so a point that
// does not enter a top-K or a frontier costs no allocation. Returns whether it was kept.
template <class At, class Make>
bool offer(const CheckedSweep::Report& report, State& state, double key, const At& at, const Make& make) {
    auto& rows = state.rows;
    switch (report.kind) {
        case CheckedSweep::Report::Kind::Top: {
            if (rows.size() == state.limit && !(key < rows.back().key)) return false;
            auto where = std::upper_bound(rows.begin(), rows.end(), key, [](double k, const Row& r) { return k < r.key; });
            rows.insert(where, make());
            if (rows.size() > state.limit) rows.pop_back();
            return true;
        }
        case CheckedSweep::Report::Kind::Pareto: {
            const size_t d = report.columns.size();
            double* p = state.point.data();
            for (size_t j = 0; j < d; ++j) {
                double v = at(report.columns[j]);
                p[j] = report.maximize[j] ? -v : v;
            }
            // Dropped when a kept point is at least as good in every coordinate (equal included:
            // the earliest of equal points stays); kept, it drops the points it dominates. Which
            // points are kept does not depend on the order they are stored in.
            if (d == 2) {
                double x = p[0], y = p[1];
                if (std::isnan(x) || std::isnan(y)) {
                    rows.push_back(make());
                    return true;
                }
                auto& stair = state.stair;
                auto after = stair.upper_bound(x);  // the last before it has the least y of x' <= x
                if (after != stair.begin() && std::prev(after)->second.first <= y) return false;
                auto first = stair.lower_bound(x), last = first;  // x' >= x: those with y' >= y go
                while (last != stair.end() && last->second.first >= y) ++last;
                stair.erase(first, last);
                stair.emplace_hint(last, x, std::pair<double, Row>(y, make()));
                return true;
            }
            const double* kept = state.coords.data();
            for (size_t r = 0; r < rows.size(); ++r, kept += d) {
                size_t j = 0;
                while (j < d && kept[j] <= p[j]) ++j;
                if (j == d) return false;
            }
            size_t out = 0;
            for (size_t r = 0; r < rows.size(); ++r) {
                const double* q = state.coords.data() + r * d;
                size_t j = 0;
                while (j < d && p[j] <= q[j]) ++j;
                if (j == d) continue;
                if (out != r) {
                    rows[out] = std::move(rows[r]);
                    std::copy(q, q + d, state.coords.data() + out * d);
                }
                ++out;
            }
            rows.resize(out);
            state.coords.resize(out * d);
            rows.push_back(make());
            state.coords.insert(state.coords.end(), p, p + d);
            return true;
        }
        case CheckedSweep::Report::Kind::All:
            if (rows.size() >= kMaxRowsKept)
                runtime_error(Code::TooLarge, report.span, fmt::format("more than {} feasible points to report", kMaxRowsKept),
                              "add constraints, or report `top N` or `pareto(x, y)`");
            rows.push_back(make());
            return true;
    }
    return false;
}

// A Row already built (merging the reports of the JIT's chunks): offered as is.
void offer_row(const CheckedSweep::Report& report, State& state, Row& row) {
    offer(report, state, row.key, [&](int c) { return row.values[c].num(); }, [&] { return std::move(row); });
}

std::vector<State> initial_states(const CheckedSweep& s, Evaluator& eval) {
    std::vector<State> states(s.reports.size());
    for (size_t r = 0; r < s.reports.size(); ++r) {
        const auto& report = s.reports[r];
        states[r].point.resize(report.columns.size());
        if (report.kind != CheckedSweep::Report::Kind::Top) continue;
        double k = eval.evaluate(*report.count, 0).num();
        if (k < 1 || k != std::floor(k) || k > static_cast<double>(kMaxRowsKept))
            runtime_error(Code::ValueOutOfRange, report.count->span, fmt::format("`report top` needs a whole number from 1 to {}", kMaxRowsKept));
        states[r].limit = static_cast<size_t>(k);
    }
    return states;
}

bool uses_locals(const TExpr& e) {
    if (e.op == Op::Local) return true;
    return std::any_of(e.kids.begin(), e.kids.end(), [](auto& k) { return uses_locals(*k); });
}

// The grid size when no axis depends on another; 0 when it cannot be known before running.
double grid_size(const CheckedSweep& s, Evaluator& eval) {
    double size = 1;
    std::vector<Value> frame(static_cast<size_t>(s.frame_size));
    for (auto& item : s.items) {
        if (item.kind != Kind::Axis) continue;
        if (uses_locals(*item.expr)) return 0;
        size *= static_cast<double>(eval.eval(*item.expr, frame).list().items.size());
    }
    return size;
}

// The result of running a sweep on either backend.
struct Outcome {
    std::vector<State> states;
    uint64_t feasible = 0;
    bool interrupted = false;
    double compile_ms = -1;  // JIT only
    int threads = 1;
};

class Runner {
public:
    Runner(const CheckedSweep& s, Evaluator& eval, std::vector<State> states)
        : s_(s), eval_(eval), frame_(static_cast<size_t>(s.frame_size)), states_(std::move(states)) {}

    void run() { step(0); }

    uint64_t feasible() const { return feasible_; }
    bool interrupted() const { return interrupted_; }
    std::vector<State>& states() { return states_; }

private:
    void step(size_t i) {
        if (i == s_.items.size()) {
            leaf();
            return;
        }
        const auto& item = s_.items[i];
        switch (item.kind) {
            case Kind::Axis: {
                Value values = eval_.eval(*item.expr, frame_);
                for (const Value& v : values.list().items) {
                    if (g_halt.load(std::memory_order_relaxed)) {
                        interrupted_ = true;
                        return;
                    }
                    frame_[item.slot] = v;
                    step(i + 1);
                }
                return;
            }
            case Kind::Let: frame_[item.slot] = eval_.eval(*item.expr, frame_); break;
            case Kind::Constraint:
                if (!eval_.eval(*item.expr, frame_).truth()) return;  // prunes every point below
                break;
            case Kind::Objective: objective_ = eval_.eval(*item.expr, frame_).num(); break;
        }
        step(i + 1);
    }

    void leaf() {
        ++feasible_;
        uint64_t order = order_++;
        double key = s_.objective >= 0 && s_.items[s_.objective].maximize ? -objective_ : objective_;
        auto value = [&](const CheckedSweep::Column& c) { return c.slot >= 0 ? frame_[c.slot] : Value(objective_); };
        auto at = [&](int c) {
            const auto& col = s_.columns[c];
            return col.slot >= 0 ? frame_[col.slot].num() : objective_;
        };
        auto make = [&] {
            Row row{key, order, {}};
            row.values.reserve(s_.columns.size());
            for (auto& c : s_.columns) row.values.push_back(value(c));
            return row;
        };
        for (size_t r = 0; r < s_.reports.size(); ++r) offer(s_.reports[r], states_[r], key, at, make);
    }

    const CheckedSweep& s_;
    Evaluator& eval_;
    std::vector<Value> frame_;
    std::vector<State> states_;
    double objective_ = 0;
    uint64_t feasible_ = 0, order_ = 0;
    bool interrupted_ = false;
};

// ---- the JIT backend ------------------------------------------------------------------------

// One contiguous range of the outer axis, run by one kernel call: its own reports, merged in order.
struct Chunk {
    int64_t lo = 0, hi = 0;
    std::vector<State> states;
    int64_t feasible = 0;
    int32_t status = -1;  // kernel result; -1: not run
    std::vector<double> err;
    bool overflow = false;  // more rows for `report all` than it may keep
};

struct Sink {
    const CheckedSweep* s;
    const sweep::CompiledSweep* code;
    Chunk* chunk;
    double threshold;
    bool all_top;
};

Value column_value(const Type& t, double x, const std::vector<std::string>& strings) {
    if (t.is(Type::Kind::Bool)) return Value(x != 0);
    if (t.is(Type::Kind::String)) return Value::string(strings.at(static_cast<size_t>(x)));
    return Value(x);
}

void emit_row(void* sink_ptr, const double* row, int64_t order) {
    auto& sink = *static_cast<Sink*>(sink_ptr);
    const CheckedSweep& s = *sink.s;
    const double key = row[s.columns.size()];
    auto at = [&](int c) { return row[c]; };
    auto make = [&] {
        Row r{key, static_cast<uint64_t>(order), {}};
        r.values.reserve(s.columns.size());
        for (size_t c = 0; c < s.columns.size(); ++c) r.values.push_back(column_value(s.columns[c].type, row[c], sink.code->strings));
        return r;
    };
    auto& states = sink.chunk->states;
    for (size_t i = 0; i < s.reports.size(); ++i) {
        if (s.reports[i].kind == CheckedSweep::Report::Kind::All && states[i].rows.size() >= kMaxRowsKept) {
            sink.chunk->overflow = true;
            g_halt.store(2);
            return;
        }
        offer(s.reports[i], states[i], key, at, make);
    }
    if (sink.all_top) {
        double t = -std::numeric_limits<double>::infinity();
        for (auto& st : states)
            t = std::max(t, st.rows.size() < st.limit ? std::numeric_limits<double>::infinity() : st.rows.back().key);
        sink.threshold = t;
    }
}

// A point where the kernel found a runtime error, replayed on the interpreter for its diagnostic.
[[noreturn]] void replay(const CheckedSweep& s, Evaluator& eval, const sweep::CompiledSweep& code, const std::vector<double>& err) {
    size_t failing = static_cast<size_t>(err[0]);
    std::vector<Value> frame(static_cast<size_t>(s.frame_size));
    size_t axis = 0;
    for (size_t i = 0; i <= failing && i < s.items.size(); ++i) {
        const auto& item = s.items[i];
        switch (item.kind) {
            case Kind::Axis:
                if (i == failing) {
                    eval.eval(*item.expr, frame);
                } else {
                    frame[item.slot] = column_value(*item.expr->type.elem, err[1 + axis++], code.strings);
                }
                break;
            case Kind::Let: frame[item.slot] = eval.eval(*item.expr, frame); break;
            case Kind::Constraint: eval.eval(*item.expr, frame); break;
            case Kind::Objective: eval.eval(*item.expr, frame); break;
        }
    }
    runtime_error(Code::JitMismatch, s.items[std::min(failing, s.items.size() - 1)].expr->span,
                  "the compiled sweep failed here but the interpreter does not (a JIT bug)", "run with `--backend interp`");
}

std::string human_rate(double x) {
    const char* suffix[] = {"", "k", "M", "G", "T"};
    int i = 0;
    while (x >= 1000 && i < 4) {
        x /= 1000;
        ++i;
    }
    return fmt::format("{:.3g}{}", x, suffix[i]);
}

Outcome run_compiled(const sweep::Backend& backend, const CheckedSweep& s, Evaluator& eval, std::vector<State> initial, double grid,
                     const SessionOptions& options) {
    // A grid known to be small runs in well under a millisecond: compile it quickly instead.
    constexpr double kQuickGrid = 20'000;
    std::unique_ptr<sweep::CompiledSweep> code = backend.compile(s, eval, grid > 0 && grid <= kQuickGrid);
    Outcome result;
    result.compile_ms = code->compile_ms;
    bool all_top = std::all_of(s.reports.begin(), s.reports.end(),
                               [](auto& r) { return r.kind == CheckedSweep::Report::Kind::Top; });
    int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<Chunk> chunks;
    if (code->outer_count < 0) {
        chunks.push_back({0, std::numeric_limits<int64_t>::max(), {}, 0, -1, {}, false});
    } else {
        int64_t n = code->outer_count;
        int64_t size = std::max<int64_t>(1, n / (static_cast<int64_t>(threads) * 8));
        for (int64_t lo = 0; lo < n; lo += size) chunks.push_back({lo, std::min(n, lo + size), {}, 0, -1, {}, false});
        if (chunks.empty()) chunks.push_back({0, 0, {}, 0, -1, {}, false});
    }
    threads = std::max(1, std::min<int>(threads, static_cast<int>(chunks.size())));
    result.threads = threads;
    for (auto& c : chunks) c.states = initial;
    for (auto& c : chunks) c.err.assign(code->axis_items.size() + 1, 0.0);

    std::atomic<size_t> next{0};
    std::atomic<size_t> first_error{chunks.size()};
    struct alignas(64) Counter {  // one cache line each: threads never share one
        std::atomic<int64_t> n{0};
    };
    std::vector<Counter> progress(static_cast<size_t>(threads));
    auto work = [&](int t) {
        for (;;) {
            size_t i = next.fetch_add(1);
            if (i >= chunks.size() || i > first_error.load()) return;
            Chunk& c = chunks[i];
            Sink sink{&s, code.get(), &c, std::numeric_limits<double>::infinity(), all_top};
            c.status = code->fn(&sink, &emit_row, &sink.threshold, c.err.data(), reinterpret_cast<const int32_t*>(&g_halt),
                                reinterpret_cast<int64_t*>(&progress[t].n), c.lo, c.hi, &c.feasible);
            if (c.status == sweep::kError) {
                size_t e = first_error.load();
                while (i < e && !first_error.compare_exchange_weak(e, i)) {
                }
            }
            if (c.status == sweep::kStopped) return;
        }
    };
    std::atomic<bool> finished{false};
    std::thread monitor;
    bool bar = options.progress && isatty(STDERR_FILENO);
    if (bar) {
        monitor = std::thread([&] {
            auto start = std::chrono::steady_clock::now();
            while (!finished.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                double done = 0;
                for (auto& p : progress) done += static_cast<double>(p.n.load(std::memory_order_relaxed));
                double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                double total = code->progress_total;
                double per = total > 0 && grid > 0 ? grid / total : 1;
                std::string line;
                if (total > 0) {
                    double frac = std::min(1.0, done / total);
                    int filled = static_cast<int>(frac * 30);
                    double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
                    line = fmt::format("\r[{}{}] {:5.1f}%  {} points/s  ETA {:.0f} s ", std::string(filled, '#'),
                                       std::string(30 - filled, ' '), frac * 100, human_rate(done * per / secs), eta);
                } else {
                    line = fmt::format("\r{} points/s ", human_rate(done * per / secs));
                }
                std::cerr << line << std::flush;
            }
            std::cerr << "\r" << std::string(72, ' ') << "\r" << std::flush;
        });
    }
    if (threads == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
        for (auto& t : pool) t.join();
    }
    finished.store(true);
    if (monitor.joinable()) monitor.join();

    // Merge in enumeration order: chunk by chunk, each chunk's order offset by the points before it.
    result.states = std::move(initial);
    uint64_t offset = 0;
    for (size_t i = 0; i < chunks.size(); ++i) {
        Chunk& c = chunks[i];
        if (c.status == sweep::kError) replay(s, eval, *code, c.err);
        if (c.overflow) {
            for (size_t r = 0; r < s.reports.size(); ++r)
                if (s.reports[r].kind == CheckedSweep::Report::Kind::All)
                    runtime_error(Code::TooLarge, s.reports[r].span, fmt::format("more than {} feasible points to report", kMaxRowsKept),
                                  "add constraints, or report `top N` or `pareto(x, y)`");
        }
        if (c.status == sweep::kStopped || c.status < 0) result.interrupted = true;
        for (size_t r = 0; r < s.reports.size(); ++r) {
            settle(c.states[r]);
            for (Row& row : c.states[r].rows) {
                row.order += offset;
                offer_row(s.reports[r], result.states[r], row);
            }
            c.states[r] = State{};  // its memory goes now
        }
        offset += static_cast<uint64_t>(c.feasible);
    }
    for (auto& st : result.states) settle(st);
    result.feasible = offset;
    return result;
}

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

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Numbers in the column's own unit (as written, not rescaled), named in the header.
void write_csv(std::ostream& f, const CheckedSweep& s, const std::vector<Row>& rows, const UnitTable& units) {
    std::vector<UnitTerm> terms;
    for (size_t i = 0; i < s.columns.size(); ++i) {
        const Type& t = s.columns[i].type;
        UnitTerm term = t.is(Type::Kind::Number) ? (t.hint.empty() ? units.default_term(t.dim) : t.hint) : UnitTerm{};
        std::string unit = units.text(term);
        f << (i ? "," : "") << csv_field(unit.empty() ? s.columns[i].name : s.columns[i].name + " [" + unit + "]");
        terms.push_back(term);
    }
    f << "\n";
    for (const Row& row : rows) {
        for (size_t i = 0; i < s.columns.size(); ++i) {
            const Type& t = s.columns[i].type;
            const Value& v = row.values[i];
            std::string cell = t.is(Type::Kind::Number) ? fmt::format("{}", v.num() / units.factor(terms[i]))
                               : t.is(Type::Kind::Bool) ? (v.truth() ? "true" : "false")
                                                        : csv_field(v.str());
            f << (i ? "," : "") << cell;
        }
        f << "\n";
    }
}

// The backend `--backend NAME` asks for: "auto" is the JIT when this build has it, else the
// interpreter; a name this build lacks is an error.
const sweep::Backend* chosen_backend(const CheckedSweep& s, const std::string& name) {
    if (name == "interp") return nullptr;
    if (name == "auto") return sweep::find_backend("jit");
    if (const sweep::Backend* b = sweep::find_backend(name)) return b;
    runtime_error(Code::NoSuchBackend, s.span, "this build of plan has no sweep backend `" + name + "`",
                  fmt::format("the backends built in: {}", fmt::join(sweep::backend_names(), ", ")));
}

}  // namespace

void run_sweep(const CheckedSweep& s, Evaluator& eval, const UnitTable& units, std::ostream& out, const std::string& dir,
               const SessionOptions& options) {
    const sweep::Backend* backend = chosen_backend(s, options.backend);
    std::vector<State> initial = initial_states(s, eval);
    double size = grid_size(s, eval);
    if (size > kMaxPoints)
        runtime_error(Code::TooLarge, s.span, fmt::format("this sweep has {} points; the limit is {}", format_number(size, true),
                                                          format_number(kMaxPoints, false)),
                      "narrow an axis, or split the sweep");
    auto start = std::chrono::steady_clock::now();
    Outcome outcome;
    {
        InterruptScope interrupt;
        if (!backend) {
            Runner runner(s, eval, std::move(initial));
            runner.run();
            outcome.states = std::move(runner.states());
            for (auto& st : outcome.states) settle(st);
            outcome.feasible = runner.feasible();
            outcome.interrupted = runner.interrupted();
        } else {
            outcome = run_compiled(*backend, s, eval, std::move(initial), size, options);
        }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.stats) {
        double run = secs - std::max(0.0, outcome.compile_ms) / 1000;
        std::string line = fmt::format("{}: backend {}", s.name.empty() ? "sweep" : "sweep " + s.name, backend ? backend->name : "interp");
        if (outcome.compile_ms >= 0) line += fmt::format(", JIT compile {:.1f} ms", outcome.compile_ms);
        line += fmt::format(", {} threads, run {:.5f} s", outcome.threads, run);
        if (size > 0 && !outcome.interrupted)
            line += fmt::format(", {} points, {} points/s", format_number(size, true), human_rate(size / std::max(run, 1e-9)));
        line += fmt::format(", {} feasible", outcome.feasible);
        std::cerr << line << "\n";
    }
    if (outcome.interrupted) std::cerr << "interrupted: the best found so far\n";
    struct {
        uint64_t feasible() const { return f; }
        const std::vector<Row>& rows(size_t r) const { return (*states)[r].rows; }
        uint64_t f;
        const std::vector<State>* states;
    } runner{outcome.feasible, &outcome.states};
    std::string title = s.name.empty() ? "sweep" : "sweep " + s.name;
    out << title << ": " << runner.feasible() << " feasible point" << (runner.feasible() == 1 ? "" : "s");
    if (size > 0) out << " of " << format_number(size, true);
    out << "\n";

    Type row_type;
    row_type.kind = Type::Kind::Record;
    auto record = std::make_shared<RecordType>();
    for (auto& c : s.columns) {
        record->names.push_back(c.name);
        record->types.push_back(c.type);
    }
    row_type.record = record;
    for (size_t r = 0; r < s.reports.size(); ++r) {
        const auto& report = s.reports[r];
        const auto& rows = runner.rows(r);
        std::vector<Row> sorted = rows;
        if (report.kind == CheckedSweep::Report::Kind::Pareto) {
            // By the first coordinate, then in enumeration order.
            int first = report.columns[0];
            std::sort(sorted.begin(), sorted.end(), [&](const Row& a, const Row& b) {
                double ax = a.values[first].num(), bx = b.values[first].num();
                return ax != bx ? ax < bx : a.order < b.order;
            });
        }
        std::string what;
        if (report.kind == CheckedSweep::Report::Kind::Top) {
            // Several objectives: `top` ranks by the first.
            const auto& first = s.objectives.at(0);
            const std::string& name = s.columns[first.column].name;
            bool hidden = s.items[s.objective].name.empty();  // not an axis or let: no name to show
            what = s.objectives.size() == 1
                       ? fmt::format("top {} by {}", sorted.size(), first.maximize ? "largest objective" : "smallest objective")
                   : hidden ? fmt::format("top {} by {} first objective", sorted.size(), first.maximize ? "largest" : "smallest")
                            : fmt::format("top {} by {} {} (the first objective)", sorted.size(),
                                          first.maximize ? "largest" : "smallest", name);
        } else if (report.kind == CheckedSweep::Report::Kind::Pareto) {
            std::string names;
            for (size_t i = 0; i < report.columns.size(); ++i)
                names += (i == 0 ? "" : i + 1 == report.columns.size() ? " and " : ", ") + s.columns[report.columns[i]].name;
            what = fmt::format("Pareto frontier of {} ({} points)", names, sorted.size());
        } else {
            what = fmt::format("all {} feasible points", sorted.size());
        }
        if (!report.file.empty()) {
            std::filesystem::path path = std::filesystem::path(report.file).is_absolute() ? report.file : dir + "/" + report.file;
            std::ofstream f(path);
            if (!f) runtime_error(Code::CannotWrite, report.span, "cannot write " + report.file);
            if (path.extension() == ".json") {
                nlohmann::ordered_json rows_json = nlohmann::ordered_json::array();
                for (const Row& row : sorted) rows_json.push_back(to_json(make_record(row.values), row_type, units));
                f << rows_json.dump(2) << "\n";
            } else {
                write_csv(f, s, sorted, units);
            }
            out << what << ": written to " << report.file << "\n";
            continue;
        }
        out << what << ":\n";
        if (sorted.empty()) continue;
        std::vector<Value> records;
        for (const Row& row : sorted) records.push_back(make_record(row.values));
        out << show_block(make_list(std::move(records)), Type::list(row_type), units) << "\n";
    }
    if (outcome.interrupted) runtime_error(Code::Interrupted, s.span, "the sweep was interrupted (Ctrl-C)", "the reports above cover the points before it");
}

}  // namespace plan

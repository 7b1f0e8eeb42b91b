// Tiny-transformer training runs from plan (issue 5): a grid of models x token budgets trained by
// the CPU reference trainer (validation/), resumable through an SQLite run store, and the frontier,
// fits and plots over the runs.
//
//   train_runs(corpus, models, tokens, store, options)   the grid; returns one run record per run
//   runs_frontier(runs, bins_per_decade)                  the runs on the compute frontier
//   fit_runs_frontier(runs, bins_per_decade)              N_opt ∝ C^a, D_opt ∝ C^b with 95% intervals
//   fit_runs_chinchilla(runs, drop, samples, seed)        L = E + A/N^α + B/D^β (Approach 3)
//   plot_runs(runs, prefix, bins_per_decade)              two SVG plots; returns their paths
//
// The fits go through the same code as fit_frontier_csv and fit_chinchilla_csv (fitting.hpp).
// Relative paths (corpus, store, plot prefix) are found beside the calling file, so call these
// natives from your own script; stdlib/validation.plan (`use validation`) builds the models and
// the options record with named arguments and defaults.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "stdlib/native/fitting.hpp"
#include "stdlib/native/natives.hpp"
#include "interpreter/task_farm.hpp"
#include "interpreter/units.hpp"
#include "plot/write.hpp"
#include "validation/grid.hpp"
#include "validation/train_wire.hpp"

namespace plan {

namespace {

namespace v = plan::validation;

// The run record, field by field (the order is the record's).
constexpr const char* kRunFields[] = {"d_model", "d_mlp", "layers", "heads", "params", "non_embedding_params",
                                      "tokens",  "compute", "train_loss", "val_loss", "seconds"};
enum RunField { kDModel, kDMlp, kLayers, kHeads, kParams, kNonEmb, kTokens, kCompute, kTrainLoss, kValLoss, kSeconds };

// The options record of training_options() in stdlib/validation.plan.
constexpr const char* kOptionFields[] = {"seq",          "batch",        "seed",        "lr",
                                         "min_lr_ratio", "warmup",       "weight_decay", "grad_clip",
                                         "val_fraction", "eval_tokens",  "threads",      "format"};

Type run_type(const UnitTable& units) {
    Dim compute = units.find_dimension("Compute").value_or(Dim{});
    Dim time = units.find_dimension("Time").value_or(Dim{});
    std::vector<std::pair<std::string, Type>> f;
    for (const char* n : kRunFields) {
        std::string name = n;
        f.push_back({name, Type::number(name == "compute" ? compute : name == "seconds" ? time : Dim{})});
    }
    return record_type(f);
}

std::string tname(const BuiltinCall& c, size_t i) { return type_name(c.args[i], c.units); }

[[noreturn]] void type_fail(Code code, const BuiltinCall& c, size_t i, const std::string& msg, std::string help = {}) {
    builtin_fail(code, msg, c.arg_spans[i], tname(c, i), std::move(help));
}

void want_string(const BuiltinCall& c, size_t i, const char* fn, const char* what) {
    if (!c.args[i].is(Type::Kind::String)) type_fail(Code::NeedsString, c, i, fmt::format("`{}` needs {} as a String, not {}", fn, what, tname(c, i)));
}
void want_scalar(const BuiltinCall& c, size_t i, const char* fn, const char* what) {
    if (!c.args[i].is(Type::Kind::Number) || !c.args[i].dim.none())
        builtin_fail(c.args[i].is(Type::Kind::Number) ? Code::NeedsScalar : Code::NeedsNumber,
                     fmt::format("`{}` needs {} as a Scalar, not {}", fn, what, tname(c, i)), c.arg_spans[i], tname(c, i));
}

// A record type whose fields start with `names` (in that order); `extra` more are allowed.
bool record_starts_with(const Type& t, const std::vector<std::string>& names, size_t extra_allowed) {
    if (!t.is(Type::Kind::Record) || !t.record) return false;
    const auto& rn = t.record->names;
    if (rn.size() < names.size() || rn.size() > names.size() + extra_allowed) return false;
    for (size_t i = 0; i < names.size(); ++i)
        if (rn[i] != names[i]) return false;
    return true;
}

void want_runs(const BuiltinCall& c, size_t i, const char* fn) {
    const Type& t = c.args[i];
    std::vector<std::string> names(std::begin(kRunFields), std::end(kRunFields));
    if (!t.is(Type::Kind::List) || !t.elem || !record_starts_with(*t.elem, names, 0))
        type_fail(Code::ArgumentType, c, i, fmt::format("`{}` needs the runs returned by train_runs, not {}", fn, tname(c, i)));
}

std::filesystem::path resolve(const std::string& path, const CallSite& at) {
    std::filesystem::path p(path);
    if (p.is_absolute() || at.file.empty() || at.file.front() == '<') return p;
    return std::filesystem::path(std::string(at.file)).parent_path() / p;
}

[[noreturn]] void fail(Code code, const std::string& msg, const CallSite& at, std::string help = {}) {
    builtin_fail(code, msg, at.span, "", std::move(help));
}

double whole(const Value& v, const char* what, double lo, double hi, const CallSite& at) {
    double x = v.num();
    if (!std::isfinite(x) || x != std::floor(x) || x < lo || x > hi)
        fail(Code::ValueOutOfRange, fmt::format("{} must be a whole number from {} to {}, not {}", what, format_number(lo, true),
                                              format_number(hi, true), format_number(x, false)),
             at);
    return x;
}

// --- train_runs ---------------------------------------------------------------------------------

Type check_train_runs(const BuiltinCall& c) {
    const char* fn = "train_runs";
    want_string(c, 0, fn, "the corpus path");
    const Type& m = c.args[1];
    if (!m.is(Type::Kind::List) || !m.elem || !record_starts_with(*m.elem, {"d_model", "d_mlp", "layers"}, 1) ||
        (m.elem->record->names.size() == 4 && m.elem->record->names[3] != "heads"))
        type_fail(Code::ArgumentType, c, 1, fmt::format("`{}` needs the models as a list of records {{ d_model, d_mlp, layers }} (fields in this order, "
                                                        "optionally then heads), not {}",
                                                        fn, tname(c, 1)),
                  "use validation; tiny_model(d_model, layers) builds one");
    for (const Type& f : m.elem->record->types)
        if (!f.is(Type::Kind::Number) || !f.dim.none()) type_fail(Code::ArgumentType, c, 1, fmt::format("`{}`: the model fields must be Scalars", fn));
    const Type& t = c.args[2];
    if (!t.is(Type::Kind::List) || !t.elem || !t.elem->is(Type::Kind::Number) || !t.elem->dim.none())
        type_fail(Code::ArgumentType, c, 2, fmt::format("`{}` needs the token budgets as a list of Scalars, not {}", fn, tname(c, 2)));
    want_string(c, 3, fn, "the run store path (\"\" for NAME.runs.sqlite beside the script)");
    if (c.args.size() > 4) {
        std::vector<std::string> names(std::begin(kOptionFields), std::end(kOptionFields));
        if (!record_starts_with(c.args[4], names, 0))
            type_fail(Code::ArgumentType, c, 4, fmt::format("`{}` needs the options record of training_options(...), not {}", fn, tname(c, 4)),
                      "use validation; training_options(seq = 64, batch = 16, ...)");
    }
    return Type::list(run_type(c.units));
}

// In-place per-step progress on a terminal; nothing otherwise (the grid logs one line per run).
class StepProgress {
public:
    StepProgress() : tty_(isatty(STDERR_FILENO) != 0) {}
    void operator()(const v::TrainProgress& p) {
        if (!tty_) return;
        auto now = std::chrono::steady_clock::now();
        bool last = p.step == p.steps;
        if (!last && now - last_ < std::chrono::milliseconds(200)) return;
        last_ = now;
        std::fprintf(stderr, "\r  step %lld/%lld  loss %.4f  %.0f tok/s  ETA %.0f s   %s", static_cast<long long>(p.step),
                     static_cast<long long>(p.steps), p.loss, p.tokens_per_s, p.eta_s, last ? "\r\033[K" : "");
        std::fflush(stderr);
    }

private:
    bool tty_;
    std::chrono::steady_clock::time_point last_{};
};

Value run_value(const v::StoredRun& r) {
    return make_record({Value(static_cast<double>(r.d_model)), Value(static_cast<double>(r.d_mlp)),
                        Value(static_cast<double>(r.layers)), Value(static_cast<double>(r.heads)),
                        Value(static_cast<double>(r.params)), Value(static_cast<double>(r.non_embedding_params)),
                        Value(static_cast<double>(r.tokens)), Value(r.compute), Value(r.train_loss), Value(r.val_loss),
                        Value(r.seconds)});
}

std::vector<v::StoredRun> train_here(const std::vector<v::TrainConfig>& runs, const std::string& store_path) {
    v::RunStore store(store_path);
    v::CpuBackend backend;
    v::GridEvents ev;
    StepProgress progress;
    ev.train_progress = [&](const v::TrainProgress& p) { progress(p); };
    return v::run_grid(runs, backend, store, ev);
}

// --- train_runs on the ranks of an MPI job --------------------------------------------------------
//
// Every rank runs the program and so calls train_runs with the same runs. Rank 0 alone opens the
// store: it hands each run to be trained to a rank as the rank frees up (the task farm installed
// by cluster/), stores each result in its own transaction as it comes back, and then sends every
// rank the grid's runs (or its error), so that the program goes on alike everywhere. Rank 0 does
// not train: with N ranks, N - 1 train at once (a rank per GPU or machine, plus one).

// The task farm as the grid's pool of trainers: a task is a run's configuration, a result its
// TrainResult (validation/train_wire.hpp).
class RankPool : public v::TrainerPool {
public:
    RankPool(const TaskFarm& farm, std::string when_killed) : farm_(farm), when_killed_(std::move(when_killed)) {}
    void train(const std::function<std::optional<Run>()>& next, const std::function<void(size_t, const v::TrainResult&)>& done) override {
        entered_ = true;
        farm_.farm(
            [&]() -> std::optional<TaskFarm::Task> {
                std::optional<Run> run = next();
                if (!run) return std::nullopt;
                return TaskFarm::Task{run->index, v::encode_config(run->config)};
            },
            [&](uint64_t id, int, const std::string& result) { done(static_cast<size_t>(id), v::decode_result(result)); }, {},
            when_killed_);
    }
    bool entered() const { return entered_; }

private:
    const TaskFarm& farm_;
    std::string when_killed_;
    bool entered_ = false;
};

// Rank 0: the grid, with the other ranks as its trainers. Whatever fails, the other ranks are let
// go (their share of the farm, then the broadcast) before the error is thrown here.
std::vector<v::StoredRun> lead_ranks(const TaskFarm& farm, const std::vector<v::TrainConfig>& runs, const std::string& store_path) {
    RankPool pool(farm, "plan: the MPI job ended while train_runs was training (a rank died, or the job was killed); every run "
                        "finished so far is in the run store '" + store_path + "': run the same command again to train the rest");
    std::vector<v::StoredRun> out;
    std::exception_ptr failure;
    std::string message;
    try {
        v::RunStore store(store_path);
        v::CpuBackend backend;
        out = v::run_grid(runs, backend, store, {}, {}, &pool);
    } catch (const std::exception& e) {
        failure = std::current_exception();
        message = e.what();
    }
    if (!pool.entered()) farm.farm([] { return std::nullopt; }, {}, {}, "");
    farm.broadcast(failure ? "\1" + message : std::string(1, '\0') + v::encode_runs(out));
    if (failure) std::rethrow_exception(failure);
    return out;
}

// The other ranks: train what rank 0 hands out (each loads the corpus once, from the same path:
// on a cluster, a file system the machines share), then take the grid's runs from rank 0.
Value train_for_rank_0(const TaskFarm& farm, const CallSite& at) {
    std::optional<v::Corpus> corpus;
    v::CpuBackend backend;
    farm.farm({}, {}, [&](const std::string& task) {
        v::TrainConfig config = v::decode_config(task);
        if (!corpus || corpus->path != config.corpus_path) corpus = v::load_corpus(config.corpus_path, config.corpus_format);
        return v::encode_result(backend.train(config, *corpus, {}));
    }, "");
    std::string grid = farm.broadcast("");
    if (grid.empty() || grid[0] != '\0')
        fail(Code::RankFailed, "rank 0 stopped train_runs with an error: " + (grid.empty() ? std::string() : grid.substr(1)), at);
    std::vector<Value> items;
    for (const auto& r : v::decode_runs(grid.substr(1))) items.push_back(run_value(r));
    return make_list(std::move(items));
}

Value eval_train_runs(const std::vector<Value>& a, const CallSite& at) {
    v::TrainConfig base;
    base.corpus_path = resolve(a[0].str(), at).lexically_normal().string();
    if (a.size() > 4) {
        const auto& o = a[4].record().fields;
        base.model.seq_len = static_cast<int>(whole(o[0], "seq", 1, 1 << 20, at));
        base.batch = static_cast<int>(whole(o[1], "batch", 1, 1 << 20, at));
        base.seed = static_cast<uint64_t>(whole(o[2], "seed", 0, 9007199254740992.0, at));
        base.lr = o[3].num();
        base.min_lr_ratio = o[4].num();
        base.warmup = static_cast<int64_t>(whole(o[5], "warmup", -1, 1e15, at));
        base.adamw.weight_decay = o[6].num();
        base.grad_clip = o[7].num();
        base.val_fraction = o[8].num();
        base.eval_tokens = static_cast<int64_t>(whole(o[9], "eval_tokens", 1, 1e15, at));
        base.threads = static_cast<int>(whole(o[10], "threads", 0, 4096, at));
        try {
            base.corpus_format = v::parse_corpus_format(o[11].str());
        } catch (const std::exception& e) {
            fail(Code::ValueOutOfRange, e.what(), at);
        }
    }
    std::vector<v::TrainConfig> runs;
    for (const Value& mv : a[1].list().items) {
        const auto& f = mv.record().fields;
        v::TrainConfig c = base;
        c.model.d_model = static_cast<int>(whole(f[0], "d_model", 1, 1 << 16, at));
        double d_mlp = whole(f[1], "d_mlp", 0, 1 << 20, at);
        c.model.d_mlp = d_mlp == 0 ? 4 * c.model.d_model : static_cast<int>(d_mlp);
        c.model.n_layers = static_cast<int>(whole(f[2], "layers", 1, 1024, at));
        double heads = f.size() > 3 ? whole(f[3], "heads", 0, 1 << 16, at) : 0;
        c.model.n_heads = heads == 0 ? v::default_heads(c.model.d_model) : static_cast<int>(heads);
        for (const Value& tv : a[2].list().items) {
            c.tokens = static_cast<int64_t>(whole(tv, "a token budget", 1, 1e15, at));
            runs.push_back(c);
        }
    }
    std::string store_path = a[3].str();
    if (store_path.empty()) {
        std::string f(at.file);
        store_path = f.empty() || f.front() == '<'
                         ? std::string("runs.sqlite")
                         : (std::filesystem::path(f).parent_path() / (std::filesystem::path(f).stem().string() + ".runs.sqlite")).string();
    } else {
        store_path = resolve(store_path, at).string();
    }
    // The sandbox: the corpus is read, the store read and written (SQLite opens them itself).
    try {
        at.access().check_read(base.corpus_path);
    } catch (const files::FileError& e) {
        if (e.kind != files::FileError::Kind::Missing) file_fail(e, at.span, "", false);
        // a missing corpus is the trainer's own error below, with its help
    }
    try {
        at.access().check_write(store_path);
    } catch (const files::FileError& e) {
        if (e.kind == files::FileError::Kind::NotAllowed) file_fail(e, at.span, "", true);
        // a folder, or a missing folder: the store's own errors below
    }
    const TaskFarm* farm = task_farm();
    if (farm && farm->size() > 1 && farm->rank() != 0) return train_for_rank_0(*farm, at);
    try {
        std::vector<v::StoredRun> out = farm && farm->size() > 1 ? lead_ranks(*farm, runs, store_path) : train_here(runs, store_path);
        std::vector<Value> items;
        for (const auto& r : out) items.push_back(run_value(r));
        return make_list(std::move(items));
    } catch (const v::CorpusError& e) {
        fail(Code::CorpusUnusable, e.what(), at, "a relative corpus path is found beside the calling file");
    } catch (const v::StoreDamaged& e) {
        fail(Code::RunStoreDamaged, e.what(), at, "the runs in a damaged store cannot be trusted; restore the file, or delete it to train again");
    } catch (const v::StoreError& e) {
        fail(Code::RunStoreUnusable, e.what(), at, "the store is an SQLite file; \"\" puts NAME.runs.sqlite beside the script");
    } catch (const std::invalid_argument& e) {
        fail(Code::TrainingConfigInvalid, e.what(), at);
    } catch (const std::exception& e) {
        fail(Code::TrainingFailed, std::string("training failed: ") + e.what(), at);
    }
}

// --- Frontier, fits, plots ----------------------------------------------------------------------

struct Columns {
    std::vector<double> n, d, l;
};

Columns columns(const Value& runs, const CallSite& at, const char* fn) {
    Columns c;
    for (const Value& r : runs.list().items) {
        const auto& f = r.record().fields;
        c.n.push_back(f[kParams].num());
        c.d.push_back(f[kTokens].num());
        c.l.push_back(f[kValLoss].num());
    }
    for (size_t i = 0; i < c.n.size(); ++i)
        if (!(c.n[i] > 0 && c.d[i] > 0 && c.l[i] > 0 && std::isfinite(c.l[i])))
            fail(Code::BadDataValue, fmt::format("`{}`: run {} has a non-positive or non-finite params, tokens or val_loss", fn, i + 1), at);
    if (c.n.empty()) fail(Code::FitFailed, fmt::format("`{}`: there are no runs", fn), at);
    return c;
}

double bins_arg(const std::vector<Value>& a, size_t i, const CallSite& at) {
    double b = a.size() > i ? a[i].num() : 4;
    if (b < 0 || !std::isfinite(b)) fail(Code::ValueOutOfRange, "bins_per_decade must be 0 (equal compute) or positive", at);
    return b;
}

Value eval_frontier(const std::vector<Value>& a, const CallSite& at) {
    Columns c = columns(a[0], at, "runs_frontier");
    std::vector<Value> items;
    for (size_t i : fitting::frontier_indices(c.n, c.d, c.l, bins_arg(a, 1, at))) items.push_back(a[0].list().items[i]);
    return make_list(std::move(items));
}

Value eval_fit_frontier(const std::vector<Value>& a, const CallSite& at) {
    Columns c = columns(a[0], at, "fit_runs_frontier");
    return fitting::fit_frontier_data(c.n, c.d, c.l, bins_arg(a, 1, at), "the runs", at);
}

Value eval_fit_chinchilla(const std::vector<Value>& a, const CallSite& at) {
    Columns c = columns(a[0], at, "fit_runs_chinchilla");
    size_t drop = a.size() > 1 ? static_cast<size_t>(whole(a[1], "drop_highest_loss", 0, 1e9, at)) : 0;
    size_t samples = a.size() > 2 ? static_cast<size_t>(whole(a[2], "bootstrap_samples", 0, 100000, at)) : 0;
    uint64_t seed = a.size() > 3 ? static_cast<uint64_t>(whole(a[3], "seed", 0, 9007199254740992.0, at)) : 0;
    return fitting::fit_chinchilla_data(c.n, c.d, c.l, drop, samples, seed, "training runs", " (N total, D trained, validation loss)",
                                        at);
}

Value eval_plot(const std::vector<Value>& a, const CallSite& at) {
    const auto& items = a[0].list().items;
    Columns c = columns(a[0], at, "plot_runs");
    double bins = bins_arg(a, 2, at);
    const std::string prefix = a[1].str();
    if (prefix.empty()) fail(Code::ValueOutOfRange, "plot_runs needs a path prefix for the SVG files", at);

    // Loss vs compute: every run by model shape, and the frontier as a line.
    plot::Plot pc;
    pc.title = "Validation loss vs training compute";
    pc.x_label = "compute C = 6ND (FLOP)";
    pc.y_label = "validation loss (nats/token)";
    std::map<std::tuple<double, double, double>, size_t> shapes;  // (params, d_model, layers) -> series
    std::vector<plot::PlotSeries> by_shape;
    for (size_t i = 0; i < items.size(); ++i) {
        const auto& f = items[i].record().fields;
        auto key = std::make_tuple(f[kParams].num(), f[kDModel].num(), f[kLayers].num());
        auto it = shapes.find(key);
        if (it == shapes.end()) {
            it = shapes.emplace(key, by_shape.size()).first;
            plot::PlotSeries s;
            s.name = fmt::format("d{} L{} (N {})", f[kDModel].num(), f[kLayers].num(), format_number(f[kParams].num(), false));
            by_shape.push_back(s);
        }
        by_shape[it->second].x.push_back(f[kCompute].num());
        by_shape[it->second].y.push_back(c.l[i]);
    }
    // Series in increasing N.
    std::vector<plot::PlotSeries> ordered;
    for (auto& [key, idx] : shapes) ordered.push_back(by_shape[idx]);
    for (size_t k = 0; k < ordered.size(); ++k) ordered[k].color = static_cast<int>(k);
    pc.series = ordered;
    plot::PlotSeries fr;
    fr.name = "frontier";
    fr.line = true;
    fr.markers = false;
    fr.color = 7;
    for (size_t i : fitting::frontier_indices(c.n, c.d, c.l, bins)) {
        fr.x.push_back(items[i].record().fields[kCompute].num());
        fr.y.push_back(c.l[i]);
    }
    pc.series.push_back(fr);

    // Loss vs N, one line per token budget.
    plot::Plot pn;
    pn.title = "Validation loss vs parameters, per token budget";
    pn.x_label = "parameters N (total)";
    pn.y_label = "validation loss (nats/token)";
    std::map<double, plot::PlotSeries> budgets;
    for (size_t i = 0; i < items.size(); ++i) {
        double d = c.d[i];
        auto& s = budgets[d];
        if (s.name.empty()) {
            s.name = "D = " + format_number(d, false);
            s.line = true;
        }
        s.x.push_back(c.n[i]);
        s.y.push_back(c.l[i]);
    }
    for (auto& [d, s] : budgets) {
        s.color = static_cast<int>(pn.series.size());
        pn.series.push_back(s);
    }

    std::string f1 = prefix + "_loss_vs_compute.svg", f2 = prefix + "_loss_vs_params.svg";
    try {
        plot::write_plot(pc, resolve(f1, at).lexically_normal().string(), at.access());
        plot::write_plot(pn, resolve(f2, at).lexically_normal().string(), at.access());
    } catch (const files::FileError& e) {
        file_fail(e, at.span, "", true);
    } catch (const std::exception& e) {
        fail(Code::CannotWrite, e.what(), at, "a relative prefix is found beside the calling file");
    }
    return make_list({Value::string(f1), Value::string(f2)});
}

}  // namespace

std::vector<Builtin> training_natives() {
    return {
        {"train_runs", "train_runs(corpus, models, tokens, store, options)",
         "Trains every model of `models` (records { d_model, d_mlp, layers } or with heads; d_mlp 0: 4 d_model; heads 0 or "
         "absent: max(1, d_model/32)) on every budget of `tokens` with the CPU reference trainer, on `corpus` (text, WikiText "
         "or a token file). Finished runs live in the SQLite run store `store` (\"\": NAME.runs.sqlite beside the script) and "
         "are read back instead of trained again. `options` is training_options(...) of `use validation`. Returns one record "
         "per run: d_model, d_mlp, layers, heads, params (N total), non_embedding_params, tokens (D trained), compute "
         "(6ND), train_loss (mean of the last 10 steps), val_loss, seconds. Relative paths are found beside the calling file.",
         4, 5, check_train_runs, eval_train_runs},
        {"runs_frontier", "runs_frontier(runs, bins_per_decade)",
         "The runs on the compute frontier: per level of compute (bins of log10 C, `bins_per_decade` per decade, default 4; "
         "0: equal C) the run of lowest validation loss, in increasing compute.",
         1, 2,
         [](const BuiltinCall& c) {
             want_runs(c, 0, "runs_frontier");
             if (c.args.size() > 1) want_scalar(c, 1, "runs_frontier", "bins_per_decade");
             return c.args[0];
         },
         eval_frontier},
        {"fit_runs_frontier", "fit_runs_frontier(runs, bins_per_decade)",
         "fit_frontier_csv over training runs (N total, D trained, validation loss): N_opt = n_coefficient (C/FLOP)^n_exponent "
         "and D_opt = d_coefficient (C/FLOP)^d_exponent on the frontier, with 95% intervals of the exponents. "
         "bins_per_decade defaults to 4.",
         1, 2,
         [](const BuiltinCall& c) {
             want_runs(c, 0, "fit_runs_frontier");
             if (c.args.size() > 1) want_scalar(c, 1, "fit_runs_frontier", "bins_per_decade");
             return fitting::frontier_type();
         },
         eval_fit_frontier},
        {"fit_runs_chinchilla", "fit_runs_chinchilla(runs, drop_highest_loss, bootstrap_samples, seed)",
         "fit_chinchilla_csv over training runs (N total, D trained, validation loss): L = E + A/N^alpha + B/D^beta by "
         "Approach 3, with seeded bootstrap intervals. The last three arguments are optional (0).",
         1, 4,
         [](const BuiltinCall& c) {
             want_runs(c, 0, "fit_runs_chinchilla");
             for (size_t i = 1; i < c.args.size(); ++i)
                 want_scalar(c, i, "fit_runs_chinchilla", i == 1 ? "drop_highest_loss" : i == 2 ? "bootstrap_samples" : "seed");
             return fitting::fit_type();
         },
         eval_fit_chinchilla},
        {"plot_runs", "plot_runs(runs, prefix, bins_per_decade)",
         "Writes PREFIX_loss_vs_compute.svg (every run, coloured by model, and the frontier) and PREFIX_loss_vs_params.svg "
         "(validation loss vs N, one line per token budget), log-log; returns the two paths. A relative prefix is found "
         "beside the calling file. A file whose content would not change is not rewritten.",
         2, 3,
         [](const BuiltinCall& c) {
             want_runs(c, 0, "plot_runs");
             want_string(c, 1, "plot_runs", "the path prefix of the SVG files");
             if (c.args.size() > 2) want_scalar(c, 2, "plot_runs", "bins_per_decade");
             return Type::list(Type::string());
         },
         eval_plot},
    };
}

}  // namespace plan

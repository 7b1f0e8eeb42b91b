#include "validation/grid.hpp"

#include "validation/duration.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "validation/batcher.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace plan::validation {

namespace {

std::string fmt_g(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

int64_t steps_for(const TrainConfig& c) {
    const int64_t per_step = static_cast<int64_t>(c.batch) * c.model.seq_len;
    return (c.tokens + per_step - 1) / per_step;
}

}  // namespace

int default_heads(int d_model) {
    int h = d_model / 32 > 1 ? d_model / 32 : 1;
    while (h > 1 && d_model % h != 0) --h;
    return h;
}

namespace {

// The OpenMP threads a run trains with: its own count, or (0) all this process has.
int resolved_threads(const TrainConfig& cfg) {
    int threads = cfg.threads;
#ifdef _OPENMP
    if (threads == 0) threads = omp_get_max_threads();
#endif
    return threads < 1 ? 1 : threads;
}

}  // namespace

std::string CpuBackend::identity(const TrainConfig& cfg) const {
    return "cpu-reference/" + std::to_string(kVersion) + " threads=" + std::to_string(resolved_threads(cfg));
}

TrainResult CpuBackend::train(const TrainConfig& cfg, const Corpus& corpus, const ProgressFn& progress) {
    return plan::validation::train(cfg, corpus, progress);
}

std::string corpus_fingerprint(const Corpus& corpus) {
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 over the tokens as little-endian uint32
    for (uint32_t t : corpus.tokens)
        for (int b = 0; b < 4; ++b) {
            h ^= (t >> (8 * b)) & 0xff;
            h *= 0x100000001b3ULL;
        }
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s:%zu:%u:%016llx", corpus_format_name(corpus.format), corpus.tokens.size(),
                  corpus.vocab_size, static_cast<unsigned long long>(h));
    return buf;
}

std::string run_key(const TrainConfig& c, const std::string& corpus_fp, const std::string& backend_identity) {
    std::ostringstream k;
    const ModelConfig& m = c.model;
    k << "corpus=" << corpus_fp << " d_model=" << m.d_model << " d_mlp=" << m.d_mlp << " layers=" << m.n_layers
      << " heads=" << m.n_heads << " seq=" << m.seq_len << " batch=" << c.batch << " tokens=" << c.tokens
      << " seed=" << c.seed << " lr=" << fmt_g(c.lr) << " min_lr_ratio=" << fmt_g(c.min_lr_ratio)
      << " warmup=" << c.warmup << " beta1=" << fmt_g(c.adamw.beta1) << " beta2=" << fmt_g(c.adamw.beta2)
      << " eps=" << fmt_g(c.adamw.eps) << " weight_decay=" << fmt_g(c.adamw.weight_decay)
      << " grad_clip=" << fmt_g(c.grad_clip) << " val_fraction=" << fmt_g(c.val_fraction)
      << " eval_tokens=" << c.eval_tokens << " backend=" << backend_identity;
    return k.str();
}

// Refreshes claims from its own thread while runs train (`beat`, every `every_s`); a failed refresh
// is reported after.
class Heartbeat {
public:
    Heartbeat(std::function<void()> beat, double every_s)
        : thread_([this, beat = std::move(beat), every_s] {
              std::unique_lock<std::mutex> lock(mutex_);
              auto period = std::chrono::duration<double>(every_s);
              while (!cv_.wait_for(lock, period, [this] { return stop_; })) {
                  try {
                      beat();
                  } catch (const std::exception& e) {
                      error_ = e.what();
                  }
              }
          }) {}
    ~Heartbeat() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    std::string error() {
        std::lock_guard<std::mutex> lock(mutex_);
        return error_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::string error_;
    std::thread thread_;  // last: started once the rest is made
};

namespace {

StoredRun stored_run(const std::string& key, const TrainConfig& c, const TrainResult& res, const std::string& backend) {
    StoredRun r;
    r.key = key;
    r.d_model = c.model.d_model;
    r.d_mlp = c.model.d_mlp;
    r.layers = c.model.n_layers;
    r.heads = c.model.n_heads;
    r.tokens_requested = c.tokens;
    r.params = res.params.total;
    r.non_embedding_params = res.params.non_embedding;
    r.tokens = res.tokens;
    r.steps = res.steps;
    r.compute = res.compute_flops;
    r.train_loss = res.smoothed_train_loss;
    r.final_train_loss = res.final_train_loss;
    r.val_loss = res.val_loss;
    r.seconds = res.train_seconds;
    r.tokens_per_s = res.tokens_per_s;
    r.threads = res.threads;
    r.backend = backend;
    r.corpus = c.corpus_path;
    return r;
}

}  // namespace

std::vector<StoredRun> run_grid(const std::vector<TrainConfig>& runs, Backend& backend, RunStore& store,
                                const GridEvents& events, const ClaimTiming& timing, TrainerPool* pool) {
    using clock = std::chrono::steady_clock;
    auto log = [&](const std::string& line) {
        if (events.log) events.log(line);
        else std::fprintf(stderr, "%s\n", line.c_str());
    };
    std::vector<StoredRun> out(runs.size());
    if (runs.empty()) return out;
    for (const TrainConfig& c : runs) {
        if (c.corpus_path != runs[0].corpus_path || c.corpus_format != runs[0].corpus_format)
            throw std::invalid_argument("grid: every run must use the same corpus");
        c.validate();
        c.model.validate();
    }
    const Corpus corpus = load_corpus(runs[0].corpus_path, runs[0].corpus_format);
    const std::string fp = corpus_fingerprint(corpus);

    // Keys, and which runs are already stored.
    std::vector<std::string> keys(runs.size());
    std::vector<bool> stored(runs.size(), false);
    std::vector<double> compute(runs.size(), 0.0);  // C = 6 N D of each run
    size_t todo = 0;
    double todo_compute = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
        TrainConfig c = runs[i];
        c.model.vocab = static_cast<int>(corpus.vocab_size);
        keys[i] = run_key(c, fp, backend.identity(c));
        compute[i] = 6.0 * static_cast<double>(count_params(c.model).total) * static_cast<double>(steps_for(c)) * c.batch * c.model.seq_len;
        if (auto r = store.find(keys[i])) {
            out[i] = *r;
            stored[i] = true;
        } else {
            ++todo;
            todo_compute += compute[i];
        }
    }
    // A corpus too small for any run to be trained is an error before anything is trained.
    for (size_t i = 0; i < runs.size(); ++i) {
        if (stored[i]) continue;
        const TrainConfig& c = runs[i];
        Batcher b(corpus.tokens, c.model.seq_len, c.batch, c.val_fraction, c.seed, corpus.path);
        const int64_t steps = steps_for(c);
        if (steps * c.batch > b.train_windows())
            throw CorpusError("corpus '" + corpus.path + "' is too small for run " + std::to_string(i + 1) + " of " +
                              std::to_string(runs.size()) + " (" + std::to_string(c.tokens) +
                              " tokens): training needs " + std::to_string(steps * c.batch * c.model.seq_len) +
                              " tokens (" + std::to_string(steps) + " steps of " + std::to_string(c.batch) + " x " +
                              std::to_string(c.model.seq_len) + ") but the training split holds " +
                              std::to_string(b.train_windows() * c.model.seq_len) +
                              " (single epoch; the last " + fmt_g(c.val_fraction) + " is held out for validation)");
    }
    // Said before training, so that it reaches the user however the job ends: a process killed
    // by mpirun or a signal may lose what it prints on its way out.
    log("grid: " + std::to_string(runs.size()) + " runs, " + std::to_string(runs.size() - todo) +
        " read back from store '" + store.path() + "', " + std::to_string(todo) + " to train" +
        (todo > 0 ? " (each stored when it ends: if this stops, run the same command again to train the rest)" : ""));

    const auto t0 = clock::now();
    double done_compute = 0;
    size_t done = 0, started = 0;
    std::vector<size_t> pending;
    size_t waiting_reported = 0;  // the wait is logged when the number of runs waited for changes
    for (size_t i = 0; i < runs.size(); ++i) {
        if (stored[i]) {
            if (events.on_run) events.on_run(i, out[i], true);
        } else {
            pending.push_back(i);
        }
    }
    auto head = [&](size_t i, const char* where) {
        const TrainConfig& c = runs[i];
        char line[200];
        std::snprintf(line, sizeof line, "run %zu/%zu (%zu of %zu to train%s): d_model %d, d_mlp %d, %d layers, %lld tokens", i + 1,
                      runs.size(), ++started, todo, where, c.model.d_model, c.model.d_mlp, c.model.n_layers,
                      static_cast<long long>(c.tokens));
        log(line);
    };
    // Stores a run trained here or by the pool: one transaction, from which on it survives a kill.
    auto finish = [&](size_t i, const TrainResult& res) {
        StoredRun r = stored_run(keys[i], runs[i], res, backend.identity(runs[i]));
        store.put(r);
        out[i] = r;
        ++done;
        done_compute += r.compute;
        const double elapsed = std::chrono::duration<double>(clock::now() - t0).count();
        const double eta = done_compute > 0 ? elapsed * (todo_compute - done_compute) / done_compute : 0;
        char line[200];
        std::snprintf(line, sizeof line, "run %zu/%zu: val loss %.4f, train loss %.4f, %.0f tok/s, %.1f s; grid %s elapsed, ETA %s",
                      i + 1, runs.size(), r.val_loss, r.train_loss, r.tokens_per_s, r.seconds, format_duration(elapsed).c_str(),
                      format_duration(eta).c_str());
        log(line);
        if (events.on_run) events.on_run(i, r, false);
    };
    auto read_back = [&](size_t i, const StoredRun& run) {
        out[i] = run;
        log("run " + std::to_string(i + 1) + "/" + std::to_string(runs.size()) + ": trained by another process, read back");
        if (events.on_run) events.on_run(i, out[i], true);
    };
    if (pool) {
        // Each run is claimed as it is handed out; the runs out are heartbeaten from another thread,
        // so the store is used under a lock.
        std::mutex store_mutex;
        std::vector<size_t> out_now, held;
        // The largest runs first (longest processing time first): the pool's last runs are then
        // its shortest, and no trainer starts the grid's longest run while the others sit idle.
        std::stable_sort(pending.begin(), pending.end(), [&](size_t a, size_t b) { return compute[a] > compute[b]; });
        size_t next_pending = 0;
        auto next = [&]() -> std::optional<TrainerPool::Run> {
            std::lock_guard<std::mutex> lock(store_mutex);
            while (next_pending < pending.size()) {
                const size_t i = pending[next_pending++];
                Claim claim = store.claim(keys[i], timing.lease_s);
                if (claim.status == Claim::Status::Stored) {
                    read_back(i, *claim.run);
                } else if (claim.status == Claim::Status::Taken) {
                    held.push_back(i);
                } else {
                    head(i, ", handed out");
                    out_now.push_back(i);
                    TrainConfig c = runs[i];
                    c.threads = resolved_threads(c);  // as in the key
                    return TrainerPool::Run{i, c};
                }
            }
            return std::nullopt;
        };
        auto came_back = [&](size_t i, const TrainResult& res) {
            std::lock_guard<std::mutex> lock(store_mutex);
            out_now.erase(std::find(out_now.begin(), out_now.end(), i));
            finish(i, res);
        };
        try {
            Heartbeat beat(
                [&] {
                    std::lock_guard<std::mutex> lock(store_mutex);
                    for (size_t i : out_now) store.heartbeat(keys[i]);
                },
                timing.heartbeat_s);
            pool->train(next, came_back);
            if (std::string e = beat.error(); !e.empty()) log("grid: a claim could not be refreshed: " + e);
        } catch (...) {
            for (size_t i : out_now) store.release(keys[i]);  // another process may train them
            throw;
        }
        pending = std::move(held);
    }
    // Each pass claims what it can; the runs other processes hold are looked at again after them.
    while (!pending.empty()) {
        std::vector<size_t> held;
        std::string holder;
        for (size_t i : pending) {
            Claim claim = store.claim(keys[i], timing.lease_s);
            if (claim.status == Claim::Status::Stored) {
                read_back(i, *claim.run);
                continue;
            }
            if (claim.status == Claim::Status::Taken) {
                held.push_back(i);
                holder = claim.holder;
                continue;
            }
            head(i, "");
            TrainResult res;
            try {
                Heartbeat beat([&store, &key = keys[i]] { store.heartbeat(key); }, timing.heartbeat_s);
                res = backend.train(runs[i], corpus, events.train_progress);
                if (std::string e = beat.error(); !e.empty()) log("run " + std::to_string(i + 1) + ": its claim could not be refreshed: " + e);
            } catch (...) {
                store.release(keys[i]);  // another process may train it
                throw;
            }
            finish(i, res);
        }
        if (!held.empty() && held.size() == pending.size()) {
            if (held.size() != waiting_reported) log("grid: waiting for " + std::to_string(held.size()) + " run" + (held.size() == 1 ? "" : "s") +
                " claimed by another process (" + holder + ")");
            waiting_reported = held.size();
            std::this_thread::sleep_for(std::chrono::duration<double>(timing.poll_s));
        }
        pending = std::move(held);
    }
    return out;
}

}  // namespace plan::validation

// The grid runner: trains a list of runs through a backend, reading finished
// runs back from a RunStore and storing each new one as soon as it finishes.
//
// The backend is an interface so that a CUDA trainer or a pool of machines can
// be added without touching the grid logic: a backend says who it is (part of
// each run's key, since another trainer may give other numbers) and trains one
// configuration on an already loaded corpus.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "validation/corpus.hpp"
#include "validation/run_store.hpp"
#include "validation/trainer.hpp"

namespace plan::validation {

class Backend {
public:
    virtual ~Backend() = default;
    // Identifies the trainer and every setting of it that can change a result
    // (version, thread count); becomes part of the run key.
    virtual std::string identity(const TrainConfig& cfg) const = 0;
    virtual TrainResult train(const TrainConfig& cfg, const Corpus& corpus, const ProgressFn& progress) = 0;
};

// The CPU reference trainer (trainer.hpp). Results are bitwise reproducible
// for a given thread count, so the resolved thread count is in its identity.
class CpuBackend : public Backend {
public:
    // Bump when a change to the trainer changes any result.
    static constexpr int kVersion = 1;
    std::string identity(const TrainConfig& cfg) const override;
    TrainResult train(const TrainConfig& cfg, const Corpus& corpus, const ProgressFn& progress) override;
};

// Size and FNV-1a 64-bit hash of a corpus's tokens (after format decoding):
// the corpus's part of a run key. The path is not part of it, so a store made
// in one checkout is valid in another.
std::string corpus_fingerprint(const Corpus& corpus);

// The canonical key of a run: every field of `cfg` that can change the result
// (model shape, tokens, seq, batch, seed, schedule, optimizer, split, eval
// tokens), the corpus fingerprint and the backend identity, as one line of
// `name=value` pairs.
std::string run_key(const TrainConfig& cfg, const std::string& corpus_fp, const std::string& backend_identity);

struct GridEvents {
    // Called after each run is finished and stored (index into the run list,
    // and whether it was read back from the store). Tests throw from here to
    // simulate a grid killed after k runs.
    std::function<void(size_t index, const StoredRun& run, bool from_store)> on_run;
    // Progress lines (stderr by default when null); set to a no-op to silence.
    std::function<void(const std::string& line)> log;
    ProgressFn train_progress;  // per-step progress of the run in training
};

// How processes sharing a store share its grid (run_store.hpp): a run being
// trained is claimed, its claim refreshed every `heartbeat_s`; a claim older
// than `lease_s`, or whose process is gone, is taken over; while every run
// left is claimed by others, the grid looks again every `poll_s`.
struct ClaimTiming {
    double lease_s = 120;
    double heartbeat_s = 10;
    double poll_s = 1;
};

// Trainers in other processes (the ranks of an MPI job: train_runs makes one of the installed task
// farm). The grid hands out its runs one at a time and is given each result back, on the calling
// thread, as it comes; it alone reads and writes the store.
class TrainerPool {
public:
    // What to train next: its index in the grid and its configuration (threads resolved).
    struct Run {
        size_t index = 0;
        TrainConfig config;
    };
    virtual ~TrainerPool() = default;
    // Trains what next() gives (nothing: none left) and gives each result to done(), on this
    // thread. Returns once every run handed out came back; when a run fails, nothing more is handed
    // out, the runs out are still given to done(), and the failure is thrown.
    virtual void train(const std::function<std::optional<Run>()>& next,
                       const std::function<void(size_t index, const TrainResult&)>& done) = 0;
};

// Runs every configuration (all must share corpus_path and corpus_format; the
// corpus is loaded once). Before training anything, checks that the corpus is
// large enough for every run (CorpusError naming the first that is not). A run
// is trained only once claimed in the store; runs other processes hold are
// waited for, and read back when they finish. Returns one StoredRun per
// configuration, in order.
//
// With a pool, the runs this process claims are trained by the pool, largest compute (6 N D) first
// (each claimed as it is handed out, its claim refreshed while it is out, and stored in its own
// transaction as it comes back);
// the runs other processes held are then waited for as above (and trained here if taken over).
// `backend` still gives the runs' keys: the pool must train as it would.
std::vector<StoredRun> run_grid(const std::vector<TrainConfig>& runs, Backend& backend, RunStore& store,
                                const GridEvents& events = {}, const ClaimTiming& timing = {},
                                TrainerPool* pool = nullptr);

// The heads rule of the grid when a shape does not give them: head size 32
// (one head below d_model 64), i.e. max(1, d_model / 32), reduced until it
// divides d_model.
int default_heads(int d_model);

}  // namespace plan::validation

// The run store: finished grid runs in an embedded SQLite file, one row per
// run, keyed by everything that determines the run's result (see run_key in
// grid.hpp). Each run is written in its own transaction as soon as it
// finishes, so killing the grid at any moment (even kill -9) loses at most the
// run in progress; finished runs are read back instead of trained again.
//
// The file uses SQLite's default rollback journal (not WAL), so a store is a
// single file that can be committed, and opening it and only reading leaves
// the file byte for byte unchanged (WAL would rewrite its header and leave
// -wal and -shm files beside it).
//
// Several processes may share one store (docs/validation.md, "Sharing a run
// store"): every write is one BEGIN IMMEDIATE transaction and every connection
// waits up to kBusyTimeoutMs for a lock (no "database is locked" failure from a
// short transaction in another process), and a run is claimed before it is
// trained: a claim names its process (host and pid) and is refreshed by a
// heartbeat while the run trains; another process skips a run with a live claim
// and takes over one whose process is gone (same host) or whose heartbeat is
// older than the lease. Opening checks the file's integrity; a damaged file or a
// row of the wrong kind is a StoreDamaged error, never a reason to retrain.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;

namespace plan::validation {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The file is an SQLite store of runs but damaged: it fails the integrity
// check, or a row holds a value of the wrong kind.
class StoreDamaged : public StoreError {
public:
    using StoreError::StoreError;
};

// One finished run as stored: the shape and budget it was asked for and what
// the trainer reported.
struct StoredRun {
    std::string key;           // the canonical description of everything that determines the run
    int d_model = 0, d_mlp = 0, layers = 0, heads = 0;
    int64_t tokens_requested = 0;
    int64_t params = 0;               // N, total
    int64_t non_embedding_params = 0;
    int64_t tokens = 0;               // D actually trained (whole steps)
    int64_t steps = 0;
    double compute = 0;               // C = 6 N D, FLOP
    double train_loss = 0;            // mean of the last 10 steps' losses
    double final_train_loss = 0;      // last step's loss
    double val_loss = 0;
    double seconds = 0;               // training time (loading and evaluation excluded)
    double tokens_per_s = 0;
    int threads = 0;
    std::string backend;              // e.g. "cpu-reference/1"
    std::string corpus;               // the corpus path as given (informative, not part of the key)
};

// What claiming a run found.
struct Claim {
    enum class Status {
        Mine,    // claimed by this process: train it, then put() it
        Stored,  // finished meanwhile (by another process): `run` holds it
        Taken,   // another live process holds it: `holder` names it
    };
    Status status = Status::Mine;
    std::optional<StoredRun> run;
    std::string holder;  // "host:pid"
};

class RunStore {
public:
    // Opens (creating if needed) the store at `path`. Throws StoreError with a
    // message naming the path when it cannot be opened or is not a run store.
    explicit RunStore(const std::string& path);
    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;

    const std::string& path() const { return path_; }

    std::optional<StoredRun> find(const std::string& key) const;
    // Inserts (or replaces) one run, and drops its claim, in one transaction.
    void put(const StoredRun& run);

    // Claims the run `key` for this process unless it is stored or another
    // live process holds it (a claim whose process is gone, or whose heartbeat
    // is older than `lease_s` seconds, is taken over). One transaction.
    Claim claim(const std::string& key, double lease_s);
    // Refreshes this process's claim on `key` (the heartbeat).
    void heartbeat(const std::string& key);
    // Drops this process's claim on `key` (a run that failed to train).
    void release(const std::string& key);
    // Claims held by any process (tests, and the grid's log).
    int64_t claims() const;

    // This process in claims: "host:pid".
    static std::string holder_name();

    int64_t size() const;
    std::vector<StoredRun> all() const;  // in insertion order

    static constexpr int kSchemaVersion = 1;
    static constexpr int kBusyTimeoutMs = 120000;

private:
    void exec(const char* sql) const;
    void check_integrity();
    [[noreturn]] void fail_sql() const;
    std::string path_;
    sqlite3* db_ = nullptr;
};

}  // namespace plan::validation

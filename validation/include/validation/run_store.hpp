// The run store: finished grid runs in an embedded SQLite file, one row per
// run, keyed by everything that determines the run's result (see run_key in
// grid.hpp). Each run is written in its own transaction as soon as it
// finishes, so killing the grid at any moment (even kill -9) loses at most the
// run in progress; finished runs are read back instead of trained again.
//
// The file uses SQLite's default rollback journal (not WAL), so a store is a
// single file that can be committed, and opening it and only reading leaves
// the file byte for byte unchanged.
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
    // Inserts (or replaces) one run in one transaction.
    void put(const StoredRun& run);
    int64_t size() const;
    std::vector<StoredRun> all() const;  // in insertion order

    static constexpr int kSchemaVersion = 1;

private:
    void exec(const char* sql) const;
    std::string path_;
    sqlite3* db_ = nullptr;
};

}  // namespace plan::validation

// Deterministic seeded batching with a held-out validation split.
//
// The last val_fraction of the token stream is the validation split (a
// contiguous tail, so no validation token ever appears in a training window).
// The training split is cut into non-overlapping windows of seq_len+1 tokens
// (inputs and next-token targets; consecutive windows share one token), and
// the window order is a seeded Fisher-Yates shuffle. A run therefore sees
// each training window at most once: the single-epoch regime that scaling
// laws assume.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plan::validation {

class Batcher {
public:
    // Throws CorpusError if either split is shorter than one window. `tokens`
    // is referenced, not copied: it must outlive the Batcher.
    Batcher(const std::vector<uint32_t>& tokens, int seq_len, int batch, double val_fraction,
            uint64_t seed, const std::string& corpus_name = "corpus");

    int seq_len() const { return seq_len_; }
    int batch() const { return batch_; }
    int64_t train_windows() const { return static_cast<int64_t>(order_.size()); }
    int64_t val_windows() const { return val_windows_; }
    int64_t train_split_tokens() const { return n_train_; }
    int64_t val_split_tokens() const { return n_val_; }

    // Fills inputs/targets [batch * seq_len] with the step-th training batch.
    // Throws std::out_of_range past the end of the epoch.
    void train_batch(int64_t step, int32_t* inputs, int32_t* targets) const;

    // Fills up to `batch` validation windows starting at window `first`;
    // returns how many rows were filled.
    int val_batch(int64_t first, int32_t* inputs, int32_t* targets) const;

private:
    void fill(int64_t start, int32_t* inputs, int32_t* targets) const;

    const std::vector<uint32_t>& tokens_;
    int seq_len_;
    int batch_;
    int64_t n_train_ = 0;
    int64_t n_val_ = 0;
    int64_t val_windows_ = 0;
    std::vector<int64_t> order_;  // shuffled training window indices
};

}  // namespace plan::validation

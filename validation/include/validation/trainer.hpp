// Trains one model on one corpus: the unit of the scaling-law grid.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "validation/corpus.hpp"
#include "validation/model.hpp"
#include "validation/optimizer.hpp"

namespace plan::validation {

struct TrainConfig {
    ModelConfig model;             // model.vocab is taken from the corpus
    std::string corpus_path;
    CorpusFormat corpus_format = CorpusFormat::Auto;
    int batch = 16;
    int64_t tokens = 100000;       // requested D; rounded up to whole steps of batch*seq_len
    uint64_t seed = 1;
    double lr = 1e-3;              // peak learning rate
    double min_lr_ratio = 0.1;     // cosine decays to lr * min_lr_ratio
    int64_t warmup = -1;           // warm-up steps; -1: 5% of the steps (at least 1)
    AdamWConfig adamw;
    double grad_clip = 1.0;        // global-norm clip; <= 0 disables
    double val_fraction = 0.1;     // held-out tail of the corpus
    int64_t eval_tokens = 8192;    // validation tokens evaluated at the end (capped by the split)
    int threads = 0;               // OpenMP threads; 0: all available
    // Throws std::invalid_argument naming the bad field.
    void validate() const;
};

struct TrainProgress {
    int64_t step = 0;  // steps done
    int64_t steps = 0;
    int64_t tokens_done = 0;
    int64_t tokens_total = 0;
    double loss = 0;            // training loss of the last step
    double lr = 0;
    double grad_norm = 0;
    double tokens_per_s = 0;
    double elapsed_s = 0;
    double eta_s = 0;
};

struct TrainResult {
    double final_train_loss = 0;    // loss of the last step's batch
    double smoothed_train_loss = 0; // mean over the last min(10, steps) steps
    double val_loss = 0;            // mean over the evaluated validation windows
    int64_t val_tokens = 0;
    ParamCounts params;             // N total / embedding / non-embedding
    int64_t tokens = 0;             // D actually trained on (steps * batch * seq_len)
    int64_t steps = 0;
    double compute_flops = 0;       // C = 6 N D with N total
    double tokens_per_s = 0;        // training throughput (excludes loading and evaluation)
    double train_seconds = 0;
    int threads = 0;
    std::string corpus_path;
};

using ProgressFn = std::function<void(const TrainProgress&)>;

// Loads the corpus and trains. Throws CorpusError for corpus problems
// (including a corpus too small for the requested tokens) and
// std::invalid_argument for a bad configuration.
TrainResult train(const TrainConfig& cfg, const ProgressFn& progress = {});

// Same with an already loaded corpus (a grid loads it once).
TrainResult train(const TrainConfig& cfg, const Corpus& corpus, const ProgressFn& progress = {});

}  // namespace plan::validation

// The training loop: batches from the Batcher, forward, backward, clip,
// AdamW with the scheduled learning rate; evaluation on the held-out split at
// the end. Everything is allocated before the first step.
#include "validation/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "validation/batcher.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace plan::validation {

namespace {
void require(bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("train config: " + what);
}
}  // namespace

void TrainConfig::validate() const {
    require(batch >= 1, "batch must be >= 1");
    require(tokens >= 1, "tokens must be >= 1");
    require(lr > 0 && std::isfinite(lr), "lr must be > 0");
    require(min_lr_ratio >= 0 && min_lr_ratio <= 1, "min_lr_ratio must be in [0, 1]");
    require(warmup >= -1, "warmup must be >= 0 (or -1 for automatic)");
    require(adamw.beta1 >= 0 && adamw.beta1 < 1 && adamw.beta2 >= 0 && adamw.beta2 < 1, "betas must be in [0, 1)");
    require(adamw.eps > 0, "eps must be > 0");
    require(adamw.weight_decay >= 0, "weight_decay must be >= 0");
    require(val_fraction > 0 && val_fraction < 1, "val_fraction must be in (0, 1)");
    require(eval_tokens >= 1, "eval_tokens must be >= 1");
    require(threads >= 0, "threads must be >= 0");
}

TrainResult train(const TrainConfig& cfg, const ProgressFn& progress) {
    cfg.validate();
    Corpus corpus = load_corpus(cfg.corpus_path, cfg.corpus_format);
    return train(cfg, corpus, progress);
}

TrainResult train(const TrainConfig& cfg, const Corpus& corpus, const ProgressFn& progress) {
    using clock = std::chrono::steady_clock;
    cfg.validate();
    ModelConfig mcfg = cfg.model;
    mcfg.vocab = static_cast<int>(corpus.vocab_size);
    mcfg.validate();
    int threads = cfg.threads;
#ifdef _OPENMP
    if (threads == 0) threads = omp_get_max_threads();
#endif
    threads = std::max(1, threads);

    const int64_t tokens_per_step = static_cast<int64_t>(cfg.batch) * mcfg.seq_len;
    const int64_t steps = (cfg.tokens + tokens_per_step - 1) / tokens_per_step;
    Batcher batcher(corpus.tokens, mcfg.seq_len, cfg.batch, cfg.val_fraction, cfg.seed, corpus.path);
    if (steps * cfg.batch > batcher.train_windows())
        throw CorpusError("corpus '" + corpus.path + "' is too small for the requested tokens: training needs " +
                          std::to_string(steps * tokens_per_step) + " tokens (" + std::to_string(steps) +
                          " steps of " + std::to_string(cfg.batch) + " x " + std::to_string(mcfg.seq_len) +
                          ") but the training split holds " + std::to_string(batcher.train_windows() * mcfg.seq_len) +
                          " (single epoch, " + std::to_string(cfg.val_fraction) + " held out for validation)");

    Model<float> model(mcfg, cfg.batch, threads);
    model.init_weights(cfg.seed);
    AdamW<float> opt(model.layout(), cfg.adamw, threads);
    LrSchedule sched;
    sched.max_lr = cfg.lr;
    sched.min_lr = cfg.lr * cfg.min_lr_ratio;
    sched.warmup = cfg.warmup >= 0 ? cfg.warmup : std::max<int64_t>(1, steps / 20);
    sched.total = steps;

    std::vector<int32_t> inputs(static_cast<size_t>(tokens_per_step)), targets(inputs.size());
    std::vector<double> recent;
    TrainResult res;
    const auto t0 = clock::now();
    for (int64_t s = 0; s < steps; ++s) {
        batcher.train_batch(s, inputs.data(), targets.data());
        const float loss = model.forward(inputs.data(), targets.data(), cfg.batch);
        model.backward();
        const double norm = clip_grad_norm(model.grads(), cfg.grad_clip, threads);
        const double lr = sched.at(s);
        opt.step(model.params(), model.grads(), lr);
        if (!std::isfinite(loss))
            throw std::runtime_error("training diverged: loss is " + std::to_string(loss) + " at step " +
                                     std::to_string(s) + " (try a lower lr)");
        res.final_train_loss = loss;
        recent.push_back(loss);
        if (progress) {
            TrainProgress p;
            p.step = s + 1;
            p.steps = steps;
            p.tokens_done = (s + 1) * tokens_per_step;
            p.tokens_total = steps * tokens_per_step;
            p.loss = loss;
            p.lr = lr;
            p.grad_norm = norm;
            p.elapsed_s = std::chrono::duration<double>(clock::now() - t0).count();
            p.tokens_per_s = p.elapsed_s > 0 ? p.tokens_done / p.elapsed_s : 0;
            p.eta_s = p.tokens_per_s > 0 ? (p.tokens_total - p.tokens_done) / p.tokens_per_s : 0;
            progress(p);
        }
    }
    res.train_seconds = std::chrono::duration<double>(clock::now() - t0).count();
    const size_t k = std::min<size_t>(10, recent.size());
    double sum = 0;
    for (size_t i = recent.size() - k; i < recent.size(); ++i) sum += recent[i];
    res.smoothed_train_loss = sum / static_cast<double>(k);

    // Validation: the first windows of the held-out tail, weighted per token.
    const int64_t windows = std::min(batcher.val_windows(), std::max<int64_t>(1, cfg.eval_tokens / mcfg.seq_len));
    double val_sum = 0;
    for (int64_t w = 0; w < windows;) {
        const int rows = static_cast<int>(std::min<int64_t>(cfg.batch, windows - w));
        batcher.val_batch(w, inputs.data(), targets.data());
        val_sum += static_cast<double>(model.forward(inputs.data(), targets.data(), rows)) * rows;
        w += rows;
    }
    res.val_loss = val_sum / static_cast<double>(windows);
    res.val_tokens = windows * mcfg.seq_len;
    res.params = count_params(mcfg);
    res.steps = steps;
    res.tokens = steps * tokens_per_step;
    res.compute_flops = 6.0 * static_cast<double>(res.params.total) * static_cast<double>(res.tokens);
    res.tokens_per_s = res.train_seconds > 0 ? res.tokens / res.train_seconds : 0;
    res.threads = threads;
    res.corpus_path = corpus.path;
    return res;
}

}  // namespace plan::validation

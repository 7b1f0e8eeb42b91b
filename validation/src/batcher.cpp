#include "validation/batcher.hpp"

#include <cmath>
#include <stdexcept>

#include "validation/corpus.hpp"
#include "validation/rng.hpp"

namespace plan::validation {

Batcher::Batcher(const std::vector<uint32_t>& tokens, int seq_len, int batch, double val_fraction,
                 uint64_t seed, const std::string& corpus_name)
    : tokens_(tokens), seq_len_(seq_len), batch_(batch) {
    if (seq_len < 1 || batch < 1) throw std::invalid_argument("batcher: seq_len and batch must be >= 1");
    if (!(val_fraction > 0.0 && val_fraction < 1.0))
        throw std::invalid_argument("batcher: val_fraction must be in (0, 1)");
    const int64_t n = static_cast<int64_t>(tokens.size());
    const int64_t window = seq_len + 1;
    // The validation tail gets at least one window, so that tiny corpora
    // still report a validation loss.
    n_val_ = std::max<int64_t>(window, static_cast<int64_t>(std::floor(n * val_fraction)));
    n_train_ = n - n_val_;
    if (n_train_ < window)
        throw CorpusError("corpus '" + corpus_name + "' is too small: " + std::to_string(n) +
                          " tokens leave " + std::to_string(std::max<int64_t>(n_train_, 0)) +
                          " for training after the validation split, need at least " +
                          std::to_string(window) + " (one window of seq_len+1)");
    val_windows_ = (n_val_ - 1) / seq_len;
    const int64_t train_windows = (n_train_ - 1) / seq_len;

    order_.resize(static_cast<size_t>(train_windows));
    for (int64_t i = 0; i < train_windows; ++i) order_[i] = i;
    Rng rng(derive_seed(seed, 0xDA7A));
    for (int64_t i = train_windows - 1; i > 0; --i) {
        int64_t j = static_cast<int64_t>(rng.below(static_cast<uint64_t>(i + 1)));
        std::swap(order_[i], order_[j]);
    }
}

void Batcher::fill(int64_t start, int32_t* inputs, int32_t* targets) const {
    for (int t = 0; t < seq_len_; ++t) {
        inputs[t] = static_cast<int32_t>(tokens_[start + t]);
        targets[t] = static_cast<int32_t>(tokens_[start + t + 1]);
    }
}

void Batcher::train_batch(int64_t step, int32_t* inputs, int32_t* targets) const {
    const int64_t first = step * batch_;
    if (step < 0 || first + batch_ > train_windows())
        throw std::out_of_range("batcher: training batch " + std::to_string(step) +
                                " is past the end of the epoch");
    for (int b = 0; b < batch_; ++b)
        fill(order_[first + b] * seq_len_, inputs + b * seq_len_, targets + b * seq_len_);
}

int Batcher::val_batch(int64_t first, int32_t* inputs, int32_t* targets) const {
    int rows = 0;
    for (; rows < batch_ && first + rows < val_windows_; ++rows)
        fill(n_train_ + (first + rows) * seq_len_, inputs + rows * seq_len_, targets + rows * seq_len_);
    return rows;
}

}  // namespace plan::validation

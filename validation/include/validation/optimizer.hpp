// AdamW (Loshchilov & Hutter), the learning-rate schedule (linear warm-up,
// cosine decay) and global-norm gradient clipping. The update follows
// PyTorch's AdamW step for step, so the reference test can compare losses
// after several steps.
#pragma once

#include <cstdint>
#include <vector>

#include "validation/model.hpp"

namespace plan::validation {

struct AdamWConfig {
    double beta1 = 0.9;
    double beta2 = 0.95;
    double eps = 1e-8;
    double weight_decay = 0.1;  // applied only to tensors with ParamTensor::decay
};

// lr(step), step = 0-based optimizer step:
//   warm-up  (step < warmup):  max_lr * (step + 1) / warmup
//   decay    (after):          min_lr + (max_lr - min_lr) * (1 + cos(pi * r)) / 2,
//                              r = (step - warmup) / max(1, total - warmup - 1), capped at 1
struct LrSchedule {
    double max_lr = 1e-3;
    double min_lr = 1e-4;
    int64_t warmup = 0;
    int64_t total = 1;
    double at(int64_t step) const;
};

template <typename T>
class AdamW {
public:
    AdamW(const std::vector<ParamTensor>& layout, AdamWConfig cfg, int threads);
    // One update with learning rate lr (t advances by one).
    void step(std::vector<T>& params, const std::vector<T>& grads, double lr);
    int64_t steps_taken() const { return t_; }

private:
    std::vector<ParamTensor> layout_;
    AdamWConfig cfg_;
    int nt_;
    int64_t t_ = 0;
    std::vector<T> m_, v_;
};

// Global L2 norm of all gradients, summed in double over fixed-size chunks
// combined in order (bitwise reproducible for any thread count).
template <typename T>
double grad_global_norm(const std::vector<T>& grads, int threads);

// Scales grads by max_norm / (norm + 1e-6) when that is < 1 (PyTorch's
// clip_grad_norm_); max_norm <= 0 disables. Returns the norm before clipping.
template <typename T>
double clip_grad_norm(std::vector<T>& grads, double max_norm, int threads);

extern template class AdamW<float>;
extern template class AdamW<double>;

}  // namespace plan::validation

#include "validation/optimizer.hpp"

#include <algorithm>
#include <cmath>

namespace plan::validation {

double LrSchedule::at(int64_t step) const {
    if (step < warmup) return max_lr * static_cast<double>(step + 1) / static_cast<double>(warmup);
    const int64_t span = std::max<int64_t>(1, total - warmup - 1);
    const double r = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(span));
    return min_lr + (max_lr - min_lr) * 0.5 * (1.0 + std::cos(3.141592653589793 * r));
}

template <typename T>
AdamW<T>::AdamW(const std::vector<ParamTensor>& layout, AdamWConfig cfg, int threads)
    : layout_(layout), cfg_(cfg), nt_(std::max(1, threads)) {
    const size_t n = layout.empty() ? 0 : layout.back().offset + layout.back().size;
    m_.assign(n, T(0));
    v_.assign(n, T(0));
}

template <typename T>
void AdamW<T>::step(std::vector<T>& params, const std::vector<T>& grads, double lr) {
    ++t_;
    // Scalars in double, as PyTorch computes them in Python floats.
    const double bc1 = 1.0 - std::pow(cfg_.beta1, static_cast<double>(t_));
    const double bc2 = 1.0 - std::pow(cfg_.beta2, static_cast<double>(t_));
    const T step_size = static_cast<T>(lr / bc1);
    const T bc2_sqrt = static_cast<T>(std::sqrt(bc2));
    const T b1 = static_cast<T>(cfg_.beta1), b2 = static_cast<T>(cfg_.beta2);
    const T one_minus_b1 = static_cast<T>(1.0 - cfg_.beta1), one_minus_b2 = static_cast<T>(1.0 - cfg_.beta2);
    const T eps = static_cast<T>(cfg_.eps);
    for (const auto& t : layout_) {
        // Decoupled weight decay: p *= 1 - lr * wd, before the Adam update.
        const T decay = static_cast<T>(1.0 - lr * (t.decay ? cfg_.weight_decay : 0.0));
        T* p = params.data() + t.offset;
        const T* g = grads.data() + t.offset;
        T* m = m_.data() + t.offset;
        T* v = v_.data() + t.offset;
        const long n = static_cast<long>(t.size);
#pragma omp parallel for num_threads(nt_) schedule(static) if (n >= 8192)
        for (long i = 0; i < n; ++i) {
            p[i] *= decay;
            m[i] = m[i] * b1 + g[i] * one_minus_b1;
            v[i] = v[i] * b2 + g[i] * g[i] * one_minus_b2;
            const T denom = std::sqrt(v[i]) / bc2_sqrt + eps;
            p[i] -= step_size * (m[i] / denom);
        }
    }
}

template <typename T>
double grad_global_norm(const std::vector<T>& grads, int threads) {
    constexpr size_t kChunk = 1 << 14;
    const size_t n = grads.size();
    const long chunks = static_cast<long>((n + kChunk - 1) / kChunk);
    std::vector<double> partial(static_cast<size_t>(chunks), 0.0);
#pragma omp parallel for num_threads(std::max(1, threads)) schedule(static) if (chunks > 1)
    for (long c = 0; c < chunks; ++c) {
        double s = 0;
        const size_t end = std::min(n, (c + 1) * kChunk);
        for (size_t i = c * kChunk; i < end; ++i) s += static_cast<double>(grads[i]) * grads[i];
        partial[c] = s;
    }
    double total = 0;
    for (double s : partial) total += s;
    return std::sqrt(total);
}

template <typename T>
double clip_grad_norm(std::vector<T>& grads, double max_norm, int threads) {
    const double norm = grad_global_norm(grads, threads);
    if (max_norm > 0) {
        const double coef = max_norm / (norm + 1e-6);
        if (coef < 1.0) {
            const T c = static_cast<T>(coef);
            const long n = static_cast<long>(grads.size());
#pragma omp parallel for num_threads(std::max(1, threads)) schedule(static) if (n >= 8192)
            for (long i = 0; i < n; ++i) grads[i] *= c;
        }
    }
    return norm;
}

template class AdamW<float>;
template class AdamW<double>;
template double grad_global_norm<float>(const std::vector<float>&, int);
template double grad_global_norm<double>(const std::vector<double>&, int);
template double clip_grad_norm<float>(std::vector<float>&, double, int);
template double clip_grad_norm<double>(std::vector<double>&, double, int);

}  // namespace plan::validation

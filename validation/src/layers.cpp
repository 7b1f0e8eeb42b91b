// Forward and backward passes of each layer. Loops are written so that the
// innermost one runs over contiguous channels (vectorizable); every parallel
// loop has a static partition whose result does not depend on scheduling, so
// a fixed thread count gives bitwise-identical results.
#include "validation/layers.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "validation/blas.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace plan::validation::layers {
namespace {

int thread_id() {
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

// Parallelizing an elementwise loop only pays off above a few thousand items.
constexpr size_t kMinParallel = 1 << 14;

}  // namespace

template <typename T>
void embed_forward(T* out, const int32_t* tokens, const T* wte, const T* wpe, int B, int Tn, int C) {
    for (int b = 0; b < B; ++b)
        for (int t = 0; t < Tn; ++t) {
            T* o = out + (static_cast<size_t>(b) * Tn + t) * C;
            const T* e = wte + static_cast<size_t>(tokens[b * Tn + t]) * C;
            const T* p = wpe + static_cast<size_t>(t) * C;
            for (int c = 0; c < C; ++c) o[c] = e[c] + p[c];
        }
}

template <typename T>
void embed_backward(T* dwte, T* dwpe, const T* dout, const int32_t* tokens, int B, int Tn, int C,
                    int V, int Tmax) {
    // Scatter-add: serial, so that repeated tokens are summed in a fixed order.
    std::fill(dwte, dwte + static_cast<size_t>(V) * C, T(0));
    std::fill(dwpe, dwpe + static_cast<size_t>(Tmax) * C, T(0));
    for (int b = 0; b < B; ++b)
        for (int t = 0; t < Tn; ++t) {
            const T* d = dout + (static_cast<size_t>(b) * Tn + t) * C;
            T* e = dwte + static_cast<size_t>(tokens[b * Tn + t]) * C;
            T* p = dwpe + static_cast<size_t>(t) * C;
            for (int c = 0; c < C; ++c) {
                e[c] += d[c];
                p[c] += d[c];
            }
        }
}

template <typename T>
void layernorm_forward(T* out, T* mean, T* rstd, const T* inp, const T* w, const T* b, int N, int C,
                       int nt) {
    const T eps = T(1e-5);
#pragma omp parallel for num_threads(nt) schedule(static) if (N * C >= (int)kMinParallel)
    for (int i = 0; i < N; ++i) {
        const T* x = inp + static_cast<size_t>(i) * C;
        T m = 0;
        for (int c = 0; c < C; ++c) m += x[c];
        m /= C;
        T v = 0;  // two-pass variance: no cancellation
        for (int c = 0; c < C; ++c) v += (x[c] - m) * (x[c] - m);
        v /= C;  // biased variance, as PyTorch's LayerNorm
        T s = T(1) / std::sqrt(v + eps);
        T* o = out + static_cast<size_t>(i) * C;
        for (int c = 0; c < C; ++c) o[c] = (x[c] - m) * s * w[c] + b[c];
        mean[i] = m;
        rstd[i] = s;
    }
}

template <typename T>
void layernorm_backward(T* dinp, T* dw, T* db, const T* dout, const T* inp, const T* w,
                        const T* mean, const T* rstd, int N, int C, int nt) {
#pragma omp parallel num_threads(nt) if (N * C >= (int)kMinParallel)
    {
        // dinp: rows are independent.
#pragma omp for schedule(static)
        for (int i = 0; i < N; ++i) {
            const T* x = inp + static_cast<size_t>(i) * C;
            const T* d = dout + static_cast<size_t>(i) * C;
            const T m = mean[i], s = rstd[i];
            T dnorm_mean = 0, dnorm_norm_mean = 0;
            for (int c = 0; c < C; ++c) {
                T dn = w[c] * d[c];
                dnorm_mean += dn;
                dnorm_norm_mean += dn * (x[c] - m) * s;
            }
            dnorm_mean /= C;
            dnorm_norm_mean /= C;
            T* di = dinp + static_cast<size_t>(i) * C;
            for (int c = 0; c < C; ++c) {
                T xhat = (x[c] - m) * s;
                di[c] += (w[c] * d[c] - dnorm_mean - xhat * dnorm_norm_mean) * s;
            }
        }
        // dw, db: each thread owns a column range and sums all rows in order.
        int c0 = 0, c1 = C, n = 1;
#ifdef _OPENMP
        n = omp_get_num_threads();
#endif
        split_range(C, thread_id(), n, 8, c0, c1);
        for (int c = c0; c < c1; ++c) dw[c] = db[c] = 0;
        for (int i = 0; i < N; ++i) {
            const T* x = inp + static_cast<size_t>(i) * C;
            const T* d = dout + static_cast<size_t>(i) * C;
            const T m = mean[i], s = rstd[i];
            for (int c = c0; c < c1; ++c) {
                dw[c] += d[c] * (x[c] - m) * s;
                db[c] += d[c];
            }
        }
    }
}

template <typename T>
void linear_forward(T* out, const T* inp, const T* w, const T* bias, int N, int C, int OC, int nt) {
    T beta = 0;
    if (bias) {
        for (int i = 0; i < N; ++i) std::memcpy(out + static_cast<size_t>(i) * OC, bias, sizeof(T) * OC);
        beta = 1;
    }
    gemm_rows<T>(false, true, N, OC, C, T(1), inp, C, w, C, beta, out, OC, nt);
}

template <typename T>
void linear_backward(T* dinp, T* dw, T* dbias, const T* dout, const T* inp, const T* w, int N,
                     int C, int OC, int nt) {
    // dinp[N,C] = dout[N,OC] w[OC,C]
    gemm_rows<T>(false, false, N, C, OC, T(1), dout, OC, w, C, T(0), dinp, C, nt);
    // dw[OC,C] = dout^T[OC,N] inp[N,C]: split over OC so each thread owns rows of dw.
    gemm_rows<T>(true, false, OC, C, N, T(1), dout, OC, inp, C, T(0), dw, C, nt);
    if (dbias) {
#pragma omp parallel num_threads(nt) if (static_cast<size_t>(N) * OC >= kMinParallel)
        {
            int n = 1;
#ifdef _OPENMP
            n = omp_get_num_threads();
#endif
            int o0, o1;
            split_range(OC, thread_id(), n, 8, o0, o1);
            for (int o = o0; o < o1; ++o) dbias[o] = 0;
            for (int i = 0; i < N; ++i) {
                const T* d = dout + static_cast<size_t>(i) * OC;
                for (int o = o0; o < o1; ++o) dbias[o] += d[o];
            }
        }
    }
}

template <typename T>
void attention_forward(T* out, T* att, const T* qkv, int B, int Tn, int C, int NH, int nt) {
    const int hs = C / NH;
    const T scale = T(1) / std::sqrt(static_cast<T>(hs));
    const int C3 = 3 * C;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int bh = 0; bh < B * NH; ++bh) {
        const int b = bh / NH, h = bh % NH;
        const T* q = qkv + static_cast<size_t>(b) * Tn * C3 + h * hs;
        const T* k = q + C;
        const T* v = q + 2 * C;
        T* a = att + static_cast<size_t>(bh) * Tn * Tn;
        // Scores for all (i, j); the causal mask is applied in the softmax.
        // Computing the masked half costs less than a non-gemm loop would.
        gemm(false, true, Tn, Tn, hs, scale, q, C3, k, C3, T(0), a, Tn);
        for (int i = 0; i < Tn; ++i) {
            T* row = a + static_cast<size_t>(i) * Tn;
            T mx = -std::numeric_limits<T>::infinity();
            for (int j = 0; j <= i; ++j) mx = std::max(mx, row[j]);
            T sum = 0;
            for (int j = 0; j <= i; ++j) {
                row[j] = std::exp(row[j] - mx);
                sum += row[j];
            }
            const T inv = T(1) / sum;
            for (int j = 0; j <= i; ++j) row[j] *= inv;
            for (int j = i + 1; j < Tn; ++j) row[j] = 0;
        }
        gemm(false, false, Tn, hs, Tn, T(1), a, Tn, v, C3, T(0),
             out + static_cast<size_t>(b) * Tn * C + h * hs, C);
    }
}

template <typename T>
void attention_backward(T* dqkv, T* scratch, const T* dout, const T* qkv, const T* att, int B,
                        int Tn, int C, int NH, int nt) {
    const int hs = C / NH;
    const T scale = T(1) / std::sqrt(static_cast<T>(hs));
    const int C3 = 3 * C;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int bh = 0; bh < B * NH; ++bh) {
        const int b = bh / NH, h = bh % NH;
        const size_t off = static_cast<size_t>(b) * Tn * C3 + h * hs;
        const T* q = qkv + off;
        const T* k = q + C;
        const T* v = q + 2 * C;
        T* dq = dqkv + off;
        T* dk = dq + C;
        T* dv = dq + 2 * C;
        const T* a = att + static_cast<size_t>(bh) * Tn * Tn;
        const T* dy = dout + static_cast<size_t>(b) * Tn * C + h * hs;
        T* ds = scratch + static_cast<size_t>(thread_id()) * Tn * Tn;
        gemm(false, true, Tn, Tn, hs, T(1), dy, C, v, C3, T(0), ds, Tn);  // dP = dY V^T
        gemm(true, false, Tn, hs, Tn, T(1), a, Tn, dy, C, T(0), dv, C3);  // dV = P^T dY
        // Softmax backward: dS_ij = P_ij (dP_ij - sum_k P_ik dP_ik).
        for (int i = 0; i < Tn; ++i) {
            const T* p = a + static_cast<size_t>(i) * Tn;
            T* d = ds + static_cast<size_t>(i) * Tn;
            T dot = 0;
            for (int j = 0; j <= i; ++j) dot += p[j] * d[j];
            for (int j = 0; j <= i; ++j) d[j] = p[j] * (d[j] - dot);
            for (int j = i + 1; j < Tn; ++j) d[j] = 0;
        }
        gemm(false, false, Tn, hs, Tn, scale, ds, Tn, k, C3, T(0), dq, C3);  // dQ = s dS K
        gemm(true, false, Tn, hs, Tn, scale, ds, Tn, q, C3, T(0), dk, C3);   // dK = s dS^T Q
    }
}

namespace {
constexpr double kGeluK = 0.7978845608028654;  // sqrt(2 / pi)
constexpr double kGeluA = 0.044715;

// tanh for the GELU. libm's tanhf is a scalar call that cost about 40% as
// much as all the sgemm kernels of a step; this rational approximation (Eigen's fast
// tanh: odd degree-13 over even degree-6 polynomial, input clamped to
// +-7.905) vectorizes, and its error is below 4e-7 absolute (a few ulp), far
// inside the PyTorch comparison's tolerance. Double (gradient checks) keeps
// std::tanh.
inline float tanh_fast(float a) {
    const float x = std::min(7.90531110763549805f, std::max(-7.90531110763549805f, a));
    const float x2 = x * x;
    float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = x2 * p + -8.60467152213735e-11f;
    p = x2 * p + 5.12229709037114e-08f;
    p = x2 * p + 1.48572235717979e-05f;
    p = x2 * p + 6.37261928875436e-04f;
    p = x2 * p + 4.89352455891786e-03f;
    float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = x2 * q + 2.26843463243900e-03f;
    q = x2 * q + 4.89352518554385e-03f;
    return x * p / q;
}
inline double tanh_fast(double x) { return std::tanh(x); }
}  // namespace

template <typename T>
void gelu_forward(T* out, const T* inp, size_t n, int nt) {
    const T k = T(kGeluK), a = T(kGeluA);
#pragma omp parallel for num_threads(nt) schedule(static) if (n >= kMinParallel)
    for (size_t i = 0; i < n; ++i) {
        T x = inp[i];
        out[i] = T(0.5) * x * (T(1) + tanh_fast(k * (x + a * x * x * x)));
    }
}

template <typename T>
void gelu_backward(T* dinp, const T* inp, const T* dout, size_t n, int nt) {
    const T k = T(kGeluK), a = T(kGeluA);
#pragma omp parallel for num_threads(nt) schedule(static) if (n >= kMinParallel)
    for (size_t i = 0; i < n; ++i) {
        T x = inp[i];
        T th = tanh_fast(k * (x + a * x * x * x));
        T sech2 = T(1) - th * th;
        T grad = T(0.5) * (T(1) + th) + T(0.5) * x * sech2 * k * (T(1) + T(3) * a * x * x);
        dinp[i] = grad * dout[i];
    }
}

template <typename T>
void residual_forward(T* out, const T* a, const T* b, size_t n, int nt) {
#pragma omp parallel for num_threads(nt) schedule(static) if (n >= kMinParallel)
    for (size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

template <typename T>
T crossentropy_forward(T* probs, T* losses, const T* logits, const int32_t* targets, int N, int V,
                       int nt) {
#pragma omp parallel for num_threads(nt) schedule(static) if (static_cast<size_t>(N) * V >= kMinParallel)
    for (int i = 0; i < N; ++i) {
        const T* z = logits + static_cast<size_t>(i) * V;
        T* p = probs + static_cast<size_t>(i) * V;
        T mx = z[0];
        for (int j = 1; j < V; ++j) mx = std::max(mx, z[j]);
        T sum = 0;
        for (int j = 0; j < V; ++j) {
            p[j] = std::exp(z[j] - mx);
            sum += p[j];
        }
        const T inv = T(1) / sum;
        for (int j = 0; j < V; ++j) p[j] *= inv;
        // log-sum-exp form: more accurate than -log(p[target]) for tiny p.
        losses[i] = targets ? std::log(sum) + mx - z[targets[i]] : T(0);
    }
    double total = 0;
    for (int i = 0; i < N; ++i) total += losses[i];
    return static_cast<T>(total / N);
}

template <typename T>
void crossentropy_backward(T* dlogits, const T* probs, const int32_t* targets, int N, int V, int nt) {
    const T inv_n = T(1) / static_cast<T>(N);
#pragma omp parallel for num_threads(nt) schedule(static) if (static_cast<size_t>(N) * V >= kMinParallel)
    for (int i = 0; i < N; ++i) {
        const T* p = probs + static_cast<size_t>(i) * V;
        T* d = dlogits + static_cast<size_t>(i) * V;
        for (int j = 0; j < V; ++j) d[j] = p[j] * inv_n;
        d[targets[i]] -= inv_n;
    }
}

#define PLAN_INSTANTIATE(T)                                                                      \
    template void embed_forward<T>(T*, const int32_t*, const T*, const T*, int, int, int);       \
    template void embed_backward<T>(T*, T*, const T*, const int32_t*, int, int, int, int, int);  \
    template void layernorm_forward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, int); \
    template void layernorm_backward<T>(T*, T*, T*, const T*, const T*, const T*, const T*,      \
                                        const T*, int, int, int);                                \
    template void linear_forward<T>(T*, const T*, const T*, const T*, int, int, int, int);       \
    template void linear_backward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, int,    \
                                     int);                                                       \
    template void attention_forward<T>(T*, T*, const T*, int, int, int, int, int);               \
    template void attention_backward<T>(T*, T*, const T*, const T*, const T*, int, int, int,     \
                                        int, int);                                               \
    template void gelu_forward<T>(T*, const T*, size_t, int);                                    \
    template void gelu_backward<T>(T*, const T*, const T*, size_t, int);                         \
    template void residual_forward<T>(T*, const T*, const T*, size_t, int);                      \
    template T crossentropy_forward<T>(T*, T*, const T*, const int32_t*, int, int, int);         \
    template void crossentropy_backward<T>(T*, const T*, const int32_t*, int, int, int);

PLAN_INSTANTIATE(float)
PLAN_INSTANTIATE(double)
#undef PLAN_INSTANTIATE

}  // namespace plan::validation::layers

// Thin wrappers over OpenBLAS: one `gemm` name for float and double (the
// model is a template so that gradient checks can run in double), and a
// row-split parallel gemm.
//
// Why we split rows ourselves instead of letting OpenBLAS thread: the rest of
// the step (attention, LayerNorm, GELU) runs on OpenMP threads, and two
// thread pools that both spin-wait on 2 cores fight each other. OpenBLAS is
// set to one thread (set_blas_single_threaded) and every parallel region is
// ours, with a fixed partition, so results are bitwise reproducible for a
// given thread count.
//
// OpenBLAS is loaded (dlopen) on the first call, not linked: binding its
// ~14,000 symbol relocations and running its constructor (CPU detection, a
// thread pool) cost every `plan` process milliseconds at start-up, and only
// training multiplies matrices (bench/README.md, start-up).
#pragma once

#include <cblas.h>  // the types and the signatures only

#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace plan::validation {

// The OpenBLAS functions the trainer calls, loaded on first use (thread-safe). Throws
// std::runtime_error naming the library when it cannot be loaded.
struct BlasFunctions {
    decltype(&cblas_sgemm) sgemm;
    decltype(&cblas_dgemm) dgemm;
    decltype(&openblas_set_num_threads) set_num_threads;
};
const BlasFunctions& blas();

inline void gemm(bool ta, bool tb, int M, int N, int K, float alpha, const float* A, int lda,
                 const float* B, int ldb, float beta, float* C, int ldc) {
    blas().sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N,
                K, alpha, A, lda, B, ldb, beta, C, ldc);
}

inline void gemm(bool ta, bool tb, int M, int N, int K, double alpha, const double* A, int lda,
                 const double* B, int ldb, double beta, double* C, int ldc) {
    blas().dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N,
                K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// Makes OpenBLAS run each call on the calling thread (process-wide setting).
void set_blas_single_threaded();

// Half-open range [begin, end) of `n` items for worker `t` of `nt`, in chunks
// that are multiples of `align` (keeps sgemm panels aligned).
inline void split_range(int n, int t, int nt, int align, int& begin, int& end) {
    int chunk = (n + nt - 1) / nt;
    chunk = (chunk + align - 1) / align * align;
    begin = std::min(n, t * chunk);
    end = std::min(n, begin + chunk);
}

// C[M,N] = alpha * op(A)[M,K] op(B)[K,N] + beta * C, with the M rows split
// over `nt` OpenMP threads. op(A) rows are A rows (ta false) or A columns.
template <typename T>
void gemm_rows(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
               int ldb, T beta, T* C, int ldc, int nt) {
    // Below ~1 MFLOP a fork/join costs more than it saves.
    if (nt <= 1 || static_cast<double>(M) * N * K < 5e5) {
        gemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
#pragma omp parallel num_threads(nt)
    {
        int t = 0, n = 1;
#ifdef _OPENMP
        t = omp_get_thread_num();
        n = omp_get_num_threads();
#endif
        int m0, m1;
        split_range(M, t, n, 16, m0, m1);
        if (m1 > m0)
            gemm(ta, tb, m1 - m0, N, K, alpha, ta ? A + m0 : A + static_cast<long>(m0) * lda, lda, B,
                 ldb, beta, C + static_cast<long>(m0) * ldc, ldc);
    }
}

}  // namespace plan::validation

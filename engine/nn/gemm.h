#pragma once
// Matrix products over row-major arrays, the one place the engine multiplies
// matrices. Eigen maps keep the data where the layers put it (no copies);
// .noalias() avoids Eigen's temporaries. gemmRows splits the rows of C across the
// OpenMP team (the batch*tokens rows of stacked activations), each thread running a
// single-threaded product, so small matrices are never split inside one GEMM.
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

namespace attent::nn {

template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MapMat = Eigen::Map<RowMat<T>, 0, Eigen::OuterStride<>>;
template <class T>
using MapConstMat = Eigen::Map<const RowMat<T>, 0, Eigen::OuterStride<>>;

// C[M x N] (+)= alpha * op(A) * op(B), op(X) = X or X^T; lda/ldb/ldc are row strides.
template <class T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb,
          bool accumulate, T* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  MapMat<T> c(C, M, N, Eigen::OuterStride<>(ldc));
  if (K <= 0) {
    if (!accumulate) c.setZero();
    return;
  }
  const MapConstMat<T> a(A, transA ? K : M, transA ? M : K, Eigen::OuterStride<>(lda));
  const MapConstMat<T> b(B, transB ? N : K, transB ? K : N, Eigen::OuterStride<>(ldb));
  auto run = [&](const auto& opA, const auto& opB) {
    if (accumulate)
      c.noalias() += alpha * opA * opB;
    else
      c.noalias() = alpha * opA * opB;
  };
  if (!transA && !transB)
    run(a, b);
  else if (!transA && transB)
    run(a, b.transpose());
  else if (transA && !transB)
    run(a.transpose(), b);
  else
    run(a.transpose(), b.transpose());
}

// Rows of C split across threads: same numbers for the same thread count.
// Must be called outside a parallel region (it opens one).
template <class T>
void gemmRows(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
              int ldb, bool accumulate, T* C, int ldc) {
  // Small products stay on one thread (see the performance notes in ARCHITECTURE.md).
  const long work = long(M) * N * K;
  const int threads = work < 262144 ? 1 : std::min(omp_get_max_threads(), std::max(1, M / 16));
  if (threads <= 1) {
    gemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, accumulate, C, ldc);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), n = omp_get_num_threads();
    // Chunks are multiples of 8 rows so SIMD kernels see full panels.
    const int chunk = ((M + n - 1) / n + 7) & ~7;
    const int r0 = std::min(M, t * chunk), r1 = std::min(M, r0 + chunk);
    if (r1 > r0) {
      const T* a = transA ? A + r0 : A + std::size_t(r0) * lda;
      gemm(transA, transB, r1 - r0, N, K, alpha, a, lda, B, ldb, accumulate, C + std::size_t(r0) * ldc, ldc);
    }
  }
}

}  // namespace attent::nn

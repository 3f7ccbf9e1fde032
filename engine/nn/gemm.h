#pragma once
// Matrix products over row-major arrays, the one place the engine multiplies
// matrices. Eigen maps keep the data where the layers put it (no copies);
// .noalias() avoids Eigen's temporaries. All products here are single-threaded; the
// caller parallelises across batch shards, so small matrices are never split inside
// one GEMM (see the performance notes in docs/ARCHITECTURE.md).
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <type_traits>

#include "engine/nn/blas.h"

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

// The same product through the BLAS of blas.h when one passed its start-up check (its
// AVX-512 kernels beat Eigen's on the projection GEMMs), else through Eigen. The BLAS runs
// single-threaded: the engine decides the parallel split itself, which keeps results
// reproducible.
template <class T>
void gemmLarge(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
               int ldb, bool accumulate, T* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  const BlasBackend& blas = blasBackend();
  const int ta = transA ? 112 : 111, tb = transB ? 112 : 111;
  if constexpr (std::is_same_v<T, float>) {
    if (blas.sgemm)
      return blas.sgemm(101, ta, tb, M, N, K, alpha, A, lda, B, ldb, accumulate ? 1.f : 0.f, C, ldc);
  } else if constexpr (std::is_same_v<T, double>) {
    if (blas.dgemm)
      return blas.dgemm(101, ta, tb, M, N, K, alpha, A, lda, B, ldb, accumulate ? 1.0 : 0.0, C, ldc);
  }
  gemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, accumulate, C, ldc);
}

}  // namespace attent::nn

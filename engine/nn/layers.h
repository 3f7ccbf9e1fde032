#pragma once
// Transformer layers as forward/backward pairs of plain functions over contiguous
// row-major arrays (llm.c style), templated on the scalar: float to train, double to
// check gradients against finite differences. They are single-threaded: the model
// runs them on one batch shard per thread (see transformer.cpp). Activations are stacked: N = batch *
// positions rows of width C. Backward functions ADD into parameter gradients and,
// unless noted, OVERWRITE input gradients.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <unsupported/Eigen/SpecialFunctions>

#include "engine/nn/attention.h"
#include "engine/nn/gemm.h"

namespace attent::nn {

using std::size_t;

// ---- token embedding: out[r] = table[ids[r]] -------------------------------------
template <class T>
void embeddingForward(T* out, const int* ids, const T* table, int N, int C) {
  for (int r = 0; r < N; ++r) std::copy_n(table + size_t(ids[r]) * C, C, out + size_t(r) * C);
}
// Serial: two rows may share a token, and a fixed order keeps sums reproducible.
template <class T>
void embeddingBackward(T* dtable, const T* dout, const int* ids, int N, int C) {
  for (int r = 0; r < N; ++r) {
    T* d = dtable + size_t(ids[r]) * C;
    const T* g = dout + size_t(r) * C;
    for (int c = 0; c < C; ++c) d[c] += g[c];
  }
}

// ---- linear: out[N,OC] = in[N,C] W[OC,C]^T + b (+ residual[N,OC]) ----------------
template <class T>
void linearForward(T* out, const T* in, const T* W, const T* bias, int N, int C, int OC,
                   const T* residual = nullptr) {
  // out starts as bias (+ residual) and the product is added onto it: one pass fewer
  // than adding them afterwards, and BLAS skips zeroing the output first.
  if (bias || residual)
    for (int r = 0; r < N; ++r) {
      T* o = out + size_t(r) * OC;
      if (!residual)
        for (int j = 0; j < OC; ++j) o[j] = bias[j];
      else if (!bias)
        for (int j = 0; j < OC; ++j) o[j] = residual[size_t(r) * OC + j];
      else
        for (int j = 0; j < OC; ++j) o[j] = bias[j] + residual[size_t(r) * OC + j];
    }
  gemmLarge<T>(false, true, N, OC, C, T(1), in, C, W, C, bias || residual, out, OC);
}
// Column sums of dout, split over column blocks (each column summed in row order).
template <class T>
void biasBackward(T* dbias, const T* dout, int N, int OC) {
  const int blocks = (OC + 63) / 64;
  for (int blk = 0; blk < blocks; ++blk) {
    const int j0 = blk * 64, j1 = std::min(OC, j0 + 64);
    for (int r = 0; r < N; ++r) {
      const T* g = dout + size_t(r) * OC;
      for (int j = j0; j < j1; ++j) dbias[j] += g[j];
    }
  }
}

// din may be null (the input needs no gradient); accumulateIn adds instead of overwriting.
template <class T>
void linearBackward(T* din, T* dW, T* dbias, const T* dout, const T* in, const T* W, int N, int C, int OC,
                    bool accumulateIn = false) {
  if (din) gemmLarge<T>(false, false, N, C, OC, T(1), dout, OC, W, C, accumulateIn, din, C);
  gemmLarge<T>(true, false, OC, C, N, T(1), dout, OC, in, C, true, dW, C);
  if (dbias) biasBackward(dbias, dout, N, OC);
}
// ---- LayerNorm over the last dimension (eps 1e-5, as PyTorch) ---------------------
// Row sums in 16 fixed lanes (lane k takes elements k, k+16, ...), combined in lane order:
// the compiler vectorises them, and the rounding depends neither on where a row starts
// nor on the machine's vector width.
template <class T, class F>
T laneSum(int C, F term) {
  T acc[16] = {};
  int c = 0;
  for (; c + 16 <= C; c += 16)
    for (int k = 0; k < 16; ++k) acc[k] += term(c + k);
  for (int k = 0; c < C; ++c, ++k) acc[k] += term(c);
  T s = 0;
  for (int k = 0; k < 16; ++k) s += acc[k];
  return s;
}

template <class T>
void layerNormForward(T* out, T* mean, T* rstd, const T* in, const T* gamma, const T* beta, int N, int C) {
  for (int r = 0; r < N; ++r) {
    const T* x = in + size_t(r) * C;
    const T m = laneSum<T>(C, [x](int c) { return x[c]; }) / C;
    const T v = laneSum<T>(C, [x, m](int c) { return (x[c] - m) * (x[c] - m); });
    const T s = T(1) / std::sqrt(v / C + T(1e-5));
    T* o = out + size_t(r) * C;
    for (int c = 0; c < C; ++c) o[c] = (x[c] - m) * s * gamma[c] + beta[c];
    mean[r] = m;
    rstd[r] = s;
  }
}
// din is ACCUMULATED (LayerNorm sits on a residual branch). dgamma/dbeta are summed in
// row order in the same pass that writes din.
template <class T>
void layerNormBackward(T* din, T* dgamma, T* dbeta, const T* dout, const T* in, const T* gamma, const T* mean,
                       const T* rstd, int N, int C) {
  for (int r = 0; r < N; ++r) {
    const T* x = in + size_t(r) * C;
    const T* g = dout + size_t(r) * C;
    const T m = mean[r], s = rstd[r];
    const T sumG = laneSum<T>(C, [g, gamma](int c) { return g[c] * gamma[c]; }) / C;
    const T sumGX =
        laneSum<T>(C, [g, gamma, x, m, s](int c) { return g[c] * gamma[c] * ((x[c] - m) * s); }) / C;
    T* d = din + size_t(r) * C;
    // Three outputs are too many for the compiler's run-time overlap checks: without the
    // pragma this loop stays scalar (3x slower).
#pragma omp simd
    for (int c = 0; c < C; ++c) {
      const T xhat = (x[c] - m) * s;
      d[c] += s * (g[c] * gamma[c] - sumG - xhat * sumGX);
      dgamma[c] += g[c] * xhat;
      dbeta[c] += g[c];
    }
  }
}

// ---- GELU, exact (erf) form, as PyTorch's F.gelu default ---------------------------
// Eigen's float erf is vectorised, so the exact form costs little more than tanh. With
// `slope`, the forward also writes gelu'(in) = Phi(in) + in phi(in) there (slope may be `in`
// itself): it shares the forward's erf, and backward is then one multiply per element
// instead of an erf and an exp.
template <class T>
void geluForward(T* out, const T* in, size_t n, T* slope = nullptr) {
  using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
  const size_t chunk = slope ? 1024 : 4096;  // with a slope: Phi of one chunk on the stack
  const long chunks = long((n + chunk - 1) / chunk);
  const T invSqrt2Pi = T(0.3989422804014327);
  for (long k = 0; k < chunks; ++k) {
    const size_t i0 = size_t(k) * chunk, len = std::min(chunk, n - i0);
    Eigen::Map<const Arr> x(in + i0, len);
    Eigen::Map<Arr> y(out + i0, len);
    if (!slope) {
      y = T(0.5) * x * (T(1) + (x * T(M_SQRT1_2)).erf());
      continue;
    }
    alignas(64) T buffer[1024];
    Eigen::Map<Arr> phi(buffer, len);
    phi = T(0.5) * (T(1) + (x * T(M_SQRT1_2)).erf());
    y = x * phi;  // = 0.5 x (1 + erf): the factor 0.5 is exact wherever it is applied
    Eigen::Map<Arr>(slope + i0, len) = phi + x * invSqrt2Pi * (T(-0.5) * x.square()).exp();
  }
}
// din = dout * slope, the slope geluForward wrote.
template <class T>
void geluBackward(T* din, const T* dout, const T* slope, size_t n) {
#pragma omp simd
  for (size_t i = 0; i < n; ++i) din[i] = dout[i] * slope[i];
}

// ---- residual: x += y --------------------------------------------------------------
template <class T>
void residualForward(T* out, const T* a, const T* b, size_t n) {
  for (long i = 0; i < long(n); ++i) out[i] = a[i] + b[i];
}

}  // namespace attent::nn

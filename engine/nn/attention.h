#pragma once
// Multi-head self-attention core, fused per head: scores, softmax and the weighted sum of the
// values in one pass over blocks of query rows, and causal rows skip the keys they cannot see.
// Per-head BLAS calls spent more in packing and zeroing than in the few FLOPs of a P x P x hd
// product (~15% of a medium step for ~8% of its FLOPs). The kernels work on whole vectors:
// keys in blocks of 16 (the transposed keys are zero-padded), head widths in multiples of 8
// (read in place, or copied and padded when the width is not one). Every sum runs in a fixed
// order: results depend neither on the thread nor on the machine's vector width.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace attent::nn {

// Key j is visible to query i when j < len and, if causal, j <= i.
inline int visibleKeys(int i, int len, bool causal) { return causal ? std::min(i + 1, len) : len; }

namespace attention_detail {

constexpr int kRows = 4;   // query (or key) rows per block
constexpr int kKeys = 16;  // scores per vector block
inline int roundUp(int n, int m) { return (n + m - 1) / m * m; }
inline int paddedKeys(int P) { return roundUp(P, kKeys); }
inline int paddedWidth(int hd) { return roundUp(hd, 8); }

// S[r][j] = scale * sum_{d < depth} A[r][d] Bt[d][j] for r < rows, j < jEnd (whole blocks).
// A block always computes kRows rows; rows past `rows` repeat the last one and are not stored.
template <class T>
void scoreRows(T* S, int lds, int rows, const T* A, int lda, const T* Bt, int ldb, int depth, int jEnd,
               T scale) {
  const T* a[kRows];
  for (int r = 0; r < kRows; ++r) a[r] = A + std::size_t(std::min(r, rows - 1)) * lda;
  for (int j0 = 0; j0 < jEnd; j0 += kKeys) {
    T acc[kRows][kKeys];
    for (int r = 0; r < kRows; ++r)  // the first term initialises: no separate zeroing pass
#pragma omp simd
      for (int j = 0; j < kKeys; ++j) acc[r][j] = a[r][0] * Bt[j0 + j];
    for (int d = 1; d < depth; ++d) {
      const T* b = Bt + std::size_t(d) * ldb + j0;
      for (int r = 0; r < kRows; ++r) {
        const T x = a[r][d];
#pragma omp simd
        for (int j = 0; j < kKeys; ++j) acc[r][j] = std::fma(x, b[j], acc[r][j]);
      }
    }
    for (int r = 0; r < rows; ++r)
      for (int j = 0; j < kKeys; ++j) S[std::size_t(r) * lds + j0 + j] = scale * acc[r][j];
  }
}

// O[r][c0 + c] = alpha * sum_{k0 <= k < k1} W[r*rs + k*cs] X[k][c0 + c] for r < rows,
// c < Width and c0 + c < width (k1 > k0). Rows past `rows` repeat the last one, unstored.
template <int Width, class T>
void weightedBlock(T* O, int ldo, int rows, int width, const T* W, int rs, int cs, int k0, int k1, const T* X,
                   int ldx, int c0, T alpha) {
  const T* w[kRows];
  for (int r = 0; r < kRows; ++r) w[r] = W + std::size_t(std::min(r, rows - 1)) * rs;
  T acc[kRows][Width];
  const T* x0 = X + std::size_t(k0) * ldx + c0;
  for (int r = 0; r < kRows; ++r)
#pragma omp simd
    for (int c = 0; c < Width; ++c) acc[r][c] = w[r][std::size_t(k0) * cs] * x0[c];
  for (int k = k0 + 1; k < k1; ++k) {
    const T* x = X + std::size_t(k) * ldx + c0;
    for (int r = 0; r < kRows; ++r) {
      const T v = w[r][std::size_t(k) * cs];
#pragma omp simd
      for (int c = 0; c < Width; ++c) acc[r][c] = std::fma(v, x[c], acc[r][c]);
    }
  }
  const int n = std::min(Width, width - c0);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < n; ++c) O[std::size_t(r) * ldo + c0 + c] = alpha * acc[r][c];
}

// `rows` output rows of `width` values: 16 columns at a time, then 8. X rows hold a
// multiple of 8 values (padded when the head width is not).
template <class T>
void weightedRows(T* O, int ldo, int rows, int width, const T* W, int rs, int cs, int k0, int k1, const T* X,
                  int ldx, T alpha) {
  int c0 = 0;
  for (; c0 + 8 < width; c0 += 16)
    weightedBlock<16>(O, ldo, rows, width, W, rs, cs, k0, k1, X, ldx, c0, alpha);
  if (c0 < width) weightedBlock<8>(O, ldo, rows, width, W, rs, cs, k0, k1, X, ldx, c0, alpha);
}

// sum_j a[j] b[j] in 8 fixed lanes: vectorised, and the same on every machine.
template <class T>
T laneDot(const T* a, const T* b, int n) {
  T acc[8] = {};
  int j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; ++l) acc[l] = std::fma(a[j + l], b[j + l], acc[l]);
  for (int l = 0; j < n; ++j, ++l) acc[l] = std::fma(a[j], b[j], acc[l]);
  T s = 0;
  for (int l = 0; l < 8; ++l) s += acc[l];
  return s;
}

// One head's rows of hd values (stride ld) as the kernels read them: in place when hd is a
// multiple of 8, else copied to dst [P][hp], zero-padded.
template <class T>
struct HeadRows {
  const T* data;
  int ld;
};
template <class T>
HeadRows<T> headRows(T* dst, const T* src, int ld, int P, int hd) {
  if (hd % 8 == 0) return {src, ld};
  const int hp = paddedWidth(hd);
  for (int i = 0; i < P; ++i) {
    std::copy_n(src + std::size_t(i) * ld, hd, dst + std::size_t(i) * hp);
    std::fill(dst + std::size_t(i) * hp + hd, dst + std::size_t(i + 1) * hp, T(0));
  }
  return {dst, hp};
}
// dst[hd][Pp] = src^T, columns past P zero.
template <class T>
void packTransposed(T* dst, const T* src, int ld, int P, int hd) {
  const int Pp = paddedKeys(P);
  for (int d = 0; d < hd; ++d) {
    T* row = dst + std::size_t(d) * Pp;
    for (int j = 0; j < P; ++j) row[j] = src[std::size_t(j) * ld + d];
    std::fill(row + P, row + Pp, T(0));
  }
}

// Softmax over the first nk of a row's jEnd scores; the rest become 0.
template <class T>
void softmaxRow(T* s, int nk, int jEnd) {
  using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
  Eigen::Map<Arr> e(s, nk);
  e = (e - e.maxCoeff()).exp();
  e *= T(1) / e.sum();
  std::fill(s + nk, s + jEnd, T(0));
}

// One head. q, k, v: rows of hd values, stride ld; out: stride ldo; probs: [P][P].
template <class T>
void headForward(T* out, int ldo, T* probs, const T* q, const T* k, const T* v, int ld, int P, int hd,
                 int len, bool causal, T* scratch) {
  const int Pp = paddedKeys(P), hp = paddedWidth(hd);
  const T scale = T(1) / std::sqrt(T(hd));
  T* Kt = scratch;                       // [hd][Pp]
  T* S = Kt + std::size_t(hd) * Pp;      // [kRows][Pp]
  T* pad = S + std::size_t(kRows) * Pp;  // [P][hp] twice, for head widths not a multiple of 8
  const HeadRows<T> Q = headRows(pad, q, ld, P, hd), V = headRows(pad + std::size_t(P) * hp, v, ld, P, hd);
  packTransposed(Kt, k, ld, P, hd);
  for (int i0 = 0; i0 < P; i0 += kRows) {
    const int rows = std::min(kRows, P - i0);
    const int kEnd = visibleKeys(i0 + rows - 1, len, causal), jEnd = roundUp(kEnd, kKeys);
    scoreRows(S, Pp, rows, Q.data + std::size_t(i0) * Q.ld, Q.ld, Kt, Pp, hd, jEnd, scale);
    for (int r = 0; r < rows; ++r) {
      T* s = S + std::size_t(r) * Pp;
      const int nk = visibleKeys(i0 + r, len, causal);
      softmaxRow(s, nk, jEnd);
      T* p = probs + std::size_t(i0 + r) * P;
      std::copy_n(s, std::min(jEnd, P), p);
      std::fill(p + std::min(jEnd, P), p + P, T(0));
    }
    weightedRows(out + std::size_t(i0) * ldo, ldo, rows, hd, S, Pp, 1, 0, kEnd, V.data, V.ld, T(1));
  }
}

// Per query block: dP = dY V^T, then dS = P * (dP - rowsum(P dP)) into Sm, dQ = scale dS K.
template <class T>
void headBackwardQueries(T* dq, int ld, T* Sm, const T* probs, HeadRows<T> K, HeadRows<T> dY, const T* Vt,
                         int P, int hd, int len, bool causal) {
  const int Pp = paddedKeys(P);
  const T scale = T(1) / std::sqrt(T(hd));
  for (int i0 = 0; i0 < P; i0 += kRows) {
    const int rows = std::min(kRows, P - i0);
    const int kEnd = visibleKeys(i0 + rows - 1, len, causal), jEnd = roundUp(kEnd, kKeys);
    scoreRows(Sm + std::size_t(i0) * Pp, Pp, rows, dY.data + std::size_t(i0) * dY.ld, dY.ld, Vt, Pp, hd, jEnd,
              T(1));
    for (int r = 0; r < rows; ++r) {
      const int i = i0 + r, nk = visibleKeys(i, len, causal);
      const T* pr = probs + std::size_t(i) * P;
      T* d = Sm + std::size_t(i) * Pp;
      const T dot = laneDot(pr, d, nk);
#pragma omp simd
      for (int j = 0; j < nk; ++j) d[j] = pr[j] * (d[j] - dot);
      std::fill(d + nk, d + Pp, T(0));
    }
    weightedRows(dq + std::size_t(i0) * ld, ld, rows, hd, Sm + std::size_t(i0) * Pp, Pp, 1, 0, kEnd, K.data,
                 K.ld, scale);
  }
}

// One head's gradients; dq, dk, dv (stride ld) are overwritten. dy: stride ldo.
template <class T>
void headBackward(T* dq, T* dk, T* dv, const T* dy, int ldo, const T* q, const T* k, const T* v, int ld,
                  const T* probs, int P, int hd, int len, bool causal, T* scratch) {
  const int Pp = paddedKeys(P), hp = paddedWidth(hd);
  const T scale = T(1) / std::sqrt(T(hd));
  T* Vt = scratch;                     // [hd][Pp]
  T* Sm = Vt + std::size_t(hd) * Pp;   // [Pp][Pp] score gradients, zero where masked
  T* pad = Sm + std::size_t(Pp) * Pp;  // [P][hp] three times, for head widths not a multiple of 8
  const HeadRows<T> Q = headRows(pad, q, ld, P, hd), K = headRows(pad + std::size_t(P) * hp, k, ld, P, hd),
                    dY = headRows(pad + std::size_t(2 * P) * hp, dy, ldo, P, hd);
  packTransposed(Vt, v, ld, P, hd);
  headBackwardQueries(dq, ld, Sm, probs, K, dY, Vt, P, hd, len, causal);
  // dK = scale dS^T Q, dV = P^T dY, over the queries that see each key block.
  for (int j0 = 0; j0 < P; j0 += kRows) {
    const int rows = std::min(kRows, P - j0), iBegin = causal ? j0 : 0;
    weightedRows(dk + std::size_t(j0) * ld, ld, rows, hd, Sm + j0, 1, Pp, iBegin, P, Q.data, Q.ld, scale);
    weightedRows(dv + std::size_t(j0) * ld, ld, rows, hd, probs + j0, 1, P, iBegin, P, dY.data, dY.ld, T(1));
  }
}

}  // namespace attention_detail

// Scratch values one thread needs for attentionForward and attentionBackward.
inline std::size_t attentionScratchSize(int P, int C, int H) {
  using namespace attention_detail;
  const std::size_t Pp = paddedKeys(P), hp = paddedWidth(C / H), hd = C / H, P0 = P;
  const std::size_t n = hd * Pp + std::max(kRows * Pp + 2 * P0 * hp, Pp * Pp + 3 * P0 * hp);
  return (n + 15) / 16 * 16;  // whole cache lines: every thread's block starts aligned
}

// qkv: [B*P, 3C] (q | k | v, heads contiguous inside each), out: [B*P, C],
// probs: [B, H, P, P] attention probabilities (zeros where masked), kept for the UI and
// backward. scratch: attentionScratchSize(P, C, H) values.
template <class T>
void attentionForward(T* out, T* probs, const T* qkv, const int* lengths, T* scratch, int B, int P, int C,
                      int H, bool causal) {
  const int hd = C / H;
  for (int bh = 0; bh < B * H; ++bh) {
    const int b = bh / H, h = bh % H;
    const T* q = qkv + std::size_t(b) * P * 3 * C + h * hd;
    attention_detail::headForward(out + std::size_t(b) * P * C + h * hd, C, probs + std::size_t(bh) * P * P,
                                  q, q + C, q + 2 * C, 3 * C, P, hd, lengths ? lengths[b] : P, causal,
                                  scratch);
  }
}

// dqkv is OVERWRITTEN. scratch: attentionScratchSize(P, C, H) values.
template <class T>
void attentionBackward(T* dqkv, const T* dout, const T* qkv, const T* probs, const int* lengths, T* scratch,
                       int B, int P, int C, int H, bool causal) {
  const int hd = C / H;
  for (int bh = 0; bh < B * H; ++bh) {
    const int b = bh / H, h = bh % H;
    const std::size_t base = std::size_t(b) * P * 3 * C + h * hd;
    const T* q = qkv + base;
    T* dq = dqkv + base;
    attention_detail::headBackward(dq, dq + C, dq + 2 * C, dout + std::size_t(b) * P * C + h * hd, C, q,
                                   q + C, q + 2 * C, 3 * C, probs + std::size_t(bh) * P * P, P, hd,
                                   lengths ? lengths[b] : P, causal, scratch);
  }
}

}  // namespace attent::nn

#include "engine/nn/transformer.h"

#include <omp.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"
#include "engine/nn/layers.h"

namespace attent::nn {

namespace {
void require(bool ok, const std::string& what) {
  if (!ok) throw SettingsError(what);
}
std::size_t padded(std::size_t n) { return (n + 15) / 16 * 16; }
}  // namespace

void TransformerConfig::validate() const {
  require(seq >= 1 && seq <= 4096, "model: sequence length must be in [1, 4096], got " + std::to_string(seq));
  require(dModel >= 1 && dModel <= 4096, "model.d_model must be in [1, 4096], got " + std::to_string(dModel));
  require(
      heads >= 1 && heads <= dModel && dModel % heads == 0,
      "model.heads must divide model.d_model = " + std::to_string(dModel) + ", got " + std::to_string(heads));
  require(layers >= 0 && layers <= 64, "model.layers must be in [0, 64], got " + std::to_string(layers));
  require(dFF >= 1 && dFF <= 16384, "model.d_ff must be in [1, 16384], got " + std::to_string(dFF));
  if (input == InputKind::Tokens)
    require(vocab >= 1, "model: vocabulary size must be at least 1, got " + std::to_string(vocab));
  else
    require(patchDim >= 1, "model: patch dimension must be at least 1, got " + std::to_string(patchDim));
  if (head == HeadKind::Classify)
    require(classes >= 2, "model: classification needs at least 2 classes, got " + std::to_string(classes));
  else
    require(input == InputKind::Tokens, "model: a causal LM head needs token inputs, not patches");
}

template <class T>
Transformer<T>::Transformer(const TransformerConfig& c, std::uint64_t seed) : config_(c) {
  c.validate();
  const int C = c.dModel, F = c.dFF, P = c.positions();
  auto& p = params_;
  if (c.input == InputKind::Tokens) {
    tok_ = p.add("embed.token", {c.vocab, C}, 0, false);
  } else {
    patchW_ = p.add("embed.patch.weight", {C, c.patchDim});
    patchB_ = p.add("embed.patch.bias", {C}, 0, false);
  }
  pos_ = p.add("embed.position", {P, C}, 0, false);
  if (c.classToken()) cls_ = p.add("embed.class", {C}, 0, false);
  for (int l = 0; l < c.layers; ++l) {
    const std::string b = "block" + std::to_string(l) + ".";
    BlockIds id;
    id.ln1w = p.add(b + "ln1.weight", {C}, 0, false);
    id.ln1b = p.add(b + "ln1.bias", {C}, 0, false);
    id.qkvw = p.add(b + "attn.qkv.weight", {3 * C, C});
    id.qkvb = p.add(b + "attn.qkv.bias", {3 * C}, 0, false);
    id.projw = p.add(b + "attn.proj.weight", {C, C});
    id.projb = p.add(b + "attn.proj.bias", {C}, 0, false);
    id.ln2w = p.add(b + "ln2.weight", {C}, 0, false);
    id.ln2b = p.add(b + "ln2.bias", {C}, 0, false);
    id.fcw = p.add(b + "mlp.fc.weight", {F, C});
    id.fcb = p.add(b + "mlp.fc.bias", {F}, 0, false);
    id.fc2w = p.add(b + "mlp.proj.weight", {C, F});
    id.fc2b = p.add(b + "mlp.proj.bias", {C}, 0, false);
    blocks_.push_back(id);
  }
  lnfw_ = p.add("final_ln.weight", {C}, 0, false);
  lnfb_ = p.add("final_ln.bias", {C}, 0, false);
  headw_ = p.add("head.weight", {c.outputs(), C});
  headb_ = p.add("head.bias", {c.outputs()}, 0, false);
  p.finalize();

  // GPT-2 initialisation: N(0, 0.02), residual projections scaled by 1/sqrt(2 layers)
  // so the residual stream's variance does not grow with depth. Drawn in double so
  // float and double models from one seed agree up to rounding.
  Rng rng(seed);
  const double residualStd = 0.02 / std::sqrt(2.0 * std::max(1, c.layers));
  for (int i = 0; i < p.count(); ++i) {
    const auto& v = p.view(i);
    T* w = p.value(i);
    const auto ends = [&](const std::string& s) {
      return v.name.size() >= s.size() && v.name.compare(v.name.size() - s.size(), s.size(), s) == 0;
    };
    const bool norm = v.name.find("ln") != std::string::npos && ends(".weight");
    if (norm) {
      std::fill(w, w + v.size, T(1));
    } else if (ends(".bias")) {
      std::fill(w, w + v.size, T(0));
    } else {
      const double sd = ends("proj.weight") ? residualStd : 0.02;
      for (std::size_t k = 0; k < v.size; ++k) w[k] = T(rng.normal(0.0, sd));
    }
  }
}

template <class T>
void Transformer<T>::reserve(TransformerWorkspace<T>& ws, int maxBatch, bool withGradients) const {
  const int threads = omp_get_max_threads();
  if (maxBatch <= ws.capacity_ && threads <= ws.threads_ && (!withGradients || ws.hasGradBuffers_)) return;
  maxBatch = std::max(maxBatch, ws.capacity_);
  withGradients = withGradients || ws.hasGradBuffers_;
  const auto& c = config_;
  const std::size_t B = maxBatch, P = c.positions(), C = c.dModel, F = c.dFF, H = c.heads, S = c.seq,
                    N = B * P;
  const std::size_t logitRows = c.head == HeadKind::CausalLM ? N : B;
  const std::size_t O = c.outputs();
  // First pass counts, second pass hands out pointers.
  std::size_t total = 0;
  T* base = nullptr;
  auto take = [&](std::size_t n) -> T* {
    T* ptr = base ? base + total : nullptr;
    total += padded(std::max<std::size_t>(n, 1));
    return ptr;
  };
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      ws.arena_.assign(total, T(0));
      base = ws.arena_.data();
    }
    total = 0;
    ws.layer_.resize(c.layers);
    for (auto& L : ws.layer_) {
      L.x = take(N * C);
      L.ln1 = take(N * C);
      L.ln1Mean = take(N);
      L.ln1Rstd = take(N);
      L.qkv = take(3 * N * C);
      L.probs = take(B * H * P * P);
      L.atty = take(N * C);
      L.xMid = take(N * C);
      L.ln2 = take(N * C);
      L.ln2Mean = take(N);
      L.ln2Rstd = take(N);
      L.fcPre = take(N * F);
      L.fcAct = take(N * F);
    }
    ws.embedIn = take(B * S * C);
    ws.patches = take(c.input == InputKind::Patches ? B * S * c.patchDim : 0);
    ws.xFinal = take(N * C);
    ws.lnf = take(N * C);
    ws.lnfMean = take(N);
    ws.lnfRstd = take(N);
    ws.pooled = take(B * C);
    ws.logits = take(logitRows * O);
    ws.tokenLoss = take(3 * N);
    if (withGradients) {
      ws.dx = take(N * C);
      ws.dtmp = take(N * C);
      ws.dqkv = take(3 * N * C);
      ws.dfc = take(N * F);
      ws.dlogits = take(logitRows * O);
      ws.dpooled = take(B * C);
      ws.scratch = take(threads * P * P);
      ws.dEmbedIn = take(B * S * C);
    }
  }
  ws.ids_.assign(B * S, 0);
  ws.targets_.assign(B * S, -1);
  ws.labels_.assign(B, 0);
  ws.weights_.assign(B, T(0));
  ws.lengths_.assign(B, int(P));
  ws.capacity_ = maxBatch;
  ws.threads_ = threads;
  ws.hasGradBuffers_ = withGradients;
  ws.trained_ = false;
}

template <class T>
void Transformer<T>::embedForward(TransformerWorkspace<T>& ws, const TransformerBatch<T>& b) const {
  const auto& c = config_;
  const int B = b.size, S = c.seq, P = c.positions(), C = c.dModel, off = c.classToken() ? 1 : 0;
  T* x0 = c.layers > 0 ? ws.layer_[0].x : ws.xFinal;
  // Without a class token the embeddings land in x0 directly.
  T* e = off ? ws.embedIn : x0;
  if (c.input == InputKind::Tokens) {
    embeddingForward(e, ws.ids_.data(), params_.value(tok_), B * S, C);
  } else {
    linearForward(e, ws.patches, params_.value(patchW_), params_.value(patchB_), B * S, c.patchDim, C);
  }
  const T* pos = params_.value(pos_);
  const T* cls = off ? params_.value(cls_) : nullptr;
#pragma omp parallel for schedule(static) if (long(B) * P * C > kParallelWork)
  for (int r = 0; r < B * P; ++r) {
    const int bi = r / P, p = r % P;
    const T* src = (off && p == 0) ? cls : e + (std::size_t(bi) * S + p - off) * C;
    T* dst = x0 + std::size_t(r) * C;
    const T* pp = pos + std::size_t(p) * C;
    for (int k = 0; k < C; ++k) dst[k] = src[k] + pp[k];
  }
}

template <class T>
T Transformer<T>::forward(TransformerWorkspace<T>& ws, const TransformerBatch<T>& b, T* loss, T* gradNorm,
                          T* correct) const {
  const auto& c = config_;
  const int B = b.size, S = c.seq, P = c.positions(), C = c.dModel, F = c.dFF, H = c.heads, N = B * P,
            off = c.classToken() ? 1 : 0;
  if (B > ws.capacity_ || omp_get_max_threads() > ws.threads_)
    throw std::logic_error("Transformer::forward: workspace too small; call reserve()");
  if (B <= 0) return T(0);
  ws.batch_ = B;
  ws.trained_ = false;
  // Stage the integer inputs (checked) so backward does not depend on the caller's arrays.
  const bool lm = c.head == HeadKind::CausalLM;
  for (int i = 0; i < B; ++i) {
    int len = b.lengths ? b.lengths[i] : S;
    if (len <= 0 || len > S) len = S;
    ws.lengths_[i] = len + off;
    if (!lm) {
      const int y = b.labels ? b.labels[i] : -1;
      if (y < 0 || y >= c.classes)
        throw std::out_of_range("label " + std::to_string(y) + " outside [0, " + std::to_string(c.classes) +
                                ")");
      ws.labels_[i] = y;
    }
  }
  if (c.input == InputKind::Tokens) {
    for (int k = 0; k < B * S; ++k) {
      const int t = b.tokens[k];
      if (t < 0 || t >= c.vocab)
        throw std::out_of_range("token id " + std::to_string(t) + " outside [0, " + std::to_string(c.vocab) +
                                ")");
      ws.ids_[k] = t;
    }
  } else {
    std::copy_n(b.patches, std::size_t(B) * S * c.patchDim, ws.patches);
  }
  if (lm) {
    for (int k = 0; k < B * S; ++k) {
      const int y = b.targets ? b.targets[k] : -1;
      if (y >= c.vocab)
        throw std::out_of_range("target " + std::to_string(y) + " outside [0, " + std::to_string(c.vocab) +
                                ")");
      ws.targets_[k] = y < 0 ? -1 : y;
    }
  }

  embedForward(ws, b);
  for (int l = 0; l < c.layers; ++l) {
    auto& L = ws.layer_[l];
    const auto& id = blocks_[l];
    const auto w = [&](int i) { return params_.value(i); };
    T* next = l + 1 < c.layers ? ws.layer_[l + 1].x : ws.xFinal;
    layerNormForward(L.ln1, L.ln1Mean, L.ln1Rstd, L.x, w(id.ln1w), w(id.ln1b), N, C);
    linearForward(L.qkv, L.ln1, w(id.qkvw), w(id.qkvb), N, C, 3 * C);
    attentionForward(L.atty, L.probs, L.qkv, ws.lengths_.data(), B, P, C, H, c.causal);
    linearForward(L.xMid, L.atty, w(id.projw), w(id.projb), N, C, C, L.x);
    layerNormForward(L.ln2, L.ln2Mean, L.ln2Rstd, L.xMid, w(id.ln2w), w(id.ln2b), N, C);
    linearForward(L.fcPre, L.ln2, w(id.fcw), w(id.fcb), N, C, F);
    geluForward(L.fcAct, L.fcPre, std::size_t(N) * F);
    linearForward(next, L.fcAct, w(id.fc2w), w(id.fc2b), N, F, C, L.xMid);
  }
  layerNormForward(ws.lnf, ws.lnfMean, ws.lnfRstd, ws.xFinal, params_.value(lnfw_), params_.value(lnfb_), N,
                   C);

  // Head: logits, then per row the log-sum-exp loss; logits become probabilities in place.
  const int O = c.outputs();
  const int rows = lm ? N : B;
  const T* headIn = ws.lnf;
  if (!lm) {
    for (int i = 0; i < B; ++i) {
      T* pooled = ws.pooled + std::size_t(i) * C;
      if (c.pooling == Pooling::ClassToken) {
        std::copy_n(ws.lnf + std::size_t(i) * P * C, C, pooled);
      } else {
        const int len = ws.lengths_[i];
        std::fill(pooled, pooled + C, T(0));
        for (int t = 0; t < len; ++t) {
          const T* x = ws.lnf + (std::size_t(i) * P + t) * C;
          for (int k = 0; k < C; ++k) pooled[k] += x[k];
        }
        for (int k = 0; k < C; ++k) pooled[k] /= T(len);
      }
    }
    headIn = ws.pooled;
  }
  linearForward(ws.logits, headIn, params_.value(headw_), params_.value(headb_), rows, C, O);
  T* rowLoss = ws.tokenLoss;
  T* rowNorm = ws.tokenLoss + N;
  T* rowHit = ws.tokenLoss + 2 * N;
  using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
#pragma omp parallel for schedule(static) if (long(rows) * O > kParallelWork)
  for (int r = 0; r < rows; ++r) {
    const int y = lm ? ws.targets_[r] : ws.labels_[r];
    Eigen::Map<Arr> z(ws.logits + std::size_t(r) * O, O);
    Eigen::Index arg = 0;
    const T m = z.maxCoeff(&arg);
    const T zy = y >= 0 ? z[y] - m : T(0);
    z = (z - m).exp();
    const T sum = z.sum();
    z /= sum;
    if (y < 0) {
      rowLoss[r] = rowNorm[r] = rowHit[r] = T(0);
      continue;
    }
    // -log p_y = log(sum) - (z_y - m): finite even where p_y underflows.
    rowLoss[r] = std::log(sum) - zy;
    rowNorm[r] = std::sqrt(std::max(T(0), z.square().sum() - 2 * z[y] + 1));
    rowHit[r] = arg == y ? T(1) : T(0);
  }
  T total = 0;
  for (int i = 0; i < B; ++i) {
    if (!lm) {
      loss[i] = rowLoss[i];
      gradNorm[i] = rowNorm[i];
      correct[i] = rowHit[i];
    } else {
      T l = 0, g = 0, h = 0;
      int n = 0;
      for (int t = 0; t < S; ++t) {
        const int r = i * S + t;
        if (ws.targets_[r] < 0) continue;
        l += rowLoss[r];
        g += rowNorm[r];
        h += rowHit[r];
        ++n;
      }
      loss[i] = n ? l / n : T(0);
      gradNorm[i] = n ? g / n : T(0);
      correct[i] = n ? h / n : std::numeric_limits<T>::quiet_NaN();
    }
    total += loss[i];
  }
  ws.trained_ = true;
  return total / B;
}

template <class T>
void Transformer<T>::backward(TransformerWorkspace<T>& ws) {
  if (!ws.hasGradBuffers_ || !ws.trained_)
    throw std::logic_error("Transformer::backward without a forward through a training workspace");
  const auto& c = config_;
  const int B = ws.batch_, S = c.seq, P = c.positions(), C = c.dModel, F = c.dFF, H = c.heads, N = B * P,
            O = c.outputs(), off = c.classToken() ? 1 : 0;
  const bool lm = c.head == HeadKind::CausalLM;
  auto& p = params_;
  const auto w = [&](int i) { return p.value(i); };
  const auto g = [&](int i) { return p.grad(i); };

  // d(mean over examples of the mean over scored tokens) / dlogits = (p - e_y) * weight.
  const int rows = lm ? N : B;
  for (int i = 0; i < B && lm; ++i) {
    int n = 0;
    for (int t = 0; t < S; ++t) n += ws.targets_[i * S + t] >= 0;
    ws.weights_[i] = n ? T(1) / (T(n) * B) : T(0);
  }
#pragma omp parallel for schedule(static) if (long(rows) * O > kParallelWork)
  for (int r = 0; r < rows; ++r) {
    const int y = lm ? ws.targets_[r] : ws.labels_[r];
    const T* pr = ws.logits + std::size_t(r) * O;
    T* d = ws.dlogits + std::size_t(r) * O;
    const T scale = y < 0 ? T(0) : lm ? ws.weights_[r / S] : T(1) / B;
    for (int k = 0; k < O; ++k) d[k] = pr[k] * scale;
    if (y >= 0) d[y] -= scale;
  }
  if (lm) {
    linearBackward(ws.dtmp, g(headw_), g(headb_), ws.dlogits, ws.lnf, w(headw_), N, C, O);
  } else {
    linearBackward(ws.dpooled, g(headw_), g(headb_), ws.dlogits, ws.pooled, w(headw_), B, C, O);
    std::fill(ws.dtmp, ws.dtmp + std::size_t(N) * C, T(0));
    for (int i = 0; i < B; ++i) {
      const T* dp = ws.dpooled + std::size_t(i) * C;
      if (c.pooling == Pooling::ClassToken) {
        std::copy_n(dp, C, ws.dtmp + std::size_t(i) * P * C);
      } else {
        const int len = ws.lengths_[i];
        for (int t = 0; t < len; ++t) {
          T* d = ws.dtmp + (std::size_t(i) * P + t) * C;
          for (int k = 0; k < C; ++k) d[k] = dp[k] / T(len);
        }
      }
    }
  }
  std::fill(ws.dx, ws.dx + std::size_t(N) * C, T(0));
  layerNormBackward(ws.dx, g(lnfw_), g(lnfb_), ws.dtmp, ws.xFinal, w(lnfw_), ws.lnfMean, ws.lnfRstd, N, C);

  for (int l = c.layers - 1; l >= 0; --l) {
    auto& L = ws.layer_[l];
    const auto& id = blocks_[l];
    // x_next = xMid + fc2(gelu(fc1(ln2(xMid)))); ws.dx holds d x_next.
    linearBackward(ws.dfc, g(id.fc2w), g(id.fc2b), ws.dx, L.fcAct, w(id.fc2w), N, F, C);
    geluBackward(ws.dfc, ws.dfc, L.fcPre, std::size_t(N) * F);
    linearBackward(ws.dtmp, g(id.fcw), g(id.fcb), ws.dfc, L.ln2, w(id.fcw), N, C, F);
    layerNormBackward(ws.dx, g(id.ln2w), g(id.ln2b), ws.dtmp, L.xMid, w(id.ln2w), L.ln2Mean, L.ln2Rstd, N, C);
    // xMid = x + proj(attention(ln1(x))); ws.dx holds d xMid.
    linearBackward(ws.dtmp, g(id.projw), g(id.projb), ws.dx, L.atty, w(id.projw), N, C, C);
    attentionBackward(ws.dqkv, ws.dtmp, L.qkv, L.probs, ws.lengths_.data(), ws.scratch, B, P, C, H, c.causal);
    linearBackward(ws.dtmp, g(id.qkvw), g(id.qkvb), ws.dqkv, L.ln1, w(id.qkvw), N, C, 3 * C);
    layerNormBackward(ws.dx, g(id.ln1w), g(id.ln1b), ws.dtmp, L.x, w(id.ln1w), L.ln1Mean, L.ln1Rstd, N, C);
  }

  // Embeddings: ws.dx holds d x0.
  T* dpos = g(pos_);
#pragma omp parallel for schedule(static) if (long(B) * P * C > kParallelWork)
  for (int q = 0; q < P; ++q)
    for (int i = 0; i < B; ++i) {
      const T* d = ws.dx + (std::size_t(i) * P + q) * C;
      T* dp = dpos + std::size_t(q) * C;
      for (int k = 0; k < C; ++k) dp[k] += d[k];
    }
  if (off) {
    T* dcls = g(cls_);
    for (int i = 0; i < B; ++i) {
      const T* d = ws.dx + std::size_t(i) * P * C;
      for (int k = 0; k < C; ++k) dcls[k] += d[k];
    }
  }
  // Gradient of the per-input embeddings, [B*S, C].
  const T* de = ws.dx;
  if (off) {
    for (int i = 0; i < B; ++i)
      std::copy_n(ws.dx + (std::size_t(i) * P + 1) * C, std::size_t(S) * C,
                  ws.dEmbedIn + std::size_t(i) * S * C);
    de = ws.dEmbedIn;
  }
  if (c.input == InputKind::Tokens)
    embeddingBackward(g(tok_), de, ws.ids_.data(), B * S, C);
  else
    linearBackward<T>(nullptr, g(patchW_), g(patchB_), de, ws.patches, w(patchW_), B * S, c.patchDim, C);
}

template <class T>
double Transformer<T>::flopsPerSequence() const {
  const double Tn = config_.positions(), d = config_.dModel, L = config_.layers, ff = config_.dFF,
               V = config_.outputs();
  const double perLayer = 2 * Tn * (3 * d * d + d * d + 2 * d * ff) + 2 * 2 * Tn * Tn * d;
  return 3 * (L * perLayer + 2 * Tn * d * V);
}

template class Transformer<float>;
template class Transformer<double>;

}  // namespace attent::nn

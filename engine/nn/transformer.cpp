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
  // The class token sits at position 0: under a causal mask it attends only to itself, so the
  // classifier would never see the input (its gradients to the input are exactly zero).
  require(!(classToken() && causal),
          "model.pooling=class-token cannot be used with model.causal=on: the class token comes first and a "
          "causal mask lets it see only itself, so the classifier never sees the input; use "
          "model.pooling=mean or model.causal=off");
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
std::size_t Transformer<T>::layoutArena(const TransformerConfig& c, TransformerWorkspace<T>& ws, T* base,
                                        std::size_t B, bool withGradients, int threads) {
  const std::size_t P = c.positions(), C = c.dModel, F = c.dFF, H = c.heads, S = c.seq, N = B * P;
  const std::size_t logitRows = c.head == HeadKind::CausalLM ? N : B;
  const std::size_t O = c.outputs();
  std::size_t total = 0;
  auto take = [&](std::size_t n) -> T* {
    T* ptr = base ? base + total : nullptr;
    total += padded(std::max<std::size_t>(n, 1));
    return ptr;
  };
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
  ws.scratch = take(std::size_t(threads) * attentionScratchSize(int(P), int(C), int(H)));
  if (withGradients) {
    ws.dx = take(N * C);
    ws.dtmp = take(N * C);
    ws.dqkv = take(3 * N * C);
    ws.dfc = take(N * F);
    ws.dlogits = take(logitRows * O);
    ws.dpooled = take(B * C);
    ws.dEmbedIn = take(B * S * C);
  }
  return total;
}

template <class T>
std::size_t Transformer<T>::workspaceBytes(const TransformerConfig& c, int maxBatch, bool withGradients,
                                           int threads) {
  TransformerWorkspace<T> counting;  // pointers stay null: the layout only counts
  const std::size_t B = std::size_t(std::max(1, maxBatch)), S = c.seq;
  const std::size_t arena = layoutArena(c, counting, nullptr, B, withGradients, std::max(1, threads));
  const std::size_t shardGrads =
      withGradients ? std::size_t(std::max(0, threads - 1)) * parameterCount(c) : 0;
  return (arena + shardGrads + B) * sizeof(T) + (2 * B * S + 2 * B) * sizeof(int);
}

template <class T>
std::size_t Transformer<T>::parameterCount(const TransformerConfig& c) {
  // The constructor's tensors, each padded to 16 values as Parameters::add lays them out.
  const std::size_t C = c.dModel, F = c.dFF, P = c.positions(), O = c.outputs();
  std::size_t n =
      c.input == InputKind::Tokens ? padded(std::size_t(c.vocab) * C) : padded(C * c.patchDim) + padded(C);
  n += padded(P * C) + (c.classToken() ? padded(C) : 0);
  const std::size_t block = 4 * padded(C) + padded(3 * C * C) + padded(3 * C) + padded(C * C) + padded(C) +
                            padded(F * C) + padded(F) + padded(C * F) + padded(C);
  return n + std::size_t(c.layers) * block + 2 * padded(C) + padded(O * C) + padded(O);
}

template <class T>
void Transformer<T>::reserve(TransformerWorkspace<T>& ws, int maxBatch, bool withGradients) const {
  const int threads = omp_get_max_threads();
  if (maxBatch <= ws.capacity_ && threads <= ws.threads_ && (!withGradients || ws.hasGradBuffers_)) return;
  maxBatch = std::max(maxBatch, ws.capacity_);
  withGradients = withGradients || ws.hasGradBuffers_;
  const auto& c = config_;
  const std::size_t B = maxBatch, P = c.positions(), S = c.seq;
  // First pass counts, second pass hands out pointers.
  const std::size_t total = layoutArena(c, ws, nullptr, B, withGradients, threads);
  ws.arena_.assign(total, T(0));
  layoutArena(c, ws, ws.arena_.data(), B, withGradients, threads);
  ws.ids_.assign(B * S, 0);
  ws.targets_.assign(B * S, -1);
  ws.labels_.assign(B, 0);
  ws.weights_.assign(B, T(0));
  if (withGradients) ws.shardGrads_.assign(std::size_t(std::max(0, threads - 1)) * params_.size(), T(0));
  ws.lengths_.assign(B, int(P));
  ws.capacity_ = maxBatch;
  ws.threads_ = threads;
  ws.hasGradBuffers_ = withGradients;
  ws.trained_ = false;
}

namespace {
// Examples [b0, b1) of shard s: fixed by (B, shards) alone, so results do not depend on
// which thread runs which shard.
void shardRange(int B, int shards, int s, int& b0, int& b1) {
  b0 = int(long(B) * s / shards);
  b1 = int(long(B) * (s + 1) / shards);
}
}  // namespace

template <class T>
int Transformer<T>::shardCount(const TransformerWorkspace<T>& ws) const {
  return std::max(1, std::min({ws.batch_, ws.threads_, omp_get_max_threads()}));
}

template <class T>
T* Transformer<T>::shardScratch(TransformerWorkspace<T>& ws, int shard) const {
  const auto& c = config_;
  return ws.scratch + std::size_t(shard) * attentionScratchSize(c.positions(), c.dModel, c.heads);
}

template <class T>
T Transformer<T>::forward(TransformerWorkspace<T>& ws, const TransformerBatch<T>& b, T* loss, T* gradNorm,
                          T* correct) const {
  const auto& c = config_;
  const int B = b.size, S = c.seq, P = c.positions(), off = c.classToken() ? 1 : 0;
  if (B > ws.capacity_ || omp_get_max_threads() > ws.threads_)
    throw std::logic_error("Transformer::forward: workspace too small; call reserve()");
  if (B <= 0) return T(0);
  ws.batch_ = B;
  ws.trained_ = false;
  // Stage the inputs (checked) so backward does not depend on the caller's arrays.
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

  // One parallel region per pass: each thread runs whole shards of the batch.
  const int shards = shardCount(ws);
#pragma omp parallel for schedule(static, 1) num_threads(shards) if (shards > 1)
  for (int s = 0; s < shards; ++s) {
    int b0, b1;
    shardRange(B, shards, s, b0, b1);
    forwardShard(ws, b0, b1, shardScratch(ws, s));
  }

  const T* rowLoss = ws.tokenLoss;
  const T* rowNorm = ws.tokenLoss + std::size_t(ws.capacity_) * P;
  const T* rowHit = rowNorm + std::size_t(ws.capacity_) * P;
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
void Transformer<T>::forwardShard(TransformerWorkspace<T>& ws, int b0, int b1, T* scratch) const {
  const auto& c = config_;
  const int nb = b1 - b0, S = c.seq, P = c.positions(), C = c.dModel, F = c.dFF, H = c.heads, N = nb * P,
            off = c.classToken() ? 1 : 0;
  const bool lm = c.head == HeadKind::CausalLM;
  const std::size_t r0 = std::size_t(b0) * P;  // first stacked row of the shard
  const auto rows = [&](T* p, std::size_t width) { return p + r0 * width; };
  const auto w = [&](int i) { return params_.value(i); };
  const int* lengths = ws.lengths_.data() + b0;

  // Embeddings (+ class token) + positions. Without a class token they land in x0 directly.
  T* x0 = rows(c.layers > 0 ? ws.layer_[0].x : ws.xFinal, C);
  T* e = off ? ws.embedIn + std::size_t(b0) * S * C : x0;
  if (c.input == InputKind::Tokens)
    embeddingForward(e, ws.ids_.data() + std::size_t(b0) * S, w(tok_), nb * S, C);
  else
    linearForward(e, ws.patches + std::size_t(b0) * S * c.patchDim, w(patchW_), w(patchB_), nb * S,
                  c.patchDim, C);
  const T* pos = w(pos_);
  const T* cls = off ? w(cls_) : nullptr;
  for (int r = 0; r < N; ++r) {
    const int bi = r / P, p = r % P;
    const T* src = (off && p == 0) ? cls : e + (std::size_t(bi) * S + p - off) * C;
    T* dst = x0 + std::size_t(r) * C;
    const T* pp = pos + std::size_t(p) * C;
    for (int k = 0; k < C; ++k) dst[k] = src[k] + pp[k];
  }

  for (int l = 0; l < c.layers; ++l) {
    auto& L = ws.layer_[l];
    const auto& id = blocks_[l];
    T* x = rows(L.x, C);
    T* ln1 = rows(L.ln1, C);
    T* qkv = rows(L.qkv, 3 * C);
    T* atty = rows(L.atty, C);
    T* xMid = rows(L.xMid, C);
    T* ln2 = rows(L.ln2, C);
    T* fcPre = rows(L.fcPre, F);
    T* fcAct = rows(L.fcAct, F);
    T* next = rows(l + 1 < c.layers ? ws.layer_[l + 1].x : ws.xFinal, C);
    layerNormForward(ln1, rows(L.ln1Mean, 1), rows(L.ln1Rstd, 1), x, w(id.ln1w), w(id.ln1b), N, C);
    linearForward(qkv, ln1, w(id.qkvw), w(id.qkvb), N, C, 3 * C);
    attentionForward(atty, L.probs + std::size_t(b0) * H * P * P, qkv, lengths, scratch, nb, P, C, H,
                     c.causal);
    linearForward(xMid, atty, w(id.projw), w(id.projb), N, C, C, x);
    layerNormForward(ln2, rows(L.ln2Mean, 1), rows(L.ln2Rstd, 1), xMid, w(id.ln2w), w(id.ln2b), N, C);
    linearForward(fcPre, ln2, w(id.fcw), w(id.fcb), N, C, F);
    geluForward(fcAct, fcPre, std::size_t(N) * F, ws.hasGradBuffers_ ? fcPre : nullptr);
    linearForward(next, fcAct, w(id.fc2w), w(id.fc2b), N, F, C, xMid);
  }
  T* lnf = rows(ws.lnf, C);
  layerNormForward(lnf, rows(ws.lnfMean, 1), rows(ws.lnfRstd, 1), rows(ws.xFinal, C), w(lnfw_), w(lnfb_), N,
                   C);

  // Head: logits, then per row the log-sum-exp loss; logits become probabilities in place.
  const int O = c.outputs();
  const T* headIn = lnf;
  int first = int(r0), count = N;  // rows of the logits this shard owns
  if (!lm) {
    for (int i = 0; i < nb; ++i) {
      T* pooled = ws.pooled + std::size_t(b0 + i) * C;
      const T* xi = lnf + std::size_t(i) * P * C;
      if (c.pooling == Pooling::ClassToken) {
        std::copy_n(xi, C, pooled);
      } else {
        const int len = lengths[i];
        std::fill(pooled, pooled + C, T(0));
        for (int t = 0; t < len; ++t)
          for (int k = 0; k < C; ++k) pooled[k] += xi[std::size_t(t) * C + k];
        for (int k = 0; k < C; ++k) pooled[k] /= T(len);
      }
    }
    headIn = ws.pooled + std::size_t(b0) * C;
    first = b0;
    count = nb;
  }
  linearForward(ws.logits + std::size_t(first) * O, headIn, w(headw_), w(headb_), count, C, O);
  T* rowLoss = ws.tokenLoss;
  T* rowNorm = ws.tokenLoss + std::size_t(ws.capacity_) * P;
  T* rowHit = rowNorm + std::size_t(ws.capacity_) * P;
  using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
  for (int r = first; r < first + count; ++r) {
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
}

template <class T>
void Transformer<T>::backward(TransformerWorkspace<T>& ws) {
  if (!ws.hasGradBuffers_ || !ws.trained_)
    throw std::logic_error("Transformer::backward without a forward through a training workspace");
  const auto& c = config_;
  const int B = ws.batch_, S = c.seq;
  if (c.head == HeadKind::CausalLM)
    for (int i = 0; i < B; ++i) {
      int n = 0;
      for (int t = 0; t < S; ++t) n += ws.targets_[i * S + t] >= 0;
      ws.weights_[i] = n ? T(1) / (T(n) * B) : T(0);
    }
  // Shard 0 adds straight into the gradients; the others into private buffers that are
  // then added in shard order, so the sums are the same on every run.
  const int shards = shardCount(ws);
  const std::size_t size = params_.size();
#pragma omp parallel for schedule(static, 1) num_threads(shards) if (shards > 1)
  for (int s = 0; s < shards; ++s) {
    int b0, b1;
    shardRange(B, shards, s, b0, b1);
    T* grads = params_.grads().data();
    if (s > 0) {
      grads = ws.shardGrads_.data() + (s - 1) * size;
      std::fill(grads, grads + size, T(0));
    }
    backwardShard(ws, b0, b1, grads, shardScratch(ws, s));
  }
  if (shards > 1) {
    const long blocks = long((size + 4095) / 4096);
    T* g = params_.grads().data();
#pragma omp parallel for schedule(static) num_threads(shards)
    for (long k = 0; k < blocks; ++k) {
      const std::size_t i0 = std::size_t(k) * 4096, i1 = std::min(size, i0 + 4096);
      for (int s = 1; s < shards; ++s) {
        const T* src = ws.shardGrads_.data() + (s - 1) * size;
        for (std::size_t i = i0; i < i1; ++i) g[i] += src[i];
      }
    }
  }
}

template <class T>
void Transformer<T>::backwardShard(TransformerWorkspace<T>& ws, int b0, int b1, T* grads, T* scratch) const {
  const auto& c = config_;
  const int nb = b1 - b0, B = ws.batch_, S = c.seq, P = c.positions(), C = c.dModel, F = c.dFF, H = c.heads,
            N = nb * P, O = c.outputs(), off = c.classToken() ? 1 : 0;
  const bool lm = c.head == HeadKind::CausalLM;
  const std::size_t r0 = std::size_t(b0) * P;
  const auto rows = [&](T* p, std::size_t width) { return p + r0 * width; };
  const auto w = [&](int i) { return params_.value(i); };
  const auto g = [&](int i) { return grads + params_.view(i).offset; };
  const int* lengths = ws.lengths_.data() + b0;
  T* dx = rows(ws.dx, C);
  T* dtmp = rows(ws.dtmp, C);
  T* dqkv = rows(ws.dqkv, 3 * C);
  T* dfc = rows(ws.dfc, F);

  // d(mean over examples of the mean over scored tokens) / dlogits = (p - e_y) * weight.
  const int first = lm ? int(r0) : b0, count = lm ? N : nb;
  for (int r = first; r < first + count; ++r) {
    const int y = lm ? ws.targets_[r] : ws.labels_[r];
    const T* pr = ws.logits + std::size_t(r) * O;
    T* d = ws.dlogits + std::size_t(r) * O;
    const T scale = y < 0 ? T(0) : lm ? ws.weights_[r / S] : T(1) / B;
    for (int k = 0; k < O; ++k) d[k] = pr[k] * scale;
    if (y >= 0) d[y] -= scale;
  }
  const T* dlogits = ws.dlogits + std::size_t(first) * O;
  if (lm) {
    linearBackward(dtmp, g(headw_), g(headb_), dlogits, rows(ws.lnf, C), w(headw_), N, C, O);
  } else {
    T* dpooled = ws.dpooled + std::size_t(b0) * C;
    linearBackward(dpooled, g(headw_), g(headb_), dlogits, ws.pooled + std::size_t(b0) * C, w(headw_), nb, C,
                   O);
    std::fill(dtmp, dtmp + std::size_t(N) * C, T(0));
    for (int i = 0; i < nb; ++i) {
      const T* dp = dpooled + std::size_t(i) * C;
      if (c.pooling == Pooling::ClassToken) {
        std::copy_n(dp, C, dtmp + std::size_t(i) * P * C);
      } else {
        const int len = lengths[i];
        for (int t = 0; t < len; ++t) {
          T* d = dtmp + (std::size_t(i) * P + t) * C;
          for (int k = 0; k < C; ++k) d[k] = dp[k] / T(len);
        }
      }
    }
  }
  std::fill(dx, dx + std::size_t(N) * C, T(0));
  layerNormBackward(dx, g(lnfw_), g(lnfb_), dtmp, rows(ws.xFinal, C), w(lnfw_), rows(ws.lnfMean, 1),
                    rows(ws.lnfRstd, 1), N, C);

  for (int l = c.layers - 1; l >= 0; --l) {
    auto& L = ws.layer_[l];
    const auto& id = blocks_[l];
    // x_next = xMid + fc2(gelu(fc1(ln2(xMid)))); dx holds d x_next.
    linearBackward(dfc, g(id.fc2w), g(id.fc2b), dx, rows(L.fcAct, F), w(id.fc2w), N, F, C);
    geluBackward(dfc, dfc, rows(L.fcPre, F), std::size_t(N) * F);  // fcPre holds GELU's slope
    linearBackward(dtmp, g(id.fcw), g(id.fcb), dfc, rows(L.ln2, C), w(id.fcw), N, C, F);
    layerNormBackward(dx, g(id.ln2w), g(id.ln2b), dtmp, rows(L.xMid, C), w(id.ln2w), rows(L.ln2Mean, 1),
                      rows(L.ln2Rstd, 1), N, C);
    // xMid = x + proj(attention(ln1(x))); dx holds d xMid.
    linearBackward(dtmp, g(id.projw), g(id.projb), dx, rows(L.atty, C), w(id.projw), N, C, C);
    attentionBackward(dqkv, dtmp, rows(L.qkv, 3 * C), L.probs + std::size_t(b0) * H * P * P, lengths, scratch,
                      nb, P, C, H, c.causal);
    linearBackward(dtmp, g(id.qkvw), g(id.qkvb), dqkv, rows(L.ln1, C), w(id.qkvw), N, C, 3 * C);
    layerNormBackward(dx, g(id.ln1w), g(id.ln1b), dtmp, rows(L.x, C), w(id.ln1w), rows(L.ln1Mean, 1),
                      rows(L.ln1Rstd, 1), N, C);
  }

  // Embeddings: dx holds d x0.
  T* dpos = g(pos_);
  for (int r = 0; r < N; ++r) {
    const T* d = dx + std::size_t(r) * C;
    T* dp = dpos + std::size_t(r % P) * C;
    for (int k = 0; k < C; ++k) dp[k] += d[k];
  }
  if (off) {
    T* dcls = g(cls_);
    for (int i = 0; i < nb; ++i) {
      const T* d = dx + std::size_t(i) * P * C;
      for (int k = 0; k < C; ++k) dcls[k] += d[k];
    }
  }
  // Gradient of the per-input embeddings, [nb*S, C].
  const T* de = dx;
  if (off) {
    T* dEmbed = ws.dEmbedIn + std::size_t(b0) * S * C;
    for (int i = 0; i < nb; ++i)
      std::copy_n(dx + (std::size_t(i) * P + 1) * C, std::size_t(S) * C, dEmbed + std::size_t(i) * S * C);
    de = dEmbed;
  }
  if (c.input == InputKind::Tokens)
    embeddingBackward(g(tok_), de, ws.ids_.data() + std::size_t(b0) * S, nb * S, C);
  else
    linearBackward<T>(nullptr, g(patchW_), g(patchB_), de, ws.patches + std::size_t(b0) * S * c.patchDim,
                      w(patchW_), nb * S, c.patchDim, C);
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

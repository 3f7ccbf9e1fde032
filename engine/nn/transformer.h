#pragma once
// A pre-LayerNorm transformer (GPT-2 / ViT layout) over the layers of layers.h:
//   x0 = embed(tokens or patches) (+ class token) + learned positions
//   x  = x + proj(attention(LN1(x)));  x = x + fc2(GELU(fc1(LN2(x))))   per block
//   head: causal LM (cross-entropy at every position with a target) or
//         classification (mean over real tokens, or the class token) of LN_f(x).
// Parameters live in one Parameters<T> buffer with named views; activations live in
// a Workspace sized once for a maximum batch, so a step allocates nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/aligned.h"
#include "engine/core/parameters.h"

namespace attent::nn {

enum class HeadKind { CausalLM, Classify };
enum class Pooling { Mean, ClassToken };
enum class InputKind { Tokens, Patches };

struct TransformerConfig {
  int vocab = 0;  // tokens: ids in [0, vocab)
  int seq = 1;    // input positions (tokens or patches)
  int dModel = 64, heads = 4, layers = 2, dFF = 256;
  HeadKind head = HeadKind::CausalLM;
  Pooling pooling = Pooling::Mean;  // Classify only
  InputKind input = InputKind::Tokens;
  int patchDim = 0;  // Patches only
  int classes = 0;   // Classify only
  bool causal = true;
  // Throws attent::SettingsError naming the valid range for impossible combinations.
  void validate() const;
  bool classToken() const { return head == HeadKind::Classify && pooling == Pooling::ClassToken; }
  int positions() const { return seq + (classToken() ? 1 : 0); }  // incl. the class token
  int outputs() const { return head == HeadKind::CausalLM ? vocab : classes; }
};

// One batch of inputs, contiguous. Pointers not used by the config may be null.
template <class T>
struct TransformerBatch {
  int size = 0;
  const int* tokens = nullptr;   // [size, seq]
  const T* patches = nullptr;    // [size, seq, patchDim]
  const int* targets = nullptr;  // LM: [size, seq], -1 = no loss at that position
  const int* labels = nullptr;   // Classify: [size]
  const int* lengths = nullptr;  // [size] real positions (padding after); null: all real
};

// Activations of one forward pass (and gradients of one backward), for up to capacity() examples.
template <class T>
class TransformerWorkspace {
 public:
  int capacity() const { return capacity_; }
  std::size_t bytes() const { return arena_.capacity() * sizeof(T); }

 private:
  template <class>
  friend class Transformer;
  AlignedVector<T> arena_;  // 64-byte aligned, sub-buffers 16 values apart: see aligned.h
  std::vector<int> ids_, targets_, labels_, lengths_;
  AlignedVector<T> weights_;
  AlignedVector<T> shardGrads_;  // gradients of batch shards 1.. (shard 0 adds in place)  // per example:
                                 // d(mean loss)/d(token loss)
  int capacity_ = 0, batch_ = 0, threads_ = 0;
  bool hasGradBuffers_ = false, trained_ = false;
  struct Layer {
    // fcPre: the MLP's pre-activation, replaced by GELU's slope in a workspace with gradients.
    T *x, *ln1, *ln1Mean, *ln1Rstd, *qkv, *probs, *atty, *xMid, *ln2, *ln2Mean, *ln2Rstd, *fcPre, *fcAct;
  };
  std::vector<Layer> layer_;
  T *embedIn, *patches, *xFinal, *lnf, *lnfMean, *lnfRstd, *pooled, *logits, *tokenLoss;
  T *dx, *dtmp, *dqkv, *dfc, *dlogits, *dpooled, *dEmbedIn;
  T* scratch;  // attention scratch, one block per thread
};

template <class T>
class Transformer {
 public:
  Transformer(const TransformerConfig& config, std::uint64_t seed);
  const TransformerConfig& config() const { return config_; }
  Parameters<T>& parameters() { return params_; }
  const Parameters<T>& parameters() const { return params_; }

  // Sizes `ws` for batches of up to maxBatch (withGradients: also for backward).
  // Allocates only when the capacity or thread count grows.
  void reserve(TransformerWorkspace<T>& ws, int maxBatch, bool withGradients) const;
  // What reserve() allocates for `config` (arena, shard gradients, staged ids), in bytes, and
  // the length of the parameter buffer (parameters().size(), tensors padded to 16 values):
  // memory estimates before anything is built.
  static std::size_t workspaceBytes(const TransformerConfig& config, int maxBatch, bool withGradients,
                                    int threads);
  static std::size_t parameterCount(const TransformerConfig& config);

  // Per-example loss (mean over its scored tokens), ||p - e_y|| averaged over scored
  // tokens, and correctness (classification: 0/1; LM: token accuracy; NaN with no
  // scored token). Output arrays hold batch.size values. Returns the mean loss.
  T forward(TransformerWorkspace<T>& ws, const TransformerBatch<T>& batch, T* loss, T* gradNorm,
            T* correct) const;
  // Adds to parameters().grads() the gradient of the mean per-example loss of the
  // last forward through `ws` (which must have gradient buffers).
  void backward(TransformerWorkspace<T>& ws);

  // Of the last forward through ws: attention probabilities of `layer`, [B, H, P, P]
  // (P = config().positions()), and per-position losses [B, P] (LM; 0 where unscored).
  // Batches are split into min(batch, threads) shards, one per OpenMP thread, each
  // running every layer single-threaded: one parallel region per pass.
  const T* attentionProbs(const TransformerWorkspace<T>& ws, int layer) const {
    return ws.layer_[layer].probs;
  }
  const T* tokenLosses(const TransformerWorkspace<T>& ws) const { return ws.tokenLoss; }

  // Training FLOPs per sequence counted as bench/peers/torch_peer.py does.
  double flopsPerSequence() const;

 private:
  struct BlockIds {
    int ln1w, ln1b, qkvw, qkvb, projw, projb, ln2w, ln2b, fcw, fcb, fc2w, fc2b;
  };
  // Hands out the arena's sub-buffers from `base` (null: pointers stay null, only counts);
  // returns the values the arena needs.
  static std::size_t layoutArena(const TransformerConfig& c, TransformerWorkspace<T>& ws, T* base,
                                 std::size_t maxBatch, bool withGradients, int threads);
  int shardCount(const TransformerWorkspace<T>& ws) const;
  T* shardScratch(TransformerWorkspace<T>& ws, int shard) const;  // attention scratch of one shard
  void forwardShard(TransformerWorkspace<T>& ws, int b0, int b1, T* scratch) const;
  void backwardShard(TransformerWorkspace<T>& ws, int b0, int b1, T* grads, T* scratch) const;
  TransformerConfig config_;
  Parameters<T> params_;
  int tok_ = -1, patchW_ = -1, patchB_ = -1, pos_ = -1, cls_ = -1, lnfw_, lnfb_, headw_, headb_;
  std::vector<BlockIds> blocks_;
};

extern template class Transformer<float>;
extern template class Transformer<double>;

}  // namespace attent::nn

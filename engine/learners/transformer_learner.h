#pragma once
// The transformer as a Learner: binds an nn::Transformer<float> to a TokenTask (causal
// LM when the task has no classes, else sequence classification) or a PatchTask (ViT).
// Two workspaces: one for training steps (kept for backward), one for no-grad passes
// (teacher scoring, evaluation, attention views) so those never disturb a pending backward.
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/settings.h"
#include "engine/learners/learner.h"
#include "engine/nn/transformer.h"

namespace attent {

class TransformerLearner : public Learner {
 public:
  // config's task-given fields (vocab, seq, classes, patchDim, head, input) are filled
  // from the task; the rest (d_model, heads, layers, d_ff, pooling, causal) are used as
  // given. Same seed => identical weights. maxBatch sizes the workspaces up front (a
  // larger batch later grows them once). Throws SettingsError for impossible configs.
  TransformerLearner(const TokenTask& task, nn::TransformerConfig config, std::uint64_t seed,
                     int maxBatch = 64);
  TransformerLearner(const PatchTask& task, nn::TransformerConfig config, std::uint64_t seed,
                     int maxBatch = 64);

  // model.* settings: d_model, heads, layers, d_ff, pooling, causal, init_seed.
  static std::vector<SettingSpec> settingSpecs();
  // The model the model.* settings describe on a task of `shape` (its task-given fields:
  // input, vocab, seq, classes, patchDim, head), causal mask resolved, validated: what
  // create() builds, known before any task is. Throws SettingsError.
  static nn::TransformerConfig configFor(const Settings& settings, nn::TransformerConfig shape);
  // Builds from validated settings; `task` must be a TokenTask or a PatchTask.
  static std::unique_ptr<TransformerLearner> create(const Task& task, const Settings& settings,
                                                    int maxBatch = 64);

  std::string kind() const override { return "transformer"; }
  const Task& task() const override { return *task_; }
  Parameters<float>& parameters() override { return model_.parameters(); }
  void forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) override;
  void backward() override;
  AttentionMaps attention(Split split, int example) override;
  std::vector<float> tokenLosses(Split split, int example) override;

  nn::Transformer<float>& model() { return model_; }
  const nn::TransformerConfig& config() const { return model_.config(); }

 private:
  TransformerLearner(const Task* task, const TokenTask* tokens, const PatchTask* patches,
                     const nn::TransformerConfig& config, std::uint64_t seed, int maxBatch);
  static nn::TransformerConfig complete(nn::TransformerConfig c, const TokenTask* t, const PatchTask* p);
  // Copies examples [begin, end) of `examples` into the staging arrays; returns the batch.
  nn::TransformerBatch<float> stage(Split split, std::span<const int> examples);
  void ensureStaging(int n);
  void runChunk(Split split, std::span<const int> examples, float* loss, float* norm, float* hit);

  const Task* task_;
  const TokenTask* tokenTask_;
  const PatchTask* patchTask_;
  nn::Transformer<float> model_;
  nn::TransformerWorkspace<float> train_, eval_;
  int evalChunk_;
  std::vector<int> tokens_, targets_, labels_, lengths_;
  AlignedVector<float> patches_;
};

}  // namespace attent

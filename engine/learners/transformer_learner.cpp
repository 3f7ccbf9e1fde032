#include "engine/learners/transformer_learner.h"

#include <algorithm>
#include <stdexcept>

#include "engine/core/input_error.h"

namespace attent {

using nn::HeadKind;
using nn::InputKind;
using nn::Pooling;
using nn::TransformerConfig;

TransformerConfig TransformerLearner::complete(TransformerConfig c, const TokenTask* t, const PatchTask* p) {
  if (t) {
    c.input = InputKind::Tokens;
    c.vocab = t->vocabSize();
    c.seq = t->sequenceLength();
    c.classes = t->classCount();
    c.head = c.classes > 0 ? HeadKind::Classify : HeadKind::CausalLM;
    if (c.head == HeadKind::CausalLM) c.causal = true;  // anything else would let it read the answer
  } else {
    c.input = InputKind::Patches;
    c.seq = p->patchCount();
    c.patchDim = p->patchDim();
    c.classes = p->classCount();
    c.head = HeadKind::Classify;
  }
  return c;
}

TransformerLearner::TransformerLearner(const Task* task, const TokenTask* tokens, const PatchTask* patches,
                                       const TransformerConfig& config, std::uint64_t seed, int maxBatch)
    : task_(task),
      tokenTask_(tokens),
      patchTask_(patches),
      model_(complete(config, tokens, patches), seed),
      evalChunk_(std::max(1, maxBatch)) {
  model_.reserve(train_, std::max(1, maxBatch), true);
  model_.reserve(eval_, evalChunk_, false);
  ensureStaging(std::max(1, maxBatch));
}

TransformerLearner::TransformerLearner(const TokenTask& task, TransformerConfig config, std::uint64_t seed,
                                       int maxBatch)
    : TransformerLearner(&task, &task, nullptr, config, seed, maxBatch) {}
TransformerLearner::TransformerLearner(const PatchTask& task, TransformerConfig config, std::uint64_t seed,
                                       int maxBatch)
    : TransformerLearner(&task, nullptr, &task, config, seed, maxBatch) {}

std::vector<SettingSpec> TransformerLearner::settingSpecs() {
  return {
      SettingSpec::integer("model.d_model", 64, 4, 1024, "Width of the residual stream (token vectors)."),
      SettingSpec::integer("model.heads", 4, 1, 64, "Attention heads per layer; must divide model.d_model."),
      SettingSpec::integer("model.layers", 2, 1, 24, "Number of pre-LayerNorm transformer blocks."),
      SettingSpec::integer("model.d_ff", 256, 4, 8192, "Hidden width of each block's GELU MLP."),
      SettingSpec::choice("model.pooling", "mean", {"mean", "class-token"},
                          "Classification: average the real tokens, or read a learned class token."),
      SettingSpec::choice("model.causal", "auto", {"auto", "on", "off"},
                          "Causal attention mask; auto: on for language models, off for classifiers."),
      SettingSpec::integer("model.init_seed", 1, 0, 2147483647,
                           "Seed of the initial weights (same seed, same weights)."),
  };
}

TransformerConfig TransformerLearner::configFor(const Settings& s, TransformerConfig c) {
  Settings full(settingSpecs());
  for (const auto& spec : settingSpecs())
    if (s.has(spec.key)) full.set(spec.key, s.text(spec.key));
  c.dModel = int(full.integer("model.d_model"));
  c.heads = int(full.integer("model.heads"));
  c.layers = int(full.integer("model.layers"));
  c.dFF = int(full.integer("model.d_ff"));
  c.pooling = choiceOf<Pooling>(full, "model.pooling",
                                {{"mean", Pooling::Mean}, {"class-token", Pooling::ClassToken}});
  const std::string causal = full.text("model.causal");
  const bool lm = c.head == HeadKind::CausalLM;
  if (lm && causal == "off")
    throw SettingsError("model.causal must be on or auto for language modelling (off would show the answer)");
  c.causal = causal == "auto" ? lm : causal == "on";
  c.validate();
  return c;
}

std::unique_ptr<TransformerLearner> TransformerLearner::create(const Task& task, const Settings& s,
                                                               int maxBatch) {
  const auto seed = std::uint64_t(resolveSettings(settingSpecs(), s).integer("model.init_seed"));
  if (auto* t = dynamic_cast<const TokenTask*>(&task))
    return std::make_unique<TransformerLearner>(*t, configFor(s, complete({}, t, nullptr)), seed, maxBatch);
  if (auto* p = dynamic_cast<const PatchTask*>(&task))
    return std::make_unique<TransformerLearner>(*p, configFor(s, complete({}, nullptr, p)), seed, maxBatch);
  throw SettingsError("the transformer learner needs a token or patch task, not " + task.name());
}

void TransformerLearner::ensureStaging(int n) {
  const auto& c = model_.config();
  const std::size_t need = std::size_t(n) * c.seq;
  if (tokens_.size() >= need) return;
  tokens_.assign(need, 0);
  targets_.assign(need, -1);
  labels_.assign(n, 0);
  lengths_.assign(n, c.seq);
  if (patchTask_) patches_.assign(need * c.patchDim, 0.f);
}

nn::TransformerBatch<float> TransformerLearner::stage(Split split, std::span<const int> examples) {
  const auto& c = model_.config();
  const int n = int(examples.size()), S = c.seq;
  ensureStaging(n);
  for (int i = 0; i < n; ++i) {
    const int idx = examples[i];
    if (idx < 0 || idx >= task_->size(split))
      throw std::out_of_range("example " + std::to_string(idx) + " outside the task's " +
                              std::to_string(task_->size(split)) + " examples");
    if (tokenTask_) {
      const TokenExample e = tokenTask_->example(split, idx);
      std::copy_n(e.tokens, S, &tokens_[std::size_t(i) * S]);
      if (e.targets)
        std::copy_n(e.targets, S, &targets_[std::size_t(i) * S]);
      else
        std::fill_n(&targets_[std::size_t(i) * S], S, -1);
      labels_[i] = e.label;
      lengths_[i] = e.length > 0 ? e.length : S;
    } else {
      const PatchExample e = patchTask_->example(split, idx);
      std::copy_n(e.patches, std::size_t(S) * c.patchDim, &patches_[std::size_t(i) * S * c.patchDim]);
      labels_[i] = e.label;
      lengths_[i] = S;
    }
  }
  nn::TransformerBatch<float> b;
  b.size = n;
  b.tokens = tokens_.data();
  b.patches = patches_.data();
  b.targets = targets_.data();
  b.labels = labels_.data();
  b.lengths = lengths_.data();
  return b;
}

void TransformerLearner::runChunk(Split split, std::span<const int> examples, float* loss, float* norm,
                                  float* hit) {
  model_.forward(eval_, stage(split, examples), loss, norm, hit);
}

void TransformerLearner::forward(Split split, std::span<const int> examples, ForwardOutputs& out,
                                 bool training) {
  const int n = int(examples.size());
  out.resize(n);
  if (n == 0) return;
  if (training) {
    model_.reserve(train_, n, true);  // no-op in the steady state
    model_.forward(train_, stage(split, examples), out.loss.data(), out.gradNorm.data(), out.correct.data());
    return;
  }
  model_.reserve(eval_, evalChunk_, false);  // grows only if the thread count grew
  // No-grad: any number of examples, in chunks through the evaluation workspace.
  for (int begin = 0; begin < n; begin += evalChunk_) {
    const int len = std::min(evalChunk_, n - begin);
    runChunk(split, examples.subspan(begin, len), out.loss.data() + begin, out.gradNorm.data() + begin,
             out.correct.data() + begin);
  }
}

void TransformerLearner::backward() { model_.backward(train_); }

AttentionMaps TransformerLearner::attention(Split split, int example) {
  const auto& c = model_.config();
  float loss, norm, hit;
  const int idx[1] = {example};
  runChunk(split, idx, &loss, &norm, &hit);
  // Only the example's own positions: padding keys are masked (weight 0) and padding queries
  // read nothing a user asked about, so a short CSV row shows its words, not 128 positions.
  const ExampleView v = task_->render(split, example);
  const int P = c.positions(), off = c.classToken() ? 1 : 0;
  const int real = v.tokens.empty() ? c.seq : std::min(c.seq, int(v.tokens.size()));
  const int shown = real + off;
  AttentionMaps m;
  m.layers = c.layers;
  m.heads = c.heads;
  m.queries = m.keys = shown;
  m.weights.reserve(std::size_t(c.layers) * c.heads * shown * shown);
  for (int l = 0; l < c.layers; ++l) {
    const float* p = model_.attentionProbs(eval_, l);  // example 0 of the chunk
    for (int h = 0; h < c.heads; ++h)
      for (int q = 0; q < shown; ++q) {
        const float* row = p + (std::size_t(h) * P + q) * P;
        m.weights.insert(m.weights.end(), row, row + shown);
      }
  }
  std::vector<std::string> labels;
  if (c.classToken()) labels.push_back("[CLS]");
  for (int t = 0; t < real; ++t) labels.push_back(v.tokens.empty() ? std::to_string(t) : v.tokens[t]);
  m.queryLabels = labels;
  m.keyLabels = labels;
  if (c.classToken()) m.classToken = 0;
  return m;
}

std::vector<float> TransformerLearner::tokenLosses(Split split, int example) {
  const auto& c = model_.config();
  if (c.head != HeadKind::CausalLM) return {};
  float loss, norm, hit;
  const int idx[1] = {example};
  runChunk(split, idx, &loss, &norm, &hit);
  const float* t = model_.tokenLosses(eval_);
  return std::vector<float>(t, t + c.seq);
}

}  // namespace attent

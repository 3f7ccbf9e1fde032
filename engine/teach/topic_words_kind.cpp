// topic-words: one attention layer with fixed (FC), trainable linear (TC) and two-layer (TL)
// classifiers side by side (docs/SCIENCE.md section 2), full-batch SGD.
#include <algorithm>

#include "engine/research/common.h"
#include "engine/research/topic_words/topic_words.h"
#include "engine/research/topic_words/topic_words_claims.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

namespace attent {

namespace {

class TopicWordsKind : public ExperimentKind {
 public:
  std::string name() const override { return "topic-words"; }
  Lesson lesson() const override { return Lesson::PaperFigure; }
  void check(const Settings& s) const override {
    const Settings r = research::resolve(topicWordsSettingSpecs(), s);
    TopicAttentionConfig::from(r, TopicWordsConfig::from(r));
  }
  MemoryEstimate estimateMemory(const Settings& given, const MemoryContext&) const override {
    const Settings s = research::resolve(topicWordsSettingSpecs(), given);
    const TopicWordsConfig t = TopicWordsConfig::from(s);
    const double d = double(s.integer("topic.dim")), h = double(s.integer("topic.hidden"));
    const double words = t.wordsPerSentence + 1, pool = std::floor(t.samples * t.trainFraction);
    const double B = s.integer("topic.batch") > 0 ? double(s.integer("topic.batch")) : pool;
    MemoryEstimate e;
    e.runs = runsWith(given, 3, false);
    e.add("data", "topic.samples x topic.words_per_sentence", double(t.samples) * (4 * words + 48));
    e.add("parameters, gradients and optimiser moments", "vocabulary x topic.dim",
          e.runs * 16 * (2 * double(t.vocab()) * d + d * h + h * t.topics + d * t.topics));
    e.add("activations kept for backward", "topic.batch (0: the pool) x topic.words_per_sentence",
          e.runs * B * (8 * (words + d + h + t.topics) + 120));
    e.add("teacher scoring buffers", "the training pool", e.runs * 20 * pool);
    e.snapshotBytes = e.runs * (8 * words + 8 * t.topics * d + 8192);
    e.diagnosticsBytes = 12 * (words + t.topics * d) + 4096;  // the SEN points, the scalars
    return e;
  }
  std::vector<Claim> claims(const Experiment& e) const override { return topicWordsClaims(e); }

  std::vector<SettingSpec> settingSpecs() const override {
    return concat(experimentSpecs(2000, 100, true), without(topicWordsSettingSpecs(), {"topic.epochs"}));
  }

  std::unique_ptr<Experiment> build(const Settings& s, std::uint64_t seed) const override {
    auto resolved = research::resolve(topicWordsSettingSpecs(), s);
    auto task = std::make_shared<const TopicWordsTask>(resolved, seed);
    const RunConfig config = sgdConfig(resolved.real("topic.lr"), int(resolved.integer("topic.batch")));
    std::vector<Variant> variants;
    for (auto [name, kind] : {std::pair{"FC", TopicClassifier::FC}, std::pair{"TC", TopicClassifier::TC},
                              std::pair{"TL", TopicClassifier::TL}}) {
      TopicAttentionConfig lc = TopicAttentionConfig::from(resolved, task->config());
      lc.classifier = kind;
      variants.push_back({name, [task, lc, seed] { return std::make_unique<TopicAttention>(task, lc, seed); },
                          config, "random"});
    }
    // The classifier named in topic.classifier leads (and is the baseline of experiment.compare).
    const int first = choiceOf<int>(resolved, "topic.classifier", {{"fc", 0}, {"tc", 1}, {"tl", 2}});
    std::rotate(variants.begin(), variants.begin() + first, variants.begin() + first + 1);
    return assembleExperiment(s, variants, seed, task, lockstepOptions(s));
  }
};

}  // namespace

std::unique_ptr<ExperimentKind> topicWordsKind() { return std::make_unique<TopicWordsKind>(); }

}  // namespace attent

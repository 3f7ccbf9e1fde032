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

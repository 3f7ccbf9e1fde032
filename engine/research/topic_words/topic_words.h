#pragma once
// Topic words (Lu, Mao, Nayak, ICLR 2021; docs/SCIENCE.md section 2): the sentence generator
// and the single-layer TopicAttention learner, with the "persisting identity"
//   ||q|| ||v_t|| ~= sqrt(2 s_t + (2/m)(e^{s_t} - 1)),  s_t = q.k_t
// as a diagnostic. Activations are kept in double so backward can be checked against
// finite differences; parameters are float like every learner's.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/rng.h"
#include "engine/core/settings.h"
#include "engine/learners/learner.h"
#include "engine/tasks/task.h"

namespace attent {

// Every key of the paper, task, learner and training, with the paper's defaults.
std::vector<SettingSpec> topicWordsSettingSpecs();

struct TopicWordsConfig {
  int topics = 4, wordsPerTopic = 2, nonTopicWords = 5000, wordsPerSentence = 20, samples = 5000;
  double trainFraction = 0.8, validationFraction = 0.01;
  static TopicWordsConfig from(const Settings& s);  // throws SettingsError
  int vocab() const { return topics * wordsPerTopic + nonTopicWords; }
};

// Word ids: topic k owns k*wordsPerTopic .. k*wordsPerTopic + wordsPerTopic - 1; non-topic
// words follow. A sentence is one topic word at a random position among m non-topic words.
class TopicWordsTask : public TokenTask {
 public:
  static std::vector<SettingSpec> settingSpecs() { return topicWordsSettingSpecs(); }
  TopicWordsTask(const Settings& settings, std::uint64_t seed);
  TopicWordsTask(const TopicWordsConfig& config, std::uint64_t seed);

  std::string name() const override { return "topic-words"; }
  int size(Split split) const override;
  ExampleView render(Split split, int index) const override;
  std::vector<std::string> classNames() const override;
  int vocabSize() const override { return config_.vocab(); }
  int sequenceLength() const override { return config_.wordsPerSentence + 1; }
  int classCount() const override { return config_.topics; }
  TokenExample example(Split split, int index) const override;
  std::string tokenText(int token) const override;

  const TopicWordsConfig& config() const { return config_; }
  bool isTopicWord(int word) const { return word < config_.topics * config_.wordsPerTopic; }
  int topicPosition(Split split, int index) const;  // where the sentence's topic word is
  int validationSize() const { return int(validation_.size()); }

 private:
  struct Sentence {
    std::vector<int> words;
    int topic = 0, topicPosition = 0;
  };
  const Sentence& sentence(Split split, int index) const;
  TopicWordsConfig config_;
  std::vector<Sentence> train_, validation_, test_;
};

enum class TopicClassifier { FC, TC, TL };

struct TopicAttentionConfig {
  int dim = 10, hidden = 10;
  double embeddingInit = 1e-6, queryInit = 0.3, fcOffDiagonal = 1.0;
  TopicClassifier classifier = TopicClassifier::FC;
  bool freezeKeys = false, freezeEmbeddings = false;
  static TopicAttentionConfig from(const Settings& s, const TopicWordsConfig& task);  // throws SettingsError
};

// v_w (embed), k_w (key), frozen global q (query); a = softmax_i(q.k_{w_i});
// c = sum_i a_i v_{w_i}; logits = classifier(c); softmax cross-entropy.
// Parameter views: embed [V,d], key [V,d], query [d] (frozen), then fc.weight [d,K] (frozen)
// or tc.weight [d,K] or tl.w1 [d,h], tl.b1 [h], tl.w2 [h,K], tl.b2 [K]; all group 0.
class TopicAttention : public Learner {
 public:
  static std::vector<SettingSpec> settingSpecs() { return topicWordsSettingSpecs(); }
  TopicAttention(std::shared_ptr<const TopicWordsTask> task, const Settings& settings, std::uint64_t seed);
  TopicAttention(std::shared_ptr<const TopicWordsTask> task, const TopicAttentionConfig& config,
                 std::uint64_t seed);

  std::string kind() const override { return "topic-attention"; }
  const Task& task() const override { return *task_; }
  Parameters<float>& parameters() override { return params_; }
  void forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) override;
  void backward() override;
  AttentionMaps attention(Split split, int example) override;
  Diagnostics diagnostics() override;

  // Theory value of ||q|| ||v_t|| for score s (docs/SCIENCE.md section 2).
  static double identityTheory(double s, int m);
  // Per topic word t (in id order): s_t, ||q|| ||v_t||, theory value, mean attention on t.
  struct TopicWordState {
    int word;
    double score, normProduct, theory, attention;
  };
  std::vector<TopicWordState> topicWordStates();
  // Mean cross-entropy over `examples` in double precision (what backward differentiates).
  double meanLoss(Split split, std::span<const int> examples) const;

 private:
  struct Cache {  // one example's activations
    int split = 0, index = 0;
    std::vector<double> a, c, h, p;  // attention, context, TL hidden (post-ReLU), probabilities
  };
  void forwardOne(Split split, int index, Cache& cache, double& loss, double& gradNorm, int& predicted) const;
  void classifierForward(const double* c, double* h, double* logits) const;

  std::shared_ptr<const TopicWordsTask> task_;
  TopicAttentionConfig config_;
  Parameters<float> params_;
  int embed_ = -1, key_ = -1, query_ = -1, w1_ = -1, b1_ = -1, w2_ = -1, b2_ = -1;
  std::vector<Cache> caches_;  // of the last training forward
};

}  // namespace attent

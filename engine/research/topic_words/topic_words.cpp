#include "engine/research/topic_words/topic_words.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "engine/research/common.h"

namespace attent {

using research::require;
using research::resolve;

std::vector<SettingSpec> topicWordsSettingSpecs() {
  using S = SettingSpec;
  return {
      S::integer("topic.topics", 4, 2, 100, "Number of topics K (uniform prior); the label is the topic."),
      S::integer("topic.words_per_topic", 2, 1, 100, "Topic words owned by each topic."),
      S::integer("topic.non_topic_words", 5000, 1, 100000, "Size of the non-topic vocabulary."),
      S::integer("topic.words_per_sentence", 20, 1, 1000,
                 "m: non-topic words per sentence (drawn uniformly with replacement), plus one topic word."),
      S::integer("topic.samples", 5000, 10, 1000000, "Sentences generated (train + validation + test)."),
      S::real("topic.train_fraction", 0.8, 0.01, 0.99, "Fraction of sentences in the training pool."),
      S::real("topic.validation_fraction", 0.01, 0.0, 0.98,
              "Fraction kept aside as validation; the rest is the held-out test set."),
      S::integer("topic.dim", 10, 1, 1024, "Embedding, key and query dimension d."),
      S::choice("topic.classifier", "fc", {"fc", "tc", "tl"},
                "fc: fixed d x K (diagonal 1, off-diagonal N(0, fc_offdiag)); tc: trainable linear, no "
                "bias; tl: d -> hidden ReLU -> K with biases."),
      S::integer("topic.hidden", 10, 1, 1024, "Hidden width of the tl classifier."),
      S::real("topic.embedding_init", 1e-6, 0.0, 10.0,
              "sigma_v: embeddings start N(0, sigma_v) (ablation 0.1)."),
      S::real("topic.query_init", 0.3, 1e-6, 10.0, "The frozen global query q is drawn N(0, query_init)."),
      S::real("topic.fc_offdiag", 1.0, 0.0, 10.0, "Standard deviation of the fc classifier's off-diagonal."),
      S::boolean("topic.freeze_keys", false, "Ablation: keys stay 0, attention stays uniform."),
      S::boolean("topic.freeze_embeddings", false, "Ablation: embeddings stay at their initial values."),
      S::real("topic.lr", 0.1, 1e-6, 100.0, "SGD learning rate (plain gradient descent)."),
      S::integer("topic.epochs", 5000, 1, 1000000, "Training epochs (the paper: 5000 full-batch steps)."),
      S::integer("topic.batch", 0, 0, 1000000, "Minibatch size; 0 = full batch (the paper)."),
  };
}

TopicWordsConfig TopicWordsConfig::from(const Settings& given) {
  const Settings s = resolve(topicWordsSettingSpecs(), given);
  TopicWordsConfig c;
  c.topics = int(s.integer("topic.topics"));
  c.wordsPerTopic = int(s.integer("topic.words_per_topic"));
  c.nonTopicWords = int(s.integer("topic.non_topic_words"));
  c.wordsPerSentence = int(s.integer("topic.words_per_sentence"));
  c.samples = int(s.integer("topic.samples"));
  c.trainFraction = s.real("topic.train_fraction");
  c.validationFraction = s.real("topic.validation_fraction");
  return c;
}

namespace {
void checkSplit(const TopicWordsConfig& c) {
  require(c.trainFraction + c.validationFraction < 1.0,
          "topic.train_fraction + topic.validation_fraction must be < 1 (the rest is the test set)");
  const int train = int(c.samples * c.trainFraction), val = int(c.samples * c.validationFraction);
  require(double(c.samples) * (c.wordsPerSentence + 1) <= 1e8,
          "topic.samples x (topic.words_per_sentence + 1) must be <= 1e8 words");
  require(train >= 1 && c.samples - train - val >= 1,
          "topic.samples too small for the split: need >= 1 training and >= 1 test sentence");
  require(c.topics >= 2 && c.wordsPerTopic >= 1 && c.nonTopicWords >= 1 && c.wordsPerSentence >= 1,
          "topic.topics must be >= 2, topic.words_per_topic, topic.non_topic_words and "
          "topic.words_per_sentence >= 1");
}
}  // namespace

TopicWordsTask::TopicWordsTask(const Settings& settings, std::uint64_t seed)
    : TopicWordsTask(TopicWordsConfig::from(settings), seed) {}

TopicWordsTask::TopicWordsTask(const TopicWordsConfig& config, std::uint64_t seed) : config_(config) {
  checkSplit(config_);
  Rng rng(seed);
  const int m = config_.wordsPerSentence, topicWords = config_.topics * config_.wordsPerTopic;
  std::vector<Sentence> all(config_.samples);
  for (auto& s : all) {
    s.topic = int(rng.below(config_.topics));
    s.topicPosition = int(rng.below(m + 1));
    s.words.resize(m + 1);
    for (int i = 0; i <= m; ++i)
      s.words[i] = i == s.topicPosition
                       ? s.topic * config_.wordsPerTopic + int(rng.below(config_.wordsPerTopic))
                       : topicWords + int(rng.below(config_.nonTopicWords));
  }
  const int train = int(config_.samples * config_.trainFraction);
  const int val = int(config_.samples * config_.validationFraction);
  train_.assign(all.begin(), all.begin() + train);
  validation_.assign(all.begin() + train, all.begin() + train + val);
  test_.assign(all.begin() + train + val, all.end());
}

int TopicWordsTask::size(Split split) const {
  return int(split == Split::Pool ? train_.size() : test_.size());
}

const TopicWordsTask::Sentence& TopicWordsTask::sentence(Split split, int index) const {
  return split == Split::Pool ? train_.at(index) : test_.at(index);
}

int TopicWordsTask::topicPosition(Split split, int index) const {
  return sentence(split, index).topicPosition;
}

TokenExample TopicWordsTask::example(Split split, int index) const {
  const Sentence& s = sentence(split, index);
  TokenExample e;
  e.tokens = s.words.data();
  e.label = s.topic;
  e.length = int(s.words.size());
  return e;
}

std::string TopicWordsTask::tokenText(int token) const {
  if (isTopicWord(token))
    return "T" + std::to_string(token / config_.wordsPerTopic) + "." +
           std::to_string(token % config_.wordsPerTopic);
  return "w" + std::to_string(token - config_.topics * config_.wordsPerTopic);
}

std::vector<std::string> TopicWordsTask::classNames() const {
  std::vector<std::string> names;
  for (int k = 0; k < config_.topics; ++k) names.push_back("topic " + std::to_string(k));
  return names;
}

ExampleView TopicWordsTask::render(Split split, int index) const {
  const Sentence& s = sentence(split, index);
  ExampleView v;
  for (int w : s.words) {
    v.tokens.push_back(tokenText(w));
    v.text += (v.text.empty() ? "" : " ") + v.tokens.back();
  }
  v.label = "topic " + std::to_string(s.topic);
  v.highlight = {s.topicPosition};
  v.highlightTitle = "the topic word";
  return v;
}

// ---------------------------------------------------------------- learner

TopicAttentionConfig TopicAttentionConfig::from(const Settings& given, const TopicWordsConfig& task) {
  const Settings s = resolve(topicWordsSettingSpecs(), given);
  TopicAttentionConfig c;
  c.dim = int(s.integer("topic.dim"));
  c.hidden = int(s.integer("topic.hidden"));
  c.embeddingInit = s.real("topic.embedding_init");
  c.queryInit = s.real("topic.query_init");
  c.fcOffDiagonal = s.real("topic.fc_offdiag");
  c.classifier = choiceOf<TopicClassifier>(
      s, "topic.classifier",
      {{"fc", TopicClassifier::FC}, {"tc", TopicClassifier::TC}, {"tl", TopicClassifier::TL}});
  c.freezeKeys = s.boolean("topic.freeze_keys");
  c.freezeEmbeddings = s.boolean("topic.freeze_embeddings");
  require(c.classifier != TopicClassifier::FC || c.dim >= task.topics,
          "topic.classifier=fc needs topic.dim >= topic.topics (its diagonal is 1): dim " +
              std::to_string(c.dim) + " < " + std::to_string(task.topics) + " topics");
  return c;
}

TopicAttention::TopicAttention(std::shared_ptr<const TopicWordsTask> task, const Settings& settings,
                               std::uint64_t seed)
    : TopicAttention(task, TopicAttentionConfig::from(settings, task->config()), seed) {}

TopicAttention::TopicAttention(std::shared_ptr<const TopicWordsTask> task, const TopicAttentionConfig& config,
                               std::uint64_t seed)
    : task_(std::move(task)), config_(config) {
  const int V = task_->vocabSize(), d = config_.dim, K = task_->classCount(), h = config_.hidden;
  require(double(V) * d <= 2e7, "topic vocabulary x topic.dim = " + std::to_string(long(double(V) * d)) +
                                    " parameters per table; the limit is 2e7");
  require(config_.classifier != TopicClassifier::FC || d >= K,
          "topic.classifier=fc needs topic.dim >= topic.topics");
  embed_ = params_.add("embed", {V, d}, 0, false);
  key_ = params_.add("key", {V, d}, 0, false);
  query_ = params_.add("query", {d}, 0, false);
  if (config_.classifier == TopicClassifier::TL) {
    w1_ = params_.add("tl.w1", {d, h});
    b1_ = params_.add("tl.b1", {h}, 0, false);
    w2_ = params_.add("tl.w2", {h, K});
    b2_ = params_.add("tl.b2", {K}, 0, false);
  } else {
    w1_ = params_.add(config_.classifier == TopicClassifier::FC ? "fc.weight" : "tc.weight", {d, K});
  }
  params_.finalize();
  Rng rng(seed);
  for (int i = 0; i < V * d; ++i) params_.value(embed_)[i] = float(rng.normal(0, config_.embeddingInit));
  // keys are exactly 0 so attention starts uniform
  for (int i = 0; i < d; ++i) params_.value(query_)[i] = float(rng.normal(0, config_.queryInit));
  params_.setTrainable(query_, false);
  if (config_.classifier == TopicClassifier::FC) {
    for (int i = 0; i < d; ++i)
      for (int k = 0; k < K; ++k)
        params_.value(w1_)[i * K + k] = i == k ? 1.0f : float(rng.normal(0, config_.fcOffDiagonal));
    params_.setTrainable(w1_, false);
  } else if (config_.classifier == TopicClassifier::TC) {
    const double b = 1 / std::sqrt(double(d));  // PyTorch's nn.Linear default
    for (int i = 0; i < d * K; ++i) params_.value(w1_)[i] = float((2 * rng.uniform() - 1) * b);
  } else {
    const double b1 = 1 / std::sqrt(double(d)), b2 = 1 / std::sqrt(double(h));
    for (int i = 0; i < d * h; ++i) params_.value(w1_)[i] = float((2 * rng.uniform() - 1) * b1);
    for (int i = 0; i < h; ++i) params_.value(b1_)[i] = float((2 * rng.uniform() - 1) * b1);
    for (int i = 0; i < h * K; ++i) params_.value(w2_)[i] = float((2 * rng.uniform() - 1) * b2);
    for (int i = 0; i < K; ++i) params_.value(b2_)[i] = float((2 * rng.uniform() - 1) * b2);
  }
  if (config_.freezeKeys) params_.setTrainable(key_, false);
  if (config_.freezeEmbeddings) params_.setTrainable(embed_, false);
}

double TopicAttention::identityTheory(double s, int m) {
  return std::sqrt(std::max(0.0, 2 * s + (2.0 / m) * std::expm1(s)));
}

void TopicAttention::classifierForward(const double* c, double* h, double* logits) const {
  const int d = config_.dim, K = task_->classCount();
  if (config_.classifier != TopicClassifier::TL) {
    const float* W = params_.value(w1_);
    for (int k = 0; k < K; ++k) logits[k] = 0;
    for (int i = 0; i < d; ++i)
      for (int k = 0; k < K; ++k) logits[k] += c[i] * W[i * K + k];
    return;
  }
  const int H = config_.hidden;
  const float *W1 = params_.value(w1_), *B1 = params_.value(b1_), *W2 = params_.value(w2_),
              *B2 = params_.value(b2_);
  for (int j = 0; j < H; ++j) h[j] = B1[j];
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < H; ++j) h[j] += c[i] * W1[i * H + j];
  for (int j = 0; j < H; ++j) h[j] = std::max(0.0, h[j]);
  for (int k = 0; k < K; ++k) logits[k] = B2[k];
  for (int j = 0; j < H; ++j)
    for (int k = 0; k < K; ++k) logits[k] += h[j] * W2[j * K + k];
}

void TopicAttention::forwardOne(Split split, int index, Cache& cache, double& loss, double& gradNorm,
                                int& predicted) const {
  const TokenExample ex = task_->example(split, index);
  const int n = ex.length, d = config_.dim, K = task_->classCount();
  const float *q = params_.value(query_), *key = params_.value(key_), *emb = params_.value(embed_);
  cache.split = int(split);
  cache.index = index;
  cache.a.resize(n);
  cache.c.assign(d, 0.0);
  cache.h.assign(config_.hidden, 0.0);
  cache.p.resize(K);
  for (int i = 0; i < n; ++i) {
    const float* k = key + std::size_t(ex.tokens[i]) * d;
    double s = 0;
    for (int j = 0; j < d; ++j) s += double(q[j]) * k[j];
    cache.a[i] = s;
  }
  research::softmaxInPlace(cache.a.data(), n);
  for (int i = 0; i < n; ++i) {
    const float* v = emb + std::size_t(ex.tokens[i]) * d;
    for (int j = 0; j < d; ++j) cache.c[j] += cache.a[i] * v[j];
  }
  classifierForward(cache.c.data(), cache.h.data(), cache.p.data());
  research::softmaxInPlace(cache.p.data(), K);
  const int y = ex.label;
  loss = -std::log(std::max(cache.p[y], std::numeric_limits<double>::min()));
  double g2 = 0;
  predicted = 0;
  for (int k = 0; k < K; ++k) {
    const double g = cache.p[k] - (k == y);
    g2 += g * g;
    if (cache.p[k] > cache.p[predicted]) predicted = k;
  }
  gradNorm = std::sqrt(g2);
}

void TopicAttention::forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) {
  const int B = int(examples.size());
  out.resize(B);
  if (training) caches_.resize(B);
#pragma omp parallel
  {
    Cache local;
#pragma omp for schedule(static)
    for (int b = 0; b < B; ++b) {
      Cache& cache = training ? caches_[b] : local;
      double loss, gn;
      int pred;
      forwardOne(split, examples[b], cache, loss, gn, pred);
      out.loss[b] = float(loss);
      out.gradNorm[b] = float(gn);
      out.correct[b] = pred == task_->example(split, examples[b]).label ? 1.0f : 0.0f;
    }
  }
  if (!training) caches_.clear();
}

void TopicAttention::backward() {
  const int B = int(caches_.size()), d = config_.dim, K = task_->classCount(), H = config_.hidden;
  if (B == 0) return;
  const float *q = params_.value(query_), *key = params_.value(key_), *emb = params_.value(embed_);
  float *gq = params_.grad(query_), *gkey = params_.grad(key_), *gemb = params_.grad(embed_);
  std::vector<double> dl(K), dc(d), dh(H), da, ds;
  // Serial: examples share word rows, and a fixed order keeps results thread-count independent.
  for (const Cache& cache : caches_) {
    const TokenExample ex = task_->example(Split(cache.split), cache.index);
    const int n = ex.length;
    for (int k = 0; k < K; ++k) dl[k] = (cache.p[k] - (k == ex.label)) / B;
    std::fill(dc.begin(), dc.end(), 0.0);
    if (config_.classifier != TopicClassifier::TL) {
      const float* W = params_.value(w1_);
      float* gW = params_.grad(w1_);
      for (int i = 0; i < d; ++i)
        for (int k = 0; k < K; ++k) {
          dc[i] += W[i * K + k] * dl[k];
          gW[i * K + k] += float(cache.c[i] * dl[k]);
        }
    } else {
      const float *W1 = params_.value(w1_), *W2 = params_.value(w2_);
      float *gW1 = params_.grad(w1_), *gB1 = params_.grad(b1_), *gW2 = params_.grad(w2_),
            *gB2 = params_.grad(b2_);
      for (int k = 0; k < K; ++k) gB2[k] += float(dl[k]);
      for (int j = 0; j < H; ++j) {
        double s = 0;
        for (int k = 0; k < K; ++k) {
          gW2[j * K + k] += float(cache.h[j] * dl[k]);
          s += W2[j * K + k] * dl[k];
        }
        dh[j] = cache.h[j] > 0 ? s : 0.0;  // ReLU
        gB1[j] += float(dh[j]);
      }
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < H; ++j) {
          gW1[i * H + j] += float(cache.c[i] * dh[j]);
          dc[i] += W1[i * H + j] * dh[j];
        }
    }
    da.assign(n, 0.0);
    ds.assign(n, 0.0);
    for (int i = 0; i < n; ++i) {
      const std::size_t row = std::size_t(ex.tokens[i]) * d;
      for (int j = 0; j < d; ++j) {
        da[i] += dc[j] * emb[row + j];
        gemb[row + j] += float(cache.a[i] * dc[j]);
      }
    }
    research::softmaxBackward(cache.a.data(), da.data(), ds.data(), n);
    for (int i = 0; i < n; ++i) {
      const std::size_t row = std::size_t(ex.tokens[i]) * d;
      for (int j = 0; j < d; ++j) {
        gkey[row + j] += float(ds[i] * q[j]);
        gq[j] += float(ds[i] * key[row + j]);
      }
    }
  }
}

double TopicAttention::meanLoss(Split split, std::span<const int> examples) const {
  Cache cache;
  double total = 0, loss, gn;
  int pred;
  for (int e : examples) {
    forwardOne(split, e, cache, loss, gn, pred);
    total += loss;
  }
  return total / double(examples.size());
}

AttentionMaps TopicAttention::attention(Split split, int example) {
  Cache cache;
  double loss, gn;
  int pred;
  forwardOne(split, example, cache, loss, gn, pred);
  const TokenExample ex = task_->example(split, example);
  AttentionMaps m;
  m.layers = m.heads = m.queries = 1;
  m.keys = ex.length;
  m.weights.assign(cache.a.begin(), cache.a.end());
  m.queryLabels = {"q"};
  for (int i = 0; i < ex.length; ++i) m.keyLabels.push_back(task_->tokenText(ex.tokens[i]));
  return m;
}

std::vector<TopicAttention::TopicWordState> TopicAttention::topicWordStates() {
  const auto& tc = task_->config();
  const int d = config_.dim, topicWords = tc.topics * tc.wordsPerTopic;
  const float *q = params_.value(query_), *key = params_.value(key_), *emb = params_.value(embed_);
  double qn = 0;
  for (int j = 0; j < d; ++j) qn += double(q[j]) * q[j];
  qn = std::sqrt(qn);
  std::vector<TopicWordState> states(topicWords);
  std::vector<int> count(topicWords, 0);
  for (int t = 0; t < topicWords; ++t) {
    double s = 0, vn = 0;
    for (int j = 0; j < d; ++j) {
      s += double(q[j]) * key[t * d + j];
      vn += double(emb[t * d + j]) * emb[t * d + j];
    }
    states[t] = {t, s, qn * std::sqrt(vn), identityTheory(s, tc.wordsPerSentence), 0.0};
  }
  // Attention a topic word receives in the held-out sentences that contain it.
  Cache cache;
  for (int i = 0; i < task_->size(Split::HeldOut); ++i) {
    double loss, gn;
    int pred;
    forwardOne(Split::HeldOut, i, cache, loss, gn, pred);
    const int pos = task_->topicPosition(Split::HeldOut, i);
    const int t = task_->example(Split::HeldOut, i).tokens[pos];
    states[t].attention += cache.a[pos];
    ++count[t];
  }
  for (int t = 0; t < topicWords; ++t)
    if (count[t]) states[t].attention /= count[t];
  return states;
}

namespace {
Matrix histogram2(const std::vector<double>& topic, const std::vector<double>& other, int bins) {
  double lo = std::numeric_limits<double>::max(), hi = -lo;
  for (const auto* v : {&topic, &other})
    for (double x : *v) lo = std::min(lo, x), hi = std::max(hi, x);
  if (!(hi > lo)) hi = lo + 1;
  Matrix m;
  m.rows = 2;
  m.cols = bins;
  m.data.assign(2 * bins, 0.0f);
  m.rowLabels = {"topic", "non-topic"};
  for (int b = 0; b < bins; ++b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", lo + (b + 0.5) * (hi - lo) / bins);
    m.colLabels.push_back(buf);
  }
  int r = 0;
  for (const auto* v : {&topic, &other}) {  // % of each row's words
    for (double x : *v) m.data[r * bins + std::min(bins - 1, int((x - lo) / (hi - lo) * bins))] += 1;
    for (int b = 0; b < bins && !v->empty(); ++b) m.data[r * bins + b] *= 100.0f / float(v->size());
    ++r;
  }
  return m;
}

// Described once for every TopicAttention: the identity's phase plot first.
std::shared_ptr<const std::vector<DiagnosticPanel>> topicPanels() {
  static const auto panels = [] {
    DiagnosticPanel sen{PanelKind::Scatter,
                        "Persisting identity: each topic word's norms against its score",
                        "norm product",
                        {{"topic.sen", "topic words"}}};
    sen.xAxis = "score s_t = q·k_t";
    sen.yAxis = "‖q‖ ‖v_t‖";
    sen.theory = DiagnosticSeries{"topic.sen_theory", "theory √(2s + (2/m)(eˢ − 1))", true};
    sen.note =
        "One point per topic word and run. On the dashed curve the identity holds, whatever the classifier.";
    auto lines = [](std::vector<DiagnosticSeries> series, std::string title, std::string unit,
                    AxisScale scale) {
      DiagnosticPanel p{PanelKind::Lines, std::move(title), std::move(unit), std::move(series)};
      p.yScale = scale;
      return p;
    };
    auto histogram = [](std::string key, const std::string& title, std::string cols) {
      DiagnosticPanel p{PanelKind::Heatmap, title, "% of the row's words", {{std::move(key), title}}};
      p.yAxis = "topic words, other words";
      p.xAxis = std::move(cols);
      return p;
    };
    DiagnosticPanel words{PanelKind::Heatmap,
                          "Each topic word: score, norm product, theory, attention",
                          "the column's own: logit, norm, norm, fraction",
                          {{"topic.words", "topic words"}}};
    words.yAxis = "topic word";
    words.xAxis = "s_t, ‖q‖ ‖v_t‖, theory, attention";
    words.cellValues = true;
    std::vector<DiagnosticPanel> v = {
        std::move(sen),
        lines({{"topic.attention_on_topic", "attention on the topic word"}}, "Attention on the topic word",
              "fraction of the sentence's attention", AxisScale::Linear),
        lines({{"topic.identity_residual_max", "largest residual"}},
              "Identity residual: largest |‖q‖ ‖v_t‖ − theory| over topic words", "norm product",
              AxisScale::Log),
        lines({{"topic.mean_topic_score", "topic words"}, {"topic.mean_nontopic_score", "other words", true}},
              "Mean score s = q·k", "logit", AxisScale::Linear),
        lines({{"topic.mean_topic_norm", "topic words"}, {"topic.mean_nontopic_norm", "other words", true}},
              "Mean embedding norm ‖v‖", "norm", AxisScale::Log),
        std::move(words),
        histogram("topic.score_hist", "Scores s = q·k: topic words against the others", "score s (20 bins)"),
        histogram("topic.norm_hist", "Embedding norms ‖v‖: topic words against the others",
                  "norm ‖v‖ (20 bins)"),
    };
    v[1].note =
        "Mean over the topic words of the attention each gets in the held-out sentences that contain it.";
    return std::make_shared<const std::vector<DiagnosticPanel>>(std::move(v));
  }();
  return panels;
}
}  // namespace

Diagnostics TopicAttention::diagnostics() {
  Diagnostics diag;
  const auto states = topicWordStates();
  double att = 0, resid = 0, smax = 0;
  auto& sen = diag.points["topic.sen"];
  for (const auto& s : states) {
    sen.emplace_back(float(s.score), float(s.normProduct));
    att += s.attention / states.size();
    resid = std::max(resid, std::abs(s.normProduct - s.theory));
    smax = std::max(smax, s.score);
  }
  auto& curve = diag.points["topic.sen_theory"];
  const double top = std::max(1.0, 1.1 * smax);
  for (int i = 0; i <= 50; ++i) {
    const double s = top * i / 50;
    curve.emplace_back(float(s), float(identityTheory(s, task_->config().wordsPerSentence)));
  }
  // One row per topic word: s_t, ||q|| ||v_t||, the theory value, its attention in its sentences.
  Matrix& words = diag.matrices["topic.words"];
  words.rows = int(states.size());
  words.cols = 4;
  words.colLabels = {"s_t", "|q||v_t|", "theory", "attention"};
  for (const auto& s : states) {
    words.rowLabels.push_back(task_->tokenText(s.word));
    for (double v : {s.score, s.normProduct, s.theory, s.attention}) words.data.push_back(float(v));
  }
  diag.scalars["topic.attention_on_topic"] = att;
  diag.scalars["topic.identity_residual_max"] = resid;
  // Score and norm histograms, topic vs non-topic words.
  const int d = config_.dim, V = task_->vocabSize();
  const float *q = params_.value(query_), *key = params_.value(key_), *emb = params_.value(embed_);
  std::vector<double> sT, sN, nT, nN;
  for (int w = 0; w < V; ++w) {
    double s = 0, vn = 0;
    for (int j = 0; j < d; ++j) {
      s += double(q[j]) * key[w * d + j];
      vn += double(emb[w * d + j]) * emb[w * d + j];
    }
    (task_->isTopicWord(w) ? sT : sN).push_back(s);
    (task_->isTopicWord(w) ? nT : nN).push_back(std::sqrt(vn));
  }
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / v.size();
  };
  diag.scalars["topic.mean_topic_score"] = mean(sT);
  diag.scalars["topic.mean_nontopic_score"] = mean(sN);
  diag.scalars["topic.mean_topic_norm"] = mean(nT);
  diag.scalars["topic.mean_nontopic_norm"] = mean(nN);
  diag.matrices["topic.score_hist"] = histogram2(sT, sN, 20);
  diag.matrices["topic.norm_hist"] = histogram2(nT, nN, 20);
  diag.panels = topicPanels();
  return diag;
}

}  // namespace attent

#pragma once
// A Learner is a model with its loss, bound to its task. Forward on a batch of
// example indices gives a loss and a functional-gradient magnitude per example and
// keeps what backward and the attention views need.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/parameters.h"
#include "engine/tasks/task.h"

namespace attent {

struct ForwardOutputs {
  std::vector<float> loss;      // per example (mean over its scored tokens)
  std::vector<float> gradNorm;  // per example: ||p - e_y|| averaged over tokens (CE), |f - y| (squared)
  std::vector<float> correct;   // per example: 1 or 0; NaN where accuracy has no meaning
  void resize(std::size_t n) {
    loss.resize(n);
    gradNorm.resize(n);
    correct.resize(n);
  }
};

// Attention probabilities of one example: [layer][head][query][key].
struct AttentionMaps {
  int layers = 0, heads = 0, queries = 0, keys = 0;
  std::vector<float> weights;
  std::vector<std::string> queryLabels, keyLabels;
  float at(int l, int h, int q, int k) const {
    return weights[((std::size_t(l) * heads + h) * queries + q) * keys + k];
  }
};

struct Matrix {
  int rows = 0, cols = 0;
  std::vector<float> data;  // row-major
  std::vector<std::string> rowLabels, colLabels;
};

// Learner-specific views: scalars plotted over steps, heatmaps, scatter points.
struct Diagnostics {
  std::map<std::string, double> scalars;   // "scb.v_error", "mosaic.ftpt", "topic.attention_on_topic"
  std::map<std::string, Matrix> matrices;  // "scb.V", "scb.P", "mosaic.signature"
  std::map<std::string, std::vector<std::pair<float, float>>> points;  // "topic.sen": (s_t, |q||v_t|)
};

class Learner {
 public:
  virtual ~Learner() = default;
  virtual std::string kind() const = 0;  // "transformer", "topic-attention", ...
  virtual const Task& task() const = 0;
  virtual Parameters<float>& parameters() = 0;
  const Parameters<float>& parameters() const { return const_cast<Learner*>(this)->parameters(); }

  // Per-example outputs for `examples` of `split`. training=true keeps activations for
  // backward(); training=false is a no-grad pass (teacher scoring, evaluation) and may
  // be called with any number of examples.
  virtual void forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) = 0;
  // Adds the gradient of the mean loss of the last training forward to parameters().grads().
  virtual void backward() = 0;
  // Called after each optimiser update (proximal soft-threshold, loss switch of hybrid).
  virtual void afterStep(long /*step*/, double /*lr*/) {}

  virtual AttentionMaps attention(Split split, int example) = 0;
  // Per-token losses of one example, for shading text in the teacher's picks view.
  virtual std::vector<float> tokenLosses(Split, int) { return {}; }
  virtual bool hasAccuracy() const { return true; }
  virtual Diagnostics diagnostics() { return {}; }

  // Experiment files: the kind, the parameters and one step counter, which learners that
  // count nothing leave 0. One that carries more between steps overrides both, calling
  // saveParameters/restoreParameters first.
  virtual void save(ByteWriter& w) const {
    saveParameters(w);
    w.put<std::int64_t>(0);
  }
  virtual void restore(ByteReader& in) {
    restoreParameters(in);
    in.get<std::int64_t>("learner counter");
  }

 protected:
  void saveParameters(ByteWriter& w) const {
    w.putString(kind());
    parameters().save(w);
  }
  // Refuses bytes of another kind of learner.
  void restoreParameters(ByteReader& in) {
    const std::string saved = in.getString("learner kind");
    if (saved != kind()) in.fail("learner is '" + saved + "' but the settings build '" + kind() + "'");
    parameters().restore(in);
  }
};

}  // namespace attent

#pragma once
// A Learner is a model with its loss, bound to its task. Forward on a batch of
// example indices gives a loss and a functional-gradient magnitude per example and
// keeps what backward and the attention views need.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
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
  int classToken = -1;  // the position a classifier reads out (its class token); -1: none, mean pooling
  std::string unit;     // what a weight is, in words, where it is not a softmax probability
  float at(int l, int h, int q, int k) const {
    return weights[((std::size_t(l) * heads + h) * queries + q) * keys + k];
  }
};

struct Matrix {
  int rows = 0, cols = 0;
  std::vector<float> data;  // row-major
  std::vector<std::string> rowLabels, colLabels;
};

// How a reader draws a learner's diagnostics without knowing a key: the learner describes
// each panel in words and units and names the keys it shows.
enum class PanelKind {
  Lines,    // scalars over training steps, one colour per run (a panel's later series dashed)
  Heatmap,  // a matrix per run (or once, when it is the same in every run) with a value legend
  Scatter,  // point sets, one colour per run, over a dashed theory curve
  Curves,   // (x, y) curves computed once per experiment, the same in every run
};
enum class AxisScale { Linear, Log };

struct DiagnosticSeries {
  std::string key{};    // into scalars (Lines, parameters), matrices (Heatmap), points (Scatter, Curves)
  std::string title{};  // in words: "topic words", "SA" (a Curves series titled like a run takes its colour)
  bool dashed = false;
};

struct DiagnosticMarker {
  double x = 0;
  std::string label{};  // "hybrid → HA"
};
// Markers found in one run's history, by the scalar key whose Lines they mark.
using DiagnosticMarkers = std::map<std::string, std::vector<DiagnosticMarker>>;

struct DiagnosticPanel {
  PanelKind kind = PanelKind::Lines;
  std::string title{};  // what it measures, in words: "V error ‖V − P‖ / ‖P‖"
  std::string unit{};   // of its values (the y axis, a heatmap's colours): "fraction of attention"
  std::vector<DiagnosticSeries> series{};
  std::string xAxis{}, yAxis{};  // in words; Lines run over the training step, Heatmap rows are yAxis
  AxisScale yScale = AxisScale::Linear;
  bool diverging = false;                    // Heatmap: colours symmetric around 0 (else lowest to highest)
  bool sameInEveryRun = false;               // Heatmap: drawn once (a truth), not once per run
  bool cellValues = false;                   // Heatmap: each cell's value printed where it fits
  std::optional<DiagnosticSeries> theory{};  // Scatter: points of a curve drawn dashed under the sets
  // Sizes and settings the panel depends on, not measurements (the toy's m and C): scalars
  // shown as "title = value", never plotted over steps.
  std::vector<DiagnosticSeries> parameters{};
  std::vector<DiagnosticMarker> markers{};  // Curves: vertical lines at x
  std::string note{};                       // how to read it (a tooltip)
};

// Learner-specific views: scalars plotted over steps, heatmaps, scatter points, and how to
// draw them (every key is in a panel's series, theory or parameters).
struct Diagnostics {
  std::map<std::string, double> scalars;   // "scb.v_error", "mosaic.ftpt", "topic.attention_on_topic"
  std::map<std::string, Matrix> matrices;  // "scb.V", "scb.P", "mosaic.signature"
  std::map<std::string, std::vector<std::pair<float, float>>> points;  // "topic.sen": (s_t, |q||v_t|)
  std::shared_ptr<const std::vector<DiagnosticPanel>> panels;          // described once per learner kind
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

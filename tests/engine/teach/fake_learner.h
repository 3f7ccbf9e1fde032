#pragma once
// A tiny regression learner for teacher tests: f(x) = w0 x + w1 on a fixed 1-D data set,
// squared loss. Example i of the pool has target 2 x_i + 1 plus an offset that makes some
// examples much harder than others, so losses differ and scores are known in closed form.
#include <cmath>

#include "engine/core/rng.h"
#include "engine/learners/learner.h"
#include "engine/teach/snapshot.h"

namespace attent::testing {

class FakeTask : public Task {
 public:
  FakeTask(int pool, int heldOut, std::uint64_t seed) {
    Rng rng(seed);
    for (int s = 0; s < 2; ++s) {
      const int n = s == 0 ? pool : heldOut;
      for (int i = 0; i < n; ++i) {
        const float x = float(rng.uniform() * 2 - 1);
        x_[s].push_back(x);
        y_[s].push_back(2 * x + 1 + float(rng.normal(0, 0.3)));
      }
    }
  }
  std::string name() const override { return "fake"; }
  int size(Split s) const override { return int(x_[int(s)].size()); }
  ExampleView render(Split, int index) const override {
    ExampleView v;
    v.text = "example " + std::to_string(index);
    return v;
  }
  float x(Split s, int i) const { return x_[int(s)][i]; }
  float y(Split s, int i) const { return y_[int(s)][i]; }

 private:
  std::vector<float> x_[2], y_[2];
};

class FakeLearner : public Learner {
 public:
  FakeLearner(const FakeTask& task, std::uint64_t initSeed) : task_(task) {
    id_ = params_.add("w", {2});
    params_.finalize();
    Rng rng(initSeed);
    params_.value(id_)[0] = float(rng.normal(0, 0.5));
    params_.value(id_)[1] = float(rng.normal(0, 0.5));
  }
  std::string kind() const override { return "fake"; }
  const Task& task() const override { return task_; }
  Parameters<float>& parameters() override { return params_; }
  float predict(Split s, int i) const {
    return params_.value(id_)[0] * task_.x(s, i) + params_.value(id_)[1];
  }
  void forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) override {
    out.resize(examples.size());
    for (std::size_t k = 0; k < examples.size(); ++k) {
      const float r = predict(split, examples[k]) - task_.y(split, examples[k]);
      out.loss[k] = 0.5f * r * r;
      out.gradNorm[k] = std::fabs(r);
      out.correct[k] = kNoValue;
    }
    ++forwardCalls;
    forwardExamples += long(examples.size());
    if (training) last_.assign(examples.begin(), examples.end());
  }
  void backward() override {
    float* g = params_.grad(id_);
    for (int i : last_) {
      const float r = predict(Split::Pool, i) - task_.y(Split::Pool, i);
      g[0] += r * task_.x(Split::Pool, i) / float(last_.size());
      g[1] += r / float(last_.size());
    }
  }
  AttentionMaps attention(Split, int) override { return {}; }
  bool hasAccuracy() const override { return false; }
  long forwardCalls = 0, forwardExamples = 0;

 private:
  const FakeTask& task_;
  Parameters<float> params_;
  int id_ = 0;
  std::vector<int> last_;
};

}  // namespace attent::testing

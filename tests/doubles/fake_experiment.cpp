#include "doubles/fake_experiment.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <new>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"

namespace attent::app {

namespace {

// The fake's diagnostics described as a learner would: one panel of each kind.
std::shared_ptr<const std::vector<DiagnosticPanel>> fakePanels() {
  static const auto panels = [] {
    DiagnosticPanel errors{PanelKind::Lines,
                           "Distance to the truth",
                           "relative Frobenius norm",
                           {{"scb.v_error", "V error"}, {"scb.a_error", "A error", true}}};
    errors.yScale = AxisScale::Log;
    DiagnosticPanel v{PanelKind::Heatmap, "Learned V", "weight", {{"scb.V", "learned V"}}};
    v.diverging = true;
    DiagnosticPanel signature{
        PanelKind::Heatmap, "Signature", "% of examples", {{"mosaic.signature", "signature"}}};
    signature.cellValues = true;
    DiagnosticPanel sen{
        PanelKind::Scatter, "Norms against scores", "norm product", {{"topic.sen", "topic words"}}};
    sen.xAxis = "score s_t";
    return std::make_shared<const std::vector<DiagnosticPanel>>(
        std::vector<DiagnosticPanel>{errors, v, signature, sen});
  }();
  return panels;
}

class FakeExperiment : public Experiment {
 public:
  FakeExperiment(const Settings& settings, std::uint64_t seed) : settings_(settings), seed_(seed) {
    runs_ = int(settings.integer("runs"));
    history_.resize(runs_);
    compute_.assign(runs_, 0.0);
    picked_.assign(64, 0);
  }
  const Settings& settings() const override { return settings_; }
  int runCount() const override { return runs_; }
  std::string runName(int run) const override {
    return run == 0 ? "attent" : run == 1 ? "random" : "run" + std::to_string(run);
  }
  RunRole runRole(int run) const override {
    return run == 0 ? RunRole::AtteNT : run == 1 ? RunRole::Baseline : RunRole::Other;
  }
  long currentStep() const override { return step_; }
  long totalSteps() const override { return settings_.integer("steps"); }

  void step() override {
    if (settings_.has("fail_at_step") && step_ + 1 == settings_.integer("fail_at_step"))
      throw std::bad_alloc();
    const auto work = std::chrono::microseconds(settings_.integer("work_us"));
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < work) {
    }
    ++step_;
    for (int r = 0; r < runs_; ++r) {
      compute_[r] += std::chrono::duration<double>(work).count() * (r == 0 ? 1.1 : 1.0);
      MetricPoint p;
      p.step = step_;
      p.examplesSeen = step_ * 32;
      p.computeSeconds = compute_[r];
      const double rate = r == 0 ? 0.012 : 0.008;
      const double noise = 0.15 * std::sin(step_ * 1.7 + r) * std::sin(step_ * 0.31);
      p.trainLoss = float(2.3 * std::exp(-rate * step_) + 0.1 + noise * std::exp(-rate * step_ * 0.5));
      if (step_ % 10 == 0) {
        p.evalLoss = float(2.3 * std::exp(-rate * step_) + 0.15);
        p.evalAccuracy = float(1.0 - 0.9 * std::exp(-rate * step_));
      }
      history_[r].push_back(p);
    }
    for (int i = 0; i < 8; ++i) ++picked_[(step_ * 7 + i * 3) % 64];
  }

  const std::vector<MetricPoint>& history(int run) const override { return history_[run]; }
  int baselineRun() const override { return runs_ > 1 ? 1 : -1; }
  std::optional<double> fixedTargetEvalLoss() const override { return 0.6; }

 protected:
  Snapshot copyOut(Split split, int probe, const std::vector<std::size_t>& since) const override {
    Snapshot s;
    s.step = step_;
    s.totalSteps = totalSteps();
    s.probe = probe;
    s.probeSplit = split;
    const std::vector<std::string> words = {"the", "cat", "sat", "on", "a", "warm", "mat", "today"};
    s.probeExample.tokens = words;
    s.probeExample.text = "the cat sat on a warm mat today";
    s.probeExample.label = "cat";
    s.probeExample.highlight = {1, 6};
    const double progress = 1.0 - std::exp(-0.01 * step_);
    for (int r = 0; r < runs_; ++r) {
      RunSnapshot rs;
      rs.name = runName(r);
      rs.role = runRole(r);
      rs.newPoints = pointsSince(r, since);
      rs.step = step_;
      rs.computeSeconds = compute_[r];
      AttentionMaps& a = rs.probeAttention;
      a.layers = 2, a.heads = 4, a.queries = 8, a.keys = 8;
      a.queryLabels = a.keyLabels = words;
      a.weights.resize(std::size_t(a.layers) * a.heads * a.queries * a.keys);
      for (int l = 0; l < a.layers; ++l)
        for (int h = 0; h < a.heads; ++h)
          for (int q = 0; q < a.queries; ++q) {
            double sum = 0;
            std::vector<double> w(a.keys);
            for (int k = 0; k < a.keys; ++k) {
              const double focus = (k == 1 || k == 6) ? (r == 0 ? 3.0 : 1.5) * progress : 0.0;
              w[k] = std::exp(focus + 0.5 * std::sin(q * 1.3 + k * 0.7 + h + l * 2 + probe));
              sum += w[k];
            }
            for (int k = 0; k < a.keys; ++k)
              a.weights[((std::size_t(l) * a.heads + h) * a.queries + q) * a.keys + k] = float(w[k] / sum);
          }
      TeacherView& t = rs.teacher;
      t.kind = r == 0 ? "attent" : "random";
      if (r == 0) {
        Rng rng(seed_ + step_);
        t.poolScores.resize(400);
        for (auto& v : t.poolScores) v = float(std::exp(rng.normal() * 0.5));
        t.ratio = 0.3 + 0.7 * double(step_) / std::max<long>(1, totalSteps());
        t.threshold = 1.4;
        for (int i = 0; i <= 10; ++i) {
          const long at = totalSteps() * i / 10;
          t.ratioSchedule.push_back({at, 0.3 + 0.07 * i});
        }
        t.lastSelectionStep = step_;
        for (int i = 0; i < 6; ++i) {
          TeacherPick p;
          p.index = i * 11;
          p.rank = i;
          p.score = float(3.0 - 0.3 * i);
          p.loss = float(2.0 - 0.2 * i);
          p.timesPicked = picked_[i];
          p.example.tokens = {"a", "dog", "ran", "past", "the", "red", "barn"};
          p.example.text = "a dog ran past the red barn";
          p.tokenLosses = {0.1f, 2.5f, 0.4f, 0.2f, 0.1f, 1.2f + 0.1f * i, 3.0f};
          if (i >= 4) {
            p.example.imageWidth = p.example.imageHeight = 8;
            p.example.image.resize(64);
            for (int y = 0; y < 8; ++y)
              for (int x = 0; x < 8; ++x) p.example.image[y * 8 + x] = (x == y || x + y == 7) ? 1.0f : 0.1f;
            p.example.tokens.clear();
          }
          t.picks.push_back(std::move(p));
        }
      } else {
        t.ratio = 1.0;
      }
      Diagnostics& d = rs.diagnostics;
      d.panels = fakePanels();
      auto vError = [r](long at) { return 2.0 * std::exp(-0.005 * at * (r + 1)) + 1e-3; };
      auto aError = [r](long at) { return 1.0 * std::exp(-0.003 * at * (r + 1)) + 1e-3; };
      d.scalars["scb.v_error"] = vError(step_);
      d.scalars["scb.a_error"] = aError(step_);
      for (long at = 0; at <= step_; at += std::max(10L, step_ / 200)) {  // an evaluation every 10 steps
        rs.diagnosticSeries["scb.v_error"].push_back({at, vError(at)});
        rs.diagnosticSeries["scb.a_error"].push_back({at, aError(at)});
      }
      Matrix v;
      v.rows = v.cols = 6;
      v.data.resize(36);
      for (int i = 0; i < 36; ++i) v.data[i] = float(std::sin(i * 0.9 + r) * progress);
      d.matrices["scb.V"] = v;
      Matrix sig;
      sig.rows = sig.cols = 5;
      sig.data.resize(25);
      for (int i = 0; i < 25; ++i) sig.data[i] = float((i % 6 == 0 ? 20 : 1) * progress);
      d.matrices["mosaic.signature"] = sig;
      auto& sen = d.points["topic.sen"];
      for (int w = 0; w < 8; ++w) {
        const double st = progress * (0.5 + w * 0.4);
        sen.push_back(
            {float(st), float(std::sqrt(2 * st + 0.1 * (std::exp(st) - 1)) * (1 + 0.03 * std::sin(w)))});
      }
      s.runs.push_back(std::move(rs));
    }
    return s;
  }

 private:
  Settings settings_;
  std::uint64_t seed_;
  int runs_ = 2;
  long step_ = 0;
  std::vector<std::vector<MetricPoint>> history_;
  std::vector<double> compute_;
  std::vector<int> picked_;
};

}  // namespace

Settings fakeSettings() {
  return Settings({SettingSpec::integer("steps", 2000, 1, 1000000, "Steps to train."),
                   SettingSpec::integer("work_us", 200, 0, 1000000, "Busy time per step in microseconds."),
                   SettingSpec::integer("runs", 2, 1, 4, "Runs stepped in lockstep."),
                   SettingSpec::real("learning_rate", 0.01, 1e-6, 10, "Step size of the optimiser."),
                   SettingSpec::choice("optimizer", "adamw", {"sgd", "momentum", "adamw"}, "The optimiser."),
                   SettingSpec::boolean("teacher.enabled", true, "Whether the teacher picks examples."),
                   SettingSpec::integer("fail_at_step", 0, 0, 1000000,
                                        "Step whose training throws std::bad_alloc (0: none).")});
}

std::unique_ptr<Experiment> makeFakeExperiment(const Settings& settings, std::uint64_t seed) {
  return std::make_unique<FakeExperiment>(settings, seed);
}

void addBrokenPreset(Catalog& catalog, const std::string& name, const std::string& message) {
  PresetInfo broken = catalog.presets.front();
  broken.name = name;
  catalog.presets.push_back(broken);
  catalog.build = [good = catalog.build, name, message](const PresetInfo& p) -> std::unique_ptr<Experiment> {
    if (p.name == name) throw InputError(message);
    return good(p);
  };
}

Catalog fakeCatalog() {
  Catalog c;
  PresetInfo p;
  p.name = "demo";
  p.title = "Synthetic demo (a test double)";
  p.lesson = "Synthetic numbers that exercise every view.";
  p.kind = "demo";
  p.settings = fakeSettings();
  c.presets.push_back(p);
  c.build = [](const PresetInfo& preset) { return makeFakeExperiment(preset.settings, preset.seed); };
  return c;
}

}  // namespace attent::app

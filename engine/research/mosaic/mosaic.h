#pragma once
// Soft, hard and marginal-likelihood attention on mosaics (Vashisht, Ramaswamy, ECAI 2023;
// docs/SCIENCE.md section 4). m segments, one foreground at a uniformly random position z carries
// the class. Focus model g scores segments, alpha = softmax(g); classifier f maps a segment
// to logits. Losses:
//   SA   CE(f(sum_j alpha_j x_j), y)       HA   sum_j alpha_j CE(f(x_j), y)
//   LVML -log sum_j alpha_j softmax(f(x_j))_y     hybrid: SA for k epochs, then HA.
// Activations are double so backward can be checked against finite differences.
#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/learners/learner.h"
#include "engine/tasks/task.h"

namespace attent {

// Every key of the paper (task, learner, training) with the paper's defaults.
std::vector<SettingSpec> mosaicSettingSpecs();

struct MosaicConfig {
  enum class Data { Linear, Digits };  // orthogonal segment vectors, or 8x8 optdigits tiles
  Data data = Data::Linear;
  int classes = 20, segments = 20, digitSegments = 5, samples = 5000, heldOut = 1000;
  double foregroundNoise = 1e-3, backgroundStd = 0.1;
  static MosaicConfig from(const Settings& s);  // throws SettingsError
};

// Linear-orthogonal: segment dim C+1, foreground e_c + N(0, noise), background zero except the
// last coordinate ~ N(0, background_std^2). Digits: m images of 8x8 (pixels / 16), foreground
// one of digits {0, 1, 2}, the others from {3..9}; images i % 5 == 0 make the held-out mosaics.
class MosaicTask : public PatchTask {
 public:
  static std::vector<SettingSpec> settingSpecs() { return mosaicSettingSpecs(); }
  MosaicTask(const Settings& settings, std::uint64_t seed);
  MosaicTask(const MosaicConfig& config, std::uint64_t seed);

  std::string name() const override {
    return config_.data == MosaicConfig::Data::Digits ? "digit-mosaic" : "linear-mosaic";
  }
  int size(Split split) const override;
  ExampleView render(Split split, int index) const override;
  std::vector<std::string> classNames() const override;
  int patchCount() const override { return m_; }
  int patchDim() const override { return dim_; }
  int classCount() const override { return classes_; }
  PatchExample example(Split split, int index) const override;
  const MosaicConfig& config() const { return config_; }

 private:
  struct Set {
    std::vector<float> patches;
    std::vector<int> labels, foreground;
  };
  const Set& set(Split split) const { return split == Split::Pool ? pool_ : held_; }
  MosaicConfig config_;
  int m_ = 0, dim_ = 0, classes_ = 0;
  Set pool_, held_;
};

enum class MosaicLoss { SA, HA, LVML, Hybrid };

struct FocusMosaicConfig {
  bool focusMlp = false, classifierMlp = false;
  int focusHidden = 16, classifierHidden = 16;
  MosaicLoss loss = MosaicLoss::SA;
  int hybridEpochs = 10, batch = 256;
  static FocusMosaicConfig from(const Settings& s);
};

// Views: group 0 focus ("focus.w1" [D,H] "focus.b1" [H] "focus.w2" [H] "focus.b2" [1], or
// "focus.w" [D] "focus.b" [1]); group 1 classifier ("cls.w1" [D,H] "cls.b1" "cls.w2" [H,C]
// "cls.b2", or "cls.w" [D,C] "cls.b" [C]). Train group 0 and 1 with their own optimisers.
// Prediction: SA argmax f(sum alpha x); HA, LVML argmax f(x_j) at j = argmax alpha.
class FocusMosaic : public Learner {
 public:
  static std::vector<SettingSpec> settingSpecs() { return mosaicSettingSpecs(); }
  FocusMosaic(std::shared_ptr<const MosaicTask> task, const Settings& settings, std::uint64_t seed);
  FocusMosaic(std::shared_ptr<const MosaicTask> task, const FocusMosaicConfig& config, std::uint64_t seed);

  std::string kind() const override { return "focus-mosaic"; }
  const Task& task() const override { return *task_; }
  Parameters<float>& parameters() override { return params_; }
  void forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) override;
  void backward() override;
  // Hybrid: SA for the first hybrid_epochs * ceil(samples / batch) updates (afterStep calls),
  // HA after.
  void afterStep(long step, double lr) override;
  // The update count (the hybrid's switch) in the learner counter slot.
  void save(ByteWriter& w) const override;
  void restore(ByteReader& in) override;
  AttentionMaps attention(Split split, int example) override;
  Diagnostics diagnostics() override;

  bool hardPhase() const { return effective() == MosaicLoss::HA; }
  MosaicLoss effective() const;                                       // the loss the next step uses
  double meanLoss(Split split, std::span<const int> examples) const;  // double, for gradient checks

  struct Evaluation {
    double focusOnTrue = 0, accuracy = 0, ftpt = 0, ffpt = 0, ftpf = 0, ffpf = 0;  // % for the four
    Matrix signature;  // 5x5, rows a_z bins, columns s_y bins, % of examples
  };
  Evaluation evaluate(Split split);

 private:
  struct Cache {  // one example's activations
    int index = 0;
    MosaicLoss loss = MosaicLoss::SA;
    std::vector<double> alpha, focusHidden;  // m, m x Hf
    std::vector<double> xbar, clsHidden, p;  // SA: D, Hc, C; HA/LVML: -, m x Hc, m x C
    std::vector<double> ce;                  // HA/LVML: per-segment CE
    double z = 0;                            // LVML: sum_j alpha_j p_j[y]
  };
  double forwardOne(Split split, int index, Cache& c, MosaicLoss loss) const;
  void focusForward(const float* x, double* hidden, double& score) const;
  void focusBackward(const float* x, const double* hidden, double dscore);
  void classifierForward(const double* x, double* hidden, double* logits) const;
  void classifierBackward(const double* x, const double* hidden, const double* dlogits, double* dx);
  int predict(const Cache& c) const;

  std::shared_ptr<const MosaicTask> task_;
  FocusMosaicConfig config_;
  Parameters<float> params_;
  int fw1_ = -1, fb1_ = -1, fw2_ = -1, fb2_ = -1, cw1_ = -1, cb1_ = -1, cw2_ = -1, cb2_ = -1;
  long stepsDone_ = 0;
  Split lastSplit_ = Split::Pool;
  std::vector<Cache> caches_;
  std::vector<double> scratch_;
};

// The closed-form scalar toy: nu (focus), mu (classifier logit),
// alpha = e^nu / (e^nu + m - 1), beta = e^mu / (e^mu + C - 1);
// L_SA = -log(e^{alpha mu} / (e^{alpha mu} + C - 1)), L_HA = -alpha log beta + (1 - alpha) log C,
// L_LV = -log(alpha beta + (1 - alpha) / C). Gradient flow from mu = nu = 0 by RK4.
enum class ToyParadigm { SA, HA, LVML, Hybrid };
struct ToyTrajectory {
  std::vector<double> t, mu, nu, alpha, beta, loss;
};
double mosaicToyLoss(ToyParadigm p, double mu, double nu, int m, int C);
// dL/dmu, dL/dnu in closed form.
void mosaicToyGradient(ToyParadigm p, double mu, double nu, int m, int C, double& dmu, double& dnu);
// `steps` RK4 steps up to `horizon`; Hybrid follows SA until `switchTime`, then HA.
// Records every step (steps + 1 points).
ToyTrajectory mosaicToy(ToyParadigm p, int m, int C, double horizon, int steps, double switchTime = 0);

// The toy as the diagnostics show it for m segments and C classes: every paradigm from t = 0 to
// about three times the time where HA's focus nu overtakes SA's (both phases visible), the
// hybrid switching from SA to HA there. m, C >= 2.
struct MosaicToyCurves {
  static constexpr int kSteps = 2000;  // RK4 steps per curve
  int m = 0, C = 0;
  double horizon = 0;                      // t range: 3x the crossover, two significant digits, rounded up
  double switchTime = 0;                   // the nu crossover (100 and 30 when HA never overtakes)
  std::array<ToyTrajectory, 4> paradigms;  // SA, HA, LVML, Hybrid (ToyParadigm order)
};
MosaicToyCurves mosaicToyCurves(int m, int C);

}  // namespace attent

#pragma once
// Sparse contextual bigrams (Ren, Wang, Lee, NeurIPS 2024; docs/SCIENCE.md section 3), a
// reconstruction. The next token x_{T+1} ~ P[:, x_s] with s ~ q^(x_T), a distribution over
// positions 1..T-1 with at most Q non-zeros; so E[e_{x_{T+1}} | X] = P X q^(x_T).
// LinearScb learns y_hat = V X A e_{x_T} with plain SGD or the proximal method.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/rng.h"
#include "engine/core/settings.h"
#include "engine/learners/learner.h"
#include "engine/tasks/task.h"

namespace attent {

// Every key of the paper (task, learner, training, transfer) with documented defaults.
std::vector<SettingSpec> scbSettingSpecs();

struct ScbConfig {
  enum class Transition { Dirichlet, Sparse };     // P's columns: Dirichlet(alpha), or a few non-zeros
  enum class PositionWeights { Uniform, Random };  // random: Dirichlet(1) over the Q positions
  enum class Input { Uniform, Stationary };        // i.i.d. input tokens: uniform, or P's stationary law
  int vocab = 8, context = 16, sparsity = 2;
  Transition transition = Transition::Dirichlet;
  double dirichletAlpha = 0.5;
  int transitionNonzeros = 3;
  PositionWeights positionWeights = PositionWeights::Random;
  Input input = Input::Uniform;
  int samples = 50000, heldOut = 2000;
  static ScbConfig from(const Settings& s);  // throws SettingsError (Q > T-1, ...)
};

// The ground truth. P is N x N, row-major, P[i*N + j] = Pr(next = i | source token j)
// (columns sum to 1). Qstar is T x N, row-major, Qstar[s*N + k] = q^(k)_s (0-based positions;
// the last position T-1 is never a source).
struct ScbTruth {
  int N = 0, T = 0;
  std::vector<double> P, Qstar;
  static ScbTruth draw(const ScbConfig& config, Rng& rng);
  // A correlated truth for pretraining: P' = rho P + (1-rho) P_fresh; each of q^(k)'s positions
  // is kept with probability rho, else moved to a fresh unused position (weights kept).
  ScbTruth correlated(const ScbConfig& config, double rho, Rng& rng) const;
  std::vector<double> stationary() const;  // P's stationary law (power iteration)
};

class ScbTask : public Task {
 public:
  static std::vector<SettingSpec> settingSpecs() { return scbSettingSpecs(); }
  // Draws the truth and the samples from `seed`.
  ScbTask(const Settings& settings, std::uint64_t seed);
  ScbTask(const ScbConfig& config, ScbTruth truth, std::uint64_t sampleSeed);
  // The pretraining task of transfer mode: truth correlated with this task's (scb.correlation).
  std::shared_ptr<ScbTask> correlatedTask(double rho, std::uint64_t seed) const;

  std::string name() const override { return "scb"; }
  int size(Split split) const override;
  ExampleView render(Split split, int index) const override;

  const ScbConfig& config() const { return config_; }
  const ScbTruth& truth() const { return truth_; }
  const int* tokens(Split split, int index) const;      // T tokens x_1..x_T
  int next(Split split, int index) const;               // x_{T+1}
  int source(Split split, int index) const;             // the position s it was copied through
  std::vector<int> truePositions(int lastToken) const;  // support of q^(lastToken)
  std::vector<double> inputLaw() const;                 // law of each input token

 private:
  void sample(std::vector<int>& tokens, std::vector<int>& next, std::vector<int>& source, int count,
              Rng& rng);
  ScbConfig config_;
  ScbTruth truth_;
  std::vector<int> poolTokens_, poolNext_, poolSource_, heldTokens_, heldNext_, heldSource_;
};

// The same data as next-token cross-entropy for the softmax transformer: the T tokens,
// targets -1 except the last position (x_{T+1}); render().highlight = support of q^(x_T).
class ScbTokenTask : public TokenTask {
 public:
  explicit ScbTokenTask(std::shared_ptr<const ScbTask> scb);
  std::string name() const override { return "scb-tokens"; }
  int size(Split split) const override { return scb_->size(split); }
  ExampleView render(Split split, int index) const override { return scb_->render(split, index); }
  int vocabSize() const override { return scb_->config().vocab; }
  int sequenceLength() const override { return scb_->config().context; }
  TokenExample example(Split split, int index) const override;
  std::string tokenText(int token) const override { return std::to_string(token); }
  const ScbTask& scb() const { return *scb_; }

 private:
  std::shared_ptr<const ScbTask> scb_;
  std::vector<int> poolTargets_, heldTargets_;
};

enum class ScbMethod { Sgd, Proximal };

struct LinearScbConfig {
  ScbMethod method = ScbMethod::Proximal;
  double l1 = 1e-3;     // lambda
  bool simplex = true;  // threshold so each column of A is a distribution
  double vInit = 0.0;   // V starts N(0, vInit); A starts uniform over positions 1..T-1
  static LinearScbConfig from(const Settings& s);
};

// y_hat = V X A e_{x_T} = sum_s A[s, x_T] V[:, x_s]; loss 1/2 ||y_hat - e_{x_{T+1}}||^2.
// Views: "V" [N, N], "A" [T, N], group 0.
// The proximal method (a reconstruction of the paper's algorithm):
//   preconditioning - A's column k only learns from examples ending in k, so its gradient is
//     divided by Pr[x_T = k] (N for uniform inputs): every column then moves at the rate of
//     its own conditional loss. (Dividing by the batch count instead was too noisy.)
//   proximal step - afterStep soft-thresholds each column of A, a <- sign(a) max(|a| - tau, 0).
//     With scb.simplex (default) tau is the level that leaves a distribution (the Euclidean
//     projection onto the simplex, where Q*'s columns live); it zeroes the small entries and
//     fixes the scale gauge. Without it tau = lr * lambda / Pr[x_T = k]; a fixed tau larger than
//     about 1/(T * steps of the plateau) wipes the uniform start out before V has learnt
//     anything, which is why the adaptive threshold is the default.
// y_hat is invariant under V -> cV, A -> A/c, so ||V - P||/||P|| and ||A - Q*||/||Q*|| are
// measured in the gauge where A's mean column sum is 1 (for both methods).
class LinearScb : public Learner {
 public:
  static std::vector<SettingSpec> settingSpecs() { return scbSettingSpecs(); }
  LinearScb(std::shared_ptr<const ScbTask> task, const Settings& settings, std::uint64_t seed);
  LinearScb(std::shared_ptr<const ScbTask> task, const LinearScbConfig& config, std::uint64_t seed);

  std::string kind() const override { return "linear-scb"; }
  const Task& task() const override { return *task_; }
  Parameters<float>& parameters() override { return params_; }
  void forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) override;
  void backward() override;
  void afterStep(long step, double lr) override;
  AttentionMaps attention(Split split, int example) override;
  bool hasAccuracy() const override { return false; }
  Diagnostics diagnostics() override;

  // Transfer: start from another run's V and A (same N and T; throws SettingsError otherwise).
  void initializeFrom(const LinearScb& trained);
  double vError() const;  // ||cV - P||_F / ||P||_F, c = mean column sum of A
  double aError() const;  // ||A/c - Q*||_F / ||Q*||_F
  int aNonzeros(double threshold = 1e-6) const;
  // Mean 1/2 ||y_hat - P X q^(x_T)||^2: the loss above the noise floor (0 at the truth).
  double excessLoss(Split split) const;
  // Mean loss over `examples` in double precision (what backward differentiates, without
  // the l1 term); for gradient checks.
  double meanLoss(Split split, std::span<const int> examples) const;
  const LinearScbConfig& config() const { return config_; }

 private:
  double gauge() const;
  std::shared_ptr<const ScbTask> task_;
  LinearScbConfig config_;
  Parameters<float> params_;
  int V_ = -1, A_ = -1;
  Split lastSplit_ = Split::Pool;
  std::vector<int> last_;         // examples of the last training forward
  std::vector<double> residual_;  // y_hat - e_y per example, N each
  std::vector<double> dA_, dV_;
  std::vector<double> columnScale_;  // 1 / Pr[x_T = k] (proximal)
};

}  // namespace attent

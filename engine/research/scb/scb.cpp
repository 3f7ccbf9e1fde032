#include "engine/research/scb/scb.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "engine/research/common.h"

namespace attent {

using research::require;
using research::resolve;

std::vector<SettingSpec> scbSettingSpecs() {
  using S = SettingSpec;
  return {
      S::integer("scb.vocab", 8, 2, 256, "N: vocabulary size."),
      S::integer("scb.context", 16, 2, 512, "T: context length (the last token x_T picks the positions)."),
      S::integer("scb.sparsity", 2, 1, 511, "Q: non-zeros of each q^(k) over positions 1..T-1 (Q <= T-1)."),
      S::choice("scb.transition", "dirichlet", {"dirichlet", "sparse"},
                "How P's columns are drawn: Dirichlet(alpha), or a few random non-zeros each."),
      S::real("scb.dirichlet_alpha", 0.5, 0.01, 100.0, "Concentration of P's Dirichlet columns."),
      S::integer("scb.transition_nonzeros", 3, 1, 256, "Non-zeros per column of a sparse P (<= N)."),
      S::choice("scb.position_weights", "random", {"random", "uniform"},
                "Weights of q^(k) on its Q positions: Dirichlet(1) draws, or 1/Q each."),
      S::choice("scb.input", "uniform", {"uniform", "stationary"},
                "Law of the input tokens x_1..x_T (i.i.d.): uniform, or P's stationary law."),
      S::integer("scb.samples", 50000, 10, 10000000, "Training pool size."),
      S::integer("scb.heldout", 2000, 1, 1000000, "Held-out samples."),
      S::choice("scb.method", "proximal", {"proximal", "sgd"},
                "proximal: preconditioned, l1 soft-threshold on A after each step; sgd: plain SGD."),
      S::real("scb.l1", 1e-3, 0.0, 1.0,
              "lambda of the l1 soft-threshold on A (proximal method, scb.simplex off)."),
      S::boolean("scb.simplex", true,
                 "Proximal method: threshold each column of A at the level that leaves a distribution "
                 "(projection onto the simplex, which Q*'s columns lie on) instead of a fixed lr*lambda."),
      S::real("scb.v_init", 0.0, 0.0, 1.0, "V starts N(0, v_init); A starts uniform over positions 1..T-1."),
      S::real("scb.lr", 0.02, 1e-6, 100.0, "Learning rate of the proximal method (cosine decay to 2%)."),
      S::real("scb.sgd_lr", 0.2, 1e-6, 100.0, "Learning rate of plain SGD (cosine decay to 2%)."),
      S::integer("scb.batch", 64, 1, 100000, "Minibatch size."),
      S::integer("scb.steps", 6000, 1, 10000000, "Training steps."),
      S::real("scb.correlation", 0.8, 0.0, 1.0,
              "Transfer: how much the pretraining truth (P', Q*') shares with (P, Q*)."),
      S::integer("scb.pretrain_steps", 6000, 0, 10000000, "Transfer: steps on (P', Q*') before fine-tuning."),
  };
}

ScbConfig ScbConfig::from(const Settings& given) {
  const Settings s = resolve(scbSettingSpecs(), given);
  ScbConfig c;
  c.vocab = int(s.integer("scb.vocab"));
  c.context = int(s.integer("scb.context"));
  c.sparsity = int(s.integer("scb.sparsity"));
  using C = ScbConfig;
  c.transition = choiceOf<C::Transition>(
      s, "scb.transition", {{"dirichlet", C::Transition::Dirichlet}, {"sparse", C::Transition::Sparse}});
  c.dirichletAlpha = s.real("scb.dirichlet_alpha");
  c.transitionNonzeros = int(s.integer("scb.transition_nonzeros"));
  c.positionWeights = choiceOf<C::PositionWeights>(
      s, "scb.position_weights",
      {{"uniform", C::PositionWeights::Uniform}, {"random", C::PositionWeights::Random}});
  c.input = choiceOf<C::Input>(s, "scb.input",
                               {{"uniform", C::Input::Uniform}, {"stationary", C::Input::Stationary}});
  c.samples = int(s.integer("scb.samples"));
  c.heldOut = int(s.integer("scb.heldout"));
  require(c.sparsity <= c.context - 1, "scb.sparsity must be in [1, scb.context - 1] = [1, " +
                                           std::to_string(c.context - 1) + "], got " +
                                           std::to_string(c.sparsity));
  require(double(c.samples + c.heldOut) * c.context <= 1e8,
          "(scb.samples + scb.heldout) x scb.context must be <= 1e8 tokens");
  require(c.transition != ScbConfig::Transition::Sparse || c.transitionNonzeros <= c.vocab,
          "scb.transition_nonzeros must be in [1, scb.vocab] = [1, " + std::to_string(c.vocab) + "]");
  return c;
}

namespace {
void drawColumn(const ScbConfig& c, Rng& rng, double* col, int stride) {
  const int N = c.vocab;
  for (int i = 0; i < N; ++i) col[i * stride] = 0;
  if (c.transition == ScbConfig::Transition::Sparse) {
    auto perm = research::permutation(rng, N);
    for (int t = 0; t < c.transitionNonzeros; ++t) col[perm[t] * stride] = 0.1 + rng.uniform();
  } else {
    for (int i = 0; i < N; ++i) col[i * stride] = research::gammaSample(rng, c.dirichletAlpha) + 1e-300;
  }
  double sum = 0;
  for (int i = 0; i < N; ++i) sum += col[i * stride];
  for (int i = 0; i < N; ++i) col[i * stride] /= sum;
}
}  // namespace

ScbTruth ScbTruth::draw(const ScbConfig& c, Rng& rng) {
  ScbTruth t;
  t.N = c.vocab;
  t.T = c.context;
  t.P.assign(std::size_t(t.N) * t.N, 0.0);
  for (int j = 0; j < t.N; ++j) drawColumn(c, rng, t.P.data() + j, t.N);
  t.Qstar.assign(std::size_t(t.T) * t.N, 0.0);
  for (int k = 0; k < t.N; ++k) {
    auto perm = research::permutation(rng, t.T - 1);
    double sum = 0;
    std::vector<double> w(c.sparsity);
    for (auto& x : w)
      sum += (x = c.positionWeights == ScbConfig::PositionWeights::Uniform ? 1.0
                                                                           : research::gammaSample(rng, 1.0));
    for (int i = 0; i < c.sparsity; ++i) t.Qstar[std::size_t(perm[i]) * t.N + k] = w[i] / sum;
  }
  return t;
}

ScbTruth ScbTruth::correlated(const ScbConfig& c, double rho, Rng& rng) const {
  ScbTruth fresh = draw(c, rng);
  ScbTruth out = *this;
  for (std::size_t i = 0; i < P.size(); ++i) out.P[i] = rho * P[i] + (1 - rho) * fresh.P[i];
  for (int k = 0; k < N; ++k)
    for (int s = 0; s < T - 1; ++s) {
      const double w = Qstar[std::size_t(s) * N + k];
      if (w == 0 || rng.uniform() < rho) continue;
      // move this position's weight to a position that is still empty
      std::vector<int> empty;
      for (int r = 0; r < T - 1; ++r)
        if (out.Qstar[std::size_t(r) * N + k] == 0) empty.push_back(r);
      if (empty.empty()) continue;
      out.Qstar[std::size_t(s) * N + k] = 0;
      out.Qstar[std::size_t(empty[rng.below(empty.size())]) * N + k] += w;
    }
  return out;
}

std::vector<double> ScbTruth::stationary() const {
  std::vector<double> pi(N, 1.0 / N), next(N);
  for (int it = 0; it < 1000; ++it) {
    for (int i = 0; i < N; ++i) {
      next[i] = 0;
      for (int j = 0; j < N; ++j) next[i] += P[std::size_t(i) * N + j] * pi[j];
    }
    for (int i = 0; i < N; ++i) pi[i] = 0.5 * (pi[i] + next[i]);  // lazy chain: converges if periodic
  }
  return pi;
}

ScbTask::ScbTask(const Settings& settings, std::uint64_t seed) {
  config_ = ScbConfig::from(settings);
  Rng rng(seed);
  truth_ = ScbTruth::draw(config_, rng);
  sample(poolTokens_, poolNext_, poolSource_, config_.samples, rng);
  sample(heldTokens_, heldNext_, heldSource_, config_.heldOut, rng);
}

ScbTask::ScbTask(const ScbConfig& config, ScbTruth truth, std::uint64_t sampleSeed)
    : config_(config), truth_(std::move(truth)) {
  require(truth_.N == config_.vocab && truth_.T == config_.context, "SCB truth does not match N, T");
  Rng rng(sampleSeed);
  sample(poolTokens_, poolNext_, poolSource_, config_.samples, rng);
  sample(heldTokens_, heldNext_, heldSource_, config_.heldOut, rng);
}

std::shared_ptr<ScbTask> ScbTask::correlatedTask(double rho, std::uint64_t seed) const {
  require(rho >= 0 && rho <= 1, "scb.correlation must be in [0, 1]");
  Rng rng(seed ^ 0x5cb7a4f3e1d20bULL);
  return std::make_shared<ScbTask>(config_, truth_.correlated(config_, rho, rng), rng.next());
}

void ScbTask::sample(std::vector<int>& tokens, std::vector<int>& next, std::vector<int>& source, int count,
                     Rng& rng) {
  const int N = truth_.N, T = truth_.T;
  const std::vector<double> law = inputLaw();
  auto draw = [&rng](const double* p, int n, int stride) {
    double u = rng.uniform(), acc = 0;
    for (int i = 0; i < n; ++i)
      if (u < (acc += p[i * stride])) return i;
    for (int i = n - 1; i >= 0; --i)  // rounding: the last non-zero
      if (p[i * stride] > 0) return i;
    return n - 1;
  };
  tokens.resize(std::size_t(count) * T);
  next.resize(count);
  source.resize(count);
  for (int e = 0; e < count; ++e) {
    int* x = tokens.data() + std::size_t(e) * T;
    for (int i = 0; i < T; ++i) x[i] = draw(law.data(), N, 1);
    source[e] = draw(truth_.Qstar.data() + x[T - 1], T, N);
    next[e] = draw(truth_.P.data() + x[source[e]], N, N);
  }
}

int ScbTask::size(Split split) const {
  return split == Split::Pool ? int(poolNext_.size()) : int(heldNext_.size());
}
const int* ScbTask::tokens(Split split, int index) const {
  return (split == Split::Pool ? poolTokens_ : heldTokens_).data() + std::size_t(index) * truth_.T;
}
int ScbTask::next(Split split, int index) const {
  return split == Split::Pool ? poolNext_.at(index) : heldNext_.at(index);
}
int ScbTask::source(Split split, int index) const {
  return split == Split::Pool ? poolSource_.at(index) : heldSource_.at(index);
}
std::vector<double> ScbTask::inputLaw() const {
  return config_.input == ScbConfig::Input::Stationary ? truth_.stationary()
                                                       : std::vector<double>(truth_.N, 1.0 / truth_.N);
}

std::vector<int> ScbTask::truePositions(int lastToken) const {
  std::vector<int> out;
  for (int s = 0; s < truth_.T; ++s)
    if (truth_.Qstar[std::size_t(s) * truth_.N + lastToken] > 0) out.push_back(s);
  return out;
}

ExampleView ScbTask::render(Split split, int index) const {
  ExampleView v;
  const int* x = tokens(split, index);
  for (int i = 0; i < truth_.T; ++i) {
    v.tokens.push_back(std::to_string(x[i]));
    v.text += (i ? " " : "") + v.tokens.back();
  }
  v.label = std::to_string(next(split, index));
  v.highlight = truePositions(x[truth_.T - 1]);
  v.highlightTitle = "the true positions";
  return v;
}

ScbTokenTask::ScbTokenTask(std::shared_ptr<const ScbTask> scb) : scb_(std::move(scb)) {
  const int T = scb_->config().context;
  for (auto [split, targets] :
       {std::pair{Split::Pool, &poolTargets_}, std::pair{Split::HeldOut, &heldTargets_}}) {
    targets->assign(std::size_t(scb_->size(split)) * T, -1);
    for (int e = 0; e < scb_->size(split); ++e) (*targets)[std::size_t(e) * T + T - 1] = scb_->next(split, e);
  }
}

TokenExample ScbTokenTask::example(Split split, int index) const {
  TokenExample e;
  e.tokens = scb_->tokens(split, index);
  e.targets =
      (split == Split::Pool ? poolTargets_ : heldTargets_).data() + std::size_t(index) * sequenceLength();
  e.length = sequenceLength();
  return e;
}

// ---------------------------------------------------------------- learner

LinearScbConfig LinearScbConfig::from(const Settings& given) {
  const Settings s = resolve(scbSettingSpecs(), given);
  LinearScbConfig c;
  c.method =
      choiceOf<ScbMethod>(s, "scb.method", {{"proximal", ScbMethod::Proximal}, {"sgd", ScbMethod::Sgd}});
  c.l1 = s.real("scb.l1");
  c.vInit = s.real("scb.v_init");
  c.simplex = s.boolean("scb.simplex");
  return c;
}

LinearScb::LinearScb(std::shared_ptr<const ScbTask> task, const Settings& settings, std::uint64_t seed)
    : LinearScb(std::move(task), LinearScbConfig::from(settings), seed) {}

LinearScb::LinearScb(std::shared_ptr<const ScbTask> task, const LinearScbConfig& config, std::uint64_t seed)
    : task_(std::move(task)), config_(config) {
  const int N = task_->config().vocab, T = task_->config().context;
  V_ = params_.add("V", {N, N});
  A_ = params_.add("A", {T, N});
  params_.finalize();
  Rng rng(seed);
  for (int i = 0; i < N * N; ++i) params_.value(V_)[i] = float(rng.normal(0, config_.vInit));
  for (int s = 0; s < T - 1; ++s)
    for (int k = 0; k < N; ++k) params_.value(A_)[s * N + k] = float(1.0 / (T - 1));
}

void LinearScb::initializeFrom(const LinearScb& trained) {
  require(trained.task_->config().vocab == task_->config().vocab &&
              trained.task_->config().context == task_->config().context,
          "transfer needs the same scb.vocab and scb.context as the pretrained run");
  params_.values() = trained.params_.values();
  std::fill(params_.moments1().begin(), params_.moments1().end(), 0.0f);
  std::fill(params_.moments2().begin(), params_.moments2().end(), 0.0f);
}

void LinearScb::forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) {
  const int B = int(examples.size()), N = task_->config().vocab, T = task_->config().context;
  out.resize(B);
  if (training) {
    lastSplit_ = split;
    last_.assign(examples.begin(), examples.end());
    residual_.assign(std::size_t(B) * N, 0.0);
  }
  const float *V = params_.value(V_), *A = params_.value(A_);
  // A training batch of the default sizes is ~8k multiply-adds, a few microseconds: waking
  // a second thread for it costs more than it saves and, with the window open, competes
  // with the UI thread for the core. Large evaluations still split.
  const bool worthThreads = std::size_t(B) * T * N >= (std::size_t(1) << 16);
#pragma omp parallel if (worthThreads)
  {
    std::vector<double> local(training ? 0 : N);  // a training step allocates nothing
#pragma omp for schedule(static)
    for (int b = 0; b < B; ++b) {
      double* r = training ? residual_.data() + std::size_t(b) * N : local.data();
      const int* x = task_->tokens(split, examples[b]);
      const int k = x[T - 1], y = task_->next(split, examples[b]);
      std::fill(r, r + N, 0.0);
      for (int s = 0; s < T; ++s) {
        const double a = A[s * N + k];
        for (int i = 0; i < N; ++i) r[i] += a * V[i * N + x[s]];
      }
      r[y] -= 1;
      double n2 = 0;
      for (int i = 0; i < N; ++i) n2 += r[i] * r[i];
      out.loss[b] = float(0.5 * n2);
      out.gradNorm[b] = float(std::sqrt(n2));
      out.correct[b] = std::numeric_limits<float>::quiet_NaN();
    }
  }
}

double LinearScb::meanLoss(Split split, std::span<const int> examples) const {
  const int N = task_->config().vocab, T = task_->config().context;
  const float *V = params_.value(V_), *A = params_.value(A_);
  double total = 0;
  std::vector<double> r(N);
  for (int e : examples) {
    const int* x = task_->tokens(split, e);
    const int k = x[T - 1];
    std::fill(r.begin(), r.end(), 0.0);
    for (int s = 0; s < T; ++s)
      for (int i = 0; i < N; ++i) r[i] += double(A[s * N + k]) * V[i * N + x[s]];
    r[task_->next(split, e)] -= 1;
    for (double v : r) total += 0.5 * v * v;
  }
  return total / double(examples.size());
}

void LinearScb::backward() {
  const int B = int(last_.size()), N = task_->config().vocab, T = task_->config().context;
  if (B == 0) return;
  const float *V = params_.value(V_), *A = params_.value(A_);
  float *gV = params_.grad(V_), *gA = params_.grad(A_);
  columnScale_.assign(N, 1.0);
  if (config_.method == ScbMethod::Proximal) {
    const auto law = task_->inputLaw();
    for (int k = 0; k < N; ++k) columnScale_[k] = 1.0 / std::max(law[k], 1e-3);
  }
  std::vector<double>& dA = dA_;  // members: a step allocates nothing after the first
  std::vector<double>& dV = dV_;
  dA.assign(std::size_t(T) * N, 0.0);
  dV.assign(std::size_t(N) * N, 0.0);
  for (int b = 0; b < B; ++b) {
    const int* x = task_->tokens(lastSplit_, last_[b]);
    const int k = x[T - 1];
    const double* r = residual_.data() + std::size_t(b) * N;
    for (int s = 0; s < T; ++s) {
      const int j = x[s];
      const double a = A[s * N + k];
      double g = 0;
      for (int i = 0; i < N; ++i) {
        dV[i * N + j] += a * r[i];
        g += V[i * N + j] * r[i];
      }
      dA[s * N + k] += g;
    }
  }
  for (std::size_t i = 0; i < dV.size(); ++i) gV[i] += float(dV[i] / B);
  for (int s = 0; s < T; ++s)
    for (int k = 0; k < N; ++k) gA[s * N + k] += float(dA[s * N + k] / B * columnScale_[k]);
}

void LinearScb::afterStep(long, double lr) {
  if (config_.method != ScbMethod::Proximal) return;
  const int N = task_->config().vocab, T = task_->config().context;
  float* A = params_.value(A_);
  if (columnScale_.size() != std::size_t(N)) columnScale_.assign(N, 1.0);
  std::vector<double> col(T), sorted(T);
  for (int k = 0; k < N; ++k) {
    double tau = lr * config_.l1 * columnScale_[k];
    for (int s = 0; s < T; ++s) col[s] = A[s * N + k];
    if (config_.simplex) {
      // The threshold that leaves a distribution: sum_s max(a_s - tau, 0) = 1 (the Euclidean
      // projection onto the simplex, Duchi et al. 2008).
      sorted = col;
      std::sort(sorted.begin(), sorted.end(), std::greater<>());
      double cum = 0;
      for (int i = 0; i < T; ++i) {
        cum += sorted[i];
        const double t = (cum - 1) / (i + 1);
        if (i + 1 == T || sorted[i + 1] <= t) {
          tau = t;
          break;
        }
      }
      for (int s = 0; s < T; ++s) A[s * N + k] = float(std::max(col[s] - tau, 0.0));
    } else {
      for (int s = 0; s < T; ++s) {
        const double a = col[s];
        A[s * N + k] = float(a > tau ? a - tau : a < -tau ? a + tau : 0.0);
      }
    }
  }
}

double LinearScb::gauge() const {
  const int N = task_->config().vocab, T = task_->config().context;
  const float* A = params_.value(A_);
  double sum = 0;
  for (int i = 0; i < T * N; ++i) sum += A[i];
  return sum / N;
}

double LinearScb::vError() const {
  const auto& P = task_->truth().P;
  double c = gauge(), num = 0, den = 0;
  if (std::abs(c) < 1e-6) c = 1;
  const float* V = params_.value(V_);
  for (std::size_t i = 0; i < P.size(); ++i) {
    const double d = c * V[i] - P[i];
    num += d * d;
    den += P[i] * P[i];
  }
  return std::sqrt(num / den);
}

double LinearScb::aError() const {
  const auto& Q = task_->truth().Qstar;
  double c = gauge(), num = 0, den = 0;
  if (std::abs(c) < 1e-6) c = 1;
  const float* A = params_.value(A_);
  for (std::size_t i = 0; i < Q.size(); ++i) {
    const double d = A[i] / c - Q[i];
    num += d * d;
    den += Q[i] * Q[i];
  }
  return std::sqrt(num / den);
}

double LinearScb::excessLoss(Split split) const {
  const int N = task_->config().vocab, T = task_->config().context, n = task_->size(split);
  const auto& truth = task_->truth();
  const float *V = params_.value(V_), *A = params_.value(A_);
  std::vector<double> r(N);
  double total = 0;
  for (int e = 0; e < n; ++e) {
    const int* x = task_->tokens(split, e);
    const int k = x[T - 1];
    std::fill(r.begin(), r.end(), 0.0);
    for (int s = 0; s < T; ++s) {
      const double a = A[s * N + k], q = truth.Qstar[std::size_t(s) * N + k];
      for (int i = 0; i < N; ++i) r[i] += a * V[i * N + x[s]] - q * truth.P[std::size_t(i) * N + x[s]];
    }
    for (double v : r) total += 0.5 * v * v;
  }
  return n ? total / n : 0.0;
}

int LinearScb::aNonzeros(double threshold) const {
  const int n = task_->config().vocab * task_->config().context;
  const float* A = params_.value(A_);
  int count = 0;
  for (int i = 0; i < n; ++i) count += std::abs(A[i]) > threshold;
  return count;
}

AttentionMaps LinearScb::attention(Split split, int example) {
  const int N = task_->config().vocab, T = task_->config().context;
  const int* x = task_->tokens(split, example);
  AttentionMaps m;
  m.layers = m.heads = m.queries = 1;
  m.keys = T;
  for (int s = 0; s < T; ++s) {
    m.weights.push_back(params_.value(A_)[s * N + x[T - 1]]);
    m.keyLabels.push_back(std::to_string(x[s]));
  }
  m.queryLabels = {std::to_string(x[T - 1])};
  m.unit = "entry of A in the last token's column";
  return m;
}

namespace {
Matrix matrixOf(const float* f, const double* d, int rows, int cols, const char* rowPrefix) {
  Matrix m;
  m.rows = rows;
  m.cols = cols;
  m.data.resize(std::size_t(rows) * cols);
  for (std::size_t i = 0; i < m.data.size(); ++i) m.data[i] = f ? f[i] : float(d[i]);
  for (int r = 0; r < rows; ++r) m.rowLabels.push_back(rowPrefix + std::to_string(r));
  for (int c = 0; c < cols; ++c) m.colLabels.push_back(std::to_string(c));
  return m;
}
double cosine(const float* a, const double* b, std::size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) ab += a[i] * b[i], aa += double(a[i]) * a[i], bb += b[i] * b[i];
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

// Described once for every LinearScb: the errors on a log scale (the plateau, then the drop),
// the learned maps next to the truth in the same colours (with two runs, a row of three each:
// learned by each run, then the truth), then how the maps approach the truth.
std::shared_ptr<const std::vector<DiagnosticPanel>> scbPanels() {
  static const auto panels = [] {
    auto lines = [](std::vector<DiagnosticSeries> series, std::string title, std::string unit,
                    AxisScale scale, std::string note = {}) {
      DiagnosticPanel p{PanelKind::Lines, std::move(title), std::move(unit), std::move(series)};
      p.yScale = scale;
      p.note = std::move(note);
      return p;
    };
    auto map = [](std::string key, const std::string& title, std::string unit, std::string rows,
                  std::string cols, bool truth) {
      DiagnosticPanel p{PanelKind::Heatmap, title, std::move(unit), {{std::move(key), title}}};
      p.yAxis = std::move(rows);
      p.xAxis = std::move(cols);
      p.diverging = true;
      p.sameInEveryRun = truth;
      return p;
    };
    const std::string gauge =
        "The prediction V X A e_x is unchanged by V → cV, A → A/c: both errors are measured where A's mean "
        "column sum is 1.";
    return std::make_shared<const std::vector<DiagnosticPanel>>(std::vector<DiagnosticPanel>{
        lines({{"scb.v_error", "V error"}}, "V error ‖V − P‖ / ‖P‖", "relative Frobenius norm",
              AxisScale::Log, gauge),
        lines({{"scb.a_error", "A error"}}, "A error ‖A − Q*‖ / ‖Q*‖", "relative Frobenius norm",
              AxisScale::Log, gauge),
        lines({{"scb.excess_loss", "excess loss"}}, "Held-out loss above the noise floor",
              "squared error (0 at the truth)", AxisScale::Log),
        map("scb.V", "Learned V", "weight", "next token", "source token", false),
        map("scb.P", "True P", "probability of the next token", "next token", "source token", true),
        map("scb.A", "Learned A", "weight", "position s", "last token x_T", false),
        map("scb.Q", "True Q*", "probability of copying from position s", "position s", "last token x_T",
            true),
        lines({{"scb.v_correlation", "V with P"}, {"scb.a_correlation", "A with Q*", true}},
              "Correlation with the truth", "cosine of the centred maps", AxisScale::Linear,
              "The first stage lifts both from about 0 while the errors sit on their plateau."),
        lines({{"scb.a_nonzeros", "non-zeros"}}, "Non-zero entries of A", "entries", AxisScale::Linear),
    });
  }();
  return panels;
}
}  // namespace

Diagnostics LinearScb::diagnostics() {
  const int N = task_->config().vocab, T = task_->config().context;
  const auto& truth = task_->truth();
  Diagnostics d;
  d.scalars["scb.v_error"] = vError();
  d.scalars["scb.a_error"] = aError();
  d.scalars["scb.a_nonzeros"] = aNonzeros();
  d.scalars["scb.excess_loss"] = excessLoss(Split::HeldOut);
  // Correlation of the learned and true maps (the paper's first stage lifts it from ~0).
  std::vector<double> Pc(truth.P), Qc(truth.Qstar);
  const double pm = 1.0 / N, qm = 1.0 / (T - 1);
  for (auto& v : Pc) v -= pm;
  for (int s = 0; s < T - 1; ++s)
    for (int k = 0; k < N; ++k) Qc[s * N + k] -= qm;
  std::vector<float> Vc(params_.value(V_), params_.value(V_) + N * N),
      Ac(params_.value(A_), params_.value(A_) + T * N);
  double vm = 0;
  for (float v : Vc) vm += v / (N * N);
  for (auto& v : Vc) v -= float(vm);
  double am = 0;
  for (int k = 0; k < N; ++k)
    for (int s = 0; s < T - 1; ++s) am += Ac[s * N + k] / double(N * (T - 1));
  for (int s = 0; s < T - 1; ++s)
    for (int k = 0; k < N; ++k) Ac[s * N + k] -= float(am);
  d.scalars["scb.v_correlation"] = cosine(Vc.data(), Pc.data(), Pc.size());
  d.scalars["scb.a_correlation"] = cosine(Ac.data(), Qc.data(), Qc.size());
  d.matrices["scb.V"] = matrixOf(params_.value(V_), nullptr, N, N, "");
  d.matrices["scb.P"] = matrixOf(nullptr, truth.P.data(), N, N, "");
  d.matrices["scb.A"] = matrixOf(params_.value(A_), nullptr, T, N, "pos ");
  d.matrices["scb.Q"] = matrixOf(nullptr, truth.Qstar.data(), T, N, "pos ");
  d.panels = scbPanels();
  return d;
}

}  // namespace attent

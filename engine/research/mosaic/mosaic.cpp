#include "engine/research/mosaic/mosaic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "engine/core/rng.h"
#include "engine/research/common.h"
#include "engine/tasks/digits.h"

namespace attent {

using research::require;
using research::resolve;

std::vector<SettingSpec> mosaicSettingSpecs() {
  using S = SettingSpec;
  return {
      S::choice("mosaic.data", "linear", {"linear", "digits"},
                "linear: the orthogonal mosaics; digits: 8x8 digits, foreground {0,1,2}, background {3..9}."),
      S::integer("mosaic.classes", 20, 2, 1000, "C: classes of the linear mosaics (segment dim C+1)."),
      S::integer("mosaic.segments", 20, 2, 1000, "m: segments of a linear mosaic."),
      S::integer("mosaic.digit_segments", 5, 2, 64, "m: images in a digit mosaic."),
      S::integer("mosaic.samples", 5000, 10, 1000000, "Training mosaics."),
      S::integer("mosaic.heldout", 1000, 1, 1000000, "Held-out mosaics."),
      S::real("mosaic.foreground_noise", 1e-3, 0.0, 1.0, "Std of the noise added to the foreground e_c."),
      S::real("mosaic.background_std", 0.1, 0.0, 10.0,
              "Std of the background's last coordinate (variance 0.01 in the paper)."),
      S::choice("mosaic.focus", "linear", {"linear", "mlp"},
                "Focus model g: linear, or one ReLU hidden layer."),
      S::integer("mosaic.focus_hidden", 16, 1, 4096, "Hidden width of the mlp focus model."),
      S::choice("mosaic.classifier", "linear", {"linear", "mlp"},
                "Classifier f: linear, or one ReLU hidden layer."),
      S::integer("mosaic.classifier_hidden", 16, 1, 4096, "Hidden width of the mlp classifier."),
      S::choice(
          "mosaic.loss", "sa", {"sa", "ha", "lvml", "hybrid"},
          "sa: soft attention; ha: hard (exact expectation); lvml: marginal likelihood; hybrid: sa then ha."),
      S::integer("mosaic.hybrid_epochs", 10, 0, 100000, "Hybrid: epochs of SA before switching to HA."),
      S::integer("mosaic.batch", 256, 1, 100000, "Minibatch size."),
      S::real("mosaic.lr", 0.05, 1e-6, 10.0,
              "SGD-momentum learning rate of both optimisers for SA and LVML."),
      S::real("mosaic.lr_ha", 0.01, 1e-6, 10.0, "Learning rate for HA (and hybrid after the switch)."),
      S::real("mosaic.momentum", 0.9, 0.0, 0.999, "Momentum of the focus and classifier optimisers."),
      S::integer("mosaic.epochs", 100, 1, 100000, "Training epochs."),
  };
}

MosaicConfig MosaicConfig::from(const Settings& given) {
  const Settings s = resolve(mosaicSettingSpecs(), given);
  MosaicConfig c;
  c.data = choiceOf<Data>(s, "mosaic.data", {{"linear", Data::Linear}, {"digits", Data::Digits}});
  c.classes = int(s.integer("mosaic.classes"));
  c.segments = int(s.integer("mosaic.segments"));
  c.digitSegments = int(s.integer("mosaic.digit_segments"));
  c.samples = int(s.integer("mosaic.samples"));
  c.heldOut = int(s.integer("mosaic.heldout"));
  c.foregroundNoise = s.real("mosaic.foreground_noise");
  c.backgroundStd = s.real("mosaic.background_std");
  return c;
}

MosaicTask::MosaicTask(const Settings& settings, std::uint64_t seed)
    : MosaicTask(MosaicConfig::from(settings), seed) {}

MosaicTask::MosaicTask(const MosaicConfig& config, std::uint64_t seed) : config_(config) {
  Rng rng(seed);
  const bool digits = config_.data == MosaicConfig::Data::Digits;
  m_ = digits ? config_.digitSegments : config_.segments;
  require(m_ >= 2, "mosaic segments must be >= 2");
  dim_ = digits ? 64 : config_.classes + 1;
  const double floats = double(config_.samples + config_.heldOut) * m_ * dim_;
  require(floats <= 1e8, "mosaics too large: (mosaic.samples + mosaic.heldout) x segments x segment dim = " +
                             std::to_string(long(floats)) + " values; the limit is 1e8 (400 MB)");
  classes_ = digits ? 3 : config_.classes;
  std::vector<int> fg[2], bg[2];  // image ids per split (0 pool, 1 held-out)
  if (digits) {
    const auto& images = optdigits();
    for (int i = 0; i < int(images.size()); ++i) (images[i].label < 3 ? fg : bg)[i % 5 == 0].push_back(i);
  }
  for (int which = 0; which < 2; ++which) {
    Set& set = which ? held_ : pool_;
    const int n = which ? config_.heldOut : config_.samples;
    set.patches.assign(std::size_t(n) * m_ * dim_, 0.0f);
    set.labels.resize(n);
    set.foreground.resize(n);
    for (int e = 0; e < n; ++e) {
      const int z = int(rng.below(m_));
      set.foreground[e] = z;
      float* x = set.patches.data() + std::size_t(e) * m_ * dim_;
      if (digits) {
        const auto& images = optdigits();
        for (int j = 0; j < m_; ++j) {
          const auto& pool = j == z ? fg[which] : bg[which];
          const DigitImage& img = images[pool[rng.below(pool.size())]];
          if (j == z) set.labels[e] = img.label;
          for (int p = 0; p < 64; ++p) x[j * dim_ + p] = img.pixels[p] / 16.0f;
        }
      } else {
        const int y = int(rng.below(classes_));
        set.labels[e] = y;
        for (int j = 0; j < m_; ++j) {
          float* seg = x + j * dim_;
          if (j == z) {
            for (int d = 0; d < dim_; ++d) seg[d] = float((d == y) + rng.normal(0, config_.foregroundNoise));
          } else {
            seg[dim_ - 1] = float(rng.normal(0, config_.backgroundStd));
          }
        }
      }
    }
  }
}

int MosaicTask::size(Split split) const { return int(set(split).labels.size()); }

PatchExample MosaicTask::example(Split split, int index) const {
  const Set& s = set(split);
  PatchExample e;
  e.patches = s.patches.data() + std::size_t(index) * m_ * dim_;
  e.label = s.labels.at(index);
  e.foreground = s.foreground.at(index);
  return e;
}

std::vector<std::string> MosaicTask::classNames() const {
  std::vector<std::string> names;
  for (int c = 0; c < classes_; ++c)
    names.push_back((config_.data == MosaicConfig::Data::Digits ? "digit " : "class ") + std::to_string(c));
  return names;
}

ExampleView MosaicTask::render(Split split, int index) const {
  const PatchExample e = example(split, index);
  ExampleView v;
  for (int j = 0; j < m_; ++j) v.tokens.push_back("s" + std::to_string(j));
  v.label = classNames()[e.label];
  v.highlight = {e.foreground};
  v.highlightTitle = "the foreground segment";
  if (config_.data == MosaicConfig::Data::Digits) {  // the images side by side; each 8x8 tile is one segment
    v.imageWidth = 8 * m_;
    v.imageHeight = 8;
    v.patchSize = 8;
    v.image.assign(std::size_t(v.imageWidth) * 8, 0.0f);
    for (int j = 0; j < m_; ++j)
      for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c) v.image[r * v.imageWidth + j * 8 + c] = e.patches[j * dim_ + r * 8 + c];
  } else {
    v.text = "foreground at segment " + std::to_string(e.foreground) + ", class " + std::to_string(e.label);
  }
  return v;
}

// ---------------------------------------------------------------- learner

FocusMosaicConfig FocusMosaicConfig::from(const Settings& given) {
  const Settings s = resolve(mosaicSettingSpecs(), given);
  FocusMosaicConfig c;
  c.focusMlp = choiceOf<bool>(s, "mosaic.focus", {{"linear", false}, {"mlp", true}});
  c.classifierMlp = choiceOf<bool>(s, "mosaic.classifier", {{"linear", false}, {"mlp", true}});
  c.focusHidden = int(s.integer("mosaic.focus_hidden"));
  c.classifierHidden = int(s.integer("mosaic.classifier_hidden"));
  c.loss = choiceOf<MosaicLoss>(s, "mosaic.loss",
                                {{"sa", MosaicLoss::SA},
                                 {"ha", MosaicLoss::HA},
                                 {"lvml", MosaicLoss::LVML},
                                 {"hybrid", MosaicLoss::Hybrid}});
  c.hybridEpochs = int(s.integer("mosaic.hybrid_epochs"));
  c.batch = int(s.integer("mosaic.batch"));
  return c;
}

FocusMosaic::FocusMosaic(std::shared_ptr<const MosaicTask> task, const Settings& settings, std::uint64_t seed)
    : FocusMosaic(std::move(task), FocusMosaicConfig::from(settings), seed) {}

FocusMosaic::FocusMosaic(std::shared_ptr<const MosaicTask> task, const FocusMosaicConfig& config,
                         std::uint64_t seed)
    : task_(std::move(task)), config_(config) {
  const int D = task_->patchDim(), C = task_->classCount(), Hf = config_.focusHidden,
            Hc = config_.classifierHidden;
  if (config_.focusMlp) {
    fw1_ = params_.add("focus.w1", {D, Hf}, 0);
    fb1_ = params_.add("focus.b1", {Hf}, 0, false);
    fw2_ = params_.add("focus.w2", {Hf}, 0);
    fb2_ = params_.add("focus.b2", {1}, 0, false);
  } else {
    fw1_ = params_.add("focus.w", {D}, 0);
    fb1_ = params_.add("focus.b", {1}, 0, false);
  }
  if (config_.classifierMlp) {
    cw1_ = params_.add("cls.w1", {D, Hc}, 1);
    cb1_ = params_.add("cls.b1", {Hc}, 1, false);
    cw2_ = params_.add("cls.w2", {Hc, C}, 1);
    cb2_ = params_.add("cls.b2", {C}, 1, false);
  } else {
    cw1_ = params_.add("cls.w", {D, C}, 1);
    cb1_ = params_.add("cls.b", {C}, 1, false);
  }
  params_.finalize();
  // PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
  Rng rng(seed);
  auto fill = [&](int id, int fanIn) {
    if (id < 0) return;
    const double b = 1 / std::sqrt(double(fanIn));
    for (std::size_t i = 0; i < params_.view(id).size; ++i)
      params_.value(id)[i] = float((2 * rng.uniform() - 1) * b);
  };
  fill(fw1_, D), fill(fb1_, D), fill(fw2_, Hf), fill(fb2_, Hf);
  fill(cw1_, D), fill(cb1_, D);
  fill(cw2_, Hc), fill(cb2_, Hc);
}

MosaicLoss FocusMosaic::effective() const {
  if (config_.loss != MosaicLoss::Hybrid) return config_.loss;
  const long perEpoch = (task_->size(Split::Pool) + config_.batch - 1) / config_.batch;
  return stepsDone_ >= long(config_.hybridEpochs) * perEpoch ? MosaicLoss::HA : MosaicLoss::SA;
}

// Counts updates rather than trusting the step's numbering (0- or 1-based callers alike).
void FocusMosaic::afterStep(long, double) { ++stepsDone_; }

void FocusMosaic::save(ByteWriter& w) const {
  saveParameters(w);
  w.put<std::int64_t>(stepsDone_);
}

void FocusMosaic::restore(ByteReader& in) {
  restoreParameters(in);
  stepsDone_ = long(in.get<std::int64_t>("learner counter"));
}

void FocusMosaic::focusForward(const float* x, double* hidden, double& score) const {
  const int D = task_->patchDim();
  const float *w1 = params_.value(fw1_), *b1 = params_.value(fb1_);
  if (!config_.focusMlp) {
    score = b1[0];
    for (int d = 0; d < D; ++d) score += double(w1[d]) * x[d];
    return;
  }
  const int H = config_.focusHidden;
  const float *w2 = params_.value(fw2_), *b2 = params_.value(fb2_);
  for (int h = 0; h < H; ++h) hidden[h] = b1[h];
  for (int d = 0; d < D; ++d)
    for (int h = 0; h < H; ++h) hidden[h] += double(x[d]) * w1[d * H + h];
  score = b2[0];
  for (int h = 0; h < H; ++h) score += (hidden[h] = std::max(0.0, hidden[h])) * w2[h];
}

void FocusMosaic::focusBackward(const float* x, const double* hidden, double ds) {
  const int D = task_->patchDim();
  float *g1 = params_.grad(fw1_), *gb1 = params_.grad(fb1_);
  if (!config_.focusMlp) {
    gb1[0] += float(ds);
    for (int d = 0; d < D; ++d) g1[d] += float(ds * x[d]);
    return;
  }
  const int H = config_.focusHidden;
  const float* w2 = params_.value(fw2_);
  float *g2 = params_.grad(fw2_), *gb2 = params_.grad(fb2_);
  gb2[0] += float(ds);
  for (int h = 0; h < H; ++h) {
    g2[h] += float(ds * hidden[h]);
    const double dh = hidden[h] > 0 ? ds * w2[h] : 0.0;
    gb1[h] += float(dh);
    for (int d = 0; d < D; ++d) g1[d * H + h] += float(dh * x[d]);
  }
}

void FocusMosaic::classifierForward(const double* x, double* hidden, double* logits) const {
  const int D = task_->patchDim(), C = task_->classCount();
  const float *w1 = params_.value(cw1_), *b1 = params_.value(cb1_);
  if (!config_.classifierMlp) {
    for (int c = 0; c < C; ++c) logits[c] = b1[c];
    for (int d = 0; d < D; ++d)
      if (x[d] != 0)
        for (int c = 0; c < C; ++c) logits[c] += x[d] * w1[d * C + c];
    return;
  }
  const int H = config_.classifierHidden;
  const float *w2 = params_.value(cw2_), *b2 = params_.value(cb2_);
  for (int h = 0; h < H; ++h) hidden[h] = b1[h];
  for (int d = 0; d < D; ++d)
    for (int h = 0; h < H; ++h) hidden[h] += x[d] * w1[d * H + h];
  for (int c = 0; c < C; ++c) logits[c] = b2[c];
  for (int h = 0; h < H; ++h) {
    hidden[h] = std::max(0.0, hidden[h]);
    for (int c = 0; c < C; ++c) logits[c] += hidden[h] * w2[h * C + c];
  }
}

void FocusMosaic::classifierBackward(const double* x, const double* hidden, const double* dl, double* dx) {
  const int D = task_->patchDim(), C = task_->classCount();
  const float* w1 = params_.value(cw1_);
  float *g1 = params_.grad(cw1_), *gb1 = params_.grad(cb1_);
  if (!config_.classifierMlp) {
    for (int c = 0; c < C; ++c) gb1[c] += float(dl[c]);
    for (int d = 0; d < D; ++d) {
      double s = 0;
      for (int c = 0; c < C; ++c) {
        g1[d * C + c] += float(x[d] * dl[c]);
        s += w1[d * C + c] * dl[c];
      }
      if (dx) dx[d] = s;
    }
    return;
  }
  const int H = config_.classifierHidden;
  const float* w2 = params_.value(cw2_);
  float *g2 = params_.grad(cw2_), *gb2 = params_.grad(cb2_);
  std::vector<double>& dh = scratch_;  // backward is serial
  dh.resize(H);
  for (int c = 0; c < C; ++c) gb2[c] += float(dl[c]);
  for (int h = 0; h < H; ++h) {
    double s = 0;
    for (int c = 0; c < C; ++c) {
      g2[h * C + c] += float(hidden[h] * dl[c]);
      s += w2[h * C + c] * dl[c];
    }
    dh[h] = hidden[h] > 0 ? s : 0.0;
    gb1[h] += float(dh[h]);
  }
  for (int d = 0; d < D; ++d) {
    double s = 0;
    for (int h = 0; h < H; ++h) {
      g1[d * H + h] += float(x[d] * dh[h]);
      s += w1[d * H + h] * dh[h];
    }
    if (dx) dx[d] = s;
  }
}

double FocusMosaic::forwardOne(Split split, int index, Cache& c, MosaicLoss loss) const {
  const PatchExample ex = task_->example(split, index);
  const int m = task_->patchCount(), D = task_->patchDim(), C = task_->classCount();
  const int Hf = config_.focusHidden, Hc = config_.classifierHidden, y = ex.label;
  c.index = index;
  c.loss = loss;
  c.alpha.resize(m);
  c.focusHidden.resize(std::size_t(m) * Hf);
  for (int j = 0; j < m; ++j) focusForward(ex.patches + j * D, c.focusHidden.data() + j * Hf, c.alpha[j]);
  research::softmaxInPlace(c.alpha.data(), m);
  const double tiny = std::numeric_limits<double>::min();
  if (loss == MosaicLoss::SA) {
    c.xbar.assign(D, 0.0);
    for (int j = 0; j < m; ++j)
      for (int d = 0; d < D; ++d) c.xbar[d] += c.alpha[j] * ex.patches[j * D + d];
    c.clsHidden.resize(Hc);
    c.p.resize(C);
    classifierForward(c.xbar.data(), c.clsHidden.data(), c.p.data());
    research::softmaxInPlace(c.p.data(), C);
    return -std::log(std::max(c.p[y], tiny));
  }
  c.clsHidden.resize(std::size_t(m) * Hc);
  c.p.resize(std::size_t(m) * C);
  c.ce.resize(m);
  std::vector<double> x(D);
  double L = 0;
  c.z = 0;
  for (int j = 0; j < m; ++j) {
    for (int d = 0; d < D; ++d) x[d] = ex.patches[j * D + d];
    double* p = c.p.data() + j * C;
    classifierForward(x.data(), c.clsHidden.data() + j * Hc, p);
    research::softmaxInPlace(p, C);
    c.ce[j] = -std::log(std::max(p[y], tiny));
    L += c.alpha[j] * c.ce[j];
    c.z += c.alpha[j] * p[y];
  }
  return loss == MosaicLoss::HA ? L : -std::log(std::max(c.z, tiny));
}

int FocusMosaic::predict(const Cache& c) const {
  const int C = task_->classCount();
  const double* p = c.p.data();
  if (c.loss != MosaicLoss::SA)
    p += C * int(std::max_element(c.alpha.begin(), c.alpha.end()) - c.alpha.begin());
  return int(std::max_element(p, p + C) - p);
}

void FocusMosaic::forward(Split split, std::span<const int> examples, ForwardOutputs& out, bool training) {
  const int B = int(examples.size()), C = task_->classCount(), m = task_->patchCount();
  const MosaicLoss loss = effective();
  out.resize(B);
  if (training) {
    caches_.resize(B);
    lastSplit_ = split;
  }
#pragma omp parallel
  {
    Cache local;
#pragma omp for schedule(static)
    for (int b = 0; b < B; ++b) {
      Cache& c = training ? caches_[b] : local;
      const int y = task_->example(split, examples[b]).label;
      out.loss[b] = float(forwardOne(split, examples[b], c, loss));
      out.correct[b] = predict(c) == y ? 1.0f : 0.0f;
      // Functional gradient: ||dL/dlogits|| over every logit vector the loss touches.
      double g2 = 0;
      const int vectors = loss == MosaicLoss::SA ? 1 : m;
      for (int j = 0; j < vectors; ++j) {
        const double w = loss == MosaicLoss::SA   ? 1.0
                         : loss == MosaicLoss::HA ? c.alpha[j]
                                                  : c.alpha[j] * c.p[j * C + y] / std::max(c.z, 1e-300);
        for (int k = 0; k < C; ++k) {
          const double g = w * (c.p[j * C + k] - (k == y));
          g2 += g * g;
        }
      }
      out.gradNorm[b] = float(std::sqrt(g2));
    }
  }
}

double FocusMosaic::meanLoss(Split split, std::span<const int> examples) const {
  Cache c;
  double total = 0;
  for (int e : examples) total += forwardOne(split, e, c, effective());
  return total / double(examples.size());
}

void FocusMosaic::backward() {
  const int B = int(caches_.size());
  if (B == 0) return;
  const int m = task_->patchCount(), D = task_->patchDim(), C = task_->classCount();
  const int Hf = config_.focusHidden, Hc = config_.classifierHidden;
  std::vector<double> dl(C), dx(D), dalpha(m), dg(m), x(D);
  for (const Cache& c : caches_) {  // serial: a fixed order, independent of thread count
    const PatchExample ex = task_->example(lastSplit_, c.index);
    const int y = ex.label;
    if (c.loss == MosaicLoss::SA) {
      for (int k = 0; k < C; ++k) dl[k] = (c.p[k] - (k == y)) / B;
      classifierBackward(c.xbar.data(), c.clsHidden.data(), dl.data(), dx.data());
      for (int j = 0; j < m; ++j) {
        dalpha[j] = 0;
        for (int d = 0; d < D; ++d) dalpha[j] += dx[d] * ex.patches[j * D + d];
      }
      research::softmaxBackward(c.alpha.data(), dalpha.data(), dg.data(), m);
    } else {
      for (int j = 0; j < m; ++j) {
        const double* p = c.p.data() + j * C;
        // HA: dL/dlogits_j = alpha_j (p_j - e_y); LVML: posterior w_j = alpha_j p_j[y] / Z in
        // place of alpha_j, and dL/dg_j = alpha_j - w_j.
        const double w = c.loss == MosaicLoss::HA ? c.alpha[j] : c.alpha[j] * p[y] / c.z;
        for (int k = 0; k < C; ++k) dl[k] = w * (p[k] - (k == y)) / B;
        for (int d = 0; d < D; ++d) x[d] = ex.patches[j * D + d];
        classifierBackward(x.data(), c.clsHidden.data() + j * Hc, dl.data(), nullptr);
        if (c.loss == MosaicLoss::HA)
          dalpha[j] = c.ce[j] / B;
        else
          dg[j] = (c.alpha[j] - w) / B;
      }
      if (c.loss == MosaicLoss::HA) research::softmaxBackward(c.alpha.data(), dalpha.data(), dg.data(), m);
    }
    for (int j = 0; j < m; ++j) focusBackward(ex.patches + j * D, c.focusHidden.data() + j * Hf, dg[j]);
  }
}

AttentionMaps FocusMosaic::attention(Split split, int example) {
  Cache c;
  forwardOne(split, example, c, effective());
  AttentionMaps a;
  a.layers = a.heads = a.queries = 1;
  a.keys = task_->patchCount();
  a.weights.assign(c.alpha.begin(), c.alpha.end());
  a.queryLabels = {"focus"};
  for (int j = 0; j < a.keys; ++j) a.keyLabels.push_back("s" + std::to_string(j));
  return a;
}

FocusMosaic::Evaluation FocusMosaic::evaluate(Split split) {
  const int n = task_->size(split), C = task_->classCount(), D = task_->patchDim();
  Evaluation ev;
  ev.signature.rows = ev.signature.cols = 5;
  ev.signature.data.assign(25, 0.0f);
  for (int b = 0; b < 5; ++b) {
    const std::string bin = std::to_string(b * 20) + "-" + std::to_string(b * 20 + 20) + "%";
    ev.signature.rowLabels.push_back("a_z " + bin);
    ev.signature.colLabels.push_back("s_y " + bin);
  }
  Cache c;
  std::vector<double> x(D), hidden(config_.classifierHidden), p(C);
  for (int i = 0; i < n; ++i) {
    const PatchExample ex = task_->example(split, i);
    forwardOne(split, i, c, effective());
    const double az = c.alpha[ex.foreground];
    const bool focusTrue =
        std::max_element(c.alpha.begin(), c.alpha.end()) - c.alpha.begin() == ex.foreground;
    const bool predTrue = predict(c) == ex.label;
    // s_y: the classifier's probability of the true label on the foreground segment itself.
    for (int d = 0; d < D; ++d) x[d] = ex.patches[ex.foreground * D + d];
    classifierForward(x.data(), hidden.data(), p.data());
    research::softmaxInPlace(p.data(), C);
    const double sy = p[ex.label];
    ev.focusOnTrue += az / n;
    ev.accuracy += double(predTrue) / n;
    (focusTrue ? (predTrue ? ev.ftpt : ev.ftpf) : (predTrue ? ev.ffpt : ev.ffpf)) += 100.0 / n;
    ev.signature.data[std::min(4, int(az * 5)) * 5 + std::min(4, int(sy * 5))] += float(100.0 / n);
  }
  return ev;
}

namespace {
using Points = std::vector<std::pair<float, float>>;

// The learner's panels, the toy's for (m, C) first, with the toy's curves (every 5th RK4 step)
// as the points they name.
std::vector<DiagnosticPanel> mosaicPanels(const MosaicToyCurves& toy,
                                          std::map<std::string, Points>& toyPoints) {
  const char* paradigms[] = {"SA", "HA", "LVML", "hybrid"};
  const std::vector<DiagnosticSeries> sizes = {{"mosaic.m", "segments m"}, {"mosaic.C", "classes C"}};
  auto toyPanel = [&](const std::string& quantity, std::vector<double> ToyTrajectory::*value,
                      std::string title, std::string axis, std::string unit) {
    DiagnosticPanel p{PanelKind::Curves, std::move(title), std::move(unit)};
    for (int k = 0; k < 4; ++k) {
      p.series.push_back({"mosaic.toy." + quantity + "." + paradigms[k], paradigms[k], k == 3});
      const ToyTrajectory& tr = toy.paradigms[k];
      Points& points = toyPoints[p.series.back().key];
      for (std::size_t i = 0; i < tr.t.size(); i += 5)
        points.emplace_back(float(tr.t[i]), float((tr.*value)[i]));
    }
    p.xAxis = "toy time t (gradient flow)";
    p.yAxis = std::move(axis);
    p.parameters = sizes;
    p.markers = {{toy.switchTime, "hybrid → HA"}};
    p.note =
        "The closed-form scalar toy under gradient flow from μ = ν = 0. Toy time is not training steps: "
        "each run has its own learning rate and momentum.";
    return p;
  };
  auto lines = [](std::string key, const std::string& title, std::string unit, std::string note = {}) {
    DiagnosticPanel p{PanelKind::Lines, title, std::move(unit), {{std::move(key), title}}};
    p.note = std::move(note);
    return p;
  };
  std::vector<DiagnosticPanel> panels = {
      toyPanel("nu", &ToyTrajectory::nu, "Closed-form toy: focus logit ν(t) of the foreground", "ν",
               "focus logit"),
      toyPanel("mu", &ToyTrajectory::mu, "Closed-form toy: class logit μ(t) of the true class", "μ",
               "class logit"),
      lines("mosaic.focus_on_true", "Focus on the foreground segment", "mean attention weight α_z (0 to 1)"),
      lines("mosaic.accuracy", "Held-out accuracy", "fraction of mosaics classified right"),
      lines("mosaic.ftpt", "Right segment, right class (FTPT)", "% of held-out mosaics",
            "Focus true (argmax attention on the foreground), prediction true."),
      lines("mosaic.ffpt", "Wrong segment, right class (FFPT)", "% of held-out mosaics"),
      lines("mosaic.ftpf", "Right segment, wrong class (FTPF)", "% of held-out mosaics"),
      lines("mosaic.ffpf", "Wrong segment, wrong class (FFPF)", "% of held-out mosaics"),
      lines("mosaic.hard_phase", "Training on the hard-attention loss", "1 = HA's loss, 0 = the run's own",
            "The hybrid switches from SA to HA after its SA epochs."),
  };
  DiagnosticPanel signature{PanelKind::Heatmap,
                            "Signature: focus on the foreground against class confidence",
                            "% of held-out mosaics",
                            {{"mosaic.signature", "the signature"}}};
  signature.xAxis = "confidence s_y";
  signature.yAxis = "focus α_z";
  signature.cellValues = true;
  signature.note =
      "Rows: attention on the foreground in bins of 20% (top: 0 to 20%); columns: the classifier's "
      "probability of the true class, same bins. Bottom right: focused and confident.";
  panels.push_back(std::move(signature));
  return panels;
}

// The panels and the toy's curves for m segments and C classes: integrated once per size and
// shared by every run of an experiment (the toy never changes while training).
struct MosaicDescription {
  std::shared_ptr<const std::vector<DiagnosticPanel>> panels;
  std::map<std::string, Points> toyPoints;
};
std::shared_ptr<const MosaicDescription> mosaicDescription(int m, int C) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, std::shared_ptr<const MosaicDescription>> cache;
  const std::lock_guard lock(mutex);
  auto& entry = cache[{m, C}];
  if (entry) return entry;
  auto d = std::make_shared<MosaicDescription>();
  d->panels =
      std::make_shared<const std::vector<DiagnosticPanel>>(mosaicPanels(mosaicToyCurves(m, C), d->toyPoints));
  entry = std::move(d);
  return entry;
}
}  // namespace

Diagnostics FocusMosaic::diagnostics() {
  const Evaluation ev = evaluate(Split::HeldOut);
  Diagnostics d;
  d.scalars["mosaic.focus_on_true"] = ev.focusOnTrue;
  d.scalars["mosaic.accuracy"] = ev.accuracy;
  d.scalars["mosaic.ftpt"] = ev.ftpt;
  d.scalars["mosaic.ffpt"] = ev.ffpt;
  d.scalars["mosaic.ftpf"] = ev.ftpf;
  d.scalars["mosaic.ffpf"] = ev.ffpf;
  d.scalars["mosaic.hard_phase"] = hardPhase() ? 1.0 : 0.0;
  d.matrices["mosaic.signature"] = ev.signature;
  // The closed-form toy's sizes (m segments, C classes) and its nu(t), mu(t).
  d.scalars["mosaic.m"] = task_->patchCount();
  d.scalars["mosaic.C"] = task_->classCount();
  const auto description = mosaicDescription(task_->patchCount(), task_->classCount());
  d.points = description->toyPoints;
  d.panels = description->panels;
  return d;
}

}  // namespace attent

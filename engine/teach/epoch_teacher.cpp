#include "engine/teach/epoch_teacher.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <numeric>

#include "engine/teach/subset_stats.h"

namespace attent {

namespace {

std::vector<EpochPhase> fullEpochs(int epochs) { return std::vector<EpochPhase>(std::size_t(epochs)); }

// The run's default compute clock (run.cpp): CPU seconds of the process.
double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

void shuffleWith(std::vector<int>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

}  // namespace

EpochTeacher::EpochTeacher(EpochArm arm, const EpochPlanConfig& plan, const AtteNTConfig& scorer,
                           int poolSize, std::uint64_t dataSeed)
    : Teacher(poolSize, dataSeed),
      arm_(arm),
      config_(plan),
      plan_(planEpochs(plan)),
      scorer_(poolSize, dataSeed, scorer),
      pickRng_(dataSeed ^ 0x3c6ef372ULL),
      trainLosses_(std::size_t(std::max(0, poolSize)), kNoValue) {
  const long planned = attent::plannedExamples(plan_, poolSize);
  if (arm_ == EpochArm::Full) plan_ = fullEpochs(plan.epochs);
  if (arm_ == EpochArm::ShortFull) plan_ = fullEpochs(int((planned + poolSize - 1) / std::max(1, poolSize)));
  examplesTotal_ = arm_ == EpochArm::Full ? long(plan.epochs) * poolSize : planned;
}

std::string EpochTeacher::kind() const {
  switch (arm_) {
    case EpochArm::Full:
      return "epoch-full";
    case EpochArm::Attent:
      return "epoch-attent";
    case EpochArm::RandomSubset:
      return "epoch-random-subset";
    case EpochArm::ShortFull:
      return "epoch-short-full";
  }
  return "epoch";
}

long EpochTeacher::plannedSteps(int batchSize) const {
  const long b = std::max(1, batchSize);
  long steps = 0, left = examplesTotal_;
  for (const EpochPhase& p : plan_) {
    const long n = std::min<long>(left, p.subset ? subsetExamples(p.ratio, poolSize_) : poolSize_);
    steps += (n + b - 1) / b;
    left -= n;
  }
  return steps;
}

std::optional<double> EpochTeacher::progress() const {
  if (arm_ == EpochArm::ShortFull) return double(examplesDone_) / double(std::max(1L, examplesTotal_));
  return std::min(1.0, epoch() / double(plan_.size()));
}

double EpochTeacher::epoch() const {
  if (arm_ == EpochArm::ShortFull) return double(examplesDone_) / double(std::max(1, poolSize_));
  const double within = epochOrder_.empty() ? 0.0 : double(epochPos_) / double(epochOrder_.size());
  return double(epoch_) + within;
}

void EpochTeacher::select(Learner& learner, int k) {
  std::vector<int> previous = std::move(subset_);
  choose(learner, k);
  overlap_ = subsetOverlap(subset_, previous, poolSize_);
}

void EpochTeacher::choose(Learner& learner, int k) {
  if (arm_ == EpochArm::RandomSubset) {
    std::vector<int> all(static_cast<std::size_t>(poolSize_));
    std::iota(all.begin(), all.end(), 0);
    // Partial Fisher-Yates: the first k of a shuffle are a uniform k-subset.
    for (int i = 0; i < k; ++i) std::swap(all[i], all[i + pickRng_.below(poolSize_ - i)]);
    subset_.assign(all.begin(), all.begin() + k);
    return;
  }
  std::span<const float> scores = trainLosses_;
  if (config_.form == EpochForm::Vit) {
    const double start = cpuSeconds();
    scorer_.scorePool(learner);  // a no-grad forward over the pool, charged to the run's clock
    scoringSeconds_ += cpuSeconds() - start;
    scored_ += poolSize_;
    scores = scorer_.scores();
  }
  subset_ = config_.pick == SubsetPick::Soft ? gumbelTopK(scores, k, scorer_.config().tau, pickRng_)
                                             : topK(scores, k);
}

void EpochTeacher::startEpoch(Learner& learner) {
  const EpochPhase& phase = plan_[std::size_t(std::min<int>(epoch_, int(plan_.size()) - 1))];
  ratioNow_ = phase.subset ? phase.ratio : 1.0;
  if (phase.subset) {
    if (phase.select || subset_.empty()) select(learner, subsetExamples(phase.ratio, poolSize_));
    epochOrder_ = subset_;
  } else {
    epochOrder_.resize(std::size_t(poolSize_));
    std::iota(epochOrder_.begin(), epochOrder_.end(), 0);
  }
  shuffleWith(epochOrder_, rng_);
  epochPos_ = 0;
}

void EpochTeacher::nextBatch(Learner& learner, long, int batchSize, std::vector<int>& batch) {
  batch.clear();
  batchSize_ = batchSize;
  if (finished()) return;
  if (epochOrder_.empty()) startEpoch(learner);
  const long left = long(epochOrder_.size() - epochPos_);
  const long n = std::min({left, examplesTotal_ - examplesDone_, long(batchSize > 0 ? batchSize : left)});
  batch.assign(epochOrder_.begin() + long(epochPos_), epochOrder_.begin() + long(epochPos_) + n);
  for (int i : batch) ++timesPicked_[i];
  recordLosses_ = epoch_ == 0;
  epochPos_ += std::size_t(n);
  examplesDone_ += n;
  if (epochPos_ >= epochOrder_.size()) {
    ++epoch_;
    epochOrder_.clear();
    epochPos_ = 0;
  }
}

void EpochTeacher::observe(const std::vector<int>& batch, const ForwardOutputs& out) {
  if (!recordLosses_) return;
  for (std::size_t i = 0; i < batch.size(); ++i) trainLosses_[batch[i]] = out.loss[i];
}

void EpochTeacher::save(ByteWriter& w) const {
  Teacher::save(w);
  scorer_.save(w);
  pickRng_.save(w);
  w.putFloats(trainLosses_);
  w.putArray<std::int32_t>(subset_);
  w.putArray<std::int32_t>(epochOrder_);
  w.put<std::uint64_t>(epochPos_);
  w.put<std::int32_t>(epoch_);
  w.put<std::uint8_t>(recordLosses_);
  w.put<std::int64_t>(examplesDone_);
  w.put<double>(ratioNow_);
  w.put<double>(scoringSeconds_);
}

void EpochTeacher::restore(ByteReader& in) {
  Teacher::restore(in);
  scorer_.restore(in);
  pickRng_.restore(in);
  auto losses = in.getFloats("epoch-1 training losses");
  if (losses.size() != trainLosses_.size()) in.fail("epoch-1 training losses do not match the pool size");
  trainLosses_ = std::move(losses);
  subset_ = in.getArray<std::int32_t, int>("subset");
  checkIndices(in, subset_, "subset");
  epochOrder_ = in.getArray<std::int32_t, int>("epoch order");
  checkIndices(in, epochOrder_, "epoch order");
  epochPos_ = std::size_t(in.get<std::uint64_t>("position in the epoch"));
  if (epochPos_ > epochOrder_.size()) in.fail("position in the epoch past its order");
  epoch_ = in.get<std::int32_t>("epoch");
  if (epoch_ < 0 || epoch_ > int(plan_.size())) in.fail("epoch outside the plan of the settings");
  recordLosses_ = in.get<std::uint8_t>("loss recording") != 0;
  examplesDone_ = long(in.get<std::int64_t>("examples done"));
  if (examplesDone_ < 0 || examplesDone_ > examplesTotal_) in.fail("examples done outside the plan");
  ratioNow_ = in.get<double>("ratio");
  scoringSeconds_ = in.get<double>("scoring seconds");
  // Not in the file (files saved before the window showed it restore unchanged): unknown until
  // the next selection.
  overlap_ = kOverlapUnknown;
}

// Each epoch's ratio at its first and last step, for the view's schedule plot.
std::vector<std::pair<long, double>> EpochTeacher::ratioSteps(int batchSize) const {
  std::vector<std::pair<long, double>> out;
  const long b = std::max(1, batchSize);
  long steps = 0, left = examplesTotal_;
  for (const EpochPhase& p : plan_) {
    const long n = std::min<long>(left, p.subset ? subsetExamples(p.ratio, poolSize_) : poolSize_);
    if (n <= 0) break;
    const double ratio = p.subset ? p.ratio : 1.0;
    out.push_back({steps, ratio});
    steps += (n + b - 1) / b;
    out.push_back({steps, ratio});
    left -= n;
  }
  return out;
}

TeacherView EpochTeacher::view(Learner& learner, int maxPicks) const {
  TeacherView v = Teacher::view(learner, maxPicks);
  v.ratioSchedule = ratioSteps(batchSize_);
  v.timeline = {plan_, epoch(), poolSize_, arm_ == EpochArm::Attent && config_.form == EpochForm::Vit};
  if (!subset_.empty()) {
    const Task& task = learner.task();
    v.classes = subsetClasses(poolLabels(task), subset_, task.classNames());
    v.classes.overlapWithPrevious = overlap_;
  }
  if (arm_ != EpochArm::Attent) return v;
  // The attent arm's scores: the last scoring pass (ViT form) or epoch 1's training losses (LLM form).
  const std::vector<float>& scores = config_.form == EpochForm::Vit ? scorer_.scores() : trainLosses_;
  v.poolScores = scores;
  v.picks = rankedPicks(learner, scores, subset_, maxPicks, {}, timesPicked_);
  // Hard top-k keeps every score above its lowest pick: the histogram's threshold.
  if (config_.pick == SubsetPick::Hard && !subset_.empty() && scores.size() == std::size_t(poolSize_)) {
    float lowest = std::numeric_limits<float>::infinity();
    for (int i : subset_) lowest = std::min(lowest, scores[std::size_t(i)]);
    v.threshold = std::isfinite(lowest) ? lowest : kNoValue;
  }
  return v;
}

}  // namespace attent

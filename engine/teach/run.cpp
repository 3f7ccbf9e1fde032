#include "engine/teach/run.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <numeric>

namespace attent {

namespace {
double clockSeconds(bool wall) {
  if (wall) return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}
template <class Values>
bool allFinite(const Values& v) {
  float acc = 0;
  // 0 * x is NaN exactly when x is NaN or Inf, so one pass answers for the whole buffer.
  for (float x : v) acc += 0.0f * x;
  return acc == 0.0f;
}
}  // namespace

Run::Run(RunConfig config, std::unique_ptr<Learner> learner, std::unique_ptr<Teacher> teacher)
    : config_(std::move(config)), learner_(std::move(learner)), teacher_(std::move(teacher)) {
  if (config_.optimizers.empty()) config_.optimizers.push_back(OptimizerSettings{});
  // batchSize <= 0: full batch (the whole current subset); reserve so steps do not allocate.
  const int pool = learner_->task().size(Split::Pool);
  batch_.reserve(std::size_t(config_.batchSize > 0 ? config_.batchSize : pool));
  out_.resize(batch_.capacity());
}

void Run::trainStep(long step) {
  if (divergedAt_ || teacher_->finished()) return;
  const double start = clockSeconds(config_.wallClock);
  Parameters<float>& params = learner_->parameters();
  // A teacher with a plan of epochs sets the schedule's position by its epoch progress.
  const std::optional<double> progress = teacher_->progress();
  const long lrStep = progress ? long(*progress * double(config_.lr.totalSteps)) : step;
  teacher_->nextBatch(*learner_, step, config_.batchSize, batch_);
  params.zeroGrad();
  learner_->forward(Split::Pool, batch_, out_, true);
  teacher_->observe(batch_, out_);
  learner_->backward();
  double loss = 0;
  for (std::size_t i = 0; i < batch_.size(); ++i) loss += out_.loss[i];
  loss /= double(batch_.size());
  const double norm = clipGradients(params, config_.clip);
  const double factor = config_.lr.factor(lrStep);
  const bool switched =
      config_.switchStep >= 0 && step >= config_.switchStep && !config_.optimizersAfterSwitch.empty();
  const auto& optimizers = switched ? config_.optimizersAfterSwitch : config_.optimizers;
  if (std::isfinite(loss) && std::isfinite(norm)) {
    if (optimizers.size() == 1) {
      optimizerStep(params, optimizers[0], step + 1, factor, -1);
    } else {
      for (std::size_t g = 0; g < optimizers.size(); ++g)
        optimizerStep(params, optimizers[g], step + 1, factor, int(g));
    }
    learner_->afterStep(step, optimizers[0].lr * factor);
  }
  computeSeconds_ += clockSeconds(config_.wallClock) - start;
  examplesSeen_ += long(batch_.size());
  lastTrainLoss_ = float(loss);
  if (!std::isfinite(loss) || !std::isfinite(norm) || !allFinite(params.values())) {
    divergedAt_ = step + 1;
    return;
  }
  trainLossSum_ += loss;
  ++trainLossCount_;
}

std::pair<float, float> Run::evaluate(int count, int chunk, Split split) {
  const int n = learner_->task().size(split);
  if (count <= 0 || count > n) count = n;
  if (count == 0) return {kNoValue, kNoValue};
  chunk = std::max(1, chunk);
  double loss = 0, correct = 0;
  long withAccuracy = 0;
  for (int start = 0; start < count; start += chunk) {
    const int m = std::min(chunk, count - start);
    evalIndex_.resize(std::size_t(m));
    std::iota(evalIndex_.begin(), evalIndex_.end(), start);
    learner_->forward(split, evalIndex_, evalOut_, false);
    for (int i = 0; i < m; ++i) {
      loss += evalOut_.loss[i];
      if (!std::isnan(evalOut_.correct[i])) {
        correct += evalOut_.correct[i];
        ++withAccuracy;
      }
    }
  }
  const float accuracy =
      learner_->hasAccuracy() && withAccuracy > 0 ? float(correct / double(withAccuracy)) : kNoValue;
  return {float(loss / count), accuracy};
}

void Run::record(long stepsDone, float evalLoss, float evalAccuracy) {
  MetricPoint p;
  p.step = stepsDone;
  p.examplesSeen = examplesSeen_;
  p.computeSeconds = computeSeconds_;
  p.trainLoss = trainLossCount_ > 0 ? float(trainLossSum_ / double(trainLossCount_)) : kNoValue;
  p.evalLoss = evalLoss;
  p.evalAccuracy = evalAccuracy;
  p.epoch = teacher_->epoch();
  history_.push_back(p);
  trainLossSum_ = 0;
  trainLossCount_ = 0;
}

void Run::save(ByteWriter& w) const {
  w.putString(config_.name);
  w.put<std::int64_t>(divergedAt_ ? *divergedAt_ : -1);
  w.put<double>(computeSeconds_);
  w.put<std::int64_t>(examplesSeen_);
  w.put<double>(trainLossSum_);
  w.put<std::int64_t>(trainLossCount_);
  w.put<float>(lastTrainLoss_);
  w.put<std::uint64_t>(history_.size());
  for (const MetricPoint& m : history_) {
    w.put<std::int64_t>(m.step);
    w.put<std::int64_t>(m.examplesSeen);
    w.put<double>(m.computeSeconds);
    w.put<float>(m.trainLoss);
    w.put<float>(m.evalLoss);
    w.put<float>(m.evalAccuracy);
  }
  learner_->save(w);
  teacher_->save(w);
}

void Run::restore(ByteReader& in) {
  const std::string name = in.getString("run name");
  if (name != config_.name) in.fail("run is '" + name + "' but the settings build '" + config_.name + "'");
  const auto diverged = in.get<std::int64_t>("divergence step");
  divergedAt_ = diverged >= 0 ? std::optional<long>(long(diverged)) : std::nullopt;
  computeSeconds_ = in.get<double>("compute seconds");
  examplesSeen_ = long(in.get<std::int64_t>("examples seen"));
  trainLossSum_ = in.get<double>("train loss sum");
  trainLossCount_ = long(in.get<std::int64_t>("train loss count"));
  lastTrainLoss_ = in.get<float>("last train loss");
  const auto points = in.get<std::uint64_t>("history length");
  constexpr std::size_t kPointBytes = 8 + 8 + 8 + 4 + 4 + 4;
  if (points > in.remaining() / kPointBytes) in.fail("history length exceeds the data left");
  history_.assign(std::size_t(points), MetricPoint{});
  for (MetricPoint& m : history_) {
    m.step = long(in.get<std::int64_t>("history"));
    m.examplesSeen = long(in.get<std::int64_t>("history"));
    m.computeSeconds = in.get<double>("history");
    m.trainLoss = in.get<float>("history");
    m.evalLoss = in.get<float>("history");
    m.evalAccuracy = in.get<float>("history");
  }
  learner_->restore(in);
  teacher_->restore(in);
}

bool copyWeights(const Parameters<float>& from, Parameters<float>& to) {
  if (from.size() != to.size() || from.count() != to.count()) return false;
  for (int i = 0; i < from.count(); ++i)
    if (from.view(i).name != to.view(i).name || from.view(i).size != to.view(i).size) return false;
  to.values() = from.values();
  return true;
}

}  // namespace attent

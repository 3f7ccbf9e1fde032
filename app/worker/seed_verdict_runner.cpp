#include "app/worker/seed_verdict_runner.h"

#include <QElapsedTimer>
#include <exception>

#include "app/files/failure.h"
#include "engine/teach/seed_run.h"

namespace attent::app {

namespace {
constexpr qint64 kProgressNs = 250'000'000;  // at most four progress reports a second

// The whole run's remaining seconds, from the time taken so far for `fraction` of it.
double secondsLeft(qint64 elapsedNs, double fraction) {
  if (fraction <= 0 || elapsedNs < 1'000'000'000) return -1;
  return elapsedNs * 1e-9 * (1 - fraction) / fraction;
}
}  // namespace

SeedVerdictRunner::SeedVerdictRunner(ExperimentFactory factory, QObject* parent)
    : QObject(parent), factory_(std::move(factory)) {}

SeedVerdictRunner::~SeedVerdictRunner() {
  abort_ = true;
  if (thread_) thread_->wait();
  outbox_.clear();  // nothing is delivered to a receiver going away
}

bool SeedVerdictRunner::start(const PresetInfo& preset, int seeds) {
  if (running_ || seeds < 1 || !factory_) return false;
  if (thread_) thread_->wait();  // the last run's thread has posted its finished(): it is ending
  abort_ = false;
  running_ = true;
  thread_.reset(QThread::create([this, preset, seeds] { work(preset, seeds); }));
  thread_->setObjectName("attent-seed-verdict");
  thread_->start();
  return true;
}

void SeedVerdictRunner::cancel() { abort_ = true; }

void SeedVerdictRunner::deliver(std::function<void()> event) {
  outbox_.post(std::move(event),
               [this] { QMetaObject::invokeMethod(this, "drainOutbox", Qt::QueuedConnection); });
}

void SeedVerdictRunner::drainOutbox() { outbox_.drain(); }

void SeedVerdictRunner::work(const PresetInfo& preset, int seeds) {
  SeedVerdictResult result;
  result.seeds = seeds;
  QElapsedTimer clock;
  clock.start();
  qint64 reportedNs = -kProgressNs;
  const SeedBuilder build = [&](std::uint64_t seed) {
    PresetInfo p = preset;
    p.seed = seed;
    return factory_(p);
  };
  const auto observe = [&](const Experiment& e) {
    if (abort_) return false;
    const qint64 now = clock.nsecsElapsed();
    if (now - reportedNs < kProgressNs) return true;
    reportedNs = now;
    SeedVerdictProgress p;
    p.done = int(result.outcomes.size());
    p.seeds = seeds;
    p.seed = p.done + 1;
    p.step = e.currentStep();
    p.steps = e.totalSteps();
    const double fraction = (p.done + double(p.step) / std::max(1L, p.steps)) / seeds;
    p.secondsLeft = secondsLeft(now, fraction);
    deliver([this, p] { emit progressed(p); });
    return true;
  };
  bool failed = false;
  for (long seed = 1; seed <= seeds && !abort_; ++seed) {
    try {
      const std::unique_ptr<Experiment> e = trainSeed(build, std::uint64_t(seed), observe);
      if (!e) break;
      result.outcomes.push_back(epochOutcome(*e, seed));
      result.verdict = epochVerdict(result.outcomes);
    } catch (const std::exception& error) {
      // A std::string crosses, not a QString: no reference count shared between threads.
      const std::string message = describeFailure(error, "training seed " + std::to_string(seed));
      deliver([this, message] { emit this->failed(QString::fromStdString(message)); });
      failed = true;
      break;
    }
    deliver([this, result] { emit seedFinished(result); });
  }
  const bool cancelled = !failed && int(result.outcomes.size()) < seeds;
  deliver([this, cancelled] {
    running_ = false;
    emit finished(cancelled);
  });
}

}  // namespace attent::app

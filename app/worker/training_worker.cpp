#include "app/worker/training_worker.h"

#include <omp.h>

#include <QFile>
#include <algorithm>
#include <exception>
#include <map>
#include <stdexcept>

#include "app/files/failure.h"

namespace attent::app {

namespace {
// Strings cross threads as deep copies, so no reference count is shared between threads:
// the last release of a shared one could happen inside uninstrumented Qt code, where
// ThreadSanitizer cannot see its synchronisation.
template <typename T>
T detached(const T& value) {  // std::string, Settings, numbers: copies share nothing already
  return value;
}
QString detached(const QString& s) { return QString(s.constData(), s.size()); }
QStringList detached(const QStringList& list) {
  QStringList copy;
  copy.reserve(list.size());
  for (const QString& s : list) copy << detached(s);
  return copy;
}

constexpr qint64 kMinPublishNs = 33'000'000;  // <= ~30 snapshots per second
constexpr qint64 kSliceNs = 10'000'000;       // return to the event loop at least every 10 ms
}  // namespace

void registerWorkerTypes() {
  qRegisterMetaType<SnapshotPtr>("attent::app::SnapshotPtr");
  qRegisterMetaType<PresetInfo>("attent::app::PresetInfo");
  qRegisterMetaType<FileAction>("attent::app::FileAction");
}

TrainingWorker::TrainingWorker(ExperimentFactory factory, ExperimentFiles files)
    : factory_(std::move(factory)), files_(std::move(files)) {
  timer_ = new QTimer(this);
  timer_->setSingleShot(true);
  timer_->setTimerType(Qt::PreciseTimer);
  connect(timer_, &QTimer::timeout, this, &TrainingWorker::tick);
  clock_.start();
}

TrainingWorker::~TrainingWorker() = default;

bool TrainingWorker::makeExperiment() {
  stopRunning();
  experiment_.reset();
  forgetAutosave();
  try {
    experiment_ = factory_(preset_);
  } catch (const std::exception& error) {
    experiment_.reset();
    emit buildFailed(QString::fromStdString(describeFailure(error, "building the experiment")));
    return false;
  }
  if (!experiment_) {
    emit buildFailed(QStringLiteral("no experiment for preset %1").arg(QString::fromStdString(preset_.name)));
    return false;
  }
  QStringList names;
  for (int r = 0; r < experiment_->runCount(); ++r) names << QString::fromStdString(experiment_->runName(r));
  stepsPerSecond_ = 0;
  sent_.clear();
  emit built(QString::fromStdString(preset_.name), names, experiment_->totalSteps());
  publish();
  return true;
}

void TrainingWorker::build(const PresetInfo& preset) {
  preset_ = preset;
  resetRequested = false;
  makeExperiment();
}

void TrainingWorker::reset() {
  resetRequested = false;
  makeExperiment();
}

void TrainingWorker::start() {
  if (!experiment_) return;
  stopAt_ = -1;
  if (experiment_->totalSteps() > 0 && experiment_->currentStep() >= experiment_->totalSteps()) return;
  runRequested = true;
  if (!running_) {
    running_ = true;
    rateSinceNs_ = clock_.nsecsElapsed();
    rateSinceStep_ = experiment_->currentStep();
    nextDueSeconds_ = clock_.nsecsElapsed() * 1e-9;
    emit runningChanged(true);
  }
  timer_->start(0);
}

void TrainingWorker::runUntil(qlonglong step) {
  if (experiment_ && experiment_->currentStep() < step) start();
  if (!running_) {  // nothing to run: still answer, so a caller waiting for the stop returns
    publish();
    emit runningChanged(false);
    return;
  }
  stopAt_ = step;
}

void TrainingWorker::pause() {
  runRequested = false;
  if (running_) stopRunning();
}

void TrainingWorker::stopRunning() {
  runRequested = false;
  timer_->stop();
  if (!running_) return;
  running_ = false;
  publish();
  emit runningChanged(false);
  autosave();  // every pause (and the end of training) is a recovery point
}

void TrainingWorker::setAutosave(const QString& path, qint64 intervalMs) {
  if (path != autosavePath_) forgetAutosave();
  autosavePath_ = path;
  autosaveIntervalNs_ = std::max<qint64>(1, intervalMs) * 1'000'000;
  lastAutosaveNs_ = clock_.nsecsElapsed();
}

void TrainingWorker::autosave() {
  if (autosavePath_.isEmpty() || !experiment_ || !files_.save) return;
  lastAutosaveNs_ = clock_.nsecsElapsed();
  const long step = experiment_->currentStep();
  if (step == 0 || step == autosavedStep_) return;
  QString error;
  try {
    files_.save(*experiment_, preset_, autosavePath_);
    autosavedStep_ = step;
  } catch (const std::exception& e) {  // reported, never fatal: training goes on
    error = QString::fromStdString(describeFailure(e, "autosaving to " + autosavePath_.toStdString()));
  }
  emit autosaved(autosavePath_, step, error);
}

void TrainingWorker::forgetAutosave() {
  if (!autosavePath_.isEmpty()) QFile::remove(autosavePath_);
  autosavedStep_ = -1;
}

void TrainingWorker::stepOnce() {
  if (!experiment_ || running_) return;
  if (experiment_->totalSteps() > 0 && experiment_->currentStep() >= experiment_->totalSteps()) return;
  try {
    experiment_->step();
  } catch (const std::exception& error) {
    fail(error, "training step " + std::to_string(experiment_->currentStep() + 1));
    return;
  }
  publish();
}

void TrainingWorker::fail(const std::exception& error, const std::string& doing) {
  runRequested = false;
  stopAt_ = -1;
  timer_->stop();
  if (running_) {
    running_ = false;
    emit runningChanged(false);
  }
  emit trainingFailed(QString::fromStdString(describeFailure(error, doing)));
  if (!publishing_) publish();  // the views show the experiment as kept
}

void TrainingWorker::setProbe(Split split, int probe) {
  probeSplit_ = split;
  probe_ = probe;
  if (!running_) publish();
}

void TrainingWorker::publishNow() { publish(); }

QString fileActionWord(FileAction action) {
  switch (action) {
    case FileAction::Save:
      return QStringLiteral("save");
    case FileAction::Open:
      return QStringLiteral("open");
    case FileAction::Metrics:
      return QStringLiteral("metrics");
    case FileAction::Weights:
      break;
  }
  return QStringLiteral("weights");
}

namespace {
// What the worker was doing, for a failure's message.
std::string doing(FileAction action) {
  switch (action) {
    case FileAction::Save:
      return "saving the experiment to ";
    case FileAction::Open:
      return "opening ";
    case FileAction::Metrics:
      return "exporting the metrics to ";
    case FileAction::Weights:
      break;
  }
  return "exporting the weights to ";
}
}  // namespace

template <typename F>
void TrainingWorker::fileAction(FileAction action, const QString& path, bool available, F&& body) {
  QString error;
  if (!available)
    error = QStringLiteral("this build cannot %1 experiments").arg(fileActionWord(action));
  else if (!experiment_ && action != FileAction::Open)
    error = QStringLiteral("no experiment is open");
  else
    try {
      body();
    } catch (const std::exception& e) {
      error = QString::fromStdString(describeFailure(e, doing(action) + path.toStdString()));
    }
  emit fileDone(action, path, error);
}

// Between two training steps (queued calls run between slices of the stepping loop), so
// a save sees a consistent experiment and training goes on afterwards.
void TrainingWorker::saveFile(const QString& path) {
  fileAction(FileAction::Save, path, bool(files_.save), [&] { files_.save(*experiment_, preset_, path); });
}

void TrainingWorker::exportMetrics(const QString& directory) {
  fileAction(FileAction::Metrics, directory, bool(files_.exportMetrics),
             [&] { files_.exportMetrics(*experiment_, preset_, directory); });
}

void TrainingWorker::exportWeights(const QString& directory) {
  fileAction(FileAction::Weights, directory, bool(files_.exportWeights),
             [&] { files_.exportWeights(*experiment_, preset_, directory); });
}

// The file is read into a new experiment first; only a complete one replaces the open one.
void TrainingWorker::openFile(const QString& path) {
  std::unique_ptr<Experiment> opened;
  PresetInfo preset;
  fileAction(FileAction::Open, path, bool(files_.open), [&] {
    opened = files_.open(path, &preset);
    if (!opened) throw std::runtime_error("not an experiment");
  });
  if (!opened) return;
  stopRunning();
  experiment_ = std::move(opened);
  forgetAutosave();
  preset_ = preset;
  emit presetOpened(preset_);
  QStringList names;
  for (int r = 0; r < experiment_->runCount(); ++r) names << QString::fromStdString(experiment_->runName(r));
  stepsPerSecond_ = 0;
  sent_.clear();  // the window's charts start empty: the first snapshot carries whole histories
  emit built(QString::fromStdString(preset_.name), names, experiment_->totalSteps());
  publish();
}

void TrainingWorker::publish() {
  if (!experiment_) return;
  const qint64 start = clock_.nsecsElapsed();
  const long step = experiment_->currentStep();
  if (running_ && start > rateSinceNs_ && step > rateSinceStep_) {
    const double rate = double(step - rateSinceStep_) / ((start - rateSinceNs_) * 1e-9);
    // Short intervals are noisy; blend with the previous estimate.
    stepsPerSecond_ = stepsPerSecond_ > 0 ? 0.7 * stepsPerSecond_ + 0.3 * rate : rate;
    rateSinceNs_ = start;
    rateSinceStep_ = step;
  }
  Snapshot snapshot;
  try {
    snapshot = experiment_->snapshot(probeSplit_, probe_, sent_);
  } catch (const std::exception& error) {  // the views miss this one; training stops to say why
    publishing_ = true;
    fail(error, "copying step " + std::to_string(step) + " out for the views");
    publishing_ = false;
    return;
  }
  snapshot.stepsPerSecond = stepsPerSecond_;
  sent_.resize(std::size_t(experiment_->runCount()));
  for (int r = 0; r < experiment_->runCount(); ++r) sent_[r] = experiment_->history(r).size();
  ++inFlight;
  emit snapshotReady(std::make_shared<const Snapshot>(std::move(snapshot)));
  lastPublishNs_ = clock_.nsecsElapsed();
  publishCostNs_ = lastPublishNs_ - start;
}

void TrainingWorker::tick() {
  if (!experiment_ || !runRequested || resetRequested) {
    if (running_ && !runRequested) stopRunning();
    return;
  }
  const qint64 sliceStart = clock_.nsecsElapsed();
  const long total = experiment_->totalSteps();
  while (runRequested && !resetRequested) {
    const double cap = speedCap.load();
    const double now = clock_.nsecsElapsed() * 1e-9;
    if (cap > 0) {
      if (nextDueSeconds_ < now - 0.1) nextDueSeconds_ = now;  // no catch-up burst after a stall
      if (now < nextDueSeconds_) {
        timer_->start(std::max(1, int((nextDueSeconds_ - now) * 1000)));
        return;
      }
      nextDueSeconds_ += 1.0 / cap;
    }
    try {
      experiment_->step();
    } catch (const std::exception& error) {
      fail(error, "training step " + std::to_string(experiment_->currentStep() + 1));
      return;
    }
    const long step = experiment_->currentStep();
    if ((total > 0 && step >= total) || (stopAt_ >= 0 && step >= stopAt_)) {
      stopAt_ = -1;
      stopRunning();
      return;
    }
    const qint64 t = clock_.nsecsElapsed();
    if (!autosavePath_.isEmpty() && t - lastAutosaveNs_ >= autosaveIntervalNs_) autosave();
    // Publish at most ~30 Hz, and less often when a snapshot is expensive: this thread makes it
    // while training's other threads wait, so it costs every thread (<= ~3% of the time).
    const qint64 spacing = 30 * publishCostNs_ * std::max(1, omp_get_max_threads());
    if (t - lastPublishNs_ >= std::max(kMinPublishNs, spacing) && inFlight.load() == 0) publish();
    if (t - sliceStart >= kSliceNs) break;
  }
  if (runRequested && !resetRequested)
    timer_->start(0);
  else if (!runRequested)
    stopRunning();
}

void TrainingWorker::drainInbox() { inbox.drain(); }

TrainingController::TrainingController(ExperimentFactory factory, ExperimentFiles files, QObject* parent)
    : QObject(parent), files_(files) {
  registerWorkerTypes();
  worker_ = new TrainingWorker(std::move(factory), std::move(files));
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  // Each worker signal is relayed: in the worker thread (a direct connection) its arguments
  // are copied into a closure posted to the outbox; the UI thread emits the controller's
  // signal of the same name when it drains. Own bookkeeping is connected first, so it runs
  // before any receiver connected later (isRunning() is current for them).
  connect(this, &TrainingController::runningChanged, this, [this](bool running) { running_ = running; });
  connect(
      worker_, &TrainingWorker::snapshotReady, this,
      [this](const SnapshotPtr& snapshot) {
        deliver([this, snapshot] {
          emit snapshotReady(snapshot);
          --worker_->inFlight;  // after the receivers handled it
        });
      },
      Qt::DirectConnection);
  relay(&TrainingWorker::built, &TrainingController::built);
  relay(&TrainingWorker::presetOpened, &TrainingController::presetOpened);
  relay(&TrainingWorker::buildFailed, &TrainingController::buildFailed);
  relay(&TrainingWorker::fileDone, &TrainingController::fileDone);
  relay(&TrainingWorker::runningChanged, &TrainingController::runningChanged);
  relay(&TrainingWorker::trainingFailed, &TrainingController::trainingFailed);
  relay(&TrainingWorker::autosaved, &TrainingController::autosaved);
  thread_.setObjectName("attent-worker");
  thread_.start();
}

TrainingController::~TrainingController() {
  worker_->runRequested = false;
  worker_->resetRequested = true;  // leave the stepping loop after the current step
  worker_->inbox.clear();          // commands not yet run are moot
  // Quit from inside the worker's thread, through the inbox, so the flags above are
  // ordered before the worker deletes itself (for TSan; QThread::quit's lock is Qt's own).
  send([](TrainingWorker& w) { w.thread()->quit(); });
  thread_.wait();
}

void TrainingController::send(std::function<void(TrainingWorker&)> command) {
  TrainingWorker* worker = worker_;
  worker->inbox.post([worker, command = std::move(command)] { command(*worker); },
                     [worker] { QMetaObject::invokeMethod(worker, "drainInbox", Qt::QueuedConnection); });
}

void TrainingController::deliver(std::function<void()> event) {
  outbox_.post(std::move(event),
               [this] { QMetaObject::invokeMethod(this, "drainOutbox", Qt::QueuedConnection); });
}

void TrainingController::drainOutbox() { outbox_.drain(); }

template <typename... Args>
void TrainingController::relay(void (TrainingWorker::*from)(Args...),
                               void (TrainingController::*to)(Args...)) {
  connect(
      worker_, from, this,
      [this, to](const Args&... args) {
        deliver([this, to, ... copies = detached(args)] { (this->*to)(copies...); });
      },
      Qt::DirectConnection);
}

void TrainingController::build(const PresetInfo& preset) {
  worker_->runRequested = false;
  worker_->resetRequested = true;
  send([preset](TrainingWorker& w) { w.build(preset); });
}
void TrainingController::start() {
  send([](TrainingWorker& w) { w.start(); });
}
void TrainingController::pause() {
  worker_->runRequested = false;
  send([](TrainingWorker& w) { w.pause(); });
}
void TrainingController::step() {
  send([](TrainingWorker& w) { w.stepOnce(); });
}
void TrainingController::reset() {
  worker_->runRequested = false;
  worker_->resetRequested = true;
  send([](TrainingWorker& w) { w.reset(); });
}
void TrainingController::runUntil(long step) {
  send([step](TrainingWorker& w) { w.runUntil(step); });
}
void TrainingController::setSpeedCap(double stepsPerSecond) {
  worker_->speedCap = std::max(0.0, stepsPerSecond);
}
void TrainingController::saveFile(const QString& path) {
  send([path = detached(path)](TrainingWorker& w) { w.saveFile(path); });
}
void TrainingController::openFile(const QString& path) {
  send([path = detached(path)](TrainingWorker& w) { w.openFile(path); });
}
void TrainingController::exportMetrics(const QString& directory) {
  send([directory = detached(directory)](TrainingWorker& w) { w.exportMetrics(directory); });
}
void TrainingController::exportWeights(const QString& directory) {
  send([directory = detached(directory)](TrainingWorker& w) { w.exportWeights(directory); });
}
void TrainingController::setAutosave(const QString& path, qint64 intervalMs) {
  send([path = detached(path), intervalMs](TrainingWorker& w) { w.setAutosave(path, intervalMs); });
}
void TrainingController::setProbe(int probe, Split split) {
  send([probe, split](TrainingWorker& w) { w.setProbe(split, probe); });
}

}  // namespace attent::app

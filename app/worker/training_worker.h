#pragma once
// The worker thread (docs/ARCHITECTURE.md "Data flow and threads"), after Qt's Mandelbrot
// example: the worker owns the Experiment in its own thread, takes control by queued
// calls, checks atomic flags between steps, and publishes immutable snapshots by value
// (shared_ptr<const Snapshot>) at most ~30 times a second. The UI thread never waits
// on training; only the controller's destructor joins the thread. Both directions carry
// their data through a Mailbox (mailbox.h), so ThreadSanitizer can check the hand-offs.
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "app/worker/catalog.h"
#include "app/worker/mailbox.h"
#include "engine/teach/snapshot.h"

namespace attent::app {

using SnapshotPtr = std::shared_ptr<const attent::Snapshot>;

// What a file request did; fileDone and the window's messages say which.
enum class FileAction { Save, Open, Metrics, Weights };
// "save", "open", "metrics", "weights": the word messages use.
QString fileActionWord(FileAction action);

class TrainingWorker : public QObject {
  Q_OBJECT
 public:
  explicit TrainingWorker(ExperimentFactory factory, ExperimentFiles files = {});
  ~TrainingWorker() override;

  // Any thread: cheap flags the stepping loop reads between steps.
  std::atomic<bool> runRequested{false};
  std::atomic<bool> resetRequested{false};
  std::atomic<double> speedCap{0};  // steps per second, 0 = unthrottled
  // Snapshots published but not yet taken by the receiver: while one is in flight the
  // stepping loop skips publishing (metrics accumulate in the experiment meanwhile), so
  // a busy UI thread never gets a queue of them.
  std::atomic<int> inFlight{0};

 public slots:
  // Runs the closures the controller posted to `inbox` (in the worker's thread).
  void drainInbox();

 public:
  Mailbox inbox;
  // Worker thread only: called by the inbox's closures.
  void build(const attent::app::PresetInfo& preset);
  void start();
  void pause();
  void stepOnce();
  void runUntil(qlonglong step);  // run, then pause and publish at `step`
  void reset();
  void setProbe(attent::Split split, int probe);
  void publishNow();
  // Files: done or failed, each answers with fileDone. A failed open leaves the
  // experiment as it was (still running if it was).
  void saveFile(const QString& path);
  void openFile(const QString& path);
  void exportMetrics(const QString& directory);
  void exportWeights(const QString& directory);
  // Recovery (docs/RELIABILITY.md, "Autosave and recovery"): the experiment is written to
  // `path` (the .attent format, atomically) every `intervalMs` of training and whenever
  // training pauses, if it trained since the last write. An empty path turns it off. A new
  // experiment (a build, an opened file) removes the file until it has trained.
  void setAutosave(const QString& path, qint64 intervalMs);

 signals:
  // Emitted in the worker thread; the controller connects to them directly and forwards
  // them through its outbox. `error` is empty on success.
  void fileDone(attent::app::FileAction action, QString path, QString error);
  void snapshotReady(attent::app::SnapshotPtr snapshot);
  // An experiment file was opened: the preset it was built from, with its settings, title
  // and lesson as saved (followed by built()).
  void presetOpened(attent::app::PresetInfo preset);
  void built(QString preset, QStringList runNames, qlonglong totalSteps);
  void buildFailed(QString message);
  void runningChanged(bool running);
  // An allocation failure or another exception stopped a step or a snapshot: training is
  // paused, the experiment kept. `message` says what was being done and what to change.
  void trainingFailed(QString message);
  // An autosave was written (error empty) or failed, at `step`.
  void autosaved(QString path, qlonglong step, QString error);

 private slots:
  void tick();

 private:
  void publish();
  void stopRunning();
  bool makeExperiment();
  // Pauses and reports `error`, which interrupted `doing` ("training step 120").
  void fail(const std::exception& error, const std::string& doing);
  void autosave();        // writes the recovery file if the experiment trained since the last
  void forgetAutosave();  // a new experiment: the file no longer holds it

  template <typename F>
  void fileAction(FileAction action, const QString& path, bool available, F&& body);
  ExperimentFactory factory_;
  ExperimentFiles files_;
  PresetInfo preset_;
  std::unique_ptr<Experiment> experiment_;
  QTimer* timer_ = nullptr;
  QElapsedTimer clock_;
  int probe_ = 0;
  Split probeSplit_ = Split::HeldOut;
  long stopAt_ = -1;  // runUntil target
  bool running_ = false;
  bool publishing_ = false;  // a snapshot failed: fail() must not publish again
  QString autosavePath_;
  qint64 autosaveIntervalNs_ = 0, lastAutosaveNs_ = 0;
  long autosavedStep_ = -1;  // the step the recovery file holds (-1: none)
  // Throttling: at most ~30 snapshots/s, and snapshots never cost more than ~3% of time.
  qint64 lastPublishNs_ = 0;
  qint64 publishCostNs_ = 0;
  double nextDueSeconds_ = 0;  // speed cap
  // steps/s over the last publish interval
  qint64 rateSinceNs_ = 0;
  long rateSinceStep_ = 0;
  double stepsPerSecond_ = 0;
  std::vector<std::size_t> sent_;  // history points per run the published snapshots carried
};

// Lives in the UI thread; owns the worker's thread. Every call returns at once.
class TrainingController : public QObject {
  Q_OBJECT
 public:
  explicit TrainingController(ExperimentFactory factory, ExperimentFiles files = {},
                              QObject* parent = nullptr);
  ~TrainingController() override;

  void build(const PresetInfo& preset);
  void start();
  void pause();
  void step();
  void reset();
  void runUntil(long step);
  void setSpeedCap(double stepsPerSecond);  // 0 = unthrottled
  // The example whose attention maps snapshots carry: a held-out probe, or a pool example
  // (one the teacher picked).
  void setProbe(int probe, Split split = Split::HeldOut);
  bool isRunning() const { return running_; }
  // Run in the worker thread on the experiment it owns; answered by fileDone.
  void saveFile(const QString& path);
  void openFile(const QString& path);
  void exportMetrics(const QString& directory);
  void exportWeights(const QString& directory);
  void setAutosave(const QString& path, qint64 intervalMs);  // TrainingWorker::setAutosave
  bool canSave() const { return bool(files_.save); }
  bool canOpen() const { return bool(files_.open); }
  bool canExportMetrics() const { return bool(files_.exportMetrics); }
  bool canExportWeights() const { return bool(files_.exportWeights); }

 signals:
  void fileDone(attent::app::FileAction action, QString path, QString error);
  void snapshotReady(attent::app::SnapshotPtr snapshot);
  void presetOpened(attent::app::PresetInfo preset);
  void built(QString preset, QStringList runNames, qlonglong totalSteps);
  void buildFailed(QString message);
  void runningChanged(bool running);
  void trainingFailed(QString message);
  void autosaved(QString path, qlonglong step, QString error);

 private slots:
  void drainOutbox();

 private:
  // Runs `command` on the worker, in its thread, after the ones posted before it.
  void send(std::function<void(TrainingWorker&)> command);
  // Worker thread: hands `event` to the UI thread.
  void deliver(std::function<void()> event);
  // Forwards the worker's signal `from` as this controller's `to`, through the outbox.
  template <typename... Args>
  void relay(void (TrainingWorker::*from)(Args...), void (TrainingController::*to)(Args...));

  ExperimentFiles files_;
  QThread thread_;
  TrainingWorker* worker_;
  Mailbox outbox_;
  bool running_ = false;
};

void registerWorkerTypes();

}  // namespace attent::app

Q_DECLARE_METATYPE(attent::app::SnapshotPtr)
Q_DECLARE_METATYPE(attent::app::PresetInfo)
Q_DECLARE_METATYPE(attent::app::FileAction)

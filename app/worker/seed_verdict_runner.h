#pragma once
// The verdict over seeds in the window (docs/SCIENCE.md section 1): seeds 1..N of one
// preset's epoch-budget experiment, trained one after another in a thread of their own, after
// Qt's Mandelbrot example: an abort flag read between steps, results handed out by value.
// Each finished seed hands out every outcome so far and the engine's verdict over them. As
// with the training worker, data crosses threads only through a Mailbox (mailbox.h).
#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

#include "app/worker/catalog.h"
#include "app/worker/mailbox.h"
#include "engine/teach/epoch_verdict.h"

namespace attent::app {

struct SeedVerdictProgress {
  int done = 0, seeds = 0;   // seeds finished, seeds asked for
  long seed = 0;             // the seed training now
  long step = 0, steps = 0;  // its step, of its total
  double secondsLeft = -1;   // for the whole run; < 0 until there is anything to go by
};

struct SeedVerdictResult {
  int seeds = 0;                      // seeds asked for
  std::vector<SeedOutcome> outcomes;  // the seeds finished so far, in order
  EpochVerdict verdict;               // epochVerdict(outcomes); empty words with no outcome
};

// Lives in the UI thread and owns the seeds' thread. Every call returns at once.
class SeedVerdictRunner : public QObject {
  Q_OBJECT
 public:
  explicit SeedVerdictRunner(ExperimentFactory factory, QObject* parent = nullptr);
  ~SeedVerdictRunner() override;  // cancels, and waits for the step under way

  // Seeds 1..seeds of `preset` (its settings; its own seed is ignored). False, and nothing
  // starts, while a run is under way.
  bool start(const PresetInfo& preset, int seeds);
  void cancel();  // finished(true) follows once the thread has left its step
  bool isRunning() const { return running_; }

 signals:
  void progressed(attent::app::SeedVerdictProgress progress);  // a few times a second
  void seedFinished(attent::app::SeedVerdictResult result);
  void failed(QString message);  // a build or a step threw; finished(false) follows
  void finished(bool cancelled);

 private slots:
  void drainOutbox();

 private:
  void work(const PresetInfo& preset, int seeds);  // the thread's body
  void deliver(std::function<void()> event);       // thread -> UI thread, through the outbox

  ExperimentFactory factory_;
  std::unique_ptr<QThread> thread_;
  std::atomic<bool> abort_{false};
  Mailbox outbox_;
  bool running_ = false;
};

}  // namespace attent::app

Q_DECLARE_METATYPE(attent::app::SeedVerdictProgress)
Q_DECLARE_METATYPE(attent::app::SeedVerdictResult)

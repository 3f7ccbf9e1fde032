#pragma once
// The window's "Verdict over seeds" (README.md, "In the window"): asks how many seeds, pauses
// the window's training, trains seeds 1..N of the current preset's settings in a
// SeedVerdictRunner and shows them in the "Verdict over seeds" dock. Only experiments under the
// epoch-budget protocol have the four arms the verdict compares, so only they enable it.
#include <QList>
#include <QObject>
#include <memory>

#include "app/worker/seed_verdict_runner.h"
#include "app/worker/training_worker.h"

class QAction;
class QDockWidget;
class QMainWindow;

namespace attent::ui {

class SeedVerdictView;

class VerdictOverSeeds : public QObject {
  Q_OBJECT
 public:
  // `pauses`: the window's training actions, disabled while the seeds train.
  VerdictOverSeeds(QMainWindow& window, app::ExperimentFactory factory, app::TrainingController& training,
                   QList<QAction*> pauses);
  ~VerdictOverSeeds() override;

  QAction* action() const { return action_; }
  SeedVerdictView* view() const { return view_; }
  QDockWidget* dock() const { return dock_; }
  app::SeedVerdictRunner& runner() { return *runner_; }
  // The window's current experiment: what a run trains, and whether the action is enabled.
  void setPreset(const app::PresetInfo& preset);
  // Seeds 1..seeds without the dialog (the action, tests, screenshots); false if refused.
  bool run(int seeds);
  void cancel();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;  // the window closing cancels

 private:
  void chooseAndRun();  // the dialog
  void onFinished(bool cancelled);
  void updateAction();

  QMainWindow& window_;
  app::TrainingController& training_;
  QList<QAction*> pauses_;
  std::unique_ptr<app::SeedVerdictRunner> runner_;
  SeedVerdictView* view_;
  QDockWidget* dock_;
  QAction* action_;
  app::PresetInfo preset_;
  bool resume_ = false;   // the window was training when the seeds started
  bool closing_ = false;  // the window is closing: nothing resumes
  QString failure_;
};

}  // namespace attent::ui

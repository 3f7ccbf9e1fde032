#include "ui/seed_verdict_action.h"

#include <QAction>
#include <QDockWidget>
#include <QEvent>
#include <QInputDialog>
#include <QMainWindow>
#include <QScrollArea>

#include "engine/teach/experiment_kinds.h"
#include "ui/seed_verdict_view.h"

namespace attent::ui {

VerdictOverSeeds::VerdictOverSeeds(QMainWindow& window, app::ExperimentFactory factory,
                                   app::TrainingController& training, QList<QAction*> pauses)
    : QObject(&window),
      window_(window),
      training_(training),
      pauses_(std::move(pauses)),
      runner_(std::make_unique<app::SeedVerdictRunner>(std::move(factory))) {
  view_ = new SeedVerdictView;
  auto* scroll = new QScrollArea;  // a narrow dock scrolls rather than cutting the words
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(view_);
  dock_ = new QDockWidget(tr("Verdict over seeds"), &window);
  dock_->setObjectName("verdict");
  dock_->setWidget(scroll);
  window.addDockWidget(Qt::BottomDockWidgetArea, dock_);
  dock_->hide();

  action_ = new QAction(tr("&Verdict over seeds..."), this);
  action_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
  action_->setToolTip(
      tr("Train seeds 1 to N of this experiment in the background and show AtteNT's "
         "differences to each arm with 95% intervals (Ctrl+Shift+V)"));
  action_->setEnabled(false);
  connect(action_, &QAction::triggered, this, &VerdictOverSeeds::chooseAndRun);

  connect(view_, &SeedVerdictView::cancelRequested, this, &VerdictOverSeeds::cancel);
  connect(runner_.get(), &app::SeedVerdictRunner::progressed, view_, &SeedVerdictView::setProgress);
  connect(runner_.get(), &app::SeedVerdictRunner::seedFinished, view_, &SeedVerdictView::setResult);
  connect(runner_.get(), &app::SeedVerdictRunner::failed, this,
          [this](const QString& message) { failure_ = message; });
  connect(runner_.get(), &app::SeedVerdictRunner::finished, this, &VerdictOverSeeds::onFinished);
  window.installEventFilter(this);
}

VerdictOverSeeds::~VerdictOverSeeds() = default;  // the runner cancels and joins its thread

void VerdictOverSeeds::setPreset(const app::PresetInfo& preset) {
  preset_ = preset;
  updateAction();
}

void VerdictOverSeeds::updateAction() {
  action_->setEnabled(!runner_->isRunning() && !preset_.kind.empty() && epochProtocol(preset_.settings));
}

void VerdictOverSeeds::chooseAndRun() {
  bool ok = false;
  const int seeds = QInputDialog::getInt(
      &window_, tr("Verdict over seeds"),
      tr("Trains seeds 1 to N of this experiment's settings, one after another, in the background.\n"
         "The window's own training pauses meanwhile.\n\nNumber of seeds:"),
      10, 2, 100, 1, &ok);
  if (ok) run(seeds);
}

bool VerdictOverSeeds::run(int seeds) {
  if (!action_->isEnabled() || !runner_->start(preset_, seeds)) return false;
  resume_ = training_.isRunning();
  training_.pause();
  failure_.clear();
  for (QAction* a : pauses_) a->setEnabled(false);
  updateAction();
  view_->start(seeds);
  dock_->show();
  dock_->raise();
  return true;
}

void VerdictOverSeeds::cancel() { runner_->cancel(); }

void VerdictOverSeeds::onFinished(bool cancelled) {
  view_->setFinished(cancelled, failure_);
  for (QAction* a : pauses_) a->setEnabled(true);
  updateAction();
  if (resume_ && !closing_) training_.start();
  resume_ = false;
}

bool VerdictOverSeeds::eventFilter(QObject* watched, QEvent* event) {
  if (watched == &window_ && event->type() == QEvent::Close) {
    closing_ = true;
    runner_->cancel();
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace attent::ui

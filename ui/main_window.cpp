#include "ui/main_window.h"

#include <omp.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMap>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <cstdio>

#include "engine/nn/blas.h"
#include "ui/attention_view.h"
#include "ui/diagnostics_view.h"
#include "ui/loss_view.h"
#include "ui/memory_estimate_label.h"
#include "ui/paint_util.h"
#include "ui/picks_view.h"
#include "ui/preset_layout.h"
#include "ui/preset_panel.h"
#include "ui/recovery.h"
#include "ui/seed_verdict_action.h"
#include "ui/seed_verdict_view.h"
#include "ui/stall_meter.h"
#include "ui/theme.h"

// resources.qrc lives in the static attent_ui library: register it before use.
static void initResources() { Q_INIT_RESOURCE(resources); }

namespace attent::ui {

MainWindow::MainWindow(app::Catalog catalog, WindowOptions options, QWidget* parent)
    : QMainWindow(parent), catalog_(std::move(catalog)), options_(std::move(options)) {
  initResources();
  setWindowTitle(tr("AtteNT Studio"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/attent-studio.svg")));
  setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
  controller_ = std::make_unique<app::TrainingController>(catalog_.build, catalog_.files);

  createViews();
  createTrainingBar();
  createStatusBar();
  createMenus();
  connectController();
  connectViews();
  if (qEnvironmentVariableIntValue("ATTENT_MEASURE_STALLS")) stalls_ = new StallMeter(this);
  loss_->setAutoReplot(false);
  frameTimer_ = new QTimer(this);
  frameTimer_->setSingleShot(true);
  connect(frameTimer_, &QTimer::timeout, this, &MainWindow::updateViews);

  // Restore layout, theme and the last preset.
  QString first = options_.preset;
  bool dark = options_.dark;
  resize(1400, 900);
  if (options_.persistent) {
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    dark = settings.value("window/dark", false).toBool();
    if (first.isEmpty()) first = settings.value("window/preset").toString();
  }
  darkAction_->setChecked(dark);
  setDark(dark);
  if (first.isEmpty() || !catalog_.find(first.toStdString()))
    first = catalog_.presets.empty() ? QString() : QString::fromStdString(catalog_.presets.front().name);
  if (!first.isEmpty() && options_.loadPreset) loadPreset(first);
  if (options_.persistent) startRecovery();
}

// The views in their docks; the preset's layout moves its key figure into the middle.
void MainWindow::createViews() {
  auto* central = new QWidget;
  auto* centralLayout = new QVBoxLayout(central);
  centralLayout->setContentsMargins(0, 0, 0, 0);
  banner_ = new QLabel;
  banner_->setWordWrap(true);
  banner_->setStyleSheet("background: #fbe3e4; color: #8a1f11; padding: 6px;");
  banner_->hide();
  centralLayout->addWidget(banner_);
  panes_.keySlot = new QWidget;  // the preset's key figure (preset_layout.h)
  auto* keyLayout = new QVBoxLayout(panes_.keySlot);
  keyLayout->setContentsMargins(0, 0, 0, 0);
  centralLayout->addWidget(panes_.keySlot, 1);
  loss_ = new LossView;
  setCentralWidget(central);
  presets_ = new PresetPanel(catalog_);
  attention_ = new AttentionView;
  picks_ = new PicksView;
  diagnostics_ = new DiagnosticsView;
  auto* diagScroll = new QScrollArea;  // many panels: scroll rather than shrink them unreadable
  diagScroll->setWidgetResizable(true);
  diagScroll->setFrameShape(QFrame::NoFrame);
  diagScroll->setWidget(diagnostics_);
  // Every view has a dock; the preset's layout moves its key figure into the middle.
  // The view's name, its dock's object name (kept in saved window states), the view, its title.
  const struct {
    QString view, object;
    QWidget* widget;
    QString title;
  } views[] = {{"settings", "presets", presets_, tr("Preset and settings")},
               {"loss", "loss", loss_, tr("Loss curves")},
               {"attention", "attention", attention_, tr("Attention maps")},
               {"picks", "picks", picks_, tr("Teacher's picks")},
               {"diagnostics", "diagnostics", diagScroll, tr("Paper diagnostics")}};
  for (const auto& v : views) {
    panes_.docks[v.view] = addDock(v.title, v.object, v.widget, Qt::RightDockWidgetArea);
    panes_.contents[v.view] = v.widget;
  }
  // The side columns run the window's full height; bottom docks sit under the key figure.
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  applyPresetLayout(*this, panes_, layout_);
}

// Play, step, reset and the speed cap.
void MainWindow::createTrainingBar() {
  QToolBar* bar = trainingBar_ = addToolBar(tr("Training"));
  bar->setObjectName("training");
  play_ = bar->addAction(tr("Play"));
  play_->setShortcut(Qt::Key_Space);
  play_->setToolTip(tr("Play / pause training (Space)"));
  step_ = bar->addAction(tr("Step"));
  step_->setShortcut(Qt::Key_S);
  step_->setToolTip(tr("One lockstep step of every run (S)"));
  reset_ = bar->addAction(tr("Reset"));
  reset_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  reset_->setToolTip(tr("Rebuild the experiment from its initial weights (Ctrl+R)"));
  for (QAction* a : {play_, step_, reset_}) a->setShortcutContext(Qt::ApplicationShortcut);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" speed cap ")));
  speed_ = new QComboBox;
  speed_->setObjectName("speed");
  speed_->addItem(tr("unthrottled"), 0.0);
  for (double s : {1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0}) speed_->addItem(tr("%1 steps/s").arg(s), s);
  speed_->setToolTip(tr("At most this many steps per second, to watch the dynamics slowly"));
  bar->addWidget(speed_);
  connect(speed_, &QComboBox::currentIndexChanged, this,
          [this](int i) { controller_->setSpeedCap(speed_->itemData(i).toDouble()); });
  connect(play_, &QAction::triggered, this, [this] {
    if (controller_->isRunning())
      controller_->pause();
    else
      controller_->start();
  });
  connect(step_, &QAction::triggered, this, [this] { controller_->step(); });
  connect(reset_, &QAction::triggered, this, [this] {
    // Nothing destructive without a confirm: a reset discards the training done so far.
    if (lastStep_ > 0 &&
        QMessageBox::question(this, tr("Reset the experiment?"),
                              tr("The experiment has trained %1 steps. Resetting discards them and starts "
                                 "again from the same initial weights.")
                                  .arg(lastStep_)) != QMessageBox::Yes)
      return;
    controller_->reset();
  });
}

void MainWindow::createStatusBar() {
  // Status bar: step, steps/s, each run's compute time.
  stepLabel_ = new QLabel;
  rateLabel_ = new QLabel;
  computeLabel_ = new QLabel;
  statusBar()->addWidget(stepLabel_);
  statusBar()->addWidget(rateLabel_);
  messageLabel_ = new QLabel;
  statusBar()->addWidget(messageLabel_, 1);
  statusBar()->addPermanentWidget(computeLabel_);
}

void MainWindow::createMenus() {
  createFileMenu(menuBar()->addMenu(tr("&File")));
  verdict_ = new VerdictOverSeeds(*this, catalog_.build, *controller_, {play_, step_, reset_});
  menuBar()->addMenu(tr("&Experiment"))->addAction(verdict_->action());
  createTimelineBar();
  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
  view->addSeparator();
  darkAction_ = view->addAction(tr("Dark theme"));
  darkAction_->setCheckable(true);
  connect(darkAction_, &QAction::toggled, this, &MainWindow::setDark);
  createPresentationActions(view);
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("About AtteNT Studio"), this, [this] {
    QMessageBox::about(
        this, tr("AtteNT Studio"),
        tr("<p>Trains small attention learners on the CPU and shows how a teacher that picks "
           "the hardest examples changes their training.</p><p>%1</p>")
            .arg(QString::fromStdString(nn::describeEngine()).toHtmlEscaped().replace("\n", "<br>")));
  });
}

// The controller's signals arrive queued from the worker thread.
void MainWindow::connectController() {
  connect(controller_.get(), &app::TrainingController::snapshotReady, this, &MainWindow::onSnapshot);
  connect(controller_.get(), &app::TrainingController::built, this, &MainWindow::onBuilt);
  connect(controller_.get(), &app::TrainingController::buildFailed, this, [this](const QString& message) {
    banner_->setText(tr("Could not build the experiment: %1").arg(message));
    banner_->show();
    showMessage(tr("Build failed"));
    showError(tr("Could not build the experiment"), message);
  });
  // A step or a snapshot failed: the worker paused; the experiment stays open, to save or change.
  connect(controller_.get(), &app::TrainingController::trainingFailed, this, [this](const QString& message) {
    showMessage(tr("Training paused at step %1").arg(lastStep_));
    showError(tr("Training paused at step %1: the experiment is kept").arg(lastStep_),
              message + tr(". Save it (File > Save), or change the settings and Apply."));
  });
  connect(controller_.get(), &app::TrainingController::fileDone, this, &MainWindow::onFileDone);
  // An opened file's preset (its settings, title and lesson as saved) takes that name's
  // place in the chooser, so the editor and the lesson show what is running.
  connect(controller_.get(), &app::TrainingController::presetOpened, this,
          [this](const app::PresetInfo& preset) {
            catalog_.put(preset);
            verdict_->setPreset(preset);
            presets_->refreshChooser();
            presets_->selectPreset(QString::fromStdString(preset.name));
          });
  connect(controller_.get(), &app::TrainingController::runningChanged, this,
          [this](bool running) { play_->setText(running ? tr("Pause") : tr("Play")); });
}

// What the views ask for: a probe, a preset, a picked example.
void MainWindow::connectViews() {
  connect(attention_, &AttentionView::probeChanged, this,
          [this](int probe) { controller_->setProbe(probe); });
  connect(presets_, &PresetPanel::presetChosen, this, [this](const QString& name) {
    if (const app::PresetInfo* p = catalog_.find(name.toStdString())) applyPreset(*p, true);
  });
  connect(presets_, &PresetPanel::applyRequested, this,
          [this](const app::PresetInfo& preset) { applyPreset(preset, true); });
  connect(picks_, &PicksView::pickClicked, this, [this](const QString& run, int index, const QString& text) {
    if (attention_->parentWidget() != panes_.keySlot) {  // in its dock, not the key figure
      panes_.docks["attention"]->show();
      panes_.docks["attention"]->raise();
    }
    controller_->setProbe(index, Split::Pool);  // the next snapshot carries its maps
    showMessage(tr("%1 picked pool example %2: %3").arg(run).arg(index).arg(text.left(80)));
  });
}

MainWindow::~MainWindow() {
  // The application's font and palette outlive the window: give back the desktop's.
  if (presentation_ && qobject_cast<QApplication*>(QCoreApplication::instance())) {
    QApplication::setFont(baseFont_);
    applyTheme(dark_);
  }
  if (stalls_) {
    std::fprintf(
        stderr,
        "attent-studio: over %.1f s: largest event-loop gap %.1f ms, %.1f snapshots/s, %.1f view frames/s, "
        "%.1f replots/s, painting %.1f%% of the time, last %.1f steps/s\n",
        stalls_->seconds(), stalls_->largestGapMs(), snapshots_ / stalls_->seconds(),
        frames_ / stalls_->seconds(), loss_->replotCount() / stalls_->seconds(),
        PaintCost::totalNs() * 1e-7 / stalls_->seconds(), lastRate_);
  }
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& objectName, QWidget* widget,
                                 Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(objectName);
  dock->setWidget(widget);
  addDockWidget(area, dock);
  return dock;
}

QStringList MainWindow::viewNames() {
  return {"window", "loss", "attention", "picks", "diagnostics", "settings", "verdict"};
}

QWidget* MainWindow::viewWidget(const QString& view) {
  const QMap<QString, QWidget*> widgets{{"window", this},
                                        {"loss", loss_},
                                        {"attention", attention_},
                                        {"picks", picks_},
                                        {"diagnostics", diagnostics_},
                                        {"settings", presets_},
                                        {"verdict", verdict_->view()}};
  return widgets.value(view, nullptr);
}

bool MainWindow::loadPreset(const QString& name) {
  const app::PresetInfo* preset = catalog_.find(name.toStdString());
  if (!preset) return false;
  applyPreset(*preset, false);
  return true;
}

void MainWindow::applyPreset(const app::PresetInfo& preset, bool confirm) {
  if (const auto refusal = memoryRefusalFor(preset)) {  // before anything is built or discarded
    showMessage(tr("Not enough memory for %1").arg(QString::fromStdString(preset.name)));
    showError(tr("Not enough memory for this experiment"), *refusal);
    return;
  }
  if (confirm && lastStep_ > 0 &&
      QMessageBox::question(
          this, tr("Rebuild the experiment?"),
          tr("The current experiment has trained %1 steps. Rebuilding discards them.").arg(lastStep_)) !=
          QMessageBox::Yes) {
    presets_->selectPreset(presets_->currentName());
    return;
  }
  presets_->selectPreset(QString::fromStdString(preset.name));
  banner_->hide();
  verdict_->setPreset(preset);
  controller_->build(preset);
  if (options_.persistent) QSettings().setValue("window/preset", QString::fromStdString(preset.name));
}

void MainWindow::onBuilt(const QString& preset, const QStringList& runs, qlonglong total) {
  const app::PresetInfo* info = catalog_.find(preset.toStdString());
  const ExperimentKind* kind = info ? experimentKindRegistry().find(info->kind) : nullptr;
  layout_ = app::presetLayout(kind ? kind->lesson() : Lesson::Unstated);
  applyPresetLayout(*this, panes_, layout_);
  if (classroom_) setClassroomMode(true);
  lastStep_ = 0;
  timeline_.clear();
  live_ = true;
  updateTimelineBar();
  loss_->setRuns(runs);
  diagnostics_->clearHistory();
  stepLabel_->setText(tr("step 0 / %1").arg(total));
  showMessage(tr("Built %1: %2").arg(preset, runs.join(", ")));
  if (stalls_) stalls_->restart();
  snapshots_ = 0;
  frames_ = 0;
}

void MainWindow::onSnapshot(app::SnapshotPtr snapshot) {
  if (!snapshot) return;
  ++snapshots_;
  lastStep_ = snapshot->step;
  if (snapshot->stepsPerSecond > 0) lastRate_ = snapshot->stepsPerSecond;
  loss_->addSnapshot(snapshot);  // appends metric deltas (every snapshot carries new ones)
  timeline_.add(snapshot);
  latest_ = std::move(snapshot);
  if (!frameTimer_->isActive()) frameTimer_->start(frameInterval_);
}

void MainWindow::updateViews() {
  if (!latest_) return;
  const app::SnapshotPtr snapshot = latest_;
  loss_->replotIfDirty();
  if (live_) {  // else the scrubber shows a kept frame
    attention_->setSnapshot(snapshot);
    picks_->setSnapshot(snapshot);
  }
  updateTimelineBar();
  diagnostics_->setSnapshot(snapshot);
  stepLabel_->setText(tr("step %1 / %2").arg(snapshot->step).arg(snapshot->totalSteps));
  // No rate until training has run between two snapshots (a run shorter than that says none).
  rateLabel_->setText(snapshot->stepsPerSecond > 0 ? tr("%1 steps/s").arg(snapshot->stepsPerSecond, 0, 'f', 1)
                                                   : QString());
  QStringList compute;
  for (const auto& r : snapshot->runs) {
    QString text = tr("%1 %2 s").arg(runTitle(r.name)).arg(r.computeSeconds, 0, 'f', 2);
    if (r.divergedAt) text += tr(" (diverged at step %1)").arg(*r.divergedAt);
    compute << text;
  }
  computeLabel_->setText(tr("compute: ") + compute.join(QStringLiteral(" · ")));
  ++frames_;
  // Keep the UI thread under ~10% of a core, or ~2.5% when training's threads take every core:
  // then each frame's CPU is taken from training (and stalls its other threads at their next
  // barrier), and the window stays within 5% of headless speed.
  static const int costShare = omp_get_max_threads() >= std::max(1, QThread::idealThreadCount()) ? 40 : 10;
  const qint64 uiCpuNs = threadCpuNs();
  frameInterval_ = int(std::clamp<qint64>((uiCpuNs - uiCpuNsAtFrame_) * costShare / 1'000'000, 33, 1000));
  uiCpuNsAtFrame_ = uiCpuNs;
}

// A message in its own status-bar label (QStatusBar's temporary messages hide the step
// and rate labels), cleared after a few seconds.
void MainWindow::showMessage(const QString& text) {
  messageLabel_->setText(text);
  QTimer::singleShot(6000, messageLabel_, [label = messageLabel_, text] {
    if (label->text() == text) label->clear();
  });
}

void MainWindow::showError(const QString& title, const QString& text) {
  lastError_ = text;
  if (quietErrors_) return;
  if (errorBox_) {
    errorBox_->setText(title);
    errorBox_->setInformativeText(text);
    return;
  }
  errorBox_ = new QMessageBox(QMessageBox::Warning, tr("AtteNT Studio"), title, QMessageBox::Ok, this);
  errorBox_->setInformativeText(text);
  errorBox_->setAttribute(Qt::WA_DeleteOnClose);
  errorBox_->open();  // window-modal, but training and the event loop go on
}

void MainWindow::flushViews() {
  frameTimer_->stop();
  updateViews();
  loss_->replot();
}

void MainWindow::setDark(bool dark) {
  dark_ = dark;
  if (qobject_cast<QApplication*>(QCoreApplication::instance()) && !presentation_) applyTheme(dark);
  loss_->setDark(dark);
  banner_->setStyleSheet(dark ? "background: #5a1e1e; color: #ffd7d7; padding: 6px;"
                              : "background: #fbe3e4; color: #8a1f11; padding: 6px;");
  if (darkAction_->isChecked() != dark) darkAction_->setChecked(dark);
}

void MainWindow::resizeEvent(QResizeEvent* event) {
  QMainWindow::resizeEvent(event);
  if (presentation_ && event->size().height() != event->oldSize().height()) fitPresentationFont();
  sizeDocks(*this, panes_, layout_);  // the preset's shares of the new size
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (options_.persistent) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("window/dark", dark_);
  }
  controller_->pause();
  QMainWindow::closeEvent(event);
}

}  // namespace attent::ui

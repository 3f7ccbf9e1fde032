// MainWindow's File menu (experiment files, figures, metrics, weights), the attention
// timeline scrubber and presentation/classroom modes. The window itself: main_window.cpp.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSlider>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <algorithm>
#include <stdexcept>

#include "ui/attention_view.h"
#include "ui/diagnostics_view.h"
#include "ui/export/export_dialog.h"
#include "ui/export/figure_export.h"
#include "ui/loss_view.h"
#include "ui/main_window.h"
#include "ui/picks_view.h"
#include "ui/preset_panel.h"
#include "ui/recovery.h"
#include "ui/theme.h"

namespace attent::ui {

void MainWindow::createFileMenu(QMenu* file) {
  auto add = [&](const QString& text, const QKeySequence& keys, auto slot) {
    QAction* a = file->addAction(text);
    a->setShortcut(keys);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  const QString filter = tr("AtteNT experiments (*.attent)");
  QAction* open = add(tr("&Open experiment..."), QKeySequence::Open, [this, filter] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), QString(), filter);
    if (!path.isEmpty()) openExperimentFile(path);
  });
  QAction* saveAs =
      add(tr("Save experiment &as..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), [this, filter] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save experiment"), currentFile_, filter);
        if (path.isEmpty()) return;
        if (QFileInfo(path).suffix().isEmpty()) path += ".attent";
        saveExperimentFile(path);
      });
  QAction* save = add(tr("&Save experiment"), QKeySequence::Save, [this, saveAs] {
    if (currentFile_.isEmpty())
      saveAs->trigger();
    else
      saveExperimentFile(currentFile_);
  });
  add(tr("Open &preset..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open preset"), QString(), tr("AtteNT presets (*.json)"));
    if (!path.isEmpty()) openPresetFile(path);
  })->setEnabled(bool(catalog_.openPreset));
  open->setEnabled(controller_->canOpen());
  save->setEnabled(controller_->canSave());
  saveAs->setEnabled(controller_->canSave());
  file->addSeparator();
  add(tr("&Export figure..."), QKeySequence(Qt::CTRL | Qt::Key_E), [this] { exportFigureDialog(); });
  add(tr("&Copy window to clipboard"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), [this] {
    flushViews();
    copyFigure(this, 2.0);
    showMessage(tr("Copied the window (2x) to the clipboard"));
  });
  add(tr("Export &timeline strip..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T),
      [this] { exportTimelineStripDialog(); });
  file->addSeparator();
  QAction* metrics = add(tr("Export &metrics (CSV + JSON)..."), QKeySequence(Qt::CTRL | Qt::Key_M), [this] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Metrics: DIR/metrics.csv and metrics.json"));
    if (!dir.isEmpty()) controller_->exportMetrics(dir);
  });
  QAction* weights =
      add(tr("Export &weights (NumPy)..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W), [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Weights: manifest.json and .npy files"));
        if (!dir.isEmpty()) controller_->exportWeights(dir);
      });
  metrics->setEnabled(controller_->canExportMetrics());
  weights->setEnabled(controller_->canExportWeights());
  file->addSeparator();
  add(tr("&Quit"), QKeySequence::Quit, [this] { close(); });
}

void MainWindow::exportFigureDialog() {
  ExportDialog dialog(viewNames(), "window", size(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  QWidget* widget = viewWidget(dialog.view());
  const QSize size = dialog.figureSize();
  if (dialog.copyRequested()) {
    copyFigure(widget, dialog.scale());
    showMessage(tr("Copied the %1 view to the clipboard").arg(dialog.view()));
    return;
  }
  const QString path = QFileDialog::getSaveFileName(this, tr("Export figure"), dialog.view() + ".png",
                                                    tr("PNG image (*.png);;SVG vector (*.svg);;PDF (*.pdf)"));
  if (path.isEmpty()) return;
  QString error;
  if (exportView(dialog.view(), path, size, dialog.scale(), &error, dialog.slideStyle()))
    showMessage(tr("Wrote %1").arg(path));
  else
    showError(tr("Could not export the figure"), error);
}

void MainWindow::exportTimelineStripDialog() {
  if (timeline_.frames().empty()) return showMessage(tr("No attention frames kept yet"));
  bool ok = false;
  const int k = QInputDialog::getInt(this, tr("Timeline strip"), tr("Steps side by side"), 6, 2,
                                     int(std::max<std::size_t>(2, timeline_.frames().size())), 1, &ok);
  if (!ok) return;
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Timeline strip"), "timeline.png", tr("PNG image (*.png)"));
  QString error;
  if (!path.isEmpty() && !exportTimelineStrip(path, k, &error))
    showError(tr("Could not export the timeline strip"), error);
}

bool MainWindow::exportView(const QString& view, const QString& path, QSize size, double scale,
                            QString* error, bool slideStyle) {
  QWidget* widget = viewWidget(view);
  if (!widget) {
    if (error) *error = tr("unknown view '%1'").arg(view);
    return false;
  }
  bool written = false;
  const auto work = [&] {
    flushViews();
    written = exportFigure(widget, path, size, scale, error, tr("AtteNT Studio: %1").arg(view));
  };
  if (slideStyle)
    withSlideStyle(size.isValid() ? size.height() : widget->height(), work);
  else
    work();
  return written;
}

// Presentation mode's look for one piece of work, then the desktop's again (in presentation
// mode the window already looks so).
void MainWindow::withSlideStyle(int figureHeight, const std::function<void()>& work) {
  if (presentation_ || !qobject_cast<QApplication*>(QCoreApplication::instance())) return work();
  const QFont desktop = QApplication::font();
  QApplication::setFont(presentationFont(desktop, figureHeight));
  QApplication::setPalette(presentationPalette());
  loss_->setDark(false);
  loss_->setPresentationScale(2.0);
  QApplication::processEvents();  // the views take the new font before they are drawn
  work();
  QApplication::setFont(desktop);
  applyTheme(dark_);
  loss_->setDark(dark_);
  loss_->setPresentationScale(1.0);
}

void MainWindow::openExperimentFile(const QString& path) {
  pendingFile_ = path;
  showMessage(tr("Opening %1...").arg(path));
  controller_->openFile(path);
}

void MainWindow::saveExperimentFile(const QString& path) {
  showMessage(tr("Saving %1...").arg(path));
  controller_->saveFile(path);
}

bool MainWindow::openPresetFile(const QString& path) {
  app::PresetInfo preset;
  try {
    if (!catalog_.openPreset) throw std::runtime_error("this build cannot open preset files");
    preset = catalog_.openPreset(path);
  } catch (const std::exception& error) {
    showMessage(tr("Could not open the preset"));
    showError(tr("Could not open the preset %1").arg(QFileInfo(path).fileName()), error.what());
    return false;
  }
  catalog_.put(preset);  // a file with a built-in's name replaces it, as on the command line
  presets_->refreshChooser();
  applyPreset(preset, true);
  return true;
}

void MainWindow::startRecovery() {
  const QStringList left = RecoverySession::abandoned();  // before this session's own file exists
  recovery_ = std::make_unique<RecoverySession>();
  if (!recovery_->autosavePath().isEmpty())
    controller_->setAutosave(recovery_->autosavePath(), autosaveIntervalMs());
  connect(controller_.get(), &app::TrainingController::autosaved, this,
          [this](const QString&, qlonglong step, const QString& error) {
            showMessage(error.isEmpty() ? tr("Autosaved at step %1").arg(step)
                                        : tr("Autosave failed: %1").arg(error));
          });
  if (left.isEmpty()) return;
  // The newest is offered; older ones are from earlier failures and go.
  for (int i = 1; i < left.size(); ++i) RecoverySession::discard(left[i]);
  QTimer::singleShot(0, this, [this, path = left.front()] {
    if (!askToRestore(this, path)) return RecoverySession::discard(path);
    restoring_ = path;
    openExperimentFile(path);
  });
}

namespace {
QString verb(app::FileAction action) {
  switch (action) {
    case app::FileAction::Save:
      return MainWindow::tr("save the experiment");
    case app::FileAction::Open:
      return MainWindow::tr("open the experiment");
    case app::FileAction::Metrics:
      return MainWindow::tr("export the metrics");
    case app::FileAction::Weights:
      break;
  }
  return MainWindow::tr("export the weights");
}
}  // namespace

void MainWindow::onFileDone(app::FileAction action, const QString& path, const QString& error) {
  const bool opened = action == app::FileAction::Open, saved = action == app::FileAction::Save;
  if (!error.isEmpty()) {
    showMessage(tr("Could not %1").arg(verb(action)));
    showError(tr("Could not %1").arg(verb(action)), error);
  } else if (opened && path == restoring_) {
    // The recovery file is not the user's: Save asks where, and the next autosave is this session's.
    RecoverySession::discard(path);
    currentFile_.clear();
    setWindowTitle(tr("AtteNT Studio - restored"));
    showMessage(tr("Restored the autosaved experiment"));
  } else if (opened || saved) {
    currentFile_ = path;
    setWindowTitle(tr("AtteNT Studio - %1").arg(QFileInfo(path).fileName()));
    showMessage(opened ? tr("Opened %1").arg(path) : tr("Saved %1").arg(path));
  } else {
    showMessage(tr("Wrote %1 to %2").arg(app::fileActionWord(action), QDir::toNativeSeparators(path)));
  }
  if (opened && path == restoring_) restoring_.clear();
  emit fileFinished(action, path, error);
}

// The scrubber: left = the earliest kept step, the right end = live.
void MainWindow::createTimelineBar() {
  timelineBar_ = new QToolBar(tr("Timeline"), this);
  timelineBar_->setObjectName("timeline");
  addToolBar(Qt::BottomToolBarArea, timelineBar_);
  timelineBar_->addWidget(new QLabel(tr(" timeline ")));
  scrub_ = new QSlider(Qt::Horizontal);
  scrub_->setMinimumWidth(240);
  scrub_->setToolTip(
      tr("Attention and picks at log-spaced steps kept during training; the right end is live"));
  timelineBar_->addWidget(scrub_);
  scrubLabel_ = new QLabel(tr("live"));
  scrubLabel_->setMinimumWidth(110);
  timelineBar_->addWidget(scrubLabel_);
  QAction* live = timelineBar_->addAction(tr("Live"));
  live->setToolTip(tr("Back to the current step"));
  connect(live, &QAction::triggered, this, [this] { showTimelineFrame(-1); });
  connect(scrub_, &QSlider::sliderMoved, this,
          [this](int v) { showTimelineFrame(v >= int(timeline_.frames().size()) ? -1 : v); });
  updateTimelineBar();
}

void MainWindow::updateTimelineBar() {
  if (!scrub_) return;
  const int n = int(timeline_.frames().size());
  const QSignalBlocker block(scrub_);
  scrub_->setRange(0, n);  // n = live
  if (live_)
    scrub_->setValue(n);
  else if (frameIndex_ >= n)
    showTimelineFrame(-1);
  scrub_->setEnabled(n > 0);
}

void MainWindow::showTimelineFrame(int index) {
  const auto& frames = timeline_.frames();
  if (index < 0 || index >= int(frames.size())) {
    live_ = true;
    frameIndex_ = -1;
    scrubLabel_->setText(tr("live"));
    loss_->setCursorStep(-1);
    diagnostics_->showFrame(nullptr);
    if (latest_) {
      attention_->setSnapshot(latest_);
      picks_->setSnapshot(latest_);
    }
  } else {
    live_ = false;
    frameIndex_ = index;
    const app::SnapshotPtr& frame = frames[index];
    scrubLabel_->setText(tr("step %1 (%2/%3)").arg(frame->step).arg(index + 1).arg(frames.size()));
    attention_->setSnapshot(frame);
    picks_->setSnapshot(frame);
    loss_->setCursorStep(frame->step);
    diagnostics_->showFrame(frame);
  }
  const QSignalBlocker block(scrub_);
  scrub_->setValue(live_ ? int(frames.size()) : index);
}

bool MainWindow::exportTimelineStrip(const QString& path, int k, QString* error) {
  const QImage strip = timelineStrip(chooseFrames(timeline_.frames(), k), {150, 150}, 2.0, false);
  if (strip.isNull() || !strip.save(path)) {
    if (error) *error = tr("%1: cannot write the timeline strip (no frames, or the file)").arg(path);
    return false;
  }
  showMessage(tr("Wrote %1").arg(path));
  return true;
}

void MainWindow::createPresentationActions(QMenu* view) {
  presentationAction_ = view->addAction(tr("&Presentation mode"));
  presentationAction_->setCheckable(true);
  presentationAction_->setShortcut(Qt::Key_F11);
  presentationAction_->setShortcutContext(Qt::ApplicationShortcut);
  presentationAction_->setToolTip(tr("Full screen, larger fonts, thicker lines, high contrast (F11)"));
  connect(presentationAction_, &QAction::toggled, this, &MainWindow::setPresentationMode);
  addAction(presentationAction_);  // F11 works while the menu bar is hidden
  classroomAction_ = view->addAction(tr("&Classroom mode (views only)"));
  classroomAction_->setCheckable(true);
  classroomAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
  connect(classroomAction_, &QAction::toggled, this, &MainWindow::setClassroomMode);
  addAction(classroomAction_);
}

void MainWindow::setPresentationMode(bool on) {
  if (on == presentation_) return;
  presentation_ = on;
  const bool gui = qobject_cast<QApplication*>(QCoreApplication::instance()) != nullptr;
  if (on) {
    baseFont_ = QApplication::font();
    if (gui) QApplication::setPalette(presentationPalette());
    wasMaximized_ = isMaximized();
    loss_->setDark(false);
    showFullScreen();
    fitPresentationFont();
  } else {
    if (gui) QApplication::setFont(baseFont_);
    statusBar()->setFont(QFont());  // follows the application font again
    statusBar()->setAttribute(Qt::WA_SetFont, false);
    loss_->setPresentationScale(1.0);
    setDark(dark_);
    if (gui) applyTheme(dark_);
    if (wasMaximized_)
      showMaximized();
    else
      showNormal();
  }
  if (presentationAction_->isChecked() != on) presentationAction_->setChecked(on);
}

// The enlarged text follows the window's height (a full-screen window's is the projector's).
void MainWindow::fitPresentationFont() {
  const QFont big = presentationFont(baseFont_, height());
  if (qobject_cast<QApplication*>(QCoreApplication::instance()) && big != QApplication::font())
    QApplication::setFont(big);
  loss_->setPresentationScale(2.0);  // the charts and the result card take the new font
  // The status bar is for the presenter, not the room: it keeps the desktop size and its room.
  statusBar()->setFont(baseFont_);
}

void MainWindow::setClassroomMode(bool on) {
  classroom_ = on;
  if (QDockWidget* settings = findChild<QDockWidget*>("presets")) settings->setVisible(!on);
  trainingBar_->setVisible(!on);
  if (classroomAction_->isChecked() != on) classroomAction_->setChecked(on);
}

}  // namespace attent::ui

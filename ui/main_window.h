#pragma once
// The main window: controls, status bar, the preset panel and the views in dock
// widgets. It talks to training only through a TrainingController (queued calls in,
// snapshots out) and never waits on it.
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <functional>
#include <memory>

#include "app/presets/preset_layout.h"
#include "app/worker/training_worker.h"
#include "ui/preset_layout.h"
#include "ui/timeline.h"

class QAction;
class QMenu;
class QComboBox;
class QLabel;
class QDockWidget;
class QTimer;
class QSlider;
class QToolBar;

namespace attent::ui {

class LossView;
class AttentionView;
class PicksView;
class DiagnosticsView;
class PresetPanel;
class RecoverySession;
class StallMeter;
class VerdictOverSeeds;

struct WindowOptions {
  bool persistent = true;  // restore/save layout, theme and last preset with QSettings
  QString preset;          // preset to load first (empty: last used, else the first)
  bool dark = false;       // theme when not persistent
  bool loadPreset = true;  // false: start empty (measurements, tests)
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(app::Catalog catalog, WindowOptions options = {}, QWidget* parent = nullptr);
  ~MainWindow() override;

  app::TrainingController& controller() { return *controller_; }
  // Loads a preset by name (rebuilds the experiment); false if unknown.
  bool loadPreset(const QString& name);
  // The widget `view` names: window, loss, attention, picks, diagnostics, settings, verdict.
  QWidget* viewWidget(const QString& view);
  static QStringList viewNames();
  void setDark(bool dark);
  long lastStep() const { return lastStep_; }
  void flushViews();  // replot now (screenshots)

  // Figures (ui/export/figure_export.h): `view` as PNG/SVG/PDF by the suffix of `path`.
  // Slide style: the light presentation palette and text sized for the figure's height, for
  // the export only.
  bool exportView(const QString& view, const QString& path, QSize size = {}, double scale = 1.0,
                  QString* error = nullptr, bool slideStyle = false);
  // Experiment files, run by the worker; the answer arrives as fileFinished. A bad file
  // shows a message box (unless quiet) and leaves the open experiment as it was.
  void openExperimentFile(const QString& path);
  // A preset JSON file: listed in the chooser and built (a bad one shows a message box
  // naming the file and what is wrong; the open experiment goes on). True if it loaded.
  bool openPresetFile(const QString& path);
  void saveExperimentFile(const QString& path);
  QString experimentFile() const { return currentFile_; }
  void setQuietErrors(bool quiet) { quietErrors_ = quiet; }  // tests: no message boxes
  // A failure the user must see (a build that failed, a bad file): a warning box that does
  // not block the event loop; a newer failure replaces the text of one still open.
  void showError(const QString& title, const QString& text);
  QString lastError() const { return lastError_; }

  // Timeline: the kept frames, the scrubber (index into frames; -1 = live).
  const AttentionTimeline& timeline() const { return timeline_; }
  void showTimelineFrame(int index);
  int timelineFrame() const { return live_ ? -1 : frameIndex_; }
  bool exportTimelineStrip(const QString& path, int k, QString* error = nullptr);

  // Presentation (F11): full screen, larger fonts, thicker lines, high-contrast light theme.
  void setPresentationMode(bool on);
  bool presentationMode() const { return presentation_; }
  // Classroom: the settings dock and the training toolbar hidden, the views left.
  void setClassroomMode(bool on);
  bool classroomMode() const { return classroom_; }
  QAction* presentationAction() const { return presentationAction_; }
  VerdictOverSeeds& verdictOverSeeds() { return *verdict_; }

 signals:
  void fileFinished(attent::app::FileAction action, QString path, QString error);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void fitPresentationFont();
  void withSlideStyle(int figureHeight, const std::function<void()>& work);

 private:
  void onSnapshot(app::SnapshotPtr snapshot);
  void updateViews();
  void onBuilt(const QString& preset, const QStringList& runs, qlonglong total);
  void applyPreset(const app::PresetInfo& preset, bool confirm);
  // The constructor's parts, in its order.
  void createViews();
  void createTrainingBar();
  void createStatusBar();
  void createMenus();
  void connectController();
  void connectViews();
  void createFileMenu(QMenu* file);
  // File > Export figure and Export timeline strip: ask what and where, then write it.
  void exportFigureDialog();
  void exportTimelineStripDialog();
  void createPresentationActions(QMenu* view);
  void createTimelineBar();
  void onFileDone(app::FileAction action, const QString& path, const QString& error);
  // Autosave to this window's recovery file, and offer to restore one an abnormal exit left.
  void startRecovery();
  void updateTimelineBar();
  QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* widget,
                       Qt::DockWidgetArea area);

  app::Catalog catalog_;
  WindowOptions options_;
  // Declared before the controller, so it is destroyed after the worker thread has joined:
  // nothing autosaves once the recovery file is removed.
  std::unique_ptr<RecoverySession> recovery_;
  QString restoring_;  // an abandoned recovery file being opened
  std::unique_ptr<app::TrainingController> controller_;
  LossView* loss_;
  AttentionView* attention_;
  PicksView* picks_;
  DiagnosticsView* diagnostics_;
  PresetPanel* presets_;
  WindowPanes panes_;         // the key figure's slot, the docks and what they hold
  app::PresetLayout layout_;  // the current preset's (preset_layout.h)
  QLabel *banner_, *stepLabel_, *rateLabel_, *computeLabel_, *messageLabel_;
  void showMessage(const QString& text);
  QAction *play_, *step_, *reset_, *darkAction_;
  QComboBox* speed_;
  StallMeter* stalls_ = nullptr;
  VerdictOverSeeds* verdict_ = nullptr;  // Experiment > Verdict over seeds (seed_verdict_action.h)
  // CPU budget of the UI thread: views are refreshed from the latest snapshot at most
  // every `frameInterval_` ms, which grows with what the UI thread spent since the last frame
  // (taking in snapshots, painting every view and chart, this frame's update).
  QTimer* frameTimer_ = nullptr;
  app::SnapshotPtr latest_;
  qint64 uiCpuNsAtFrame_ = 0;
  int frameInterval_ = 33;
  long frames_ = 0;
  long lastStep_ = 0;
  long snapshots_ = 0;
  double lastRate_ = 0;
  bool dark_ = false;
  // Files, timeline, presentation (main_window_actions.cpp).
  QString currentFile_, pendingFile_;
  bool quietErrors_ = false;
  QString lastError_;
  QPointer<QMessageBox> errorBox_;
  AttentionTimeline timeline_;
  QToolBar* timelineBar_ = nullptr;
  QToolBar* trainingBar_ = nullptr;
  QSlider* scrub_ = nullptr;
  QLabel* scrubLabel_ = nullptr;
  bool live_ = true;
  int frameIndex_ = -1;
  bool presentation_ = false, classroom_ = false, wasMaximized_ = false;
  QFont baseFont_;
  QAction *presentationAction_ = nullptr, *classroomAction_ = nullptr;
};

}  // namespace attent::ui

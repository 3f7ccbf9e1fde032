#pragma once
// The papers' diagnostics from RunSnapshot::diagnostics, drawn as the learners describe them
// (DiagnosticPanel): series over steps, heatmaps, scatter plots over a theory curve, and curves
// the engine computed once (the mosaic toy). The panels' painters are in ui/diagnostic_panels.h;
// this view lays the panels out in a grid and answers hovers.
#include <QWidget>
#include <vector>

#include "app/worker/training_worker.h"
#include "ui/diagnostic_panels.h"

namespace attent::ui {

class DiagnosticsView : public QWidget {
  Q_OBJECT
 public:
  explicit DiagnosticsView(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  void clearHistory();  // forgets the experiment shown (a reset, another preset)
  // Timeline scrubbing: the heatmaps and phase points of a kept `frame`, the series over steps
  // as they are with a cursor at its step; null returns to live.
  void showFrame(app::SnapshotPtr frame);
  long frameStep() const { return frame_ ? frame_->step : -1; }
  int panelCount() const { return int(cells_.size()); }
  QSize sizeHint() const override { return {640, 360}; }

  // Where each panel goes at the view's width: its header (title and unit lines) and the area
  // below it for the plot.
  struct Placed {
    PanelCell cell;
    QRectF header, area;
  };
  const std::vector<Placed>& placedPanels() const { return placed_; }
  // The panel's words as painted (tests): title, and the unit line under it.
  QString titleOf(const PanelCell& cell) const { return panelTitle(cell, input()); }
  QString subtitleOf(const PanelCell& cell) const { return panelSubtitle(cell, input()); }
  // A curve's name and value near `pos`; elsewhere over a panel its note and keys.
  QString hoverText(QPointF pos) const;
  PanelInput input() const;  // valid while a snapshot is set

 protected:
  void paintEvent(QPaintEvent*) override;
  void resizeEvent(QResizeEvent*) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  std::vector<PanelCell> buildCells() const;
  std::vector<Placed> layoutFor(int width) const;
  // Lays the panels out at the current width (the titles measured once, not per paint) and
  // asks the scroll area for the height they need.
  void relayout();
  double legendHeight() const;
  app::SnapshotPtr snapshot_;
  app::SnapshotPtr frame_;        // scrubbed-to timeline frame, or null (live)
  std::vector<PanelCell> cells_;  // of snapshot_'s described panels
  std::vector<Placed> placed_;    // cells_ laid out at width()
};

}  // namespace attent::ui

#pragma once
// The papers' diagnostics from RunSnapshot::diagnostics, drawn generically so every
// learner's keys show up: point sets as phase plots (topic.sen over the SEN theory
// curve), scalars over steps (log scale when positive: SCB distances, mu(t), nu(t)),
// matrices as heatmaps (SCB's V and A against the truth, the mosaic signature), and for
// mosaic runs the closed-form toy's nu(t), mu(t) (ui/toy_panel.h).
#include <QPixmap>
#include <QWidget>
#include <map>
#include <vector>

#include "app/worker/training_worker.h"
#include "ui/toy_panel.h"

namespace attent::ui {

class DiagnosticsView : public QWidget {
  Q_OBJECT
 public:
  explicit DiagnosticsView(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  void clearHistory();
  // Timeline scrubbing: the heatmaps and phase points of a kept `frame`, the scalar series
  // as they are with a cursor at its step; null returns to live.
  void showFrame(app::SnapshotPtr frame);
  long frameStep() const { return frame_ ? frame_->step : -1; }
  int panelCount() const;
  QSize sizeHint() const override { return {640, 360}; }

  // The SEN identity's right-hand side, sqrt(2s + (2/m)(e^s - 1)) (docs/SCIENCE.md section 2).
  static double senTheory(double s, double m);

  // The mosaic toy's cached curves when the snapshot is a mosaic one (its runs report the
  // "mosaic.m", "mosaic.C" diagnostics: segments, classes), else null.
  const ToyCurves* toyCurves() const { return toyShown_ ? toy_.cached() : nullptr; }
  // Where the toy's nu / mu plot was last painted (empty before a paint or without the toy).
  QRectF toyPlotRect(ToyPanel::Quantity q) const;
  const ToyPanel& toyPanel() const { return toy_; }

 protected:
  void paintEvent(QPaintEvent*) override;
  void resizeEvent(QResizeEvent*) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  struct Panel {
    enum Kind { Points, Scalar, MatrixMap, ToyNu, ToyMu } kind;
    std::string key;
    std::string run;  // matrices: one panel per run
  };
  std::vector<Panel> buildPanels() const;
  int heightFor(int width) const;
  app::SnapshotPtr snapshot_;
  app::SnapshotPtr frame_;  // scrubbed-to timeline frame, or null (live)
  // scalar key -> run -> (step, value), appended per snapshot (at most ~30 Hz).
  std::map<std::string, std::map<std::string, std::vector<std::pair<long, double>>>> scalars_;
  long lastStep_ = -1;
  ToyPanel toy_;
  bool toyShown_ = false;
  std::map<ToyPanel::Quantity, QRectF> toyPlots_;  // from the last paint, for hover
  // The toy's plots never change while training; painted once per size, theme and (m, C)
  // (antialiased curves cost ~15 ms a plot) and blitted after that, on screen only.
  struct ToyImage {
    QString key;
    QPixmap pixmap;
  };
  std::map<ToyPanel::Quantity, ToyImage> toyImages_;
};

}  // namespace attent::ui

#pragma once
// Attention over an image probe: the digit drawn large with what the classifier's read-out
// (its class token, or with mean pooling the mean query) attends to over the patches as a
// translucent heat layer, the runs side by side on one colour scale with its legend. A layer
// and a head, their mean, or the rollout through all layers (engine/learners/attention_rollout.h)
// is chosen above; hovering a patch gives its exact weight.
#include <QWidget>
#include <vector>

#include "app/worker/training_worker.h"

class QComboBox;

namespace attent::ui {

// An example's image as dark ink on white, one pixel per value.
QImage grayImage(const ExampleView& v);

class ImageAttentionCanvas : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kRollout = -1;  // setLayer: the rollout through all layers
  explicit ImageAttentionCanvas(QWidget* parent = nullptr);
  // True when the probe is an image whose patches the runs' read-out attention covers.
  static bool showsImage(const Snapshot& snapshot);
  void setSnapshot(app::SnapshotPtr snapshot);
  void setLayer(int layer);
  void setHead(int head);  // -1: the mean of heads
  // The weight drawn on patch `patch` of run `run` (NaN when not drawn), the colour scale's top,
  // where a patch is drawn and what a hover says there: exposed for tests.
  float shownValue(int run, int patch) const;
  float scaleTop() const { return scaleTop_; }
  QRectF patchRect(int run, int patch);
  QString hoverText(QPointF pos);
  QSize sizeHint() const override { return {560, 360}; }
  QSize minimumSizeHint() const override { return {240, 220}; }

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;

 private:
  struct Panel {
    const RunSnapshot* run = nullptr;
    int index = 0;  // in snapshot->runs, for its colour
    QRectF title, image;
  };
  void layOut();
  QString describe() const;     // what is shown: the read-out, then shownLayers()
  QString shownLayers() const;  // "layer 2, head 3"; panels_ not empty
  QRectF patchOf(const Panel& panel, int patch) const;
  void paintPanel(QPainter& p, const Panel& panel) const;
  void paintLegend(QPainter& p, const QRectF& bar) const;
  app::SnapshotPtr snapshot_;
  std::vector<Panel> panels_;
  int layer_ = 1 << 20, head_ = -1;  // layer clamped to the last one
  float scaleTop_ = 1;
  int columns_ = 0, rows_ = 0;  // the patch grid
  QRectF legend_;
  QSize laidOut_;
};

class ImageAttentionView : public QWidget {
  Q_OBJECT
 public:
  explicit ImageAttentionView(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  ImageAttentionCanvas* canvas() const { return canvas_; }
  QComboBox* layerBox() const { return layer_; }
  QComboBox* headBox() const { return head_; }

 private:
  void refill(int layers, int heads);  // the choices, keeping the current ones where they exist
  ImageAttentionCanvas* canvas_;
  QComboBox* layer_;
  QComboBox* head_;
};

}  // namespace attent::ui

#pragma once
// Attention maps of the probe example: a heatmap per layer x head for each run side by
// side, token labels on both axes, a colour legend, hover (query, key, weight), a
// teacher-minus-random difference map, mean over heads and ground-truth overlays.
#include <QWidget>
#include <vector>

#include "app/worker/training_worker.h"

class QSpinBox;
class QCheckBox;
class QLabel;
class QToolButton;
class QScrollArea;

namespace attent::ui {

class TokenAttentionText;
class ImageAttentionView;
class FocusAttentionView;

class AttentionCanvas : public QWidget {
  Q_OBJECT
 public:
  explicit AttentionCanvas(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  void setMeanOverHeads(bool on);
  void setDifference(bool on);
  void setOverlay(bool on);
  // The text a hover at `pos` shows (empty outside a map); exposed for tests.
  QString hoverText(QPointF pos);
  QSize sizeHint() const override { return {520, 360}; }

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;

 private:
  struct Cell {  // one drawn heatmap, for hit-testing
    QRectF rect;
    QString run;
    int layer = 0, head = -1;   // head -1: mean over heads
    int heads = 1;              // maps drawn in its layer's row
    std::vector<float> values;  // queries x keys as drawn
    int queries = 0, keys = 0;
    const std::vector<std::string>* queryLabels = nullptr;
    const std::vector<std::string>* keyLabels = nullptr;
  };
  struct Column {  // one run's maps, or a difference of two runs' maps
    QString title;
    const AttentionMaps* maps;
    const AttentionMaps* minus;  // difference: maps - minus
  };
  struct Geometry {  // the size of one map and its cells, the room for labels
    double cellW = 0, cellH = 0, rowLabels = 0;
  };
  void layoutCells();
  std::vector<Column> columns() const;
  Geometry geometry(const AttentionMaps& first, int heads, double colW) const;
  void addColumnCells(const Column& col, double x0, const Geometry& g, int layers, int heads);
  double legendWidth() const;
  void drawCellLabel(QPainter& p, const Cell& c) const;
  app::SnapshotPtr snapshot_;
  bool mean_ = false, difference_ = true, overlay_ = true;
  std::vector<Cell> cells_;
  std::vector<std::pair<QRectF, QString>> titles_;
  float diffScale_ = 0;
  int layers_ = 0;
  bool layoutDirty_ = true;
  QSize laidOutSize_;
};

class AttentionView : public QWidget {
  Q_OBJECT
 public:
  explicit AttentionView(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  AttentionCanvas* canvas() const { return canvas_; }
  TokenAttentionText* textView() const { return text_; }
  ImageAttentionView* imageView() const { return image_; }
  FocusAttentionView* focusView() const { return focus_; }
  // What the maps show, as the bar says it: "held-out example 3" or "pool example 17 (a
  // teacher's pick)".
  QString sourceText() const;
 signals:
  // The user chose held-out example `probe` (also to leave a pool example shown).
  void probeChanged(int probe);

 private:
  // The image view for an image probe, the text view for a text probe, the focus view for a
  // single query over the probe (each unless unticked), else the maps.
  void showTextOrMaps();
  QWidget* makeMatrixOptions();  // mean of heads, difference, truth: the matrices' switches
  QCheckBox* presentationBox(const QString& text, const QString& tip);
  QWidget* matrixOptions_;
  AttentionCanvas* canvas_;
  TokenAttentionText* text_;
  ImageAttentionView* image_;
  FocusAttentionView* focus_;
  QScrollArea* textScroll_;
  QCheckBox* asText_;
  QCheckBox* asImage_;
  QCheckBox* asFocus_;
  QSpinBox* probe_;
  QLabel* source_;
  QToolButton* back_;
};

}  // namespace attent::ui

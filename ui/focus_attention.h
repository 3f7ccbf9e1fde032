#pragma once
// Where one query's attention falls in the probe, drawn on the probe itself: the topic-words
// model's query over the sentence's words, SCB's column of A over the positions, the mosaic's
// focus over its segments (as digits where the mosaic is made of digits). Each run is a row of
// items shaded on one colour scale for the comparison, the ground truth outlined (the topic
// word, the true positions, the foreground segment), the weight printed under each item and
// given exactly by a hover.
#include <QWidget>
#include <vector>

#include "app/worker/training_worker.h"

namespace attent::ui {

class FocusAttentionView : public QWidget {
  Q_OBJECT
 public:
  explicit FocusAttentionView(QWidget* parent = nullptr);
  // True when every run's maps of the probe have a single query over the probe's items.
  static bool showsFocus(const Snapshot& snapshot);
  void setSnapshot(app::SnapshotPtr snapshot);
  // The colour scale (one for every run: 0 to top, or -top to top when a weight is negative),
  // where item `item` of row `row` is drawn and what a hover says: exposed for tests.
  float scaleTop() const { return top_; }
  bool diverging() const { return diverging_; }
  int rowCount();
  QRectF itemRect(int row, int item);
  QString hoverText(QPointF pos);
  QSize sizeHint() const override { return {560, 360}; }
  QSize minimumSizeHint() const override { return {240, 120}; }

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;

 private:
  struct Row {  // one run (and, for deeper learners, one layer and head)
    const RunSnapshot* run = nullptr;
    int index = 0;  // in snapshot->runs, for its colour
    int layer = 0, head = 0;
    QString title;
    QRectF titleRect;
    std::vector<QRectF> items;
  };
  void layOut();
  // Lays the rows out with item text in `itemFont`; returns the height used.
  double layRows(const QFont& itemFont);
  void layStrips(double top);  // each run's items as one line next to its name
  float weight(const Row& row, int item) const;
  bool isTruth(int item) const;
  QString unit() const;
  void paintRow(QPainter& p, const Row& row) const;
  void paintItem(QPainter& p, const Row& row, int item) const;
  void paintLegend(QPainter& p) const;
  app::SnapshotPtr snapshot_;
  std::vector<Row> rows_;
  QImage tiles_;  // the probe's image where each item is one of its tiles, else null
  QFont itemFont_;
  bool numbers_ = true, compact_ = false;  // the weights under the items; one strip per run
  QString about_, truth_;                  // the header; what the outline marks, in words
  QRectF header_, unit_, bar_, truthKey_;  // the description, the legend's words, bar and truth
  float top_ = 1;
  bool diverging_ = false;
  QSize laidOut_;
};

}  // namespace attent::ui

#pragma once
// The epoch budget's plots in the teacher's picks dock (the engine's EpochTimeline and
// SubsetClasses, as the snapshot carries them):
//   CycleTimeline  epochs along x: whole-pool and subset phases shaded apart, the kept
//                  fraction r_c as a step line against a right axis in %, the scoring passes
//                  marked, the teacher's epoch now as a cursor
//   ClassShares    per class, its share of the current subset beside its share of the pool
#include <QWidget>
#include <vector>

#include "engine/teach/snapshot.h"

namespace attent::ui {

class CycleTimeline : public QWidget {
 public:
  // Consecutive epochs of one kind (the whole pool, or one subset) merged, in epochs.
  struct Band {
    double from = 0, to = 0;
    bool subset = false;
    double ratio = 1;
    bool scored = false;  // a scoring pass over the pool opens it
  };
  explicit CycleTimeline(QWidget* parent = nullptr) : QWidget(parent) {}
  void setTimeline(EpochTimeline timeline);
  std::vector<Band> bands() const;
  // Where epoch `e` is drawn, and the plot's rectangle (for tests), at the current size.
  double xOf(double epoch) const;
  QRectF plotArea() const;
  QSize minimumSizeHint() const override { return {200, 110}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  void paintBands(QPainter& p, const QRectF& plot) const;
  EpochTimeline timeline_;
};

class ClassShares : public QWidget {
 public:
  explicit ClassShares(QWidget* parent = nullptr) : QWidget(parent) {}
  void setClasses(SubsetClasses classes);
  QSize minimumSizeHint() const override { return {200, 110}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  SubsetClasses classes_;
};

// Colours of the two kinds of epoch, shared with the class shares' subset bars.
QColor subsetColour();
QColor poolColour(const QPalette& pal);

}  // namespace attent::ui

#pragma once
// One teacher's part of the picks dock: its title, the top of its subset, the pool's scores
// and its schedule. Under the epoch budget the schedule is the cycle timeline, with the
// subset's classes against the pool's, its overlap with the previous subset and the planned
// against the measured saving in words; otherwise the kept fraction over steps.
#include <QWidget>

#include "engine/teach/snapshot.h"

class QLabel;
class QGridLayout;

namespace attent::ui {

class PickList;
class ScoreHistogram;
class RatioPlot;
class CycleTimeline;
class ClassShares;

class TeacherPanel : public QWidget {
  Q_OBJECT
 public:
  TeacherPanel(const QString& run, int runIndex, RunRole role, bool epochs, QWidget* parent = nullptr);
  void setRun(const RunSnapshot& run, const Snapshot& snapshot);
  const QString& run() const { return run_; }
  bool epochs() const { return timeline_ != nullptr; }
  CycleTimeline* timeline() const { return timeline_; }
  ClassShares* classes() const { return classes_; }
  PickList* list() const { return list_; }
  QString notes() const;

 signals:
  void pickClicked(QString run, int poolIndex, QString description);

 private:
  QString run_;
  QColor colour_;
  QGridLayout* grid_;
  QLabel *title_, *notes_ = nullptr;
  PickList* list_;
  ScoreHistogram* scores_;
  RatioPlot* ratio_ = nullptr;
  CycleTimeline* timeline_ = nullptr;
  ClassShares* classes_ = nullptr;
};

// The overlap of a subset with the previous one, in words.
QString overlapWords(const SubsetClasses& classes, bool scoringPasses);

}  // namespace attent::ui

#pragma once
// The teacher's picks: one panel per run whose teacher keeps a subset (teacher_panel.h): the
// subset's top examples, the pool's scores, and the schedule (the cycle timeline, the
// subset's classes and the planned against the measured saving under the epoch budget).
#include <QWidget>
#include <vector>

#include "app/worker/training_worker.h"

class QLabel;
class QVBoxLayout;

namespace attent::ui {

class TeacherPanel;

class PicksView : public QWidget {
  Q_OBJECT
 public:
  explicit PicksView(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  QSize sizeHint() const override { return {640, 300}; }
  const std::vector<TeacherPanel*>& panels() const { return panels_; }

 signals:
  // A pick was clicked: its run, pool index and rendering.
  void pickClicked(QString run, int poolIndex, QString description);

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  void rebuild(const std::vector<const RunSnapshot*>& teachers);
  app::SnapshotPtr snapshot_;
  QVBoxLayout* layout_;
  QLabel* message_;
  std::vector<TeacherPanel*> panels_;
};

}  // namespace attent::ui

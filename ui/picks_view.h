#pragma once
// The teacher's picks: the current subset's top examples (text shaded by per-token loss,
// digits as images) with rank, score, loss and times picked; a histogram of the pool's
// scores with the selection threshold; the ratio schedule with the current point.
#include <QWidget>

#include "app/worker/training_worker.h"

namespace attent::ui {

class PicksView : public QWidget {
  Q_OBJECT
 public:
  explicit PicksView(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  QSize sizeHint() const override { return {640, 300}; }

 signals:
  // A pick was clicked: its run, pool index and rendering.
  void pickClicked(QString run, int poolIndex, QString description);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;

 private:
  app::SnapshotPtr snapshot_;
  struct Hit {
    QRectF rect;
    QString run;
    int index;
    QString description;
  };
  std::vector<Hit> hits_;
};

}  // namespace attent::ui

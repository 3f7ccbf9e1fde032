#pragma once
// The top of a teacher's current subset, best first: rank, score, loss and times picked, then
// the example (text shaded by per-token loss, digits as images). Clicking a row names it.
#include <QWidget>
#include <vector>

#include "engine/teach/snapshot.h"

namespace attent::ui {

class PickList : public QWidget {
  Q_OBJECT
 public:
  explicit PickList(QWidget* parent = nullptr);
  void setPicks(std::vector<TeacherPick> picks);
  QSize sizeHint() const override { return {320, 200}; }
  QSize minimumSizeHint() const override { return {160, 70}; }

 signals:
  void pickClicked(int poolIndex, QString description);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;

 private:
  QString numbers(const TeacherPick* pick, bool scoreIsLoss, bool picked) const;  // header without a pick
  std::vector<TeacherPick> picks_;
  std::vector<std::pair<QRectF, std::size_t>> rows_;  // painted rows and their picks
};

}  // namespace attent::ui

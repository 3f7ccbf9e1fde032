#include "ui/picks_view.h"

#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include "ui/teacher_panel.h"

namespace attent::ui {

PicksView::PicksView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(300, 160);
  setAutoFillBackground(false);
  layout_ = new QVBoxLayout(this);
  layout_->setContentsMargins(0, 0, 0, 0);
  message_ = new QLabel(tr("Waiting for the first snapshot"));
  message_->setAlignment(Qt::AlignCenter);
  message_->setWordWrap(true);
  layout_->addWidget(message_);
}

void PicksView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
}

void PicksView::rebuild(const std::vector<const RunSnapshot*>& teachers) {
  for (TeacherPanel* panel : panels_) delete panel;
  panels_.clear();
  for (std::size_t t = 0; t < teachers.size(); ++t) {
    const RunSnapshot& run = *teachers[t];
    auto* panel = new TeacherPanel(QString::fromStdString(run.name), int(t), run.role,
                                   !run.teacher.timeline.plan.empty());
    connect(panel, &TeacherPanel::pickClicked, this, &PicksView::pickClicked);
    layout_->addWidget(panel, 1);
    panels_.push_back(panel);
  }
}

void PicksView::setSnapshot(app::SnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  std::vector<const RunSnapshot*> teachers;
  if (snapshot_)
    for (const auto& r : snapshot_->runs)
      if (!r.teacher.picks.empty() || !r.teacher.poolScores.empty()) teachers.push_back(&r);
  bool same = teachers.size() == panels_.size();
  for (std::size_t t = 0; same && t < teachers.size(); ++t)
    same = panels_[t]->run() == QString::fromStdString(teachers[t]->name) &&
           panels_[t]->epochs() == !teachers[t]->teacher.timeline.plan.empty();
  if (!same) rebuild(teachers);
  for (std::size_t t = 0; t < teachers.size(); ++t) panels_[t]->setRun(*teachers[t], *snapshot_);
  message_->setVisible(teachers.empty());
  message_->setText(snapshot_ ? tr("No teacher picks in this preset (every run samples at random)")
                              : tr("Waiting for the first snapshot"));
}

}  // namespace attent::ui

#include "ui/teacher_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <cmath>

#include "ui/epoch_plots.h"
#include "ui/paint_util.h"
#include "ui/pick_list.h"
#include "ui/picks_plots.h"

namespace attent::ui {

QString overlapWords(const SubsetClasses& c, bool scoringPasses) {
  if (c.subsetSize == 0 || c.overlapWithPrevious == kOverlapUnknown) return {};
  if (std::isfinite(c.overlapWithPrevious))
    return TeacherPanel::tr("%1% of this subset was also in the previous one.")
        .arg(std::lround(100 * c.overlapWithPrevious));
  return scoringPasses ? TeacherPanel::tr("The first subset: no earlier one to compare with.")
                       : TeacherPanel::tr("The subset is chosen once, from epoch 1's training losses.");
}

TeacherPanel::TeacherPanel(const QString& run, int runIndex, RunRole role, bool epochs, QWidget* parent)
    : QWidget(parent), run_(run), colour_(runColor(runIndex, role)) {
  grid_ = new QGridLayout(this);
  grid_->setContentsMargins(4, 2, 4, 2);
  grid_->setSpacing(6);
  title_ = new QLabel;
  title_->setWordWrap(true);
  QFont bold = font();
  bold.setBold(true);
  title_->setFont(bold);
  QPalette pal = title_->palette();
  pal.setColor(QPalette::WindowText, colour_);
  title_->setPalette(pal);
  list_ = new PickList;
  scores_ = new ScoreHistogram;
  grid_->addWidget(title_, 0, 0, 1, 2);
  if (epochs) {
    // The list and the timeline above, the pool's scores and the classes below, words last.
    timeline_ = new CycleTimeline;
    classes_ = new ClassShares;
    notes_ = new QLabel;
    notes_->setWordWrap(true);
    grid_->addWidget(list_, 1, 0);
    grid_->addWidget(timeline_, 1, 1);
    grid_->addWidget(scores_, 2, 0);
    grid_->addWidget(classes_, 2, 1);
    grid_->addWidget(notes_, 3, 0, 1, 2);
    grid_->setColumnStretch(0, 1);
    grid_->setColumnStretch(1, 1);
  } else {
    ratio_ = new RatioPlot;
    grid_->addWidget(list_, 1, 0, 2, 1);
    grid_->addWidget(scores_, 1, 1);
    grid_->addWidget(ratio_, 2, 1);
    grid_->setColumnStretch(0, 58);
    grid_->setColumnStretch(1, 42);
  }
  grid_->setRowStretch(1, 1);  // the plots take the height, the title and words what they need
  grid_->setRowStretch(2, 1);
  connect(list_, &PickList::pickClicked, this,
          [this](int index, const QString& description) { emit pickClicked(run_, index, description); });
}

void TeacherPanel::setRun(const RunSnapshot& run, const Snapshot& s) {
  const TeacherView& view = run.teacher;
  title_->setText(
      tr("%1: trains on %2% of the pool now").arg(runTitle(run.name)).arg(std::lround(100 * view.ratio)));
  list_->setPicks(view.picks);
  scores_->setScores(view.poolScores, view.threshold);
  if (ratio_) ratio_->setSchedule(view.ratioSchedule, run.step, view.ratio, s.totalSteps, colour_);
  if (!timeline_) return;
  timeline_->setTimeline(view.timeline);
  classes_->setClasses(view.classes);
  // A language model has no classes: the pool's scores take the row.
  const bool classes = !view.classes.names.empty();
  if (classes != classes_->isVisibleTo(this)) {
    classes_->setVisible(classes);
    grid_->removeWidget(scores_);
    grid_->addWidget(scores_, 2, 0, 1, classes ? 1 : 2);
  }
  QStringList words;
  const QString overlap = overlapWords(view.classes, view.timeline.scoringPasses);
  if (!overlap.isEmpty()) words << overlap;
  if (!s.epochSaving.words.empty()) words << QString::fromStdString(s.epochSaving.words);
  notes_->setText(words.join(QLatin1Char(' ')));
}

QString TeacherPanel::notes() const { return notes_ ? notes_->text() : QString(); }

}  // namespace attent::ui

// The teacher's picks under the epoch budget, as a user reads them: the cycle timeline's
// shading follows the plan, the subset's classes and its overlap are shown in words and bars,
// the planned and measured savings are the engine's, and the loss view offers epochs.
#include <QComboBox>
#include <QStandardItemModel>
#include <QtTest>
#include <cmath>

#include "engine/teach/epoch_plan.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/tiny_digits_vit.h"
#include "ui/epoch_plots.h"
#include "ui/loss_view.h"
#include "ui/pick_list.h"
#include "ui/picks_view.h"
#include "ui/teacher_panel.h"
#include "view_test_util.h"

using namespace attent;
using namespace attent::ui;
using namespace attent::test;

namespace {

// A tiny digits ViT into epoch 2 (its first subset) of a 5-epoch plan in 2 cycles.
app::SnapshotPtr epochSnapshot(int extraSteps = 2) {
  Settings s = experimentSettings("digits-vit");
  for (auto [k, v] : kTinyDigitsVit) s.set(k, v);
  for (auto [k, v] : {std::pair{"epochs.count", "5"},
                      {"epochs.cycles", "2"},
                      {"epochs.interval", "1"},
                      {"train.batch", "64"},
                      {"experiment.log_every", "1"}})
    s.set(k, v);
  auto e = buildExperiment("digits-vit", s, 1);
  for (int i = 0; i < (898 + 63) / 64 + extraSteps; ++i) e->step();
  return std::make_shared<const Snapshot>(e->snapshot(0));
}

bool sameRgb(QColor a, QColor b) { return a.rgb() == b.rgb(); }

}  // namespace

class TestPicksEpochs : public QObject {
  Q_OBJECT
 private slots:
  // digits-vit's plan: epoch 1 on the pool, then 4 cycles of 3 subset epochs and 2 pool epochs.
  void timelineShadesThePlansPhases() {
    EpochPlanConfig c;
    c.epochs = 21;
    c.cycles = 4;
    c.interval = 3;
    CycleTimeline timeline;
    timeline.setTimeline({planEpochs(c), kNoValue, 100, true});
    const auto bands = timeline.bands();
    QCOMPARE(bands.size(), std::size_t(9));
    QVERIFY(!bands[0].subset && bands[0].from == 0 && bands[0].to == 1);
    for (int cycle = 0; cycle < 4; ++cycle) {
      const auto &subset = bands[std::size_t(1 + 2 * cycle)], &pool = bands[std::size_t(2 + 2 * cycle)];
      QVERIFY(subset.subset && subset.scored && !pool.subset && !pool.scored);
      QCOMPARE(subset.from, 1.0 + 5 * cycle);
      QCOMPARE(subset.to, 4.0 + 5 * cycle);
      QCOMPARE(pool.to, 6.0 + 5 * cycle);
      QVERIFY(std::abs(subset.ratio - (0.2 + 0.2 * cycle)) < 1e-12);
    }
    // On screen: a subset epoch's column in the subset colour, a pool epoch's not.
    const QImage image = render(timeline, {600, 200});
    const QRectF plot = timeline.plotArea();
    const int y = int(plot.bottom() - 3);
    for (int k = 0; k < 21; ++k) {
      const QColor pixel = image.pixelColor(int(timeline.xOf(k + 0.5)), y);
      QVERIFY2(sameRgb(pixel, subsetColour()) == planEpochs(c)[std::size_t(k)].subset,
               qPrintable(QString::number(k)));
    }
  }

  // The LLM form: epoch 1 on the pool, then one subset, chosen without a scoring pass.
  void llmTimelineHasOneSubset() {
    EpochPlanConfig c;
    c.form = EpochForm::Llm;
    c.epochs = 4;
    CycleTimeline timeline;
    timeline.setTimeline({planEpochs(c), 2.5, 100, false});
    const auto bands = timeline.bands();
    QCOMPARE(bands.size(), std::size_t(2));
    QVERIFY(bands[1].subset && !bands[1].scored && bands[1].from == 1 && bands[1].to == 4);
    QVERIFY(distinctColours(render(timeline, {300, 120})) > 5);
  }

  void overlapInWords() {
    SubsetClasses c;
    c.subsetSize = 10;
    c.overlapWithPrevious = 0.62;
    QCOMPARE(overlapWords(c, true), QString("62% of this subset was also in the previous one."));
    c.overlapWithPrevious = kNoValue;
    QCOMPARE(overlapWords(c, true), QString("The first subset: no earlier one to compare with."));
  }

  // The window's dock for digits-vit: one panel for the attent arm, with the engine's words.
  void picksViewShowsTheEpochPanel() {
    const auto snap = epochSnapshot();
    PicksView view;
    view.setSnapshot(snap);
    QCOMPARE(view.panels().size(), std::size_t(1));
    TeacherPanel* panel = view.panels()[0];
    QCOMPARE(panel->run(), QString("attent"));
    QVERIFY(panel->epochs());
    QCOMPARE(panel->timeline()->bands().size(), std::size_t(5));
    QVERIFY(panel->notes().contains("The first subset"));
    QVERIFY(panel->notes().contains(QString::fromStdString(snap->epochSaving.words)));
    QVERIFY(panel->notes().contains("Planned: "));
    // The dock's size in a 1366 x 768 window.
    QVERIFY(distinctColours(render(view, {490, 330})) > 20);
    QSignalSpy clicked(&view, &PicksView::pickClicked);
    auto* list = panel->list();
    for (int y = 20; y < list->height() && clicked.isEmpty(); y += 4)
      QTest::mouseClick(list, Qt::LeftButton, {}, QPoint(40, y));
    QVERIFY(!clicked.isEmpty());
    QCOMPARE(clicked.first().at(0).toString(), QString("attent"));
  }

  // Epochs are offered as the x axis only for runs whose points carry them.
  void lossViewOffersEpochs() {
    LossView view;
    auto epochsOffered = [&] {
      auto* model = qobject_cast<QStandardItemModel*>(view.findChild<QComboBox*>()->model());
      return model->item(int(XAxis::Epochs))->isEnabled();
    };
    view.setRuns({"attent", "random"});
    view.addSnapshot(fakeSnapshot(20));
    QVERIFY(!epochsOffered());
    view.setRuns({"full", "attent", "random-subset", "short-full"});
    view.addSnapshot(epochSnapshot(0));
    QVERIFY(epochsOffered());
    view.setXAxis(XAxis::Epochs);
    view.replot();
    // x is in epochs: the attent arm's point nearest epoch 1 is at the end of epoch 1.
    QVERIFY2(view.hoverText(1, 1.0).contains("epoch 1.00"), qPrintable(view.hoverText(1, 1.0)));
    QVERIFY(distinctColours(render(view, {800, 500})) > 20);
  }
};

QTEST_MAIN(TestPicksEpochs)
#include "test_picks_epochs.moc"

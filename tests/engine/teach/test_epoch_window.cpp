// What the window shows of the epoch-budget protocol, computed in the engine: the planned
// saving against hand counts, the subset's classes and its overlap with the previous subset on
// hand-made pools, and in a real experiment the timeline, classes and saving the snapshot
// carries.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/teach/epoch_plan.h"
#include "engine/teach/epoch_saving.h"
#include "engine/teach/epoch_verdict.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/subset_stats.h"
#include "engine/teach/tiny_digits_vit.h"

using namespace attent;

namespace {

bool near(double a, double b) { return std::abs(a - b) < 1e-12; }

// Pool 10; 5 epochs: the pool, then 2 cycles of (a subset, the pool) at 20% and 80%.
EpochTimeline smallVitTimeline() {
  EpochPlanConfig c;
  c.epochs = 5;
  c.cycles = 2;
  c.interval = 1;
  return {planEpochs(c), 0.0, 10, true};
}

}  // namespace

class TestEpochWindow : public QObject {
  Q_OBJECT
 private slots:
  void plannedSavingByHand() {
    const EpochTimeline t = smallVitTimeline();
    // Trained 10 + 2 + 10 + 8 + 10 = 40, two scoring passes of 10 at 1/3: 140/3 of full's 50.
    QVERIFY(near(plannedSaving(t, 5, 1.0 / 3), 1 - 140.0 / 150));
    // By epoch 2.5: 10 + (2 + 10/3) + 5 = 61/3 of full's 25.
    QVERIFY(near(plannedSaving(t, 2.5, 1.0 / 3), 1 - 61.0 / 75));
    QVERIFY(near(plannedSaving(t, 1, 1.0 / 3), 0.0));  // epoch 1 is the whole pool
    QVERIFY(std::isnan(plannedSaving(t, 0, 1.0 / 3)));
    // LLM form: 10 + 7 + 7 of 30, no scoring pass.
    EpochPlanConfig c;
    c.form = EpochForm::Llm;
    c.epochs = 3;
    c.keep = 0.7;
    QVERIFY(near(plannedSaving({planEpochs(c), 0.0, 10, false}, 3, 1.0 / 3), 0.2));
  }

  void measuredScoreCostByHand() {
    // 8 s over 800 trained, 2 s over 400 scored: 0.005 / 0.01.
    QVERIFY(near(measuredScoreCost(10, 2, 800, 400), 0.5));
    QCOMPARE(measuredScoreCost(10, 0, 800, 0), 0.0);
  }

  void overlapOfAHandMadePair() {
    QVERIFY(near(subsetOverlap({1, 2, 3, 4, 5}, {4, 5, 6, 7}, 10), 0.4));
    QVERIFY(near(subsetOverlap({4, 5}, {1, 2, 3, 4, 5}, 10), 1.0));
    QVERIFY(std::isnan(subsetOverlap({1, 2}, {}, 10)));
  }

  void classSharesOfAHandMadePool() {
    // Pool labels a a b b b c (none) c; the subset holds 0 (a), 2 and 3 (b), 6 (no class).
    const SubsetClasses s = subsetClasses({0, 0, 1, 1, 1, 2, -1, 2}, {0, 2, 3, 6}, {"a", "b", "c"});
    QCOMPARE(s.names, (std::vector<std::string>{"a", "b", "c"}));
    QCOMPARE(s.subsetSize, 4);
    QVERIFY(near(s.poolShare[0], 2.0 / 7) && near(s.poolShare[1], 3.0 / 7) && near(s.poolShare[2], 2.0 / 7));
    QVERIFY(near(s.subsetShare[0], 1.0 / 3) && near(s.subsetShare[1], 2.0 / 3) && near(s.subsetShare[2], 0));
    QVERIFY(subsetClasses({-1, -1}, {0}, {}).names.empty());  // a language model: no classes
  }

  // A tiny digits ViT part-way through and at the end of its plan.
  void snapshotCarriesTimelineClassesAndSaving() {
    Settings s = experimentSettings("digits-vit");
    for (auto [k, v] : test::kTinyDigitsVit) QVERIFY2(!s.set(k, v).has_value(), k);
    for (auto [k, v] : {std::pair{"epochs.count", "5"},
                        {"epochs.cycles", "2"},
                        {"epochs.interval", "1"},
                        {"train.batch", "64"},
                        {"experiment.log_every", "1"}})
      QVERIFY2(!s.set(k, v).has_value(), k);
    auto e = buildExperiment("digits-vit", s, 1);
    const int pool = 898, batches = (pool + 63) / 64;
    for (int i = 0; i < batches + 2; ++i) e->step();  // into epoch 2, over the first subset
    Snapshot snap = e->snapshot(0);
    const TeacherView& t = snap.runs[1].teacher;
    EpochPlanConfig c;
    c.epochs = 5;
    c.cycles = 2;
    c.interval = 1;
    const auto plan = planEpochs(c);
    QCOMPARE(int(t.timeline.plan.size()), 5);
    for (std::size_t k = 0; k < plan.size(); ++k) {
      QCOMPARE(t.timeline.plan[k].subset, plan[k].subset);
      QCOMPARE(t.timeline.plan[k].select, plan[k].select);
    }
    QVERIFY(t.timeline.scoringPasses);
    QVERIFY(t.timeline.epoch > 1 && t.timeline.epoch < 2);
    QCOMPARE(t.classes.names.size(), std::size_t(10));
    QCOMPARE(t.classes.subsetSize, subsetExamples(0.2, pool));
    QVERIFY(near(std::accumulate(t.classes.subsetShare.begin(), t.classes.subsetShare.end(), 0.0), 1.0));
    QVERIFY(near(std::accumulate(t.classes.poolShare.begin(), t.classes.poolShare.end(), 0.0), 1.0));
    QVERIFY(std::isnan(t.classes.overlapWithPrevious));  // the first subset
    // Hard top-k: the subset is exactly the scores at or above the histogram's threshold.
    QCOMPARE(long(std::count_if(t.poolScores.begin(), t.poolScores.end(),
                                [&](float x) { return x >= t.threshold; })),
             long(t.classes.subsetSize));
    // The plan's saving: the examples and scoring passes epoch_plan.h counts, at 1/3.
    const double planned =
        1 - (plannedExamples(plan, pool) + plannedScoredExamples(plan, pool, SubsetPick::Hard) / 3.0) /
                (5.0 * pool);
    QVERIFY(near(snap.epochSaving.planned, planned));
    QVERIFY2(snap.epochSaving.words.find("So far: ") != std::string::npos, snap.epochSaving.words.c_str());
    while (!e->finished()) e->step();
    snap = e->snapshot(0);
    const SubsetClasses& last = snap.runs[1].teacher.classes;
    QCOMPARE(last.subsetSize, subsetExamples(0.8, pool));
    // At most the previous subset's size (20% of the pool) of the new 80% can have been in it.
    QVERIFY(last.overlapWithPrevious > 0);
    QVERIFY(last.overlapWithPrevious <= double(subsetExamples(0.2, pool)) / last.subsetSize + 1e-12);
    // At the end the measured saving is the one the seed's verdict reports.
    const EpochVerdict v = epochVerdict({epochOutcome(*e, 1)});
    QVERIFY(snap.epochSaving.ended);
    QVERIFY(std::abs(snap.epochSaving.cpu - v.cpuSaving.estimate) < 1e-9);
    QVERIFY(std::abs(snap.epochSaving.equivalents - v.equivalentSaving.estimate) < 1e-9);
    QVERIFY2(snap.epochSaving.words.find("Measured at the end: ") != std::string::npos,
             snap.epochSaving.words.c_str());
  }
};

QTEST_APPLESS_MAIN(TestEpochWindow)
#include "test_epoch_window.moc"

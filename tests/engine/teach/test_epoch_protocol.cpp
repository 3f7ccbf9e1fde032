// The epoch-budget protocol: the plan against hand counts, each arm's examples against the
// plan in a real experiment, and the verdict's statistics against hand computations.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "engine/core/input_error.h"
#include "engine/persist/checkpoint.h"
#include "engine/teach/arm_outcome.h"
#include "engine/teach/epoch_plan.h"
#include "engine/teach/epoch_teacher.h"
#include "engine/teach/epoch_verdict.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/tiny_digits_vit.h"

using namespace attent;
using attent::test::armOf;

namespace {

std::vector<SeedOutcome> seedsWith(double attentAcc, double randomAcc) {
  std::vector<SeedOutcome> v;
  for (long s = 1; s <= 3; ++s)
    v.push_back({s,
                 {armOf("full", 10, 1000, 0.9), armOf("attent", 8, 600, attentAcc, 300, 1),
                  armOf("random-subset", 7, 600, randomAcc), armOf("short-full", 7, 600, 0.88)}});
  return v;
}

}  // namespace

class TestEpochProtocol : public QObject {
  Q_OBJECT
 private slots:
  // 21 epochs: 1 + 4 cycles of 5 (3 on the subset at 0.2, 0.4, 0.6, 0.8, then 2 on the pool).
  void vitPlanByHand() {
    EpochPlanConfig c;
    c.epochs = 21;
    c.cycles = 4;
    c.interval = 3;
    const auto plan = planEpochs(c);
    QCOMPARE(int(plan.size()), 21);
    QVERIFY(!plan[0].subset);
    for (int cycle = 0; cycle < 4; ++cycle)
      for (int e = 0; e < 5; ++e) {
        const EpochPhase& p = plan[1 + 5 * cycle + e];
        QCOMPARE(p.cycle, cycle);
        QCOMPARE(p.subset, e < 3);
        QCOMPARE(p.select, e == 0);
        if (p.subset) QVERIFY(std::abs(p.ratio - (0.2 + 0.2 * cycle)) < 1e-12);
      }
    QCOMPARE(plannedExamples(plan, 100), 100L + 3 * (20 + 40 + 60 + 80) + 8 * 100);
    QCOMPARE(plannedScoredExamples(plan, 100, SubsetPick::Hard), 400L);
    c.pick = SubsetPick::Soft;  // re-scores before every subset epoch
    QCOMPARE(plannedScoredExamples(planEpochs(c), 100, SubsetPick::Soft), 1200L);
  }

  void remainderJoinsTheLastCycle() {
    EpochPlanConfig c;
    c.epochs = 11;
    c.cycles = 3;
    c.interval = 1;
    const auto plan = planEpochs(c);
    int last = 0;
    for (const auto& p : plan) last += p.cycle == 2;
    QCOMPARE(last, 4);  // 10 epochs in cycles of 3, 3, 4
  }

  void llmPlanKeepsTheTopFraction() {
    EpochPlanConfig c;
    c.form = EpochForm::Llm;
    c.epochs = 3;
    c.keep = 0.7;
    QCOMPARE(plannedExamples(planEpochs(c), 10), 10L + 7 + 7);
    QCOMPARE(plannedScoredExamples(planEpochs(c), 10, SubsetPick::Hard), 0L);
  }

  void impossiblePlansAreRefused() {
    EpochPlanConfig c;
    c.epochs = 5;
    c.cycles = 6;
    QVERIFY_THROWS_EXCEPTION(SettingsError, planEpochs(c));
  }

  // A real digits ViT under the protocol: every arm trains exactly the examples its plan says.
  void armsTrainWhatThePlanPredicts() {
    Settings s = experimentSettings("digits-vit");
    for (auto [k, v] : test::kTinyDigitsVit) QVERIFY2(!s.set(k, v).has_value(), k);
    for (auto [k, v] : {std::pair{"epochs.count", "5"},
                        {"epochs.cycles", "2"},
                        {"epochs.interval", "1"},
                        {"train.batch", "64"}})
      QVERIFY2(!s.set(k, v).has_value(), k);
    auto e = buildExperiment("digits-vit", s, 1);
    e->step();
    QVERIFY(e->snapshot(0).epochVerdict.empty());  // no verdict before every arm has finished
    while (!e->finished()) e->step();
    // The window's verdict is the one `run` prints for this seed.
    QCOMPARE(e->snapshot(0).epochVerdict, epochVerdict({epochOutcome(*e, 1)}).words);
    QVERIFY(!e->snapshot(0).epochVerdict.empty());
    const int pool = int(e->history(0).back().examplesSeen / 5);
    EpochPlanConfig c;
    c.epochs = 5;
    c.cycles = 2;
    c.interval = 1;
    const auto plan = planEpochs(c);
    const SeedOutcome out = epochOutcome(*e, 1);
    QCOMPARE(out.arms[0].trainedExamples, 5L * pool);
    for (int a = 1; a < 4; ++a) QCOMPARE(out.arms[a].trainedExamples, plannedExamples(plan, pool));
    QCOMPARE(out.arms[1].scoredExamples, plannedScoredExamples(plan, pool, SubsetPick::Hard));
    QCOMPARE(out.arms[2].scoredExamples, 0L);
    QCOMPARE(e->totalSteps(), 5L * ((pool + 63) / 64));
    QVERIFY(std::abs(e->history(0).back().epoch - 5.0) < 1e-9);
  }

  // The window's picks and schedule for the attent arm: its subset's highest scorers, ranked,
  // and one (step, ratio) segment per epoch ending where the plan's steps end.
  void attentArmShowsItsPicksAndPlan() {
    Settings s = experimentSettings("digits-vit");
    for (auto [k, v] : test::kTinyDigitsVit) QVERIFY2(!s.set(k, v).has_value(), k);
    for (auto [k, v] : {std::pair{"epochs.count", "3"},
                        {"epochs.cycles", "1"},
                        {"epochs.interval", "1"},
                        {"epochs.ratio_start", "0.25"},
                        {"epochs.ratio_end", "0.25"},
                        {"train.batch", "64"}})
      QVERIFY2(!s.set(k, v).has_value(), k);
    auto e = buildExperiment("digits-vit", s, 1);
    const int pool = 898, batches = (pool + 63) / 64;  // 1,797 images, round(898.5) = 899 held out
    for (int i = 0; i < batches + 1; ++i) e->step();   // into epoch 2, over the subset
    const Snapshot snap = e->snapshot(0);
    const TeacherView& t = snap.runs[1].teacher;
    QCOMPARE(snap.runs[1].name, std::string("attent"));
    QCOMPARE(int(t.poolScores.size()), pool);
    QVERIFY(!t.picks.empty());
    for (std::size_t r = 0; r < t.picks.size(); ++r) {
      QCOMPARE(t.picks[r].score, t.poolScores[t.picks[r].index]);
      if (r > 0) QVERIFY(t.picks[r].score <= t.picks[r - 1].score);
    }
    // Hard top-k keeps the highest scores, so the first pick is the pool's highest.
    QCOMPARE(t.picks[0].score, *std::max_element(t.poolScores.begin(), t.poolScores.end()));
    const int subsetBatches = (subsetExamples(0.25, pool) + 63) / 64;
    QCOMPARE(t.ratioSchedule.size(), std::size_t(6));
    QCOMPARE(t.ratioSchedule[2], (std::pair<long, double>{batches, 0.25}));
    QCOMPARE(t.ratioSchedule.back(), (std::pair<long, double>{2L * batches + subsetBatches, 1.0}));
    QVERIFY(snap.runs[2].teacher.picks.empty());  // random-subset: no scores, no picks
  }

  // Saved mid-plan (inside a subset epoch) and restored into a fresh build, every arm goes on
  // through the same epochs and examples.
  void savedMidPlanContinuesThePlan() {
    Settings s = experimentSettings("digits-vit");
    for (auto [k, v] : test::kTinyDigitsVit) QVERIFY2(!s.set(k, v).has_value(), k);
    for (auto [k, v] : {std::pair{"epochs.count", "4"},
                        {"epochs.cycles", "1"},
                        {"epochs.interval", "2"},
                        {"train.batch", "32"},
                        {"experiment.eval_every", "5"}})
      QVERIFY2(!s.set(k, v).has_value(), k);
    auto a = buildExperiment("digits-vit", s, 2);
    for (int i = 0; i < 30; ++i) a->step();
    const auto bytes = saveExperimentState(*a);
    auto b = buildExperiment("digits-vit", s, 2);
    restoreExperimentState(*b, bytes);
    while (!a->finished()) a->step();
    while (!b->finished()) b->step();
    for (int r = 0; r < 4; ++r) {
      const auto &ha = a->history(r), &hb = b->history(r);
      QCOMPARE(ha.size(), hb.size());
      for (std::size_t i = 0; i < ha.size(); ++i) {
        QCOMPARE(ha[i].examplesSeen, hb[i].examplesSeen);
        QVERIFY(std::isnan(ha[i].evalLoss) == std::isnan(hb[i].evalLoss));
        if (!std::isnan(ha[i].evalLoss)) QVERIFY(std::abs(ha[i].evalLoss - hb[i].evalLoss) < 1e-3);
      }
      QCOMPARE(a->scoringCost(r).first, b->scoringCost(r).first);
    }
  }

  void bootstrapByHand() {
    // Two values: resampled means are 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4.
    const Interval m = bootstrapMean({0.0, 1.0});
    QCOMPARE(m.estimate, 0.5);
    QCOMPARE(m.low, 0.0);
    QCOMPARE(m.high, 1.0);
    // The median of three resampled from {1,2,3} is 1 with probability 7/27 > 2.5%.
    const Interval md = bootstrapMedian({1.0, 2.0, 3.0});
    QCOMPARE(md.estimate, 2.0);
    QCOMPARE(md.low, 1.0);
    QCOMPARE(md.high, 3.0);
    const Interval c = bootstrapMean({0.1, 0.1, 0.1});
    QCOMPARE(c.low, c.high);
  }

  void verdictByHand() {
    const EpochVerdict v = epochVerdict(seedsWith(0.9, 0.9));
    QCOMPARE(v.cpuSaving.estimate, 0.2);
    // A scored example costs (1/300) / (7/600) = 2/7 of a trained one: 600 + 300 * 2/7 of 1000.
    QVERIFY(std::abs(v.scoreCost - 2.0 / 7.0) < 1e-12);
    QVERIFY(std::abs(v.equivalentSaving.estimate - (1 - (600 + 300 * 2.0 / 7.0) / 1000)) < 1e-12);
    QVERIFY2(QString::fromStdString(v.words).startsWith("saves 20% of full's CPU time"), v.words.c_str());
    QVERIFY2(v.words.find("at equal accuracy") != std::string::npos, v.words.c_str());
    QVERIFY2(v.words.find("no better than a random subset") != std::string::npos, v.words.c_str());
    QVERIFY2(v.words.find("better than full-pool training of the same length (+2.0 pts") != std::string::npos,
             v.words.c_str());
    const std::string table = formatEpochVerdict(v, seedsWith(0.9, 0.9));
    QVERIFY2(table.find("saving of attent vs full: 20.0% CPU s (95% CI 20.0..20.0)") != std::string::npos,
             table.c_str());
    QVERIFY2(table.find("attent              8.00        600       300    0.9000") != std::string::npos,
             table.c_str());
    const EpochVerdict worse = epochVerdict(seedsWith(0.85, 0.8));
    QVERIFY2(QString::fromStdString(worse.words).startsWith("loses accuracy (-5.0 pts"), worse.words.c_str());
    QVERIFY2(worse.words.find("; better than a random subset (+5.0 pts") != std::string::npos,
             worse.words.c_str());
  }
};

QTEST_APPLESS_MAIN(TestEpochProtocol)
#include "test_epoch_protocol.moc"

#include <QtTest>
#include <cmath>

#include "engine/teach/fake_learner.h"
#include "engine/teach/lockstep_experiment.h"
#include "engine/teach/time_to_target.h"

using namespace attent;
using attent::testing::FakeLearner;
using attent::testing::FakeTask;

namespace {

std::unique_ptr<Run> makeRun(const FakeTask& task, const std::string& name, std::uint64_t initSeed, double lr,
                             bool attent) {
  RunConfig c;
  c.name = name;
  OptimizerSettings o;
  o.kind = OptimizerKind::Sgd;
  o.lr = lr;
  c.optimizers = {o};
  c.batchSize = 8;
  std::unique_ptr<Teacher> t;
  if (attent) {
    AtteNTConfig a;
    a.ratio = {RatioShape::Constant, 0.3, 0.3, 100};
    t = std::make_unique<AtteNTTeacher>(task.size(Split::Pool), 42, a);
  } else {
    t = std::make_unique<RandomTeacher>(task.size(Split::Pool), 42);
  }
  return std::make_unique<Run>(c, std::make_unique<FakeLearner>(task, initSeed), std::move(t));
}

MetricPoint point(long step, double seconds, float evalLoss) {
  MetricPoint p;
  p.step = step;
  p.computeSeconds = seconds;
  p.evalLoss = evalLoss;
  return p;
}

}  // namespace

class TestLockstep : public QObject {
  Q_OBJECT
 private slots:
  void runsStartFromIdenticalWeights() {
    FakeTask task(100, 20, 1);
    std::vector<std::unique_ptr<Run>> runs;
    runs.push_back(makeRun(task, "random", 1, 0.1, false));
    runs.push_back(makeRun(task, "attent", 2, 0.1, true));  // a different init seed on purpose
    const auto w0 = runs[0]->learner().parameters().values();
    LockstepExperiment e(Settings{}, LockstepOptions{}, std::move(runs));
    QCOMPARE(e.run(1).learner().parameters().values(), w0);
    QCOMPARE(e.run(0).learner().parameters().values(), w0);
    // and their step-0 evaluations agree exactly
    QCOMPARE(e.history(0)[0].evalLoss, e.history(1)[0].evalLoss);
  }

  void identicalRunsStayIdentical() {
    // Same teacher kind, same data seed, same weights: lockstep runs are bit-identical.
    FakeTask task(100, 20, 1);
    std::vector<std::unique_ptr<Run>> runs;
    runs.push_back(makeRun(task, "a", 1, 0.1, false));
    runs.push_back(makeRun(task, "b", 1, 0.1, false));
    LockstepOptions o;
    o.totalSteps = 30;
    o.evalEvery = 10;
    o.logEvery = 5;
    LockstepExperiment e(Settings{}, o, std::move(runs));
    while (!e.finished()) e.step();
    QCOMPARE(e.run(0).learner().parameters().values(), e.run(1).learner().parameters().values());
    QCOMPARE(e.currentStep(), 30L);
    // history: step 0 plus every 5 steps; eval at 0, 10, 20, 30
    QCOMPARE(int(e.history(0).size()), 7);
    QVERIFY(std::isnan(e.history(0)[1].evalLoss));
    QVERIFY(!std::isnan(e.history(0)[2].evalLoss));
    QCOMPARE(e.history(0).back().step, 30L);
    QCOMPARE(e.history(0).back().examplesSeen, 240L);
    QVERIFY(e.history(0).back().evalLoss < e.history(0).front().evalLoss);  // it learns
  }

  void divergenceStopsOnlyThatRun() {
    FakeTask task(100, 20, 1);
    std::vector<std::unique_ptr<Run>> runs;
    runs.push_back(makeRun(task, "sane", 1, 0.1, false));
    runs.push_back(makeRun(task, "huge-lr", 1, 1e6, false));
    LockstepOptions o;
    o.totalSteps = 200;
    o.evalEvery = 20;
    LockstepExperiment e(Settings{}, o, std::move(runs));
    while (!e.finished()) e.step();
    QVERIFY(!e.divergedAt(0).has_value());
    QVERIFY(e.divergedAt(1).has_value());
    QVERIFY(*e.divergedAt(1) < 200);
    const long stoppedAt = e.run(1).examplesSeen();
    QCOMPARE(stoppedAt, *e.divergedAt(1) * 8);  // no steps after divergence
    QVERIFY(std::isfinite(e.history(0).back().evalLoss));
    QCOMPARE(e.history(0).back().step, 200L);
    QVERIFY(e.history(1).back().step <= *e.divergedAt(1));
    const auto s = summarize(e);
    QVERIFY(s[1].divergedAt.has_value());
  }

  void timeToTargetArithmetic() {
    std::vector<MetricPoint> random = {point(0, 0, 2.0f), point(10, 1.0, 1.0f), point(20, 2.0, 0.6f),
                                       point(30, 3.0, 0.5f)};
    std::vector<MetricPoint> attent = {point(0, 0, 2.0f), point(10, 1.2, 0.7f), point(20, 2.4, 0.45f),
                                       point(30, 3.6, 0.4f)};
    const auto tr = timeToTarget(random, 0.5);
    QCOMPARE(*tr.steps, 30L);
    QCOMPARE(*tr.seconds, 3.0);
    const auto ta = timeToTarget(attent, 0.5);
    QCOMPARE(*ta.steps, 20L);
    QCOMPARE(*ta.seconds, 2.4);
    QVERIFY(std::fabs(*timeReduction(ta.seconds, tr.seconds) - 0.2) < 1e-12);
    QVERIFY(!timeToTarget(attent, 0.1).steps.has_value());
    QVERIFY(!timeReduction(std::nullopt, 3.0).has_value());
    MetricPoint noEval;
    noEval.step = 40;
    attent.push_back(noEval);
    QCOMPARE(finalEvaluation(attent).first, 0.4f);  // rows without evaluation are skipped
  }

  void summaryUsesTheRandomRunsFinalLoss() {
    FakeTask task(200, 50, 2);
    std::vector<std::unique_ptr<Run>> runs;
    runs.push_back(makeRun(task, "random", 1, 0.05, false));
    runs.push_back(makeRun(task, "attent", 1, 0.05, true));
    LockstepOptions o;
    o.totalSteps = 100;
    o.evalEvery = 5;
    o.baselineRun = 0;
    LockstepExperiment e(Settings{}, o, std::move(runs));
    for (int i = 0; i < 50; ++i) e.step();
    // Until the baseline has finished, its final loss is unknown: no target yet.
    QVERIFY(!summarize(e)[0].targetEvalLoss.has_value());
    QVERIFY(!e.snapshot(0).targetEvalLoss.has_value());
    while (!e.finished()) e.step();
    const auto s = summarize(e);
    QCOMPARE(int(s.size()), 2);
    // The snapshot carries that one summary.
    const Snapshot snap = e.snapshot(0);
    QCOMPARE(snap.baselineRun, 0);
    QCOMPARE(int(snap.summaries.size()), 2);
    QCOMPARE(snap.targetEvalLoss, s[0].targetEvalLoss);
    QCOMPARE(snap.summaries[1].timeReduction, s[1].timeReduction);
    QCOMPARE(snap.summaries[1].toTarget.steps, s[1].toTarget.steps);
    QCOMPARE(*s[0].targetEvalLoss, double(s[0].finalEvalLoss));
    QCOMPARE(*s[0].timeReduction, 0.0);
    QVERIFY(s[0].toTarget.steps.has_value());
    if (s[1].toTarget.seconds)
      QCOMPARE(*s[1].timeReduction, 1.0 - *s[1].toTarget.seconds / *s[0].toTarget.seconds);
  }

  void historyIsCompact() {
    // Memory grows with steps / logEvery: 20000 steps logged every 100 -> 201 points.
    FakeTask task(50, 10, 1);
    std::vector<std::unique_ptr<Run>> runs;
    runs.push_back(makeRun(task, "random", 1, 0.01, false));
    LockstepOptions o;
    o.totalSteps = 20000;
    o.evalEvery = 1000;
    o.logEvery = 100;
    LockstepExperiment e(Settings{}, o, std::move(runs));
    while (!e.finished()) e.step();
    QCOMPARE(int(e.history(0).size()), 201);
    QVERIFY(sizeof(MetricPoint) * 1000000 / 10 < 100u << 20);  // 1M steps, logEvery 10
  }

  void snapshotsDeliverThePointsTheCallerLacks() {
    FakeTask task(100, 20, 1);
    std::vector<std::unique_ptr<Run>> runs;
    runs.push_back(makeRun(task, "attent", 1, 0.1, true));
    LockstepOptions o;
    o.totalSteps = 20;
    o.logEvery = 1;
    LockstepExperiment e(Settings{}, o, std::move(runs));
    for (int i = 0; i < 5; ++i) e.step();
    auto s = e.snapshot(Split::HeldOut, 0, {});
    QCOMPARE(int(s.runs[0].newPoints.size()), 6);  // step 0 .. 5
    QCOMPARE(s.runs[0].teacher.kind, std::string("attent"));
    e.step();
    s = e.snapshot(Split::HeldOut, 0, {6});
    QCOMPARE(int(s.runs[0].newPoints.size()), 1);
    QCOMPARE(s.runs[0].newPoints[0].step, 6L);
    // The caller keeps the cursor: asking again gives the same points.
    QCOMPARE(int(e.snapshot(Split::HeldOut, 0, {6}).runs[0].newPoints.size()), 1);
    QCOMPARE(int(e.snapshot(0).runs[0].newPoints.size()), 7);
  }
};

QTEST_APPLESS_MAIN(TestLockstep)
#include "test_lockstep.moc"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "engine/teach/fake_learner.h"
#include "engine/teach/teacher.h"

using namespace attent;
using attent::testing::FakeLearner;
using attent::testing::FakeTask;

class TestTeacher : public QObject {
  Q_OBJECT
 private slots:
  void topKIsExactlyTheKLargest() {
    Rng rng(7);
    std::vector<float> scores(1000);
    for (auto& s : scores) s = float(rng.normal());
    scores[10] = scores[20];  // a tie: the lower index ranks first
    for (int k : {1, 17, 500, 1000}) {
      const auto picked = topK(scores, k);
      QCOMPARE(int(picked.size()), k);
      std::vector<float> sorted = scores;
      std::sort(sorted.begin(), sorted.end(), std::greater<float>());
      for (int r = 0; r < k; ++r) QCOMPARE(scores[picked[r]], sorted[r]);    // ranked, highest first
      QCOMPARE(int(std::set<int>(picked.begin(), picked.end()).size()), k);  // distinct
    }
    const auto all = topK(scores, 1000);
    QVERIFY(std::find(all.begin(), all.end(), 10) < std::find(all.begin(), all.end(), 20));
  }

  void topKPutsNaNLast() {
    std::vector<float> scores = {1.0f, NAN, 3.0f, 2.0f};
    const auto picked = topK(scores, 3);
    QCOMPARE(picked, (std::vector<int>{2, 3, 0}));
  }

  void gumbelTopOneSamplesTheSoftmax() {
    // k = 1: P(i) = softmax(score / tau)_i. 40000 draws: the binomial standard error of a
    // frequency is at most sqrt(0.25 / 40000) = 0.0025; we allow 0.01 (4 sigma), so a correct
    // sampler fails with probability < 1e-4 per item, and the fixed seed makes it reproducible.
    const std::vector<float> scores = {0.0f, 1.0f, 2.0f, -1.0f};
    for (double tau : {1.0, 2.0}) {
      std::vector<double> p(scores.size());
      double z = 0;
      for (std::size_t i = 0; i < p.size(); ++i) z += (p[i] = std::exp(scores[i] / tau));
      for (auto& x : p) x /= z;
      Rng rng(12345);
      std::vector<int> count(scores.size(), 0);
      const int draws = 40000;
      for (int t = 0; t < draws; ++t) ++count[gumbelTopK(scores, 1, tau, rng)[0]];
      for (std::size_t i = 0; i < p.size(); ++i)
        QVERIFY2(
            std::fabs(count[i] / double(draws) - p[i]) < 0.01,
            qPrintable(
                QString("item %1 tau %2: %3 vs %4").arg(i).arg(tau).arg(count[i] / double(draws)).arg(p[i])));
    }
  }

  void gumbelTopKIsWithoutReplacementAndSecondDrawFollowsTheRest() {
    // Plackett-Luce: P(second = j | first = i) = p_j / (1 - p_i). Check for first = 2 (the
    // most likely): scores 0,1,2 give p = (0.090, 0.245, 0.665); second is 1 w.p. 0.731.
    const std::vector<float> scores = {0.0f, 1.0f, 2.0f};
    Rng rng(99);
    int firstIs2 = 0, thenIs1 = 0;
    for (int t = 0; t < 40000; ++t) {
      const auto s = gumbelTopK(scores, 2, 1.0, rng);
      QVERIFY(s[0] != s[1]);
      if (s[0] == 2) {
        ++firstIs2;
        thenIs1 += s[1] == 1;
      }
    }
    const double expected = std::exp(1.0) / (1.0 + std::exp(1.0));
    // About 26600 conditioning draws: standard error 0.0027; tolerance 0.012 (4.4 sigma).
    QVERIFY(std::fabs(double(thenIs1) / firstIs2 - expected) < 0.012);
  }

  void ratioSchedulesGiveTheDocumentedRatios() {
    RatioSchedule s;
    s.ratioStart = 0.2;
    s.ratioEnd = 0.8;
    s.totalSteps = 1000;
    s.shape = RatioShape::Constant;
    QCOMPARE(s.at(0), 0.2);
    QCOMPARE(s.at(999), 0.2);
    s.shape = RatioShape::Linear;
    QCOMPARE(s.at(0), 0.2);
    QVERIFY(std::fabs(s.at(500) - 0.5) < 1e-12);
    QVERIFY(std::fabs(s.at(1000) - 0.8) < 1e-12);
    s.shape = RatioShape::Cosine;
    QVERIFY(std::fabs(s.at(500) - 0.5) < 1e-12);
    QVERIFY(std::fabs(s.at(250) - (0.2 + 0.6 * 0.5 * (1 - std::cos(M_PI / 4)))) < 1e-12);
    s.shape = RatioShape::Step;  // 10 stages of 100 steps: stage k has 0.2 + 0.6 k / 9
    QCOMPARE(s.at(0), 0.2);
    QCOMPARE(s.at(99), 0.2);
    QVERIFY(std::fabs(s.at(100) - (0.2 + 0.6 / 9)) < 1e-12);
    QVERIFY(std::fabs(s.at(950) - 0.8) < 1e-12);
    std::set<double> levels;
    for (long t = 0; t < 1000; ++t) levels.insert(s.at(t));
    QCOMPARE(int(levels.size()), 10);
  }

  void selectionIntervalsAreTheDocumentedOnes() {
    SelectionSchedule s;
    s.totalSteps = 1000;
    s.kind = IntervalKind::Dense;
    QCOMPARE(s.intervalAfter(0), 1L);
    QCOMPARE(s.intervalAfter(900), 1L);
    s.kind = IntervalKind::Fixed;
    s.every = 25;
    QCOMPARE(s.intervalAfter(3), 25L);
    s.kind = IntervalKind::Incremental;
    s.maxInterval = 50;
    QCOMPARE(s.intervalAfter(0), 1L);
    QCOMPARE(s.intervalAfter(249), 1L);    // every step for the first 25%
    QCOMPARE(s.intervalAfter(1000), 50L);  // widening to 50 at the end
    QCOMPARE(s.intervalAfter(625), 26L);   // halfway through the rest: 1 + 49 / 2 rounded
    long last = 0;
    for (long t = 250; t <= 1000; t += 10) {
      QVERIFY(s.intervalAfter(t) >= last);
      last = s.intervalAfter(t);
    }
  }

  void attentSelectsTheHighestLossExamplesAndTrainsOnlyOnThem() {
    FakeTask task(200, 10, 3);
    FakeLearner learner(task, 5);
    AtteNTConfig c;
    c.ratio = {RatioShape::Constant, 0.25, 0.25, 100};
    c.selection = {IntervalKind::Fixed, 10, 50, 100};
    c.chunk = 64;  // several chunks: 64 + 64 + 64 + 8
    AtteNTTeacher teacher(200, 1, c);
    std::vector<int> batch(8);
    teacher.nextBatch(learner, 0, int(batch.size()), batch);
    QCOMPARE(learner.forwardExamples, 200L);  // one no-grad pass over the whole pool
    QCOMPARE(teacher.scoredExamples(), 200L);
    std::vector<float> loss(200);
    for (int i = 0; i < 200; ++i) {
      const float r = learner.predict(Split::Pool, i) - task.y(Split::Pool, i);
      loss[i] = 0.5f * r * r;
    }
    QCOMPARE(teacher.subset(), topK(loss, 50));
    const std::set<int> subset(teacher.subset().begin(), teacher.subset().end());
    for (long step = 0; step < 10; ++step) {
      teacher.nextBatch(learner, step, int(batch.size()), batch);
      for (int b : batch) QVERIFY(subset.count(b));
    }
    QCOMPARE(learner.forwardExamples, 200L);  // no re-scoring before step 10
    teacher.nextBatch(learner, 10, int(batch.size()), batch);
    QCOMPARE(learner.forwardExamples, 400L);
    const TeacherView v = teacher.view(learner, 5);
    QCOMPARE(v.kind, std::string("attent"));
    QCOMPARE(int(v.picks.size()), 5);
    QCOMPARE(v.picks[0].index, teacher.subset()[0]);
    QCOMPARE(v.threshold, double(loss[teacher.subset().back()]));
    QCOMPARE(int(v.poolScores.size()), 200);
  }

  void gradNormScoreRanksByResidual() {
    FakeTask task(100, 10, 4);
    FakeLearner learner(task, 6);
    AtteNTConfig c;
    c.score = ScoreKind::GradNorm;
    c.ratio = {RatioShape::Constant, 0.1, 0.1, 100};
    AtteNTTeacher teacher(100, 1, c);
    std::vector<int> batch(4);
    teacher.nextBatch(learner, 0, int(batch.size()), batch);
    std::vector<float> r(100);
    for (int i = 0; i < 100; ++i) r[i] = std::fabs(learner.predict(Split::Pool, i) - task.y(Split::Pool, i));
    QCOMPARE(teacher.subset(), topK(r, 10));
  }

  void randomSubsetHasAtteNTsSize() {
    FakeTask task(300, 10, 3);
    FakeLearner learner(task, 5);
    RatioSchedule ratio{RatioShape::Linear, 0.2, 0.8, 100};
    SelectionSchedule sel{IntervalKind::Fixed, 20, 50, 100};
    AtteNTConfig c;
    c.ratio = ratio;
    c.selection = sel;
    AtteNTTeacher attent(300, 1, c);
    RandomSubsetTeacher subset(300, 1, ratio, sel);
    std::vector<int> batch(16);
    for (long step = 0; step < 100; ++step) {
      attent.nextBatch(learner, step, int(batch.size()), batch);
      subset.nextBatch(learner, step, int(batch.size()), batch);
      QCOMPARE(subset.subset().size(), attent.subset().size());
      const std::set<int> s(subset.subset().begin(), subset.subset().end());
      QCOMPARE(s.size(), subset.subset().size());
      for (int b : batch) QVERIFY(s.count(b));
    }
    QCOMPARE(int(attent.subset().size()), int(std::ceil(300 * (0.2 + 0.6 * 0.8) - 1e-9)));  // step 80
  }

  void randomTeacherCoversThePoolEachEpoch() {
    FakeTask task(50, 10, 3);
    FakeLearner learner(task, 5);
    RandomTeacher t(50, 9);
    std::vector<int> batch(10);
    std::set<int> seen;
    for (long step = 0; step < 5; ++step) {
      t.nextBatch(learner, step, int(batch.size()), batch);
      seen.insert(batch.begin(), batch.end());
    }
    QCOMPARE(int(seen.size()), 50);
    QCOMPARE(learner.forwardCalls, 0L);  // random costs no scoring
  }
};

QTEST_APPLESS_MAIN(TestTeacher)
#include "test_teacher.moc"

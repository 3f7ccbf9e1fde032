#include <QtTest>
#include <cmath>

#include "engine/core/optimizer.h"

using namespace attent;

namespace {
Parameters<double> twoTensors() {
  Parameters<double> p;
  p.add("w", {2, 2});
  p.add("b", {3}, 0, /*decay=*/false);
  p.finalize();
  for (int i = 0; i < 4; ++i) p.value(0)[i] = 1.0 + i;
  for (int i = 0; i < 3; ++i) p.value(1)[i] = -1.0;
  for (int i = 0; i < 4; ++i) p.grad(0)[i] = 0.5 * (i + 1);
  for (int i = 0; i < 3; ++i) p.grad(1)[i] = -2.0;
  return p;
}
}  // namespace

class TestOptimizer : public QObject {
  Q_OBJECT
 private slots:
  void viewsAreAlignedAndCounted() {
    Parameters<float> p;
    p.add("a", {3, 5});
    p.add("b", {7});
    p.finalize();
    QCOMPARE(p.view(1).offset % 16, std::size_t(0));
    QCOMPARE(p.parameterCount(), std::size_t(22));
    QCOMPARE(p.find("b"), 1);
    QCOMPARE(p.find("c"), -1);
  }
  void sgdIsPlainDescent() {
    auto p = twoTensors();
    OptimizerSettings s;
    s.kind = OptimizerKind::Sgd;
    s.lr = 0.1;
    optimizerStep(p, s, 1);
    QCOMPARE(p.value(0)[1], 2.0 - 0.1 * 1.0);
    QCOMPARE(p.value(1)[2], -1.0 + 0.2);
  }
  void momentumAccumulatesVelocity() {
    auto p = twoTensors();
    OptimizerSettings s;
    s.kind = OptimizerKind::Momentum;
    s.lr = 0.1;
    s.momentum = 0.9;
    optimizerStep(p, s, 1);
    optimizerStep(p, s, 2);  // same gradient twice: v = g, then 1.9 g
    QVERIFY(std::abs(p.value(0)[0] - (1.0 - 0.1 * 0.5 * (1 + 1.9))) < 1e-12);
  }
  void adamwFirstStepIsSignTimesLrPlusDecoupledDecay() {
    // Bias correction makes the first AdamW step lr * g/|g| (up to eps), plus lr*wd*w
    // on decayed tensors only.
    auto p = twoTensors();
    OptimizerSettings s;
    s.kind = OptimizerKind::AdamW;
    s.lr = 0.01;
    s.weightDecay = 0.1;
    s.eps = 1e-12;
    optimizerStep(p, s, 1);
    QVERIFY(std::abs(p.value(0)[2] - (3.0 - 0.01 * (1.0 + 0.1 * 3.0))) < 1e-9);
    QVERIFY(std::abs(p.value(1)[0] - (-1.0 + 0.01)) < 1e-9);  // no decay on the bias
  }
  void frozenAndOtherGroupsAreUntouched() {
    auto p = twoTensors();
    p.setTrainable(0, false);
    OptimizerSettings s;
    s.kind = OptimizerKind::Sgd;
    s.lr = 1;
    optimizerStep(p, s, 1);
    QCOMPARE(p.value(0)[0], 1.0);
    QCOMPARE(p.value(1)[0], 1.0);
    auto q = twoTensors();
    q.view(1).group = 1;
    optimizerStep(q, s, 1, 1.0, /*group=*/1);
    QCOMPARE(q.value(0)[0], 1.0);
    QCOMPARE(q.value(1)[0], 1.0);
  }
  void clippingScalesToTheNorm() {
    auto p = twoTensors();
    // |g|^2 = 0.25 (1+4+9+16) + 3*4 = 19.5
    const double before = clipGradients(p, 1.0);
    QVERIFY(std::abs(before - std::sqrt(19.5)) < 1e-12);
    QVERIFY(std::abs(gradientNorm(p) - 1.0) < 1e-12);
    QVERIFY(std::abs(clipGradients(p, 5.0) - 1.0) < 1e-12);  // under the limit: unchanged
  }
  void warmupCosineSchedule() {
    LrSchedule sch;
    sch.kind = LrScheduleKind::WarmupCosine;
    sch.warmupSteps = 10;
    sch.totalSteps = 110;
    sch.minFactor = 0.0;
    QCOMPARE(sch.factor(0), 0.1);
    QCOMPARE(sch.factor(9), 1.0);
    QVERIFY(std::abs(sch.factor(60) - 0.5) < 1e-12);  // half way through the cosine
    QVERIFY(std::abs(sch.factor(110)) < 1e-12);
    LrSchedule constant;
    QCOMPARE(constant.factor(1000), 1.0);
  }
};

QTEST_APPLESS_MAIN(TestOptimizer)
#include "test_optimizer.moc"

// Nice axis ticks (ui/nice_ticks.h) against cases worked by hand: the step is 1, 2 or 5 x 10^k,
// the ticks fit the budget, and the labels carry only the decimals the step needs.
#include <QTest>
#include <cmath>

#include "ui/nice_ticks.h"

using namespace attent::ui;

class TestNiceTicks : public QObject {
  Q_OBJECT
 private slots:
  void handWorkedRanges_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<double>("step");
    QTest::addColumn<double>("first");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("decimals");
    // 400 steps: 50 would give 9 ticks, 100 gives 0, 100, ..., 400.
    QTest::newRow("steps 0..400") << 0.0 << 400.0 << 6 << 100.0 << 0.0 << 5 << 0;
    // The 0.6033..2.413 loss axis: 0.2 gives 9 ticks, 0.5 gives 1.0, 1.5, 2.0.
    QTest::newRow("loss 0.6033..2.413") << 0.6033 << 2.413 << 6 << 0.5 << 1.0 << 3 << 1;
    QTest::newRow("accuracy 0..1") << 0.0 << 1.0 << 6 << 0.2 << 0.0 << 6 << 1;
    // 150 prints as 150 (no decimals); 20 would need 8 ticks.
    QTest::newRow("0..150") << 0.0 << 150.0 << 5 << 50.0 << 0.0 << 4 << 0;
    QTest::newRow("around zero") << -0.35 << 0.35 << 5 << 0.2 << -0.2 << 3 << 1;
    QTest::newRow("examples 1000..25600") << 1000.0 << 25600.0 << 6 << 5000.0 << 5000.0 << 5 << 0;
    QTest::newRow("seconds 0..0.043") << 0.0 << 0.043 << 5 << 0.01 << 0.0 << 5 << 2;
    QTest::newRow("reversed range widened") << 3.0 << 3.0 << 3 << 0.5 << 3.0 << 3 << 1;
  }
  void handWorkedRanges() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, maxTicks);
    const NiceTicks t = niceTicks(lo, hi, maxTicks);
    QTEST(t.step, "step");
    QTEST(t.first, "first");
    QTEST(t.count, "count");
    QTEST(t.decimals, "decimals");
    QVERIFY(t.count <= maxTicks);
  }

  void labelsCarryOnlyTheNeededDecimals() {
    const NiceTicks tenths = niceTicks(0, 1, 11);  // step 0.1
    QCOMPARE(tenths.step, 0.1);
    QCOMPARE(tickLabel(0.1 + 0.2, tenths), QString("0.3"));  // 0.30000000000000004
    QCOMPARE(tickLabel(-1e-17, tenths), QString("0.0"));     // never "-0.0"
    QCOMPARE(tickFormat(tenths), QString("%.1f"));
    const NiceTicks hundreds = niceTicks(0, 400, 6);
    QCOMPARE(tickLabel(150, hundreds), QString("150"));  // never 150.0
    QCOMPARE(tickFormat(hundreds), QString("%.0f"));
  }

  // Every budget from 2 to 12 over awkward ranges: the step is 1, 2 or 5 x 10^k, the first tick
  // a multiple of it inside the range, and no smaller nice step would have fitted.
  // A colour scale's top: the first tick at or above the largest value.
  void niceCeilingIsTheFirstTickAbove() {
    QCOMPARE(niceCeiling(0.999), 1.0);
    QCOMPARE(niceCeiling(0.37), 0.4);
    QCOMPARE(niceCeiling(0.62), 0.8);  // ticks of 0.2 up to 0.62
    QCOMPARE(niceCeiling(0.4), 0.4);
    QCOMPARE(niceCeiling(0), 1.0);
  }

  // A loss axis ending on ticks keeps its step: mosaic's 300-step loss (2.965..3.007) on a
  // short chart showed only "3.00" when the step was chosen again over the widened range.
  void axisEndsOnTicksAndKeepsItsLabels() {
    const NiceRange r = niceRange(2.96537, 3.00722, 3);
    QCOMPARE(r.ticks.step, 0.02);
    QVERIFY(std::abs(r.lo - 2.96) < 1e-12 && std::abs(r.hi - 3.02) < 1e-12);
    QCOMPARE(r.ticks.count, 4);
    const double ranges[][2] = {{2.96537, 3.00722}, {0.6033, 2.413}, {0, 1}, {-7.3, 1e4}, {12, 12.001}};
    for (const auto& d : ranges)
      for (int n = 2; n <= 8; ++n) {
        const NiceRange a = niceRange(d[0], d[1], n);
        QVERIFY(a.lo <= d[0] + 1e-12 && a.hi >= d[1] - 1e-12);
        QVERIFY2(a.ticks.count >= 2, qPrintable(QString("%1..%2, %3 ticks").arg(d[0]).arg(d[1]).arg(n)));
        QCOMPARE(a.ticks.first, a.lo);
        QVERIFY(std::abs(a.lo / a.ticks.step - std::round(a.lo / a.ticks.step)) < 1e-6);
        QVERIFY(std::abs(a.hi / a.ticks.step - std::round(a.hi / a.ticks.step)) < 1e-6);
      }
  }

  void everyStepIsNiceAndTheSmallestThatFits() {
    const double ranges[][2] = {{0, 1}, {0.6033, 2.413}, {-7.3, 1e4}, {1e-5, 3e-4}, {12, 13}, {0, 2999}};
    for (const auto& r : ranges)
      for (int n = 2; n <= 12; ++n) {
        const NiceTicks t = niceTicks(r[0], r[1], n);
        const double m = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-9));
        QVERIFY2(std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9,
                 qPrintable(QString::number(t.step)));
        QVERIFY(t.first >= r[0] - 1e-9 * t.step && t.first - t.step < r[0]);
        QVERIFY(t.count >= 1 && t.count <= n);
        const double smaller = m == 1 ? t.step / 2 : m == 2 ? t.step / 2 : t.step * 2 / 5;
        QVERIFY(std::floor(r[1] / smaller + 1e-9) - std::ceil(r[0] / smaller - 1e-9) + 1 > n);
      }
  }
};

QTEST_MAIN(TestNiceTicks)
#include "test_nice_ticks.moc"

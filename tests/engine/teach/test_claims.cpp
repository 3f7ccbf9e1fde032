// The claims' shared measurements and their verdict over seeds, against hand computations on
// hand-made series (no learner involved).
#include <QtTest>
#include <cmath>

#include "engine/teach/claims.h"
#include "engine/teach/statistics.h"

using namespace attent;

class TestClaims : public QObject {
  Q_OBJECT
 private slots:
  void departureInterpolatesBetweenEvaluations() {
    // Flat at 0.02 then rising 0.02 -> 0.06 -> 0.22: |v - 0.02| reaches 0.1 between steps 200
    // (0.04 away) and 300 (0.20 away), at 200 + 100 * (0.1 - 0.04) / (0.20 - 0.04) = 237.5.
    const Series s{{0, 0.02}, {100, 0.02}, {200, 0.06}, {300, 0.22}, {400, 0.5}};
    QVERIFY(departureStep(s, 0.1).has_value());
    QCOMPARE(*departureStep(s, 0.1), 237.5);
    // Moving down counts too: 1.0 -> 0.8 -> 0.5 leaves by 0.3 at 100 + 100 * (0.3 - 0.2) / 0.3.
    const Series down{{0, 1.0}, {100, 0.8}, {200, 0.5}};
    QVERIFY(std::abs(*departureStep(down, 0.3) - (100 + 100.0 / 3)) < 1e-9);
    QVERIFY(!departureStep(s, 0.6).has_value());  // never 0.6 away
    QVERIFY(!departureStep({}, 0.1).has_value());
  }

  void stepReachingFindsTheFirstFallToTheTarget() {
    const Series s{{0, 4}, {10, 3}, {20, 1}, {30, 0.5}};
    QCOMPARE(*stepReaching(s, 2.0), 15.0);  // 3 -> 1 between 10 and 20, halfway
    QCOMPARE(*stepReaching(s, 4.0), 0.0);   // already there
    QCOMPARE(*stepReaching(s, 0.5), 30.0);
    QVERIFY(!stepReaching(s, 0.1).has_value());
  }

  void valueAtTakesTheFirstPointAtOrAfter() {
    const Series s{{0, 1}, {60, 2}, {120, 3}};
    QCOMPARE(valueAt(s, 30), 2.0);
    QCOMPARE(valueAt(s, 60), 2.0);
    QCOMPARE(valueAt(s, 500), 3.0);  // past the end: the last point
    QVERIFY(std::isnan(valueAt({}, 0)));
  }

  void crossingTimeIsWhereTheFollowerOvertakes() {
    // Leader 0, 2, 3, 3.5, 3.8; follower 0, 1, 2.5, 4, 5: gaps 0, -1, -0.5, +0.5, ...
    // The follower overtakes between t = 2 (gap -0.5) and t = 3 (+0.5): at 2.5.
    const std::vector<double> t{0, 1, 2, 3, 4}, leader{0, 2, 3, 3.5, 3.8}, follower{0, 1, 2.5, 4, 5};
    QCOMPARE(*crossingTime(t, leader, follower), 2.5);
    // A follower ahead from the start never "overtakes": the leader must have led first.
    QVERIFY(!crossingTime(t, follower, leader).has_value());
    // Equal series: nobody leads.
    QVERIFY(!crossingTime(t, leader, leader).has_value());
    // The leader led once by 1 then the follower ties and moves ahead at t = 3 exactly.
    QCOMPARE(*crossingTime({0, 1, 2, 3}, {0, 1, 1, 1}, {0, 0, 1, 2}), 2.0);
  }

  void medianAndBootstrapOnASmallCase() {
    QCOMPARE(median({3, 1, 2}), 2.0);
    QCOMPARE(median({4, 1, 2, 3}), 2.5);
    QCOMPARE(mean({1, 2, 6}), 3.0);
    const Interval one = bootstrapMedian({5});
    QCOMPARE(one.estimate, 5.0);
    QCOMPARE(one.low, 5.0);
    QCOMPARE(one.high, 5.0);
    // Every resample's median lies between the smallest and largest value.
    const Interval i = bootstrapMedian({1, 2, 3, 4, 100});
    QCOMPARE(i.estimate, 3.0);
    QVERIFY(i.low >= 1 && i.low <= 3 && i.high >= 3 && i.high <= 100);
  }

  void verdictsInWords() {
    Claim above{"k", "", 0, ClaimTest::Above, 1.0};
    QCOMPARE(std::string(words(verdictOf(above, {2, 1.5, 3}, 0, 5))), std::string("holds"));
    QCOMPARE(std::string(words(verdictOf(above, {0.5, 0.2, 0.9}, 0, 5))), std::string("does not hold"));
    QCOMPARE(std::string(words(verdictOf(above, {2, 0.5, 3}, 0, 5))),
             std::string("undecided"));  // interval crosses 1
    QCOMPARE(std::string(words(verdictOf(above, {2, 1.5, 3}, 3, 5))),
             std::string("does not hold"));  // 3 of 5 never
    Claim below{"k", "", 0, ClaimTest::Below, 1.0};
    QCOMPARE(std::string(words(verdictOf(below, {0.5, 0.2, 0.9}, 0, 5))), std::string("holds"));
    QCOMPARE(std::string(words(verdictOf(Claim{"k", ""}, {1, 1, 1}, 0, 1))), std::string("measured"));
    // Float rounding above the bound is the bound: uniform attention 1/21 is not "above" it.
    const Claim uniform{"k", "", 0, ClaimTest::Above, 1.0 / 21};
    const double onIt = double(float(1.0 / 21)) + 1e-10;
    QCOMPARE(std::string(words(verdictOf(uniform, {onIt, onIt, onIt}, 0, 5))), std::string("does not hold"));
    QCOMPARE(std::string(words(verdictOf(uniform, {0.05, 0.05, 0.05}, 0, 5))), std::string("holds"));
  }

  void earlyAndLatePairUp() {
    auto seed = [](double early, double late) {
      return std::vector<Claim>{{"h", "", early, ClaimTest::Above, 0, Phase::Early},
                                {"h", "", late, ClaimTest::Above, 0, Phase::Late},
                                {"m", "", late, ClaimTest::Measure, 0, Phase::Early}};
    };
    const ClaimsSummary s = summarizeClaims({seed(1, -1), seed(2, -2), seed(3, -3)});
    QCOMPARE(s.claims.size(), std::size_t(3));
    QCOMPARE(s.claims[0].claim.value, 2.0);  // the median of 1, 2, 3
    QCOMPARE(s.claims[0].values, (std::vector<double>{1, 2, 3}));
    QCOMPARE(std::string(words(s.claims[0].verdict)), std::string("holds"));
    QCOMPARE(std::string(words(s.claims[1].verdict)), std::string("does not hold"));
    QCOMPARE(s.phases.size(), std::size_t(1));  // the measurement pairs with nothing
    QCOMPARE(s.phases[0].key, std::string("h"));
    QCOMPARE(std::string(words(s.phases[0].verdict)), std::string("holds only early"));
    // A seed that measured other claims is refused.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, summarizeClaims({seed(1, 1), {}}));
  }

  void missingValuesAreLeftOutOfTheInterval() {
    const ClaimsSummary s = summarizeClaims({{{"t", "", 10, ClaimTest::Above, 0}},
                                             {{"t", "", NAN, ClaimTest::Above, 0}},
                                             {{"t", "", 20, ClaimTest::Above, 0}}});
    QCOMPARE(s.claims[0].missing, 1);
    QCOMPARE(s.claims[0].median.estimate, 15.0);
    QCOMPARE(std::string(words(s.claims[0].verdict)), std::string("holds"));
  }
};

QTEST_APPLESS_MAIN(TestClaims)
#include "test_claims.moc"

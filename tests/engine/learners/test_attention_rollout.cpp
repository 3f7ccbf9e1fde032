// Attention rollout and the read-out's attention against a hand computation on 2 layers,
// 2 heads and 3 tokens.
#include <QtTest>

#include "engine/learners/attention_rollout.h"

using namespace attent;

namespace {
// Layer 1: head A sends every query to token 0, head B to token 2. Layer 2: both heads send
// every query to token 1.
AttentionMaps twoLayers(int classToken) {
  AttentionMaps a;
  a.layers = 2, a.heads = 2, a.queries = 3, a.keys = 3;
  a.classToken = classToken;
  a.keyLabels = a.queryLabels = {"t0", "t1", "t2"};
  a.weights = {1, 0, 0, 1, 0, 0, 1, 0, 0,   // layer 1, head A
               0, 0, 1, 0, 0, 1, 0, 0, 1,   // layer 1, head B
               0, 1, 0, 0, 1, 0, 0, 1, 0,   // layer 2, head A
               0, 1, 0, 0, 1, 0, 0, 1, 0};  // layer 2, head B
  return a;
}
void compare(const std::vector<float>& got, const std::vector<float>& want) {
  QCOMPARE(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    QVERIFY2(std::abs(got[i] - want[i]) < 1e-6,
             qPrintable(QString("entry %1: %2, want %3").arg(i).arg(got[i]).arg(want[i])));
}
}  // namespace

class TestAttentionRollout : public QObject {
  Q_OBJECT
 private slots:
  // By hand: layer 1's mean of heads is [.5 0 .5] in every row; plus I and renormalised,
  // A1 = [[.75 0 .25] [.25 .5 .25] [.25 0 .75]]. Layer 2: A2 = [[.5 .5 0] [0 1 0] [0 .5 .5]].
  // Rollout A2 * A1 = [[.5 .25 .25] [.25 .5 .25] [.25 .25 .5]] (A1 * A2 would differ).
  void rolloutMatchesHandComputation() {
    compare(attentionRollout(twoLayers(-1)), {.5f, .25f, .25f, .25f, .5f, .25f, .25f, .25f, .5f});
  }

  // The class token (position 0) reads its own rows; its own column is left out.
  void classTokenReadout() {
    const ReadoutAttention r = readoutAttention(twoLayers(0));
    QCOMPARE(r.inputs, 2);
    QCOMPARE(r.inputLabels, (std::vector<std::string>{"t1", "t2"}));
    compare(r.rollout, {.25f, .25f});
    QCOMPARE(r.at(0, 0, 0), 0.0f);   // layer 1, head A: all on the class token
    QCOMPARE(r.at(0, 1, 1), 1.0f);   // layer 1, head B: all on t2
    QCOMPARE(r.at(0, -1, 1), 0.5f);  // their mean
    QCOMPARE(r.at(1, -1, 0), 1.0f);  // layer 2: all on t1
  }

  // Mean pooling reads the mean of all queries: a row that differs from the others counts a third.
  void meanQueryReadout() {
    AttentionMaps a = twoLayers(-1);
    a.weights[0] = 0, a.weights[1] = 1;  // layer 1, head A, query 0 now on t1
    const ReadoutAttention r = readoutAttention(a);
    QCOMPARE(r.inputs, 3);
    compare({r.at(0, 0, 0), r.at(0, 0, 1), r.at(0, 0, 2)}, {2.0f / 3, 1.0f / 3, 0});
    compare({r.at(0, -1, 0), r.at(0, -1, 1), r.at(0, -1, 2)}, {1.0f / 3, 1.0f / 6, .5f});
    // Rollout: A1's row 0 becomes [.5 .25 .25]; A2 * A1 row means, by hand:
    // rows [.375 .375 .25] [.25 .5 .25] [.25 .25 .5] -> mean [.875 1.125 1] / 3.
    compare(r.rollout, {0.875f / 3, 1.125f / 3, 1.0f / 3});
  }

  void nonSquareMapsHaveNoReadout() {
    AttentionMaps a = twoLayers(-1);
    a.queries = 1;
    QVERIFY(readoutAttention(a).empty());
    QVERIFY(attentionRollout(a).empty());
  }
};

QTEST_APPLESS_MAIN(TestAttentionRollout)
#include "test_attention_rollout.moc"

// One query's attention drawn on the probe (topic words, SCB positions, mosaic segments): the
// hover names the item and its exact weight, the runs share one colour scale, the ground truth
// is marked, and the attention view opens on it for the research kinds' own probes.
#include <QCheckBox>
#include <QTest>

#include "engine/teach/experiment.h"
#include "tests/ui/view_test_util.h"
#include "ui/attention_view.h"
#include "ui/focus_attention.h"
#include "ui/nice_ticks.h"

using namespace attent;
using namespace attent::ui;

namespace {
// Two runs over the five words of a sentence whose topic word is at position 2; the first
// run's weights are given, the second's peak is `peak` on the topic word.
app::SnapshotPtr focusSnapshot(std::vector<float> first, float peak) {
  auto s = std::make_shared<Snapshot>();
  s->probeExample.tokens = {"w12", "w7", "topicA", "w3", "w40"};
  s->probeExample.highlight = {2};
  s->probeExample.highlightTitle = "the topic word";
  s->probeExample.label = "topic 0";
  const float rest = (1 - peak) / 4;
  for (const auto& weights : {first, std::vector<float>{rest, rest, peak, rest, rest}}) {
    RunSnapshot r;
    r.name = s->runs.empty() ? "FC" : "TL";
    AttentionMaps& a = r.probeAttention;
    a.layers = a.heads = a.queries = 1;
    a.keys = 5;
    a.weights = weights;
    s->runs.push_back(std::move(r));
  }
  return s;
}
}  // namespace

class TestFocusAttention : public QObject {
  Q_OBJECT
 private slots:
  // Hovering an item names the run, the word and its exact weight, and says when it is the truth.
  void hoverNamesTheItemAndItsWeight() {
    FocusAttentionView view;
    view.resize(700, 400);
    view.setSnapshot(focusSnapshot({0.1f, 0.2f, 0.3f, 0.15f, 0.25f}, 0.6f));
    QCOMPARE(view.rowCount(), 2);
    const QString w1 = view.hoverText(view.itemRect(0, 1).center());
    QVERIFY2(w1.contains("FC") && w1.contains("'w7'") && w1.contains("0.2000"), qPrintable(w1));
    QVERIFY(!w1.contains("the topic word"));
    const QString topic = view.hoverText(view.itemRect(1, 2).center());
    QVERIFY2(topic.contains("TL") && topic.contains("'topicA'") && topic.contains("0.6000") &&
                 topic.contains("the topic word"),
             qPrintable(topic));
    QVERIFY(view.hoverText(QPointF(-5, -5)).isEmpty());
  }

  // Both runs on one scale: from 0 to the largest weight of either, topped at a nice tick.
  void runsShareOneColourScale() {
    FocusAttentionView view;
    view.resize(700, 400);
    view.setSnapshot(focusSnapshot({0.1f, 0.2f, 0.3f, 0.15f, 0.25f}, 0.62f));
    attent::test::render(view, {700, 400});
    QCOMPARE(view.scaleTop(), float(niceCeiling(0.62)));
    QVERIFY(!view.diverging());
    // A negative entry (SCB's A is not a probability) turns the scale symmetric around 0.
    view.setSnapshot(focusSnapshot({-0.3f, 0.2f, 0.5f, 0.3f, 0.3f}, 0.2f));
    attent::test::render(view, {700, 400});
    QVERIFY(view.diverging());
    QCOMPARE(view.scaleTop(), float(niceCeiling(0.5)));
  }

  // Items stay inside the view, and a heavier item is drawn in a different colour.
  void itemsFitAndAreShadedByWeight() {
    FocusAttentionView view;
    const QImage image = attent::test::render(view, {420, 300});
    view.setSnapshot(focusSnapshot({0.0f, 0.0f, 1.0f, 0.0f, 0.0f}, 0.2f));
    const QImage drawn = attent::test::render(view, {420, 300});
    QVERIFY(attent::test::distinctColours(drawn) > attent::test::distinctColours(image));
    for (int row = 0; row < 2; ++row)
      for (int k = 0; k < 5; ++k) QVERIFY(view.rect().contains(view.itemRect(row, k).toRect()));
    const QRectF light = view.itemRect(0, 0), heavy = view.itemRect(0, 2);
    QVERIFY(drawn.pixel(light.toRect().topLeft() + QPoint(2, 2)) !=
            drawn.pixel(heavy.toRect().topLeft() + QPoint(2, 2)));
  }

  // Square maps over text are not a single query: those go to the text view.
  void onlySingleQueries() {
    auto s = std::make_shared<Snapshot>(*focusSnapshot({0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, 0.2f));
    QVERIFY(FocusAttentionView::showsFocus(*s));
    s->runs[0].probeAttention.queries = 5;
    s->runs[0].probeAttention.weights.assign(25, 0.2f);
    QVERIFY(!FocusAttentionView::showsFocus(*s));
  }

  // The research kinds' probes open on their items with the truth marked; the matrices are one
  // click away.
  void researchKindsOpenOnTheirProbe_data() {
    QTest::addColumn<QString>("kind");
    for (const char* kind : {"topic-words", "scb", "mosaic"}) QTest::newRow(kind) << kind;
  }
  void researchKindsOpenOnTheirProbe() {
    QFETCH(QString, kind);
    const auto experiment = buildExperiment(kind.toStdString(), experimentSettings(kind.toStdString()), 1);
    for (int i = 0; i < 5; ++i) experiment->step();
    auto snapshot = std::make_shared<const Snapshot>(experiment->snapshot(0));
    QVERIFY(FocusAttentionView::showsFocus(*snapshot));
    QVERIFY(!snapshot->probeExample.highlight.empty());
    QVERIFY(!snapshot->probeExample.highlightTitle.empty());
    AttentionView view;
    view.resize(800, 500);
    view.show();
    view.setSnapshot(snapshot);
    QVERIFY(view.focusView()->isVisible());
    QVERIFY(!view.canvas()->isVisible());
    const int truth = snapshot->probeExample.highlight.front();
    const QString hover = view.focusView()->hoverText(view.focusView()->itemRect(0, truth).center());
    QVERIFY2(hover.contains(QString::fromStdString(snapshot->probeExample.highlightTitle)),
             qPrintable(hover));
    QCheckBox* over = nullptr;
    for (QCheckBox* box : view.findChildren<QCheckBox*>())
      if (box->text() == "Over the example") over = box;
    QVERIFY(over && over->isVisible());
    over->setChecked(false);
    QVERIFY(view.canvas()->isVisible());
    QVERIFY(!view.focusView()->isVisible());
  }
};

QTEST_MAIN(TestFocusAttention)
#include "test_focus_attention.moc"

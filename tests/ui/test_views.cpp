// Each view renders a synthetic snapshot into a non-blank image; the loss view's
// smoothing, downsampling and time-to-target; the settings editor's validation.
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "engine/teach/experiment.h"
#include "tests/ui/view_test_util.h"
#include "ui/attention_view.h"
#include "ui/diagnostics_view.h"
#include "ui/loss_view.h"
#include "ui/main_window.h"
#include "ui/pick_list.h"
#include "ui/picks_view.h"
#include "ui/preset_panel.h"
#include "ui/result_card.h"
#include "ui/screenshot.h"
#include "ui/token_attention.h"

using namespace attent;
using namespace attent::ui;
using attent::test::distinctColours;
using attent::test::fakeSnapshot;
using attent::test::render;

namespace {
// A snapshot of a small experiment of a research kind after two steps (sizes do not change
// the panels).
app::SnapshotPtr researchSnapshot(const std::string& kind) {
  Settings s = experimentSettings(kind);
  s.set("experiment.steps", "4");
  if (kind == "topic-words") s.set("topic.samples", "200"), s.set("topic.non_topic_words", "50");
  if (kind == "scb" || kind == "scb-transfer") s.set("scb.samples", "200"), s.set("scb.heldout", "50");
  if (kind == "scb-transfer") s.set("scb.pretrain_steps", "2");
  if (kind == "mosaic") s.set("mosaic.samples", "40"), s.set("mosaic.heldout", "20");
  auto e = buildExperiment(kind, s, 1);
  e->step();
  e->step();
  return std::make_shared<const Snapshot>(e->snapshot(0));
}
}  // namespace

namespace {
// One run's one-layer maps over a probe of `labels`, heads x queries x keys weights.
std::shared_ptr<Snapshot> textProbe(int heads, std::vector<std::string> labels, std::vector<float> weights) {
  auto s = std::make_shared<Snapshot>();
  RunSnapshot run;
  run.name = "attent";
  AttentionMaps& a = run.probeAttention;
  a.layers = 1, a.heads = heads, a.queries = a.keys = int(labels.size());
  a.keyLabels = a.queryLabels = std::move(labels);
  a.weights = std::move(weights);
  s->runs.push_back(run);
  return s;
}
// The text view 400x200 over `probe`, with query `pinned` pinned.
void showProbe(TokenAttentionText& view, const std::shared_ptr<Snapshot>& probe, int pinned) {
  view.resize(400, 200);
  view.setSnapshot(probe);
  view.setQuery(pinned, true);
}
}  // namespace

class TestViews : public QObject {
  Q_OBJECT
 private slots:
  void attentionViewDrawsMapsAndHovers() {
    AttentionCanvas canvas;
    const QImage blank = render(canvas);
    canvas.setSnapshot(fakeSnapshot(200));
    const QImage image = render(canvas);
    QVERIFY2(distinctColours(image) > 20, qPrintable(QString::number(distinctColours(image))));
    QVERIFY(image != blank);
    // Somewhere over the maps, hover names the query, the key and the weight.
    bool found = false;
    for (int y = 0; y < canvas.height() && !found; y += 5)
      for (int x = 0; x < canvas.width() && !found; x += 5) {
        const QString text = canvas.hoverText(QPointF(x, y));
        if (!text.isEmpty()) {
          QVERIFY(text.contains("query") && text.contains("key") && text.contains("weight"));
          found = true;
        }
      }
    QVERIFY(found);
    QVERIFY(canvas.hoverText(QPointF(-10, -10)).isEmpty());
    canvas.setMeanOverHeads(true);
    QVERIFY(distinctColours(render(canvas)) > 20);
  }

  void picksViewDrawsPicksHistogramAndSchedule() {
    PicksView view;
    view.setSnapshot(fakeSnapshot(100));
    const QImage image = render(view, {800, 360});
    QVERIFY(distinctColours(image) > 20);
    QSignalSpy clicked(&view, &PicksView::pickClicked);
    // The first pick's row is near the top of the list, under its column header.
    auto* list = view.findChild<PickList*>();
    QVERIFY(list);
    for (int y = 10; y < 140 && clicked.isEmpty(); y += 4)
      QTest::mouseClick(list, Qt::LeftButton, {}, QPoint(40, y));
    QVERIFY(!clicked.isEmpty());
    QCOMPARE(clicked.first().at(0).toString(), QString("attent"));
  }

  void diagnosticsViewDrawsEveryKind() {
    DiagnosticsView view;
    view.setSnapshot(fakeSnapshot(50));
    view.setSnapshot(fakeSnapshot(100));
    // The fake describes four panels; its heatmaps are drawn once per run (two runs).
    QCOMPARE(view.panelCount(), 6);
    QVERIFY(distinctColours(render(view, {900, 600})) > 20);
    // Titles and units are the description's words; keys only in the tooltips.
    const auto placed = view.placedPanels();
    QCOMPARE(view.titleOf(placed[0].cell), QString("Distance to the truth"));
    QCOMPARE(view.subtitleOf(placed[0].cell),
             QString("relative Frobenius norm, log scale · solid: V error, dashed: A error"));
    QCOMPARE(view.titleOf(placed[1].cell), QString("Learned V · attent"));
    QVERIFY(view.hoverText(placed[0].header.center()).contains("scb.v_error"));
  }

  // Scrubbing shows a kept frame's heatmaps and points (and a cursor on the series);
  // back to live, the view is as it was.
  void diagnosticsViewShowsAScrubbedFrame() {
    DiagnosticsView view;
    view.setSnapshot(fakeSnapshot(50));
    view.setSnapshot(fakeSnapshot(100));
    render(view, {900, 600});  // laid out at its width once
    const QImage live = render(view, {900, 600});
    view.showFrame(fakeSnapshot(50));
    QCOMPARE(view.frameStep(), 50L);
    const QImage scrubbed = render(view, {900, 600});
    QVERIFY(scrubbed != live);
    QVERIFY(view.titleOf(view.placedPanels()[1].cell).endsWith(" · step 50"));
    view.showFrame(nullptr);
    QCOMPARE(view.frameStep(), -1L);
    QCOMPARE(render(view, {900, 600}), live);
  }

  // The panels' axes: linear ones widened to ticks of 1, 2 or 5 x 10^k, log ones on decades (with
  // 2 and 5 between when there is room), labelled without noise digits.
  void diagnosticAxesHaveNiceTicks() {
    auto nice = [](double v) {
      const double m = std::abs(v) / std::pow(10.0, std::floor(std::log10(std::abs(v)) + 1e-9));
      return v == 0 || std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6;
    };
    const Axis share = linearAxis(0.0476, 0.0577, 7);
    QCOMPARE(share.lo, 0.046);
    QCOMPARE(share.labels, QStringList({"0.046", "0.048", "0.050", "0.052", "0.054", "0.056", "0.058"}));
    for (std::size_t i = 1; i < share.ticks.size(); ++i) QVERIFY(nice(share.ticks[i] - share.ticks[i - 1]));
    const Axis steps = linearAxis(0, 300, 4, false);  // an x axis ends at the last step
    QCOMPARE(steps.hi, 300.0);
    QCOMPARE(steps.labels, QStringList({"0", "100", "200", "300"}));
    const Axis wide = logAxis(3.5e-6, 8e-3, 6);
    QCOMPARE(wide.lo, 1e-6);
    QCOMPARE(wide.hi, 1e-2);
    QCOMPARE(wide.labels, QStringList({"10⁻⁶", "10⁻⁵", "10⁻⁴", "0.001", "0.01"}));
    const Axis crowded = logAxis(1e-9, 1e3, 5);  // every third decade
    QCOMPARE(crowded.labels, QStringList({"10⁻⁹", "10⁻⁶", "0.001", "1", "1000"}));
    const Axis narrow = logAxis(0.2, 0.8, 6);
    QCOMPARE(narrow.labels, QStringList({"0.1", "0.2", "0.5", "1"}));
    for (double t : narrow.ticks) QVERIFY(nice(t));
    QCOMPARE(logTickLabel(2e6), QString("2×10⁶"));
    QCOMPARE(narrow.fraction(0.1), 0.0);
    QCOMPARE(narrow.fraction(1.0), 1.0);
  }

  // Every panel of the research presets' kinds, at the widths of a 1920 and a 1366 pixel screen
  // and of the window's diagnostics dock: the words fit their boxes (wrapped, never cut), and
  // no key is on screen.
  void diagnosticsWordsFitAtScreenSizes_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("width");
    for (const char* kind : {"topic-words", "scb", "scb-transfer", "mosaic"})
      for (int width : {1920, 1366, 900, 600})
        QTest::newRow(qPrintable(QString("%1 %2").arg(kind).arg(width))) << QString(kind) << width;
  }
  void diagnosticsWordsFitAtScreenSizes() {
    QFETCH(QString, kind);
    QFETCH(int, width);
    DiagnosticsView view;
    view.setSnapshot(researchSnapshot(kind.toStdString()));
    render(view, {width, 700});
    const QRegularExpression key("[A-Za-z_]+\\.[A-Za-z_]");
    QFont bold = view.font();
    bold.setBold(true);
    const QFontMetricsF fm(view.font()), fmBold(bold);
    const int flags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
    const auto placed = view.placedPanels();
    QVERIFY(!placed.empty());
    for (const auto& p : placed) {
      const QString title = view.titleOf(p.cell), subtitle = view.subtitleOf(p.cell);
      const QString where = QString("%1 at %2: %3").arg(kind).arg(width).arg(title);
      QVERIFY2(!title.contains(key) && !subtitle.contains(key), qPrintable(where));
      QVERIFY2(!subtitle.isEmpty(), qPrintable(where));
      const QRectF box(0, 0, p.header.width(), 1e6);
      const QRectF t = fmBold.boundingRect(box, flags, title), u = fm.boundingRect(box, flags, subtitle);
      QVERIFY2(t.width() <= p.header.width() && u.width() <= p.header.width(), qPrintable(where));
      QVERIFY2(t.height() + u.height() <= p.header.height(), qPrintable(where));
      const QString xTitle = QString::fromStdString(p.cell.panel->xAxis);
      if (p.cell.panel->kind != PanelKind::Heatmap)
        QVERIFY2(fm.horizontalAdvance(xTitle) <= p.area.width(), qPrintable(where));
    }
  }

  void lossViewDrawsCurves() {
    LossView view;
    view.setRuns({"attent", "random"});
    view.addSnapshot(fakeSnapshot(300));
    view.replot();
    QVERIFY(distinctColours(render(view, {800, 500})) > 20);
    QVERIFY(view.hoverText(0, 10).contains("step 10"));
    view.setLogY(true);
    view.setXAxis(XAxis::Seconds);
    QVERIFY(distinctColours(render(view, {800, 500})) > 20);
  }

  void emaIsDebiasedAndCausal() {
    Ema ema(0.9);
    QCOMPARE(ema.add(5.0), 5.0);  // the first value is not pulled towards 0
    for (int i = 0; i < 10; ++i) QVERIFY(std::abs(ema.add(5.0) - 5.0) < 1e-12);
    // Adding later points never changes earlier smoothed values: recompute a prefix.
    Ema a(0.8), b(0.8);
    std::vector<double> first;
    for (int i = 0; i < 20; ++i) first.push_back(a.add(std::sin(i)));
    for (int i = 0; i < 20; ++i) QCOMPARE(b.add(std::sin(i)), first[i]);
  }

  void downsamplingKeepsExtremes() {
    std::vector<QPointF> points;
    for (int i = 0; i < 100000; ++i)
      points.push_back({double(i), std::sin(i * 0.001) + (i == 54321 ? 10 : 0) - (i == 777 ? 7 : 0)});
    const auto out = downsampleMinMax(points, 200);
    QVERIFY(out.size() <= 800);
    double hi = -1e9, lo = 1e9;
    for (std::size_t i = 0; i < out.size(); ++i) {
      hi = std::max(hi, out[i].y()), lo = std::min(lo, out[i].y());
      if (i) QVERIFY(out[i].x() > out[i - 1].x());
    }
    QCOMPARE(hi, points[54321].y());
    QCOMPARE(lo, points[777].y());
    QCOMPARE(out.front(), points.front());
    QCOMPARE(out.back(), points.back());
  }

  // The markers show the snapshot's summaries, placed on the history point they name.
  void timeToTargetAndReductionComeFromTheSummary() {
    LossView view;
    view.setRuns({"attent", "random"});
    auto s = std::make_shared<Snapshot>();
    s->targetEvalLoss = 0.5;
    s->baselineRun = 1;
    for (int r = 0; r < 2; ++r) {
      RunSnapshot run;
      run.name = r == 0 ? "attent" : "random";
      for (int step = 1; step <= 100; ++step) {
        MetricPoint p;
        p.step = step;
        p.examplesSeen = step * 32;
        p.computeSeconds = step * 0.1;
        p.trainLoss = 1;
        run.newPoints.push_back(p);
      }
      s->runs.push_back(run);
      RunSummary summary;
      summary.name = run.name;
      summary.targetEvalLoss = 0.5;
      summary.toTarget = {r == 0 ? 78L : 100L, r == 0 ? 7.8 : 10.0};
      summary.timeReduction = r == 0 ? 0.22 : 0.0;
      s->summaries.push_back(summary);
    }
    view.addSnapshot(s);
    view.replot();
    auto t = view.targetResults();
    QCOMPARE(t[0].seconds, 7.8);
    QCOMPARE(t[1].seconds, 10.0);
    QCOMPARE(*t[0].reduction, 0.22);
    QCOMPARE(t[0].x, 78.0);
    // The result card: the headline first, the seconds the summaries name after it.
    const QStringList card = view.summaryText().split('\n');
    QCOMPARE(card.value(0),
             QString("AtteNT reached the random run's final held-out loss 22% sooner (CPU s)"));
    QVERIFY2(card.value(1).contains("AtteNT 7.80 s, random 10.00 s"), qPrintable(view.summaryText()));
    QVERIFY(!view.summaryText().contains("random reached"));  // the baseline is not compared to itself
    // One legend entry per run, the line styles once, the target's marker without a run's name.
    QCOMPARE(view.legendLabels(),
             QStringList({"AtteNT", "random", "train loss (smoothed)", "held-out loss",
                          "target: the baseline's final held-out loss", "reached the target"}));
    view.setXAxis(XAxis::Examples);
    QCOMPARE(view.targetResults()[0].x, 78.0 * 32);
  }

  // Before the baseline has finished there is no target: the card says when it will be known;
  // under the epoch-budget protocol the engine's verdict is the headline; no baseline, no card.
  void resultCardWords() {
    Snapshot s;
    s.step = 120;
    s.totalSteps = 400;
    s.baselineRun = 1;
    for (const char* name : {"attent", "random"}) {
      RunSummary summary;
      summary.name = name;
      s.summaries.push_back(summary);
    }
    QCOMPARE(
        resultText(s).headline,
        QString("Time to the random run's final held-out loss: known when it finishes (step 120 of 400)"));
    s.epochVerdict =
        "saves 22% of full's CPU time (95% CI 22..22%) at equal accuracy (+0.3 pts); no better "
        "than a random subset (-0.1 pts)";
    const ResultText epochs = resultText(s);
    QCOMPARE(epochs.headline, QString("Epoch budget: AtteNT saves 22% of full's CPU time (95% CI 22..22%) at "
                                      "equal accuracy (+0.3 pts)"));
    QVERIFY(epochs.detail.startsWith("no better than a random subset (-0.1 pts)\n"));
    s.targetEvalLoss = 0.4;
    s.epochVerdict.clear();
    s.summaries[0].timeReduction = -0.126;
    QCOMPARE(resultText(s).headline,
             QString("AtteNT reached the random run's final held-out loss 13% later (CPU s)"));
    s.summaries[0].timeReduction.reset();
    QCOMPARE(resultText(s).headline,
             QString("AtteNT did not reach the random run's final held-out loss (0.4)"));
    s.baselineRun = -1;
    QVERIFY(resultText(s).headline.isEmpty());
  }

  // The text view of a causal probe: hovering a token names it and the weight each head puts
  // on it from the pinned query; a later token is not attended.
  void textAttentionHoverNamesTokenAndWeight() {
    // Causal rows: head 1 puts 0.25 on 'c' from 't', head 2 puts 0.6 on it.
    const auto s =
        textProbe(2, {"c", "a", "t"},
                  {1, 0, 0, 0.5f, 0.5f, 0, 0.25f, 0.25f, 0.5f, 1, 0, 0, 0.3f, 0.7f, 0, 0.6f, 0.1f, 0.3f});
    QVERIFY(TokenAttentionText::readsAsText(*s));
    TokenAttentionText view;
    showProbe(view, s, 2);  // 't' pinned
    const QString hover = view.hoverText(view.tokenRect(0, 0).center());
    QVERIFY2(hover.contains("'t' (position 2)"), qPrintable(hover));
    QVERIFY2(hover.contains("head 1: weight 0.250 on 'c' (position 0)"), qPrintable(hover));
    QVERIFY2(hover.contains("head 2: weight 0.600 on 'c' (position 0)"), qPrintable(hover));
    view.setQuery(1, true);
    QVERIFY(view.hoverText(view.tokenRect(0, 2).center()).contains("cannot attend"));
    view.setQuery(0, false);  // unpinned: the hovered token is the query, each head's top key named
    const QString free = view.hoverText(view.tokenRect(0, 1).center());
    QVERIFY2(free.contains("'a' (position 1)") && free.contains("head 2: weight 0.700 on 'a'"),
             qPrintable(free));
    QVERIFY(view.hoverText(QPointF(-5, -5)).isEmpty());
  }

  // A classifier's layer attends both ways: a later token's weight is named, not refused.
  void textAttentionOfAClassifierSeesLaterTokens() {
    const auto s = textProbe(1, {"o", "k"}, {0.2f, 0.8f, 0.4f, 0.6f});
    TokenAttentionText view;
    showProbe(view, s, 0);  // 'o' pinned
    const QString hover = view.hoverText(view.tokenRect(0, 1).center());
    QVERIFY2(hover.contains("head 1: weight 0.800 on 'k' (position 1)"), qPrintable(hover));
  }

  void settingsEditorRefusesBadValues() {
    const app::Catalog catalog = app::fakeCatalog();
    PresetPanel panel(catalog);
    panel.selectPreset("demo");
    QVERIFY(panel.isValid());
    QVERIFY(panel.applyButton()->isEnabled());
    QVERIFY(panel.setValueText("steps", "-5"));
    QVERIFY(!panel.isValid());
    QVERIFY(!panel.applyButton()->isEnabled());
    QVERIFY2(panel.errorFor("steps").contains("1"), qPrintable(panel.errorFor("steps")));  // names the range
    QVERIFY(panel.setValueText("learning_rate", "fast"));
    QVERIFY(!panel.errorFor("learning_rate").isEmpty());
    panel.setValueText("steps", "123");
    panel.setValueText("learning_rate", "0.5");
    QVERIFY(panel.isValid());
    QVERIFY(panel.applyButton()->isEnabled());
    QSignalSpy apply(&panel, &PresetPanel::applyRequested);
    panel.applyButton()->click();
    QCOMPARE(apply.count(), 1);
    const auto preset = apply.first().at(0).value<app::PresetInfo>();
    QCOMPARE(preset.settings.integer("steps"), 123L);
    QCOMPARE(preset.settings.real("learning_rate"), 0.5);
  }

  void windowScreenshotIsNotBlank() {
    WindowOptions options;
    options.persistent = false;
    MainWindow window(app::fakeCatalog(), options);
    QString error;
    QVERIFY(trainFor(window, 40, &error));
    QCOMPARE(window.lastStep(), 40L);
    for (const QString& view : MainWindow::viewNames()) {
      const QImage image = renderView(window, view, {1200, 800});
      QVERIFY2(!image.isNull() && distinctColours(image) > 20, qPrintable(view));
    }
  }

  void windowControlsDriveTheWorker() {
    WindowOptions options;
    options.persistent = false;
    MainWindow window(app::fakeCatalog(), options);
    QString error;
    QVERIFY(trainFor(window, 0, &error));
    QSignalSpy running(&window.controller(), &app::TrainingController::runningChanged);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_S);  // one step
    QTRY_COMPARE_WITH_TIMEOUT(window.lastStep(), 1L, 10000);
    QTest::keyClick(&window, Qt::Key_Space);  // play
    QVERIFY(running.wait(10000));
    QCOMPARE(running.last().at(0).toBool(), true);
    QTest::keyClick(&window, Qt::Key_Space);  // pause
    QVERIFY(running.wait(10000));
    QCOMPARE(running.last().at(0).toBool(), false);
  }
};

QTEST_MAIN(TestViews)
#include "test_views.moc"

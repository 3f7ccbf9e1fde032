// The diagnostics view shows the mosaic paper's closed-form toy, nu(t) and mu(t) per paradigm,
// for mosaic snapshots: the curves are the engine's mosaicToy for the snapshot's m and C,
// they are drawn where their values say, computed once per (m, C), and absent otherwise.
#include <QTest>
#include <QToolTip>
#include <cmath>
#include <memory>

#include "engine/research/mosaic/mosaic.h"
#include "tests/ui/view_test_util.h"
#include "ui/diagnostics_view.h"
#include "ui/paint_util.h"
#include "ui/theme.h"

using namespace attent;
using namespace attent::ui;
using attent::test::distinctColours;
using attent::test::fakeSnapshot;
using attent::test::render;
using Q = ToyPanel::Quantity;

namespace {
// Four runs with a real FocusMosaic's diagnostics (small sets: only the keys and sizes matter).
app::SnapshotPtr mosaicSnapshot(const char* data, long step) {
  Settings s(mosaicSettingSpecs());
  s.set("mosaic.data", data);
  s.set("mosaic.samples", "40");
  s.set("mosaic.heldout", "20");
  auto task = std::make_shared<MosaicTask>(s, 1);
  FocusMosaic learner(task, s, 2);
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->step = step;
  for (const char* name : {"SA", "HA", "LVML", "hybrid"}) {
    RunSnapshot run;
    run.name = name;
    run.step = step;
    run.diagnostics = learner.diagnostics();
    snapshot->runs.push_back(run);
  }
  return snapshot;
}

std::size_t nearestIndex(const ToyTrajectory& tr, double t) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < tr.t.size(); ++i)
    if (std::abs(tr.t[i] - t) < std::abs(tr.t[best] - t)) best = i;
  return best;
}

// Some pixel within 2 px of `at` is close to `colour` (antialiased 1.6 px lines).
bool colourNear(const QImage& image, QPointF at, QColor colour) {
  for (int dy = -2; dy <= 2; ++dy)
    for (int dx = -2; dx <= 2; ++dx) {
      const QColor c = image.pixelColor(int(at.x()) + dx, int(at.y()) + dy);
      if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) +
              std::abs(c.blue() - colour.blue()) <
          60)
        return true;
    }
  return false;
}
}  // namespace

class TestToyPanel : public QObject {
  Q_OBJECT
 private slots:
  void mosaicSnapshotPlotsTheEnginesToy() {
    DiagnosticsView view;
    view.setSnapshot(mosaicSnapshot("linear", 10));
    const QImage image = render(view, {900, 640});
    if (qEnvironmentVariableIsSet("TOY_PNG")) image.save(qEnvironmentVariable("TOY_PNG") + "-light.png");
    // m and C come from the learner's diagnostics: the linear mosaics' 20 segments, 20 classes.
    const ToyCurves* c = view.toyCurves();
    QVERIFY(c);
    QCOMPARE(c->m, 20);
    QCOMPARE(c->C, 20);
    // The hybrid switches where HA's focus overtakes SA's (t ~ 35 for m = C = 20).
    QVERIFY2(c->switchTime > 30 && c->switchTime < 40, qPrintable(QString::number(c->switchTime)));
    QVERIFY(c->horizon >= 3 * c->switchTime);
    for (int k = 0; k < 4; ++k) {
      const ToyTrajectory ref =
          mosaicToy(ToyPanel::kParadigms[k], 20, 20, c->horizon, ToyCurves::kSteps, c->switchTime);
      QCOMPARE(c->paradigms[k].t, ref.t);
      QCOMPARE(c->paradigms[k].nu, ref.nu);
      QCOMPARE(c->paradigms[k].mu, ref.mu);
    }
    // The paper's point, as in the engine's test: SA focuses first, HA later, hybrid gets both.
    const ToyTrajectory &sa = c->paradigms[0], &ha = c->paradigms[1], &hybrid = c->paradigms[3];
    const std::size_t t30 = nearestIndex(sa, 30);
    QVERIFY(sa.nu[t30] > ha.nu[t30] + 0.5);
    QVERIFY(ha.nu.back() > sa.nu.back() + 1);
    QVERIFY(hybrid.nu.back() > sa.nu.back() + 1);

    // Both plots were painted, and are not blank.
    for (Q q : {Q::Nu, Q::Mu}) {
      const QRectF plot = view.toyPlotRect(q);
      QVERIFY(plot.width() > 100 && plot.height() > 80);
      QVERIFY(distinctColours(image.copy(plot.toRect())) > 10);
    }
    // The curves are drawn at their values: late on, SA's nu is ~1.5 below LVML's (HA's is under
    // the dashed hybrid); each colour sits on its own curve and not on the other's.
    const QRectF nuPlot = view.toyPlotRect(Q::Nu);
    const int late = int(sa.t.size() * 8 / 10);
    const QColor saColour = runColor(0, "SA"), lvColour = runColor(2, "LVML");
    const QPointF saAt = view.toyPanel().map(nuPlot, Q::Nu, 0, late),
                  lvAt = view.toyPanel().map(nuPlot, Q::Nu, 2, late);
    QVERIFY(lvAt.y() < saAt.y() - 15);
    QVERIFY(colourNear(image, saAt, saColour));
    QVERIFY(colourNear(image, lvAt, lvColour));
    QVERIFY(!colourNear(image, lvAt, saColour));
    QVERIFY(!colourNear(image, saAt, lvColour));
    // Hover names the paradigm, the time and the value; away from the curves what t is; outside
    // the plot nothing.
    const QString text = view.toyPanel().hoverText(nuPlot, Q::Nu, saAt);
    QVERIFY2(text.startsWith("SA\nt = ") && text.contains("ν = "), qPrintable(text));
    QVERIFY(view.toyPanel()
                .hoverText(nuPlot, Q::Nu, QPointF(saAt.x(), saAt.y() + 40))
                .contains("not training steps"));
    QVERIFY(view.toyPanel().hoverText(nuPlot, Q::Nu, QPointF(nuPlot.left() - 5, saAt.y())).isEmpty());
    QTest::mouseMove(&view, saAt.toPoint());
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().startsWith("SA\nt = "), qPrintable(QToolTip::text()));
    // The sizes are settings, not curves over steps: 7 scalars + 4 signatures + 2 toy plots.
    QCOMPARE(view.panelCount(), 13);
  }

  void theToyIsComputedOncePerSize() {
    DiagnosticsView view;
    view.setSnapshot(mosaicSnapshot("linear", 10));
    const double* data = view.toyCurves()->paradigms[0].nu.data();
    view.setSnapshot(mosaicSnapshot("linear", 20));
    render(view);
    QCOMPARE(view.toyCurves()->paradigms[0].nu.data(), data);  // the same cached curves
    view.setSnapshot(mosaicSnapshot("digits", 30));            // m = 5 images, C = 3 digits
    QCOMPARE(view.toyCurves()->m, 5);
    QCOMPARE(view.toyCurves()->C, 3);
    QCOMPARE(view.toyCurves()->paradigms[1].nu,
             mosaicToy(ToyParadigm::HA, 5, 3, view.toyCurves()->horizon, ToyCurves::kSteps).nu);
  }

  void otherExperimentsHaveNoToy() {
    DiagnosticsView view;
    view.setSnapshot(fakeSnapshot(50));
    render(view);
    QVERIFY(!view.toyCurves());
    QVERIFY(view.toyPlotRect(Q::Nu).isEmpty());
  }

  void darkThemeDrawsTheToyInItsColours() {
    DiagnosticsView view;
    view.setPalette(themePalette(true));
    view.setSnapshot(mosaicSnapshot("linear", 10));
    const QImage image = render(view, {900, 640});
    if (qEnvironmentVariableIsSet("TOY_PNG")) image.save(qEnvironmentVariable("TOY_PNG") + "-dark.png");
    const QRectF plot = view.toyPlotRect(Q::Mu);
    QVERIFY(!plot.isEmpty());
    const QImage crop = image.copy(plot.toRect());
    QVERIFY(distinctColours(crop) > 10);
    // The background is the dark base, not white.
    QCOMPARE(image.pixelColor(plot.toRect().bottomRight() + QPoint(-60, -40)).rgb(),
             themePalette(true).base().color().rgb());
  }
};

QTEST_MAIN(TestToyPanel)
#include "test_toy_panel.moc"

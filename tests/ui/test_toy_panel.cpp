// The diagnostics view shows the mosaic paper's closed-form toy, nu(t) and mu(t) per paradigm,
// for mosaic snapshots: it paints the curves the engine sent (the snapshot's points, described
// as Curves panels), where their values say, in the colours of the runs of the same name, and
// names them on hover; other experiments have no toy.
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

std::vector<DiagnosticsView::Placed> toyPanels(const DiagnosticsView& view) {
  std::vector<DiagnosticsView::Placed> out;
  for (const auto& placed : view.placedPanels())
    if (placed.cell.panel->kind == PanelKind::Curves) out.push_back(placed);
  return out;
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
  void mosaicSnapshotPaintsTheEnginesToy() {
    DiagnosticsView view;
    const auto snapshot = mosaicSnapshot("linear", 10);
    view.setSnapshot(snapshot);
    const QImage image = render(view, {900, 640});
    if (qEnvironmentVariableIsSet("TOY_PNG")) image.save(qEnvironmentVariable("TOY_PNG") + "-light.png");
    const auto toy = toyPanels(view);
    QCOMPARE(toy.size(), std::size_t(2));  // nu(t) and mu(t)
    // The toy's sizes are shown in words with their values (the linear mosaics' 20 and 20).
    QVERIFY2(view.subtitleOf(toy[0].cell).contains("segments m = 20, classes C = 20"),
             qPrintable(view.subtitleOf(toy[0].cell)));
    const PanelInput in = view.input();
    for (const auto& placed : toy) {
      const QRectF plot = curvesPlotRect(placed.area, placed.cell, in);
      QVERIFY(plot.width() > 100 && plot.height() > 80);
      QVERIFY(distinctColours(image.copy(plot.toRect())) > 10);
    }
    // The curves are the snapshot's points, drawn at their values: late on, SA's nu is ~1.5 below
    // LVML's (HA's is under the dashed hybrid); each colour sits on its own curve.
    const auto& nu = toy[0];
    const auto& saPoints = snapshot->runs[0].diagnostics.points.at(nu.cell.panel->series[0].key);
    const int late = int(saPoints.size() * 8 / 10);
    const QPointF saAt = curvesPoint(nu.area, nu.cell, in, 0, late),
                  lvAt = curvesPoint(nu.area, nu.cell, in, 2, late);
    const QColor saColour = runColor(0, RunRole::Other), lvColour = runColor(2, RunRole::Other);
    QVERIFY2(lvAt.y() < saAt.y() - 12, qPrintable(QString("%1 %2").arg(lvAt.y()).arg(saAt.y())));
    QVERIFY(colourNear(image, saAt, saColour));
    QVERIFY(colourNear(image, lvAt, lvColour));
    QVERIFY(!colourNear(image, lvAt, saColour));
    QVERIFY(!colourNear(image, saAt, lvColour));
    // Hover names the paradigm, the time and the value; away from the curves what t is and why
    // there is no "now"; elsewhere over the panel its note and keys.
    const QString text = view.hoverText(saAt);
    QVERIFY2(text.startsWith("SA\ntoy time t") && text.contains("ν = "), qPrintable(text));
    QVERIFY(view.hoverText(QPointF(saAt.x(), saAt.y() + 40)).contains("not training steps"));
    QVERIFY(view.hoverText(nu.header.center()).contains("mosaic.toy.nu.SA"));
    QTest::mouseMove(&view, saAt.toPoint());
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().startsWith("SA\n"), qPrintable(QToolTip::text()));
    // The sizes are parameters, not curves over steps: 7 series + 4 signatures + 2 toy plots.
    QCOMPARE(view.panelCount(), 13);
  }

  void theToyFollowsTheMosaicsSizes() {
    DiagnosticsView view;
    view.setSnapshot(mosaicSnapshot("digits", 30));  // m = 5 images, C = 3 digits
    render(view, {900, 640});
    const auto toy = toyPanels(view);
    QCOMPARE(toy.size(), std::size_t(2));
    QVERIFY(view.subtitleOf(toy[1].cell).contains("segments m = 5, classes C = 3"));
  }

  void otherExperimentsHaveNoToy() {
    DiagnosticsView view;
    view.setSnapshot(fakeSnapshot(50));
    render(view);
    QVERIFY(view.panelCount() > 0);
    QVERIFY(toyPanels(view).empty());
  }

  void darkThemeDrawsTheToyInItsColours() {
    DiagnosticsView view;
    view.setPalette(themePalette(true));
    view.setSnapshot(mosaicSnapshot("linear", 10));
    const QImage image = render(view, {900, 640});
    if (qEnvironmentVariableIsSet("TOY_PNG")) image.save(qEnvironmentVariable("TOY_PNG") + "-dark.png");
    const auto toy = toyPanels(view);
    QCOMPARE(toy.size(), std::size_t(2));
    const QRectF plot = curvesPlotRect(toy[1].area, toy[1].cell, view.input());
    QVERIFY(distinctColours(image.copy(plot.toRect())) > 10);
    // The background is the dark base, not white.
    QCOMPARE(image.pixelColor(plot.toRect().bottomRight() + QPoint(-60, -40)).rgb(),
             themePalette(true).base().color().rgb());
  }
};

QTEST_MAIN(TestToyPanel)
#include "test_toy_panel.moc"

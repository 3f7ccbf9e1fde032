// The verdict over seeds: the view shows the outcomes it is handed (a dot per seed in every
// row, the engine's words, the progress), and the window's action runs it for an experiment
// under the epoch budget only, pausing the window's training and stopping when it closes.
#include <QAction>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTest>

#include "app/worker/catalog.h"
#include "engine/teach/arm_outcome.h"
#include "engine/teach/tiny_digits_vit.h"
#include "tests/ui/view_test_util.h"
#include "ui/main_window.h"
#include "ui/paint_util.h"
#include "ui/seed_verdict_action.h"
#include "ui/seed_verdict_view.h"

using namespace attent;
using namespace attent::ui;
using attent::test::armOf;

namespace {

// Seeds 1..n where AtteNT is 2 points behind full and 1 point ahead of the random subset.
app::SeedVerdictResult resultOf(int n, int asked) {
  app::SeedVerdictResult r;
  r.seeds = asked;
  for (long s = 1; s <= n; ++s)
    r.outcomes.push_back(
        {s,
         {armOf("full", 10, 1000, 0.90 + 0.01 * s), armOf("attent", 8, 700, 0.88 + 0.01 * s),
          armOf("random-subset", 7, 700, 0.87 + 0.01 * s), armOf("short-full", 7, 700, 0.89)}});
  r.verdict = epochVerdict(r.outcomes);
  return r;
}

// Pixels of exactly `colour`: the inside of the dots drawn in it.
int pixelsOf(const QImage& image, QColor colour) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) n += image.pixelColor(x, y).rgb() == colour.rgb();
  return n;
}

app::PresetInfo tinyDigits(const app::Catalog& catalog) {
  app::PresetInfo p = *catalog.find("digits-vit");
  for (auto [k, v] : test::kTinyDigitsVit) p.settings.set(k, v);
  for (auto [k, v] : {std::pair{"epochs.count", "5"}, {"epochs.cycles", "2"}, {"epochs.interval", "1"}})
    p.settings.set(k, v);
  return p;
}

}  // namespace

class TestSeedVerdictView : public QObject {
  Q_OBJECT
 private slots:
  void showsWhatItIsHanded() {
    SeedVerdictView view;
    view.start(10);
    const QColor full = runColor(0, RunRole::Baseline);
    QCOMPARE(pixelsOf(test::render(view, {900, 600}), full), 0);
    QVERIFY(view.verdictText().contains("first seed"));

    view.setResult(resultOf(2, 10));
    QCOMPARE(int(view.rows().front().dots.size()), 2);
    view.setResult(resultOf(3, 10));
    const auto& rows = view.rows();
    QCOMPARE(int(rows.size()), 4);
    for (const VerdictRow& r : rows) QCOMPARE(int(r.dots.size()), 3);
    QVERIFY(std::abs(rows[0].dots[0] - -2.0) < 1e-9);  // percentage points
    QVERIFY(std::abs(rows[1].dots[2] - 1.0) < 1e-9);
    QVERIFY(std::abs(rows[3].dots[0] - 20.0) < 1e-9);  // percent of full's CPU time
    QVERIFY(rows[3].saving && !rows[0].saving);
    const EpochVerdict v = resultOf(3, 10).verdict;
    QCOMPARE(rows[0].estimate, 100 * v.accuracyVsFull.estimate);
    QCOMPARE(view.verdictText(), "Over 3 seeds: " + QString::fromStdString(v.words) + ".");
    QVERIFY(view.verdictText().contains("loses accuracy"));
    const QImage drawn = test::render(view, {900, 600});
    QVERIFY(pixelsOf(drawn, full) > 0);
    QVERIFY(pixelsOf(drawn, runColor(0, RunRole::AtteNT)) > 0);

    app::SeedVerdictProgress p;
    p.done = 3, p.seeds = 10, p.seed = 4, p.step = 20, p.steps = 80, p.secondsLeft = 130;
    view.setProgress(p);
    QCOMPARE(view.progressText(), QString("seed 4 of 10, ~2 min left (step 20 of 80)"));
    p.secondsLeft = -1;
    view.setProgress(p);
    QVERIFY(view.progressText().contains("estimating"));
    view.setFinished(true);
    QCOMPARE(view.progressText(), QString("Cancelled after 3 of 10 seeds"));
    view.setFinished(false);
    QCOMPARE(view.progressText(), QString("All 10 seeds done"));
    view.start(5);  // a new run starts empty
    QCOMPARE(int(view.rows().front().dots.size()), 0);
  }

  // Enabled for the epoch budget only; a run pauses the window's training actions, shows the
  // dock and fills it; closing the window cancels a run under way.
  void theWindowsAction() {
    const app::Catalog catalog = app::builtinCatalog();
    WindowOptions options;
    options.persistent = false;
    options.loadPreset = false;
    MainWindow window(catalog, options);
    window.setQuietErrors(true);
    VerdictOverSeeds& verdict = window.verdictOverSeeds();
    verdict.setPreset(*catalog.find("scb"));
    QVERIFY(!verdict.action()->isEnabled());
    QVERIFY(!verdict.run(2));
    verdict.setPreset(tinyDigits(catalog));
    QVERIFY(verdict.action()->isEnabled());
    QVERIFY(!verdict.action()->shortcut().isEmpty());
    QVERIFY(!verdict.action()->toolTip().isEmpty());

    QSignalSpy done(&verdict.runner(), &app::SeedVerdictRunner::finished);
    window.show();
    QAction* play = nullptr;
    for (QAction* a : window.findChildren<QAction*>())
      if (a->text() == "Play") play = a;
    QVERIFY(play && play->isEnabled());
    QVERIFY(verdict.run(2));
    QVERIFY(!verdict.action()->isEnabled());  // one run at a time
    QVERIFY(!play->isEnabled());              // the window's training waits
    QVERIFY(verdict.dock()->isVisible());
    QVERIFY(done.wait(60000));
    QCOMPARE(int(verdict.view()->rows().front().dots.size()), 2);
    QVERIFY(verdict.view()->verdictText().startsWith("Over 2 seeds"));
    QVERIFY(verdict.action()->isEnabled());
    QVERIFY(play->isEnabled());

    app::PresetInfo slow = tinyDigits(catalog);
    slow.settings.set("epochs.count", "401");
    verdict.setPreset(slow);
    QVERIFY(verdict.run(10));
    QTest::qWait(300);
    window.close();
    QVERIFY(done.wait(2000));
    QCOMPARE(done.last().first().toBool(), true);
  }
};

QTEST_MAIN(TestSeedVerdictView)
#include "test_seed_verdict_view.moc"

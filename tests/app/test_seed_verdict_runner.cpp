// The window's verdict over seeds: its runner gives, seed for seed, the numbers `run` writes
// for the same seeds, and a cancel or a close stops it within a step.
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "app/commands/run_command.h"
#include "app/commands/run_report.h"
#include "app/worker/catalog.h"
#include "app/worker/seed_verdict_runner.h"
#include "engine/teach/tiny_digits_vit.h"

using namespace attent;
using namespace attent::app;

namespace {

// The tiny ViT's plan: 5 epochs in 2 cycles, one subset epoch each.
const std::pair<const char*, const char*> kPlan[] = {
    {"epochs.cycles", "2"}, {"epochs.interval", "1"}, {"train.batch", "64"}};

const char* kPreset = "digits-vit";

// The tiny preset; with `epochs` far above 5, a run to cancel mid-seed.
PresetInfo tinyPreset(const Catalog& catalog, const char* epochs = "5") {
  const PresetInfo* p = catalog.find(kPreset);
  if (!p) return {};
  PresetInfo tiny = *p;
  for (auto [k, v] : test::kTinyDigitsVit) tiny.settings.set(k, v);
  for (auto [k, v] : kPlan) tiny.settings.set(k, v);
  tiny.settings.set("epochs.count", epochs);
  return tiny;
}

// What `run --seeds 1-3` with the same settings writes to summary.json, per seed.
std::vector<SeedOutcome> headlessOutcomes(int seeds) {
  QTemporaryDir dir;
  QStringList args{"--preset", kPreset, "--seeds", QStringLiteral("1-%1").arg(seeds), "--out", dir.path()};
  for (auto [k, v] : test::kTinyDigitsVit) args << "--set" << QStringLiteral("%1=%2").arg(k, v);
  for (auto [k, v] : kPlan) args << "--set" << QStringLiteral("%1=%2").arg(k, v);
  args << "--set"
       << "epochs.count=5";
  if (runCommand(args) != 0) return {};
  QFile file(dir.filePath("summary.json"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  RunReport report;
  report.addShard(QJsonDocument::fromJson(file.readAll()).object());
  return report.epochSeeds;
}

}  // namespace

class TestSeedVerdictRunner : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    qRegisterMetaType<SeedVerdictResult>();
    qRegisterMetaType<SeedVerdictProgress>();
  }

  // Seed for seed, what each arm trained, scored and reached equals the headless run's (CPU
  // seconds are measured, so they differ); the verdict is the engine's over those outcomes.
  void givesTheNumbersRunWrites() {
    const Catalog catalog = builtinCatalog();
    const PresetInfo preset = tinyPreset(catalog);
    QVERIFY(!preset.name.empty());
    SeedVerdictRunner runner(catalog.build);
    QSignalSpy results(&runner, &SeedVerdictRunner::seedFinished);
    QSignalSpy done(&runner, &SeedVerdictRunner::finished);
    QVERIFY(runner.start(preset, 3));
    QVERIFY(!runner.start(preset, 3));  // one run at a time
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().first().toBool(), false);
    QCOMPARE(results.size(), 3);
    const auto last = results.last().first().value<SeedVerdictResult>();
    QCOMPARE(last.seeds, 3);
    QCOMPARE(int(last.outcomes.size()), 3);
    for (int i = 0; i < 3; ++i)  // each result carries the seeds so far
      QCOMPARE(int(results[i].first().value<SeedVerdictResult>().outcomes.size()), i + 1);

    const std::vector<SeedOutcome> headless = headlessOutcomes(3);
    QCOMPARE(int(headless.size()), 3);
    for (int s = 0; s < 3; ++s) {
      QCOMPARE(last.outcomes[s].seed, headless[s].seed);
      QCOMPARE(last.outcomes[s].arms.size(), headless[s].arms.size());
      for (std::size_t a = 0; a < headless[s].arms.size(); ++a) {
        const ArmOutcome &w = last.outcomes[s].arms[a], &h = headless[s].arms[a];
        QCOMPARE(w.name, h.name);
        QCOMPARE(w.trainedExamples, h.trainedExamples);
        QCOMPARE(w.scoredExamples, h.scoredExamples);
        // Exactly: summary.json keeps the shortest digits that read back as the same double.
        QVERIFY2(w.finalEvalAccuracy == h.finalEvalAccuracy, qPrintable(QString::fromStdString(h.name)));
        QVERIFY2(w.finalEvalLoss == h.finalEvalLoss, qPrintable(QString::fromStdString(h.name)));
      }
    }
    const EpochVerdict v = epochVerdict(last.outcomes);
    QCOMPARE(last.verdict.words, v.words);
    QCOMPARE(last.verdict.accuracyDiffsVsFull, v.accuracyDiffsVsFull);
    QCOMPARE(int(last.verdict.cpuSavings.size()), 3);
  }

  // A cancel during a long run ends it within a fraction of a second, with no seed finished;
  // the runner can then start again.
  void cancelStopsPromptly() {
    const Catalog catalog = builtinCatalog();
    const PresetInfo preset = tinyPreset(catalog, "401");
    QVERIFY(!preset.name.empty());
    SeedVerdictRunner runner(catalog.build);
    QSignalSpy progress(&runner, &SeedVerdictRunner::progressed);
    QSignalSpy results(&runner, &SeedVerdictRunner::seedFinished);
    QSignalSpy done(&runner, &SeedVerdictRunner::finished);
    QVERIFY(runner.start(preset, 10));
    QVERIFY(progress.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(progress.last().first().value<SeedVerdictProgress>().step > 0, 60000);
    const auto p = progress.last().first().value<SeedVerdictProgress>();
    QCOMPARE(p.seeds, 10);
    QCOMPARE(p.seed, 1L);
    QVERIFY(p.steps > p.step);
    QElapsedTimer clock;
    clock.start();
    runner.cancel();
    QVERIFY(done.wait(5000));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(done.first().first().toBool(), true);
    QCOMPARE(results.size(), 0);
    QVERIFY(!runner.isRunning());
    QVERIFY(runner.start(tinyPreset(catalog), 1));
    QVERIFY(done.wait(60000));
    QCOMPARE(results.size(), 1);
  }

  // Destroying the runner mid-seed (the window closing) returns within a step.
  void destroyingItStopsTheThread() {
    const Catalog catalog = builtinCatalog();
    auto runner = std::make_unique<SeedVerdictRunner>(catalog.build);
    QSignalSpy progress(runner.get(), &SeedVerdictRunner::progressed);
    QVERIFY(runner->start(tinyPreset(catalog, "401"), 10));
    QVERIFY(progress.wait(60000));
    QElapsedTimer clock;
    clock.start();
    runner.reset();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
  }

  // A preset without the four arms is refused in words, not with a crash.
  void aStepsPresetFailsInWords() {
    const Catalog catalog = builtinCatalog();
    PresetInfo preset = tinyPreset(catalog);
    preset.settings.set("experiment.protocol", "steps");
    preset.settings.set("experiment.steps", "3");
    SeedVerdictRunner runner(catalog.build);
    QSignalSpy failed(&runner, &SeedVerdictRunner::failed);
    QSignalSpy done(&runner, &SeedVerdictRunner::finished);
    QVERIFY(runner.start(preset, 2));
    QVERIFY(done.wait(60000));
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.first().first().toString().contains("arm"));
    QCOMPARE(done.first().first().toBool(), false);
  }
};

QTEST_GUILESS_MAIN(TestSeedVerdictRunner)
#include "test_seed_verdict_runner.moc"

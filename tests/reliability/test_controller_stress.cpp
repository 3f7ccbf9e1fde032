// Controller stress (issue 7, item 4): 1,000 random start / pause / step / reset / run-until /
// apply-settings / switch-preset / probe / speed commands against the worker thread through
// its TrainingController, as the window sends them, with the UI thread's event loop turning
// in between. Afterwards the worker must still answer (bounded waits: no deadlock), every
// snapshot must be consistent, and the controller must shut down. Leaks are LeakSanitizer's
// job (scripts/sanitize.sh); races are ThreadSanitizer's.
#include <QSignalSpy>
#include <QTest>

#include "app/worker/training_worker.h"
#include "doubles/fake_experiment.h"
#include "engine/core/input_error.h"
#include "engine/core/rng.h"

using namespace attent;
using namespace attent::app;

namespace {

// Presets to switch between: fake experiments of different sizes and run counts, and one
// whose build always fails (as a bad data file would).
std::vector<PresetInfo> presets() {
  std::vector<PresetInfo> out;
  const PresetInfo base = fakeCatalog().presets.front();
  for (int i = 0; i < 3; ++i) {
    PresetInfo p = base;
    p.name = "demo-" + std::to_string(i);
    p.settings.set("steps", std::to_string(50 + 400 * i));
    p.settings.set("runs", std::to_string(1 + i));
    p.settings.set("work_us", std::to_string(50 * i));
    out.push_back(p);
  }
  PresetInfo broken = base;
  broken.name = "broken";
  out.push_back(broken);
  return out;
}

ExperimentFactory factory() {
  return [](const PresetInfo& p) -> std::unique_ptr<Experiment> {
    if (p.name == "broken") throw InputError("broken.csv", 3, 1, "unterminated quoted field");
    return makeFakeExperiment(p.settings, p.seed);
  };
}

bool waitFor(QSignalSpy& spy, int count, int ms = 30000) {
  while (spy.count() < count)
    if (!spy.wait(ms)) return spy.count() >= count;
  return true;
}

}  // namespace

class TestControllerStress : public QObject {
  Q_OBJECT
 private slots:
  void thousandRandomCommands() {
    registerWorkerTypes();
    const auto catalog = presets();
    auto controller = std::make_unique<TrainingController>(factory());
    QSignalSpy built(controller.get(), &TrainingController::built);
    QSignalSpy failed(controller.get(), &TrainingController::buildFailed);
    QSignalSpy snapshots(controller.get(), &TrainingController::snapshotReady);
    long badSnapshots = 0;
    QString firstBad;
    connect(controller.get(), &TrainingController::snapshotReady, this, [&](SnapshotPtr s) {
      const bool ok = s && s->step >= 0 && s->totalSteps > 0 && s->step <= s->totalSteps;
      if (!ok && badSnapshots++ == 0)
        firstBad = s ? QStringLiteral("step %1 of %2").arg(s->step).arg(s->totalSteps) : "null snapshot";
    });
    controller->build(catalog[0]);
    QVERIFY(waitFor(built, 1));

    Rng rng(2024);
    int counts[9] = {};
    for (int i = 0; i < 1000; ++i) {
      const int command = int(rng.below(9));
      ++counts[command];
      switch (command) {
        case 0:
          controller->start();
          break;
        case 1:
          controller->pause();
          break;
        case 2:
          controller->step();
          break;
        case 3:
          controller->reset();
          break;
        case 4:
          controller->runUntil(long(rng.below(600)));
          break;
        case 5: {  // apply settings: the same preset with other values
          PresetInfo p = catalog[rng.below(3)];
          p.settings.set("steps", std::to_string(1 + rng.below(800)));
          p.settings.set("learning_rate", rng.below(2) ? "0.5" : "0.001");
          p.seed = 1 + rng.below(5);
          controller->build(p);
          break;
        }
        case 6:
          controller->build(catalog[rng.below(catalog.size())]);
          break;  // switch preset
        case 7:
          controller->setProbe(int(rng.below(50)));
          break;
        case 8:
          controller->setSpeedCap(rng.below(3) == 0 ? 0.0 : double(1 + rng.below(2000)));
          break;
      }
      // The UI thread keeps turning, sometimes not at all between two clicks.
      if (rng.below(4) == 0)
        QTest::qWait(int(rng.below(3)));
      else
        QCoreApplication::processEvents();
    }
    qInfo(
        "commands: start %d pause %d step %d reset %d runUntil %d apply %d switch %d probe %d speed %d; "
        "%lld builds, %lld failed builds, %lld snapshots",
        counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8],
        qlonglong(built.count()), qlonglong(failed.count()), qlonglong(snapshots.count()));

    // Still alive: a last build, then one step answers with a snapshot at step 1.
    controller->pause();
    controller->setSpeedCap(0);
    const int builtBefore = built.count();
    controller->build(catalog[1]);
    QVERIFY2(waitFor(built, builtBefore + 1), "no answer to build after the stress: deadlock?");
    snapshots.clear();
    controller->reset();
    controller->step();
    bool sawStepOne = false;
    for (int tries = 0; tries < 200 && !sawStepOne; ++tries) {
      if (snapshots.isEmpty() && !snapshots.wait(30000)) break;
      for (const auto& args : snapshots) sawStepOne |= args.at(0).value<SnapshotPtr>()->step == 1;
      if (!sawStepOne) QTest::qWait(5);
    }
    QVERIFY2(sawStepOne, "no snapshot at step 1 after reset + step: the worker stopped answering");
    QVERIFY2(badSnapshots == 0, qPrintable(firstBad));
    QVERIFY(failed.count() > 0);  // the broken preset was reported, not fatal
    controller.reset();           // joins the worker thread
  }
};

QTEST_GUILESS_MAIN(TestControllerStress)
#include "test_controller_stress.moc"

// The worker thread: control by queued calls observed through signals, with bounded waits.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <mutex>

#include "app/worker/training_worker.h"
#include "doubles/fake_experiment.h"
#include "engine/core/input_error.h"

using namespace attent;
using namespace attent::app;

namespace {

PresetInfo fakePreset(long steps, long workMicroseconds) {
  PresetInfo p = fakeCatalog().presets.front();
  p.settings.set("steps", std::to_string(steps));
  p.settings.set("work_us", std::to_string(workMicroseconds));
  return p;
}

ExperimentFactory fakeFactory() {
  return [](const PresetInfo& p) { return makeFakeExperiment(p.settings, p.seed); };
}

// Waits (bounded) until `spy` has at least `count` signals.
bool waitFor(QSignalSpy& spy, int count, int ms = 20000) {
  while (spy.count() < count)
    if (!spy.wait(ms)) return spy.count() >= count;
  return true;
}

long lastStep(const QSignalSpy& snapshots) {
  return snapshots.isEmpty() ? -1 : snapshots.last().at(0).value<SnapshotPtr>()->step;
}

}  // namespace

class TestWorker : public QObject {
  Q_OBJECT
 private slots:
  void buildPublishesTheInitialState() {
    TrainingController controller(fakeFactory());
    QSignalSpy built(&controller, &TrainingController::built);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    controller.build(fakePreset(100, 0));
    QVERIFY(waitFor(built, 1));
    QCOMPARE(built.first().at(1).toStringList(), QStringList({"attent", "random"}));
    QCOMPARE(built.first().at(2).toLongLong(), 100);
    QVERIFY(waitFor(snapshots, 1));
    QCOMPARE(lastStep(snapshots), 0L);
  }

  void stepAdvancesExactlyOne() {
    TrainingController controller(fakeFactory());
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    controller.build(fakePreset(100, 0));
    QVERIFY(waitFor(snapshots, 1));
    controller.step();
    controller.step();
    QVERIFY(waitFor(snapshots, 3));
    QCOMPARE(lastStep(snapshots), 2L);
    QCOMPARE(snapshots.last().at(0).value<SnapshotPtr>()->runs.at(0).newPoints.size(), std::size_t(1));
  }

  void startAndPauseAnswerWithinAStep() {
    TrainingController controller(fakeFactory());
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    controller.build(fakePreset(1000000, 200));
    QVERIFY(waitFor(snapshots, 1));
    controller.start();
    QVERIFY(waitFor(running, 1));
    QCOMPARE(running.at(0).at(0).toBool(), true);
    QVERIFY(controller.isRunning());
    QVERIFY(waitFor(snapshots, 3));  // training publishes while it runs
    controller.pause();
    QVERIFY(waitFor(running, 2));
    QCOMPARE(running.at(1).at(0).toBool(), false);
    // The pause publishes the state it stopped at; a single step then goes exactly one further.
    const long stoppedAt = lastStep(snapshots);
    QVERIFY(stoppedAt > 0);
    const int before = snapshots.count();
    controller.step();
    QVERIFY(waitFor(snapshots, before + 1));
    QCOMPARE(lastStep(snapshots), stoppedAt + 1);
  }

  void runUntilStopsAtTheStepAndLosesNoMetric() {
    TrainingController controller(fakeFactory());
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    controller.build(fakePreset(100000, 0));
    QVERIFY(waitFor(snapshots, 1));
    controller.runUntil(3000);
    QVERIFY(waitFor(running, 2));
    QCOMPARE(lastStep(snapshots), 3000L);
    std::size_t points = 0;
    for (const auto& args : snapshots) points += args.at(0).value<SnapshotPtr>()->runs.at(0).newPoints.size();
    QCOMPARE(points, std::size_t(3000));  // every step's metrics reach the UI exactly once
    // Throttled: far fewer snapshots than steps.
    QVERIFY2(snapshots.count() < 300, qPrintable(QString::number(snapshots.count())));
  }

  void resetRebuildsFromStepZero() {
    TrainingController controller(fakeFactory());
    QSignalSpy built(&controller, &TrainingController::built);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    controller.build(fakePreset(1000000, 100));
    QVERIFY(waitFor(built, 1));
    controller.start();
    QVERIFY(waitFor(snapshots, 4));
    const int beforeReset = snapshots.count();
    controller.reset();
    QVERIFY(waitFor(built, 2));
    // The rebuild publishes a snapshot at step 0 with fresh metrics. It may arrive in the
    // same event-loop turn as `built`, so look for it among everything after the reset.
    auto stepZeroAfter = [&](int from) {
      for (int i = from; i < snapshots.count(); ++i)
        if (snapshots.at(i).at(0).value<SnapshotPtr>()->step == 0) return true;
      return false;
    };
    for (int waits = 0; !stepZeroAfter(beforeReset) && waits < 40; ++waits) snapshots.wait(500);
    QVERIFY(stepZeroAfter(beforeReset));
    QVERIFY(!controller.isRunning());
  }

  void reachesTheEndAndStops() {
    TrainingController controller(fakeFactory());
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    controller.build(fakePreset(50, 0));
    QVERIFY(waitFor(snapshots, 1));
    controller.start();
    QVERIFY(waitFor(running, 2));
    QCOMPARE(lastStep(snapshots), 50L);
    controller.start();  // nothing left to do: stays stopped
    controller.step();
    QTest::qWait(50);
    QCOMPARE(lastStep(snapshots), 50L);
  }

  void buildErrorsAreReportedNotFatal() {
    TrainingController controller([](const PresetInfo&) -> std::unique_ptr<Experiment> {
      throw SettingsError("model.heads (3) must divide model.d_model (64)");
    });
    QSignalSpy failed(&controller, &TrainingController::buildFailed);
    controller.build(fakePreset(10, 0));
    QVERIFY(waitFor(failed, 1));
    QVERIFY(failed.first().at(0).toString().contains("must divide"));
    controller.start();  // no experiment: ignored, no crash
    controller.step();
    controller.reset();
    QVERIFY(waitFor(failed, 2));  // reset tries again and reports again
  }

  // No bare exception text reaches the user, and nothing is lost: an allocation failure in a
  // step pauses training with a message that says what was being done and what to change;
  // the experiment stays, at the step before, and the worker answers as before.
  void aFailingStepPausesAndKeepsTheExperiment() {
    TrainingController controller(fakeFactory());
    QSignalSpy failed(&controller, &TrainingController::trainingFailed);
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    PresetInfo p = fakePreset(1000, 0);
    p.settings.set("fail_at_step", "40");
    controller.build(p);
    controller.start();
    QVERIFY(waitFor(failed, 1));
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains("ran out of memory while training step 40") && message.contains("Lower"),
             qPrintable(message));
    QVERIFY(!message.contains("std::bad_alloc"));
    QVERIFY(waitFor(running, 2));
    QCOMPARE(running.last().at(0).toBool(), false);
    QVERIFY(!controller.isRunning());
    // Still there, at step 39: a probe change publishes it.
    const int before = snapshots.count();
    controller.setProbe(2);
    QVERIFY(waitFor(snapshots, before + 1));
    QCOMPARE(lastStep(snapshots), 39L);
    // And the worker goes on: a new build trains.
    controller.build(fakePreset(30, 0));
    controller.runUntil(30);
    QTRY_COMPARE_WITH_TIMEOUT(lastStep(snapshots), 30L, 20000);
  }

  // Autosave: written on every pause and every interval of training, only when the experiment
  // trained since the last write; a new experiment removes the file.
  void autosavesOnPausesAndIntervals() {
    struct Saves {
      std::mutex mutex;
      std::vector<long> steps;
    };
    auto saves = std::make_shared<Saves>();
    ExperimentFiles files;
    files.save = [saves](const Experiment& e, const PresetInfo&, const QString& path) {
      QFile f(path);
      if (!f.open(QIODevice::WriteOnly)) throw std::runtime_error("cannot write");
      f.write(QByteArray::number(qlonglong(e.currentStep())));
      std::lock_guard<std::mutex> lock(saves->mutex);
      saves->steps.push_back(e.currentStep());
    };
    QTemporaryDir dir;
    const QString path = dir.filePath("autosave.attent");
    TrainingController controller(fakeFactory(), files);
    QSignalSpy autosaved(&controller, &TrainingController::autosaved);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    controller.setAutosave(path, 50);
    controller.build(fakePreset(1000000, 200));
    QVERIFY(waitFor(snapshots, 1));
    controller.start();
    QVERIFY(waitFor(autosaved, 2));  // two intervals of training
    QTest::qWait(30);
    controller.pause();
    QVERIFY(waitFor(running, 2));
    const long pausedAt = lastStep(snapshots);
    QTRY_COMPARE_WITH_TIMEOUT(autosaved.last().at(1).toLongLong(), qlonglong(pausedAt), 10000);  // and the pause
    QCOMPARE(autosaved.last().at(0).toString(), path);
    QVERIFY(autosaved.last().at(2).toString().isEmpty());
    QVERIFY(QFile::exists(path));
    controller.start();
    controller.pause();
    QTest::qWait(200);
    controller.setProbe(1);  // an extra pause or probe with no training writes nothing new
    QTest::qWait(100);
    {
      std::lock_guard<std::mutex> lock(saves->mutex);
      QVERIFY(std::adjacent_find(saves->steps.begin(), saves->steps.end()) == saves->steps.end());
      QVERIFY(saves->steps.back() >= pausedAt);
    }
    controller.build(fakePreset(100, 0));  // a new experiment: the file no longer holds it
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(path), 10000);
  }

  void failuresOfBuildsAndFilesAreToldInWords() {
    ExperimentFiles files;
    files.save = [](const Experiment&, const PresetInfo&, const QString&) { throw std::bad_alloc(); };
    files.exportMetrics = [](const Experiment&, const PresetInfo&, const QString&) {
      throw std::out_of_range("vector::_M_range_check");
    };
    TrainingController controller(fakeFactory(), files);
    QSignalSpy built(&controller, &TrainingController::built);
    QSignalSpy done(&controller, &TrainingController::fileDone);
    controller.build(fakePreset(100, 0));
    QVERIFY(waitFor(built, 1));
    controller.saveFile("/tmp/x.attent");
    controller.exportMetrics("/tmp/metrics");
    QVERIFY(waitFor(done, 2));
    const QString save = done.at(0).at(2).toString(), metrics = done.at(1).at(2).toString();
    QVERIFY2(save.contains("ran out of memory while saving the experiment to /tmp/x.attent"), qPrintable(save));
    QVERIFY(!save.contains("std::bad_alloc"));
    QVERIFY2(metrics.contains("unexpected error stopped exporting the metrics to /tmp/metrics"), qPrintable(metrics));

    TrainingController failing([](const PresetInfo&) -> std::unique_ptr<Experiment> { throw std::bad_alloc(); });
    QSignalSpy failed(&failing, &TrainingController::buildFailed);
    failing.build(fakePreset(10, 0));
    QVERIFY(waitFor(failed, 1));
    QVERIFY2(failed.first().at(0).toString().startsWith("ran out of memory while building the experiment"),
             qPrintable(failed.first().at(0).toString()));
  }
};

QTEST_GUILESS_MAIN(TestWorker)
#include "test_worker.moc"

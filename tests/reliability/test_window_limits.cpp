// Limits in the window (issue 17): the settings editor shows the memory estimate next to
// Apply and keeps Apply off for settings that cannot work or do not fit; applying a preset
// or opening a file that does not fit the memory free ends in a message box naming the
// estimate, the memory free and the settings that dominate, and nothing is built.
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "app/files/experiment_file.h"
#include "app/worker/catalog.h"
#include "doubles/fake_experiment.h"
#include "engine/core/input_error.h"
#include "engine/teach/experiment.h"
#include "ui/main_window.h"
#include "ui/memory_estimate_label.h"
#include "ui/preset_panel.h"

using namespace attent;
using namespace attent::ui;

namespace {

std::unique_ptr<MainWindow> makeWindow() {
  app::Catalog catalog = app::builtinCatalog();
  catalog.files = app::experimentFiles();
  WindowOptions options;
  options.persistent = false;
  options.loadPreset = false;
  auto window = std::make_unique<MainWindow>(std::move(catalog), options);
  window->setQuietErrors(true);
  window->resize(1200, 800);
  window->show();
  return window;
}

PresetPanel& panel(MainWindow& w) { return *qobject_cast<PresetPanel*>(w.viewWidget("settings")); }

// Restores the memory the refusals see when a test ends.
struct MemoryOverride {
  explicit MemoryOverride(const char* mb) { qputenv("ATTENT_MEMORY_AVAILABLE_MB", mb); }
  ~MemoryOverride() { qunsetenv("ATTENT_MEMORY_AVAILABLE_MB"); }
};

}  // namespace

class TestWindowLimits : public QObject {
  Q_OBJECT
 private slots:
  void theEditorShowsTheEstimateNextToApply() {
    auto w = makeWindow();
    QSignalSpy built(&w->controller(), &app::TrainingController::built);
    QVERIFY(w->loadPreset("text-lm"));
    QVERIFY(built.wait(30000));
    PresetPanel& p = panel(*w);
    MemoryEstimateLabel* label = p.memoryLabel();
    QVERIFY(label->isVisible());
    QVERIFY2(label->text().startsWith("needs ~") && label->text().contains(" free"), qPrintable(label->text()));
    QVERIFY(label->toolTip().contains("attention maps"));
    QVERIFY(p.applyButton()->isEnabled());

    // The example: refused live, Apply off, the reason in red next to it.
    QVERIFY(p.setValueText("data.seq_len", "2048"));
    QVERIFY(p.setValueText("train.batch", "2048"));
    QVERIFY2(label->text().contains("TiB") && label->text().contains("too much"), qPrintable(label->text()));
    QVERIFY(!p.applyButton()->isEnabled());
    QVERIFY(p.applyButton()->toolTip().contains("attention maps"));

    // A combination that cannot work: Apply off, and the editor says why.
    QVERIFY(p.setValueText("train.batch", "32"));
    QVERIFY(p.setValueText("data.seq_len", "32"));
    QVERIFY(p.applyButton()->isEnabled());
    QVERIFY(p.setValueText("model.heads", "5"));
    QVERIFY2(label->text().contains("cannot work") && label->text().contains("model.heads"),
             qPrintable(label->text()));
    QVERIFY(!p.applyButton()->isEnabled());
    QVERIFY(p.setValueText("model.heads", "4"));
    QVERIFY(p.applyButton()->isEnabled());
  }

  void aPresetThatDoesNotFitIsRefusedWithAMessage() {
    auto w = makeWindow();
    QSignalSpy built(&w->controller(), &app::TrainingController::built);
    QVERIFY(w->loadPreset("scb"));
    QVERIFY(built.wait(30000));
    const MemoryOverride tight("40");  // less than the window itself needs
    QVERIFY(w->loadPreset("text-lm"));
    const QString error = w->lastError();
    for (const char* s : {"needs ~", "40 MiB is free", "most of it is"})
      QVERIFY2(error.contains(s), qPrintable(error));
    QTest::qWait(300);
    QCOMPARE(built.count(), 1);  // nothing was built: the scb experiment is still there
    QCOMPARE(panel(*w).currentName(), QString("scb"));
  }

  void aFileThatDoesNotFitIsRefusedWhenOpened() {
    QTemporaryDir dir;
    const QString path = dir.filePath("small.attent");
    Settings s = experimentSettings("scb");
    for (const char* a : {"scb.samples=200", "scb.heldout=50", "experiment.steps=4"}) QVERIFY(!s.setAssignment(a));
    auto e = buildExperiment("scb", s, 1);
    e->step();
    app::saveExperiment(*e, {"scb", "scb", 1, "", ""}, path);
    app::openExperiment(path);  // fits
    const MemoryOverride tight("10");
    try {
      app::openExperiment(path);
      QFAIL("opened without refusal");
    } catch (const InputError& error) {
      const QString text = QString::fromUtf8(error.what());
      for (const char* m : {"small.attent", "needs ~", "10 MiB is free"}) QVERIFY2(text.contains(m), error.what());
    }
    auto w = makeWindow();
    QSignalSpy done(w.get(), &MainWindow::fileFinished);
    w->openExperimentFile(path);
    QVERIFY(done.wait(30000));
    QVERIFY2(done.first().at(2).toString().contains("free"), qPrintable(done.first().at(2).toString()));
    QVERIFY(w->lastError().contains("small.attent"));
  }

  // A step that throws std::bad_alloc: a message box in words, training paused, the window on.
  void aFailingStepPausesWithAMessage() {
    app::Catalog catalog = app::fakeCatalog();
    QVERIFY(!catalog.presets.front().settings.set("fail_at_step", "25"));
    QVERIFY(!catalog.presets.front().settings.set("work_us", "0"));
    WindowOptions options;
    options.persistent = false;
    MainWindow w(std::move(catalog), options);
    w.setQuietErrors(true);
    QSignalSpy failed(&w.controller(), &app::TrainingController::trainingFailed);
    QSignalSpy built(&w.controller(), &app::TrainingController::built);
    QVERIFY(built.wait(20000));
    w.controller().start();
    QVERIFY(failed.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(!w.controller().isRunning(), 10000);
    const QString error = w.lastError();
    QVERIFY2(error.contains("ran out of memory while training step 25") && error.contains("Save it"),
             qPrintable(error));
    QVERIFY(!error.contains("std::bad_alloc"));
    QTRY_COMPARE_WITH_TIMEOUT(w.lastStep(), 24L, 10000);  // kept, at the step before
  }
};

QTEST_MAIN(TestWindowLimits)
#include "test_window_limits.moc"

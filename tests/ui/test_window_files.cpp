// The window's File menu through the worker: opening a corrupted or truncated .attent
// shows an error and leaves the open experiment running and untouched; a saved
// experiment reopens at the step it was saved at; metrics export writes both files.
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "doubles/fake_experiment.h"
#include "ui/main_window.h"
#include "ui/preset_panel.h"
#include "ui/screenshot.h"

using namespace attent;
using namespace attent::ui;

namespace {
QString waitFile(MainWindow& window, app::FileAction action) {
  QSignalSpy spy(&window, &MainWindow::fileFinished);
  for (int i = 0; i < 600 && spy.isEmpty(); ++i) spy.wait(100);
  if (spy.isEmpty()) return "timeout";
  const auto args = spy.takeFirst();
  if (args.at(0).value<app::FileAction>() != action)
    return "wrong action " + app::fileActionWord(args.at(0).value<app::FileAction>());
  return args.at(2).toString();
}
}  // namespace

class TestWindowFiles : public QObject {
  Q_OBJECT
 private slots:
  void badFileLeavesTheRunningExperimentUntouched() {
    app::Catalog catalog = app::fakeCatalog();
    for (auto& p : catalog.presets) {
      p.settings.set("steps", "1000000");
      p.settings.set("work_us", "100");
    }
    catalog.files = app::experimentFiles();
    WindowOptions options;
    options.persistent = false;
    MainWindow window(std::move(catalog), options);
    window.setQuietErrors(true);
    QString error;
    QVERIFY(trainFor(window, 20, &error));
    window.controller().start();
    QTRY_VERIFY(window.controller().isRunning());
    QTemporaryDir dir;
    const QByteArray garbage[] = {QByteArray(), QByteArray("ATTENT"), QByteArray(5000, '\x7f'),
                                  QByteArray("not an experiment at all\n")};
    int n = 0;
    for (const QByteArray& bytes : garbage) {
      const QString path = dir.filePath(QString("bad%1.attent").arg(n++));
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(bytes);
      f.close();
      const long before = window.lastStep();
      window.openExperimentFile(path);
      const QString message = waitFile(window, app::FileAction::Open);
      QVERIFY2(!message.isEmpty() && message != "timeout", qPrintable(message));
      QVERIFY2(message.contains(QString("bad%1.attent").arg(n - 1)), qPrintable(message));  // names the file
      QVERIFY(window.controller().isRunning());
      QTRY_VERIFY(window.lastStep() > before);  // the same experiment trains on
      QVERIFY(window.experimentFile().isEmpty());
    }
    window.openExperimentFile(dir.filePath("missing.attent"));
    QVERIFY(!waitFile(window, app::FileAction::Open).isEmpty());
    // The fake experiment's kind saves no state: saving says so, and nothing breaks.
    window.saveExperimentFile(dir.filePath("fake.attent"));
    QVERIFY(!waitFile(window, app::FileAction::Save).isEmpty());
    QVERIFY(window.controller().isRunning());
    window.controller().pause();
  }

  void savedExperimentReopensAtItsStep() {
    app::Catalog catalog = app::builtinCatalog();
    if (!catalog.find("scb")) QSKIP("no scb preset in this build");
    catalog.files = app::experimentFiles();
    // The file carries its preset's lesson: the window that opens it has the built-in one.
    const app::Catalog builtin = catalog;
    for (auto& p : catalog.presets)
      if (p.name == "scb") p.lesson = "A lesson only in this file.";
    WindowOptions options;
    options.persistent = false;
    options.preset = "scb";
    MainWindow window(catalog, options);
    window.setQuietErrors(true);
    QString error;
    QVERIFY2(trainFor(window, 30, &error), qPrintable(error));
    QCOMPARE(window.lastStep(), 30L);
    QTemporaryDir dir;
    const QString path = dir.filePath("scb.attent");
    window.saveExperimentFile(path);
    QCOMPARE(waitFile(window, app::FileAction::Save), QString());
    QCOMPARE(window.experimentFile(), path);
    window.controller().exportMetrics(dir.filePath("metrics"));
    QTRY_VERIFY(QFile::exists(dir.filePath("metrics/metrics.json")));
    QVERIFY(QFile::exists(dir.filePath("metrics/metrics.csv")));
    // Saving while training: the worker saves between two steps and trains on.
    const QString running = dir.filePath("running.attent");
    window.controller().start();
    QTRY_VERIFY(window.controller().isRunning());
    window.saveExperimentFile(running);
    QCOMPARE(waitFile(window, app::FileAction::Save), QString());
    window.controller().pause();
    QTRY_VERIFY(!window.controller().isRunning());
    QVERIFY(QFile(running).size() > 0);
    // Reopen in another window: back at step 30.
    MainWindow second(builtin, [] {
      WindowOptions o;
      o.persistent = false;
      o.loadPreset = false;
      return o;
    }());
    second.setQuietErrors(true);
    QSignalSpy built(&second.controller(), &app::TrainingController::built);
    second.openExperimentFile(path);
    QCOMPARE(waitFile(second, app::FileAction::Open), QString());
    QTRY_VERIFY(!built.isEmpty());
    QTRY_COMPARE(second.lastStep(), 30L);
    auto* panel = static_cast<PresetPanel*>(second.viewWidget("settings"));
    QTRY_COMPARE(panel->currentName(), QString("scb"));
    QCOMPARE(panel->lessonText(), QString("A lesson only in this file."));
  }
};

QTEST_MAIN(TestWindowFiles)
#include "test_window_files.moc"

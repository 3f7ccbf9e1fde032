// Autosave and recovery (issue 17, item 4): the window is killed with SIGKILL mid-training;
// started again, it offers the autosaved experiment (answered through ATTENT_RECOVERY),
// restores it and continues bit-identically from the autosave point - the weights and
// losses equal those of an uninterrupted run to the same step; a normal exit removes the
// recovery files.
//
// "The window" is this executable in child mode (`--child train|restore DIR`): the real
// MainWindow over the shipped catalog, persistent as the app is, offscreen, in its own
// process - so it really dies by SIGKILL and really starts again.
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>

#include "app/files/experiment_file.h"
#include "app/worker/catalog.h"
#include "engine/learners/learner.h"
#include "engine/teach/experiment.h"
#include "ui/main_window.h"
#include "ui/recovery.h"

using namespace attent;
using namespace attent::ui;

namespace {

constexpr long kMoreSteps = 60;  // trained after the restore

// text-lm, small enough to train hundreds of steps a second.
const std::pair<const char*, const char*> kSettings[] = {
    {"experiment.steps", "200000"}, {"experiment.eval_every", "40"}, {"experiment.eval_examples", "32"},
    {"model.d_model", "16"},        {"model.heads", "2"},            {"model.layers", "1"},
    {"model.d_ff", "32"},           {"train.batch", "8"},            {"data.seq_len", "16"},
    {"lang.sentences", "300"}};

app::Catalog smallCatalog() {
  app::Catalog catalog = app::builtinCatalog();
  catalog.files = app::experimentFiles();
  for (auto& p : catalog.presets)
    if (p.name == "text-lm")
      for (const auto& [k, v] : kSettings)
        if (auto err = p.settings.set(k, v)) qFatal("%s", err->c_str());
  return catalog;
}

// The child: the window as the app runs it. train: load text-lm and train until killed.
// restore: let the recovery offer restore, train kMoreSteps more, save to DIR/continued.attent,
// print "restored S", and quit normally.
int child(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("AtteNT");
  QApplication::setApplicationName("AtteNT Studio");
  const QString mode = argv[2], dir = argv[3];
  WindowOptions options;
  options.persistent = true;  // as the app: autosave and recovery on
  options.preset = "text-lm";
  MainWindow window(smallCatalog(), options);
  window.setQuietErrors(true);
  window.show();
  auto& controller = window.controller();
  if (mode == "train") {
    QObject::connect(&controller, &app::TrainingController::built, &window, [&] { controller.start(); },
                     Qt::SingleShotConnection);
    return app.exec();  // until SIGKILL
  }
  long restoredAt = -1;
  QObject::connect(&window, &MainWindow::fileFinished, &window,
                   [&](app::FileAction action, const QString& path, const QString& error) {
                     if (!error.isEmpty()) {
                       std::fprintf(stderr, "%s %s: %s\n", qPrintable(app::fileActionWord(action)),
                                    qPrintable(path), qPrintable(error));
                       app.exit(3);
                     } else if (action == app::FileAction::Open) {
                       restoredAt = -2;  // the step arrives with the next snapshot
                     } else if (action == app::FileAction::Save) {
                       window.close();
                       app.quit();
                     }
                   });
  QObject::connect(&controller, &app::TrainingController::snapshotReady, &window, [&](app::SnapshotPtr s) {
    if (restoredAt != -2) return;
    restoredAt = s->step;
    std::printf("restored %ld\n", restoredAt);
    std::fflush(stdout);
    controller.runUntil(restoredAt + kMoreSteps);
  });
  QObject::connect(&controller, &app::TrainingController::runningChanged, &window, [&](bool running) {
    if (!running && restoredAt >= 0 && window.lastStep() >= restoredAt + kMoreSteps)
      window.saveExperimentFile(QDir(dir).filePath("continued.attent"));
  });
  QTimer::singleShot(60000, &app, [&] { app.exit(4); });  // bounded
  return app.exec();
}

QProcessEnvironment childEnvironment(const QString& dir) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("QT_QPA_PLATFORM", "offscreen");
  env.insert("ATTENT_RECOVERY_DIR", QDir(dir).filePath("recovery"));
  env.insert("ATTENT_AUTOSAVE_SECONDS", "0.3");
  env.insert("XDG_CONFIG_HOME", QDir(dir).filePath("config"));  // the window's QSettings
  env.insert("XDG_DATA_HOME", QDir(dir).filePath("data"));
  return env;
}

QStringList recoveryFiles(const QString& dir) {
  return QDir(QDir(dir).filePath("recovery")).entryList(QDir::Files);
}

}  // namespace

class TestRecovery : public QObject {
  Q_OBJECT
 private slots:
  void killedMidTrainingItIsRestoredAndContinuesBitIdentically() {
    QTemporaryDir dir;
    const QString recovery = QDir(dir.path()).filePath("recovery");

    // 1. Train, and SIGKILL the window once it has autosaved twice while training.
    QProcess train;
    train.setProcessEnvironment(childEnvironment(dir.path()));
    train.start(QCoreApplication::applicationFilePath(), {"--child", "train", dir.path()});
    QVERIFY(train.waitForStarted(30000));
    const QString autosave = QDir(recovery).filePath(QStringLiteral("autosave-%1.attent").arg(train.processId()));
    long first = -1, step = -1;
    for (int i = 0; i < 600 && (first < 0 || step <= first); ++i) {
      QTest::qWait(100);
      if (!QFileInfo::exists(autosave)) continue;
      step = app::readExperimentInfo(autosave).step;  // atomic: always a whole file
      if (first < 0) first = step;
    }
    QVERIFY2(step > first && first > 0, qPrintable(QStringLiteral("autosaves at %1, %2").arg(first).arg(step)));
    train.kill();  // SIGKILL: no destructor, no closeEvent
    QVERIFY(train.waitForFinished(10000));
    QCOMPARE(train.exitStatus(), QProcess::CrashExit);
    QVERIFY2(QFileInfo::exists(autosave), "the recovery file is gone");
    const long saved = app::readExperimentInfo(autosave).step;
    qInfo("autosaved at steps %ld, %ld; killed; the file holds step %ld", first, step, saved);
    const QString copy = QDir(dir.path()).filePath("autosave-copy.attent");
    QVERIFY(QFile::copy(autosave, copy));

    // 2. Start again: the recovery is offered and taken; train on, save, quit normally.
    QProcess restore;
    restore.setProcessEnvironment([&] {
      QProcessEnvironment env = childEnvironment(dir.path());
      env.insert("ATTENT_RECOVERY", "restore");
      return env;
    }());
    restore.start(QCoreApplication::applicationFilePath(), {"--child", "restore", dir.path()});
    QVERIFY(restore.waitForFinished(90000));
    const QString out = QString::fromUtf8(restore.readAllStandardOutput());
    QVERIFY2(restore.exitStatus() == QProcess::NormalExit && restore.exitCode() == 0,
             qPrintable(out + QString::fromUtf8(restore.readAllStandardError())));
    QCOMPARE(out.trimmed(), QStringLiteral("restored %1").arg(saved));
    // A normal exit removes this session's recovery file; the restored one went when it opened.
    QVERIFY2(recoveryFiles(dir.path()).isEmpty(), qPrintable(recoveryFiles(dir.path()).join(", ")));

    // 3. Bit-identical: the same experiment trained without interruption to the same step.
    const app::OpenedExperiment continued = app::openExperiment(QDir(dir.path()).filePath("continued.attent"));
    QCOMPARE(continued.experiment->currentStep(), saved + kMoreSteps);
    auto reference = buildExperiment(continued.source.kind, continued.experiment->settings(), continued.source.seed);
    while (reference->currentStep() < saved + kMoreSteps) reference->step();
    QCOMPARE(reference->runCount(), continued.experiment->runCount());
    for (int r = 0; r < reference->runCount(); ++r) {
      const auto& a = reference->learner(r)->parameters().values();
      const auto& b = continued.experiment->learner(r)->parameters().values();
      QCOMPARE(a.size(), b.size());
      QVERIFY2(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0,
               qPrintable("run " + QString::number(r) + ": the weights differ"));
      const auto& ha = reference->history(r);
      const auto& hb = continued.experiment->history(r);
      QCOMPARE(ha.size(), hb.size());
      for (std::size_t i = 0; i < ha.size(); ++i) {
        QCOMPARE(ha[i].step, hb[i].step);
        QVERIFY(std::memcmp(&ha[i].trainLoss, &hb[i].trainLoss, sizeof(float)) == 0);
        QVERIFY(std::memcmp(&ha[i].evalLoss, &hb[i].evalLoss, sizeof(float)) == 0);
      }
    }
  }

  // Declined: the file goes and nothing is restored; a running window's file is never offered.
  void aDeclinedRecoveryIsDiscardedAndALiveOneIsNotOffered() {
    QTemporaryDir dir;
    qputenv("ATTENT_RECOVERY_DIR", QDir(dir.path()).filePath("recovery").toLocal8Bit());
    {
      RecoverySession live;
      QVERIFY(!live.autosavePath().isEmpty());
      QFile f(live.autosavePath());
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("x");
      f.close();
      QVERIFY(RecoverySession::abandoned().isEmpty());  // its process (this one) is running
    }
    QVERIFY(recoveryFiles(dir.path()).isEmpty());  // a normal end removes file and lock
    // A lock left by a session that died before it autosaved is cleared.
    QFile stale(QDir(QDir(dir.path()).filePath("recovery")).filePath("autosave-999998.lock"));
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write("999998\nattent-studio\n\n");
    stale.close();
    QVERIFY(RecoverySession::abandoned().isEmpty());
    QVERIFY(recoveryFiles(dir.path()).isEmpty());
    // A file with no live lock (its process died) is abandoned; discarding removes it.
    const QString orphan = QDir(QDir(dir.path()).filePath("recovery")).filePath("autosave-999999.attent");
    QFile f(orphan);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
    f.close();
    QCOMPARE(RecoverySession::abandoned(), QStringList{orphan});
    qputenv("ATTENT_RECOVERY", "discard");
    QVERIFY(!askToRestore(nullptr, orphan));
    qputenv("ATTENT_RECOVERY", "restore");
    QVERIFY(askToRestore(nullptr, orphan));
    qunsetenv("ATTENT_RECOVERY");
    RecoverySession::discard(orphan);
    QVERIFY(recoveryFiles(dir.path()).isEmpty());
    qunsetenv("ATTENT_RECOVERY_DIR");
  }
};

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--child") == 0) return child(argc, argv);
  QApplication app(argc, argv);
  TestRecovery test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_recovery.moc"

// The bad-input corpus (tests/corpus) through the real executable: every file, preset and
// --set value must end with exit status 2 and a message naming the file or key and what is
// wrong - never a crash, never a hang (each case has a bounded wait).
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/files/experiment_file.h"
#include "app/presets/presets.h"
#include "engine/core/input_error.h"
#include "reliability/corpus_cases.h"
#include "reliability/studio_process.h"

namespace {

// The run must end on its own within this bound (a bad input is refused before training).
constexpr int kCaseTimeoutMs = 60000;

// KNOWN BUG (docs/RELIABILITY.md): `run` exits with status 1, not 2, when the bad input is
// found while the experiment is built (a data file, an impossible combination of settings):
// app/commands/run_command.cpp catches every exception there as a runtime failure. Until
// that is fixed these cases may exit 1 with a warning; set this to false once it is.
constexpr bool kBuildTimeErrorsMayExitOne = false;

void checkRefused(const StudioResult& r, const QStringList& mustName, const QString& what) {
  QVERIFY2(!r.timedOut, qPrintable(what + ": still running after the bound (a hang)"));
  QVERIFY2(!r.crashed, qPrintable(what + ": crashed\n" + r.err));
  const bool knownBug = kBuildTimeErrorsMayExitOne && r.status == 1 && !r.err.contains("cannot write") &&
                        !r.err.contains("cannot create");
  if (knownBug) qWarning("%s: exit status 1 (known bug: should be 2)", qPrintable(what));
  QVERIFY2(
      r.status == 2 || knownBug,
      qPrintable(
          QStringLiteral("%1: exit status %2, expected 2\n%3").arg(what).arg(r.status).arg(r.err.left(600))));
  for (const QString& s : mustName)
    QVERIFY2(
        r.err.contains(s, Qt::CaseInsensitive),
        qPrintable(QStringLiteral("%1: the message does not name '%2':\n%3").arg(what, s, r.err.left(600))));
}

QStringList runArgs(const QString& out) { return {"--steps", "2", "--out", out}; }

// A small saved experiment to damage (topic-words, a few steps).
QByteArray savedExperiment(const QString& path) {
  auto preset = attent::app::loadPreset("topic-words");
  attent::Settings s = attent::app::presetSettings(preset);
  for (const char* a : {"topic.samples=200", "topic.non_topic_words=50", "experiment.steps=4",
                        "experiment.eval_every=2", "experiment.compare=true"})
    if (auto err = s.setAssignment(a)) qFatal("%s", err->c_str());
  auto e = attent::buildExperiment(preset.kind, s, 1);
  e->step();
  e->step();
  attent::app::saveExperiment(*e, {preset.kind, preset.name, 1}, path);
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read back %s", qPrintable(path));
  return f.readAll();
}

}  // namespace

class TestBadInputs : public QObject {
  Q_OBJECT
 private slots:
  void corpusHasAtLeastThirtyFilesAndEveryOneIsUsed() {
    const QStringList files = QDir(kCorpus).entryList(QDir::Files);
    QVERIFY2(files.size() >= 30, qPrintable(QString::number(files.size())));
    QSet<QString> used = {"set_values.txt", "README.md"};
    for (const auto& c : kFileCases) used.insert(c.file);
    for (const QString& f : files)
      QVERIFY2(used.contains(f) || f.endsWith(".attent"), qPrintable(f + " has no case in test_bad_inputs"));
  }

  void dataAndPresetFiles_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("reason");
    for (const auto& c : kFileCases)
      QTest::newRow(c.file) << QString(c.file) << QString(c.preset) << QString(c.reason);
    QTest::newRow("missing csv") << "no_such_file.csv"
                                 << "csv-classify"
                                 << "no such file";
    QTest::newRow("missing preset") << "no_such_preset.json"
                                    << ""
                                    << "no such preset";
  }
  void dataAndPresetFiles() {
    QFETCH(QString, file);
    QFETCH(QString, preset);
    QFETCH(QString, reason);
    QTemporaryDir out;
    QStringList args = {"run"};
    if (preset.isEmpty()) {
      args << "--preset" << kCorpus + file;
    } else {
      args << "--preset" << preset << "--data" << kCorpus + file;
      if (preset == "text-lm")
        args << "--set"
             << "text.source=file";
    }
    args << runArgs(out.path());
    const StudioResult r = runStudio(args, kCaseTimeoutMs);
    // The impossible combination is found when the experiment is built: it names the keys.
    QStringList mustName = {reason};
    if (file != "preset_impossible_combination.json") mustName << file;
    checkRefused(r, mustName, file);
  }

  void setValues_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("assignment");
    QFile f(kCorpus + "set_values.txt");
    QVERIFY(f.open(QIODevice::ReadOnly));
    int n = 0;
    for (const QByteArray& raw : f.readAll().split('\n')) {
      const QString line = QString::fromUtf8(raw).trimmed();
      if (line.isEmpty() || line.startsWith('#')) continue;
      const int space = line.indexOf(' ');
      const QString preset = space > 0 ? line.left(space) : QStringLiteral("topic-words");
      const QString assignment = space > 0 ? line.mid(space + 1) : line;
      QTest::newRow(qPrintable(QString::number(++n) + " " + line)) << preset << assignment;
    }
  }
  void setValues() {
    QFETCH(QString, preset);
    QFETCH(QString, assignment);
    QTemporaryDir out;
    const StudioResult r = runStudio(
        QStringList{"run", "--preset", preset, "--set", assignment} + runArgs(out.path()), kCaseTimeoutMs);
    const QString key = assignment.section('=', 0, 0);
    checkRefused(r, {key.isEmpty() ? assignment : key}, preset + " --set " + assignment);
  }

  // Experiment files: the corpus's damaged headers, and a real file cut short at every
  // section boundary region and with flipped bytes. openExperiment (what the window calls)
  // must throw InputError naming the file; `info` must exit 2 naming it.
  void experimentFiles() {
    QTemporaryDir dir;
    const QString good = dir.filePath("good.attent");
    const QByteArray bytes = savedExperiment(good);
    QVERIFY(bytes.size() > 64);
    attent::app::openExperiment(good);  // the undamaged file opens

    QStringList damaged;
    for (const QString& f : QDir(kCorpus).entryList({"*.attent"}, QDir::Files)) damaged << kCorpus + f;
    QVERIFY(damaged.size() >= 8);
    auto write = [&](const QString& name, const QByteArray& b) {
      QFile f(dir.filePath(name));
      QVERIFY(f.open(QIODevice::WriteOnly) && f.write(b) == b.size());
      damaged << f.fileName();
    };
    for (qint64 cut : {qint64(12), qint64(16), qint64(20), qint64(40), bytes.size() / 3, bytes.size() / 2,
                       bytes.size() - 5, bytes.size() - 1})
      write(QStringLiteral("truncated_%1.attent").arg(cut), bytes.left(cut));
    for (qint64 at :
         {qint64(9), qint64(13), qint64(24), bytes.size() / 4, bytes.size() / 2, bytes.size() - 2}) {
      QByteArray b = bytes;
      b[at] = char(b[at] ^ 0x5A);
      write(QStringLiteral("flipped_%1.attent").arg(at), b);
    }
    write("doubled.attent", bytes + bytes);

    const StudioResult probe = runStudio({"info", good}, kCaseTimeoutMs);
    const bool infoWired = !probe.err.contains("not available");
    if (!infoWired) qWarning("'attent-studio info' is not wired in this build: checked in-process only");
    for (const QString& path : damaged) {
      const QString name = QFileInfo(path).fileName();
      bool threw = false;
      try {
        attent::app::openExperiment(path);
      } catch (const attent::InputError& e) {
        threw = true;
        QVERIFY2(QString::fromStdString(e.what()).contains(name), e.what());
      } catch (const std::exception& e) {
        QFAIL(qPrintable(name + ": threw something other than InputError: " + e.what()));
      }
      QVERIFY2(threw, qPrintable(name + " opened without complaint"));
      if (infoWired) checkRefused(runStudio({"info", path}, kCaseTimeoutMs), {name}, "info " + name);
    }
  }
};

QTEST_GUILESS_MAIN(TestBadInputs)
#include "test_bad_inputs.moc"

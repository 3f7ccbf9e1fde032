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

void checkRefused(const StudioResult& r, const QStringList& mustName, const QString& what) {
  QVERIFY2(!r.timedOut, qPrintable(what + ": still running after the bound (a hang)"));
  QVERIFY2(!r.crashed, qPrintable(what + ": crashed\n" + r.err));
  QVERIFY2(
      r.status == 2,
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
  attent::app::saveExperiment(*e, {preset.kind, preset.name, 1, preset.title, preset.lesson}, path);
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

  // Combinations that cannot work (docs/RELIABILITY.md, "Settings that cannot work"), and
  // one that does not fit in memory: status 2 before training, and a message naming the
  // settings and saying why.
  void impossibleCombinations_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QStringList>("sets");
    QTest::addColumn<QStringList>("named");
    const auto row = [](const char* name, const char* preset, QStringList sets, QStringList named) {
      QTest::newRow(name) << QString(preset) << sets << named;
    };
    row("memory: the issue's example", "text-lm", {"data.seq_len=2048", "train.batch=2048"},
        {"needs ~", "is free", "attention maps", "train.batch=2048", "data.seq_len=2048"});
    row("class token under a causal mask", "digits-vit-steps",
        {"model.pooling=class-token", "model.causal=on"},
        {"model.pooling=class-token", "model.causal=on", "only itself"});
    row("heads that do not divide the width", "text-lm", {"model.d_model=96", "model.heads=5"},
        {"model.heads", "model.d_model"});
    row("a sequence longer than the text", "text-lm",
        {"lang.sentences=20", "data.seq_len=2048", "train.batch=2"},
        {"data.seq_len=2048", "too few characters"});
    row("a teacher ratio that keeps less than a batch", "digits-vit-steps",
        {"teacher.ratio_start=0.01", "train.batch=64"}, {"teacher.ratio_start=0.01", "train.batch=64"});
    row("an epoch subset smaller than a batch", "digits-vit", {"epochs.ratio_start=0.02", "train.batch=64"},
        {"epochs.ratio_start=0.02", "train.batch=64"});
    row("a random-subset run with nothing to follow", "scb", {"teacher.random_subset=true"},
        {"teacher.random_subset", "experiment.compare"});
    row("more sparsity than context", "scb", {"scb.context=8", "scb.sparsity=9"},
        {"scb.sparsity", "scb.context"});
  }
  void impossibleCombinations() {
    QFETCH(QString, preset);
    QFETCH(QStringList, sets);
    QFETCH(QStringList, named);
    QTemporaryDir out;
    QStringList args = {"run", "--preset", preset, "--out", out.path()};  // refused before training
    for (const QString& s : sets) args << "--set" << s;
    checkRefused(runStudio(args, kCaseTimeoutMs), named, sets.join(' '));
  }

  // Usage errors of every subcommand: status 2 and a message naming what is wrong.
  void usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    const auto row = [](const char* name, QStringList args, QString named) {
      QTest::newRow(name) << args << named;
    };
    row("unknown top-level option", {"--nope"}, "--nope");
    row("unknown command", {"no-such-command"}, "no-such-command");
    row("run: no preset", {"run"}, "--preset is required");
    row("run: missing value", {"run", "--preset"}, "--preset needs");
    row("run: unknown option", {"run", "--preset", "scb", "--bogus"}, "--bogus");
    row("run: stray argument", {"run", "--preset", "scb", "stray"}, "stray");
    row("run: bad steps", {"run", "--preset", "scb", "--steps", "zero"}, "zero");
    row("run: epochs for a preset that trains by steps", {"run", "--preset", "scb", "--epochs", "5"},
        "give --steps N");
    row("run: bad epochs", {"run", "--preset", "digits-vit", "--epochs", "1"}, "--epochs needs");
    row("run: bad seeds", {"run", "--preset", "scb", "--seeds", "1,x"}, "1,x");
    row("run: bad threads", {"run", "--preset", "scb", "--threads", "0"}, "--threads");
    row("bench: unknown model", {"bench", "--model", "huge"}, "huge");
    row("bench: bad threads", {"bench", "--threads", "x"}, "--threads");
    row("export: no out", {"export", "--preset", "digits-vit"}, "--out is required");
    row("export: bad batch", {"export", "--preset", "digits-vit", "--batch", "0", "--out", "x"}, "--batch");
    row("screenshot: bad size", {"screenshot", "--preset", "scb", "--out", "x.png", "--size", "9x9"},
        "--size");
    row("screenshot: unknown view", {"screenshot", "--preset", "scb", "--out", "x.png", "--view", "nope"},
        "nope");
    row("screenshot: flag value", {"screenshot", "--dark=yes"}, "--dark");
    row("info: no file", {"info"}, "experiment file");
    row("presets: an argument", {"presets", "extra"}, "extra");
  }
  void usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    checkRefused(runStudio(args, kCaseTimeoutMs), {named}, args.join(' '));
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
      checkRefused(runStudio({"info", path}, kCaseTimeoutMs), {name}, "info " + name);
    }
  }
};

QTEST_GUILESS_MAIN(TestBadInputs)
#include "test_bad_inputs.moc"

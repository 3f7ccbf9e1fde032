#include <unistd.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdio>
#include <functional>
#include <map>

#include "app/commands/run_command.h"

using namespace attent::app;

namespace {
QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
// A fast scb run: small pool, few steps.
QStringList quickScb(const QString& out) {
  return {"--preset", "scb",
          "--steps",  "40",
          "--seeds",  "1,2",
          "--set",    "scb.samples=400",
          "--set",    "scb.heldout=100",
          "--set",    "experiment.eval_every=10",
          "--set",    "experiment.compare=true",
          "--out",    out};
}
// What `run` prints on stdout (file descriptor 1) while `f` runs.
QByteArray captureStdout(const std::function<void()>& f) {
  QTemporaryFile file;
  if (!file.open()) return {};
  std::fflush(stdout);
  const int saved = dup(1);
  dup2(file.handle(), 1);
  f();
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  return readAll(file.fileName());
}

// The last value of diagnostic `name` of run `run` in diagnostics.csv's lines.
double lastDiagnostic(const QList<QByteArray>& lines, const QByteArray& run, const QByteArray& name) {
  double v = NAN;
  for (const QByteArray& line : lines) {
    const auto cols = line.split(',');
    if (cols.size() == 5 && cols[1] == run && cols[3] == name) v = cols[4].toDouble();
  }
  return v;
}
}  // namespace

class TestRunCommand : public QObject {
  Q_OBJECT
 private slots:
  void writesMetricsAndSummaryWithTheDocumentedColumns() {
    QTemporaryDir dir;
    QCOMPARE(runCommand(quickScb(dir.path())), 0);
    const QList<QByteArray> lines = readAll(dir.filePath("metrics.csv")).trimmed().split('\n');
    QCOMPARE(
        lines[0],
        QByteArray("seed,run,step,examples_seen,compute_seconds,train_loss,eval_loss,eval_accuracy,epoch"));
    QSet<QByteArray> runs, seeds;
    int evaluated = 0;
    for (int i = 1; i < lines.size(); ++i) {
      const auto cols = lines[i].split(',');
      QCOMPARE(cols.size(), 9);
      seeds << cols[0];
      runs << cols[1];
      if (!cols[6].isEmpty()) ++evaluated;
      QVERIFY(cols[7].isEmpty());  // scb has no accuracy
      QVERIFY(cols[8].isEmpty());  // nor epochs (the steps protocol)
    }
    QCOMPARE(seeds, (QSet<QByteArray>{"1", "2"}));
    QCOMPARE(runs, (QSet<QByteArray>{"SGD", "SGD+attent", "proximal"}));
    QCOMPARE(evaluated, 2 * 3 * 5);  // steps 0, 10, 20, 30, 40 per run and seed

    const QJsonObject s = QJsonDocument::fromJson(readAll(dir.filePath("summary.json"))).object();
    QCOMPARE(s["preset"].toString(), QString("scb"));
    QCOMPARE(s["steps"].toInt(), 40);
    QCOMPARE(s["seeds"].toArray().size(), 2);
    const QJsonArray r = s["runs"].toArray();
    QCOMPARE(r.size(), 6);
    for (const auto& v : r) {
      const QJsonObject o = v.toObject();
      for (const char* key : {"name", "seed", "final_eval_loss", "final_eval_accuracy", "target_eval_loss",
                              "steps_to_target", "seconds_to_target", "time_reduction", "diverged_at"})
        QVERIFY2(o.contains(key), key);
      if (o["name"].toString() == "SGD") QCOMPARE(o["time_reduction"].toDouble(), 0.0);  // the baseline
    }
    QVERIFY(s["median_time_reduction"].toObject().contains("SGD+attent"));
  }

  // The epoch-budget protocol over a seed range: four arms per seed, a verdict with intervals.
  void epochProtocolWritesTheVerdict() {
    QTemporaryDir dir;
    QStringList args = {"--preset", "digits-vit", "--epochs", "3", "--seeds", "1-2", "--out", dir.path()};
    for (const char* set : {"epochs.cycles=1", "epochs.interval=1", "model.d_model=16", "model.heads=2",
                            "model.layers=1", "model.d_ff=32", "train.batch=128",
                            "experiment.eval_examples=50", "vit.patch_size=8", "data.heldout_fraction=0.5"})
      args << "--set" << set;
    QCOMPARE(runCommand(args), 0);
    const QJsonObject s = QJsonDocument::fromJson(readAll(dir.filePath("summary.json"))).object();
    QCOMPARE(s["seeds"].toArray().size(), 2);
    QSet<QString> arms;
    for (const auto& r : s["runs"].toArray()) arms << r.toObject()["name"].toString();
    QCOMPARE(arms, (QSet<QString>{"full", "attent", "random-subset", "short-full"}));
    const QJsonObject v = s["epoch_verdict"].toObject();
    QCOMPARE(v["seeds"].toInt(), 2);
    for (const char* key :
         {"cpu_saving", "example_equivalent_saving", "accuracy_attent_minus_full",
          "accuracy_attent_minus_random_subset", "accuracy_attent_minus_short_full", "loss_attent_minus_full",
          "loss_attent_minus_random_subset", "loss_attent_minus_short_full"}) {
      const QJsonObject i = v[key].toObject();
      QVERIFY2(
          i["low"].toDouble() <= i["estimate"].toDouble() && i["estimate"].toDouble() <= i["high"].toDouble(),
          key);
    }
    QVERIFY(v["verdict"].toString().startsWith("saves") || v["verdict"].toString().startsWith("loses"));
    // The epoch column is filled for every row of this protocol.
    const QList<QByteArray> lines = readAll(dir.filePath("metrics.csv")).trimmed().split('\n');
    for (int i = 1; i < lines.size(); ++i) QVERIFY(!lines[i].split(',').value(8).isEmpty());
    // --epochs 3 is the plan's length: the full arm ends at epoch 3.
    double lastEpoch = 0;
    for (int i = 1; i < lines.size(); ++i)
      lastEpoch = std::max(lastEpoch, lines[i].split(',').value(8).toDouble());
    QCOMPARE(lastEpoch, 3.0);
  }

  // --steps on a preset that trains by epochs stops every arm there, before the plan ends.
  void stepsStopTheEpochPlanEarly() {
    QTemporaryDir dir;
    QStringList args = {"--preset", "digits-vit", "--steps", "5", "--out", dir.path()};
    for (const char* set : {"model.d_model=16", "model.heads=2", "model.layers=1", "model.d_ff=32",
                            "experiment.eval_examples=50", "vit.patch_size=8"})
      args << "--set" << set;
    QCOMPARE(runCommand(args), 0);
    const QJsonObject s = QJsonDocument::fromJson(readAll(dir.filePath("summary.json"))).object();
    QCOMPARE(s["steps"].toInt(), 5);
    QCOMPARE(s["settings"].toObject()["epochs.stop_step"].toVariant().toString(), QString("5"));
    QSet<long> last;
    for (const QByteArray& line : readAll(dir.filePath("metrics.csv")).trimmed().split('\n').mid(1))
      last << line.split(',').value(2).toLong();
    QCOMPARE(*std::max_element(last.begin(), last.end()), 5L);
  }

  // `run --preset scb --steps N`: diagnostics.csv with every series, and the claims in
  // summary.json and on stdout computed from those same series.
  void scbClaimsTableFromTheDiagnostics() {
    QTemporaryDir dir;
    int status = -1;
    const QByteArray out = captureStdout([&] {
      status = runCommand({"--preset", "scb", "--steps", "60", "--set", "scb.samples=400", "--set",
                           "scb.heldout=100", "--set", "experiment.eval_every=20", "--out", dir.path()});
    });
    QCOMPARE(status, 0);
    const QList<QByteArray> lines = readAll(dir.filePath("diagnostics.csv")).trimmed().split('\n');
    QCOMPARE(lines[0], QByteArray("seed,run,step,name,value"));
    QSet<QByteArray> steps, names;
    for (int i = 1; i < lines.size(); ++i) {
      const auto cols = lines[i].split(',');
      QCOMPARE(cols.size(), 5);
      steps << cols[2];
      names << cols[3];
    }
    QCOMPARE(steps, (QSet<QByteArray>{"0", "20", "40", "60"}));
    for (const char* n : {"scb.v_error", "scb.a_error", "scb.a_correlation", "scb.a_nonzeros"})
      QVERIFY2(names.contains(n), n);
    // The heatmaps' matrices cell by cell, "name[row][col]": the true transition P's columns
    // (the distributions of the next token given the current one) sum to 1.
    std::map<int, double> columnSums;
    int aCells = 0;
    for (int i = 1; i < lines.size(); ++i) {
      const auto cols = lines[i].split(',');
      if (cols[0] != "1" || cols[1] != "SGD" || cols[2] != "60") continue;
      if (cols[3].startsWith("scb.A[")) ++aCells;
      if (cols[3].startsWith("scb.P["))
        columnSums[cols[3].split('[').last().chopped(1).toInt()] += cols[4].toDouble();
    }
    QVERIFY(aCells >= 4 && columnSums.size() >= 2);
    for (const auto& [column, sum] : columnSums)
      QVERIFY2(std::abs(sum - 1) < 1e-5, qPrintable(QString::number(column)));

    const QJsonObject s = QJsonDocument::fromJson(readAll(dir.filePath("summary.json"))).object();
    QJsonObject ratio;
    for (const auto& v : s["claims"].toArray())
      if (v.toObject()["key"] == "scb.proximal_over_sgd.a_error" && v.toObject()["phase"] == "late")
        ratio = v.toObject();
    const double expected =
        lastDiagnostic(lines, "proximal", "scb.a_error") / lastDiagnostic(lines, "SGD", "scb.a_error");
    QVERIFY(std::abs(ratio["median"].toDouble() - expected) < 1e-6 * expected);
    QCOMPARE(ratio["test"].toString(), QString("< 1"));
    const QString verdict = ratio["verdict"].toString();
    QCOMPARE(verdict, QString(expected < 1 ? "holds" : "does not hold"));  // one seed: a point
    QVERIFY(out.contains("claims (1 seed;"));
    QVERIFY(out.contains("scb.proximal_over_sgd.a_error (late)"));
    bool paired = false;
    for (const QByteArray& line : out.split('\n'))
      paired =
          paired || (line.startsWith("scb.proximal_over_sgd.a_error ") && line.contains("early and late:"));
    QVERIFY(paired);
  }

  void badSetExitsTwo() {
    QTemporaryDir dir;
    QCOMPARE(runCommand({"--preset", "scb", "--set", "scb.nope=1", "--out", dir.path()}), 2);
    QCOMPARE(runCommand({"--preset", "scb", "--set", "scb.lr=-1", "--out", dir.path()}), 2);
    QCOMPARE(runCommand({"--preset", "scb", "--set", "noequals", "--out", dir.path()}), 2);
    QVERIFY(!QFile::exists(dir.filePath("metrics.csv")));
  }

  void usageErrorsExitTwo() {
    QCOMPARE(runCommand({}), 2);                                      // no preset
    QCOMPARE(runCommand({"--preset", "no-such-preset"}), 2);          // unknown preset
    QCOMPARE(runCommand({"--preset", "scb", "--steps", "zero"}), 2);  // bad number
    QCOMPARE(runCommand({"--preset", "scb", "--seeds", "1,x"}), 2);
    QCOMPARE(runCommand({"--preset", "scb", "--threads", "0"}), 2);
    QCOMPARE(runCommand({"--preset", "scb", "--bogus"}), 2);
    QCOMPARE(runCommand({"--preset", "scb", "--data", "x.txt"}), 2);  // scb reads no data file
  }

  void presetsListsEveryBuiltin() { QCOMPARE(presetsCommand({}), 0); }
};

QTEST_APPLESS_MAIN(TestRunCommand)
#include "test_run_command.moc"

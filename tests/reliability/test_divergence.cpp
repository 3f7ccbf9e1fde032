// Divergence end to end: a huge learning rate makes every run's weights overflow; `run`
// must not crash or stop early - it finishes the other steps and seeds, reports
// "diverged ... at N" in its summary table and summary.json, and the run's curve stops at N.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "reliability/studio_process.h"

class TestDivergence : public QObject {
  Q_OBJECT
 private slots:
  void hugeLearningRateIsReportedAsDivergedAtAStep() {
    QTemporaryDir out;
    // Plain SGD, learning rate 10, no clipping, a small transformer: the weights overflow
    // within a few dozen steps.
    const StudioResult r = runStudio({"run",
                                      "--preset",
                                      "text-lm",
                                      "--steps",
                                      "60",
                                      "--seeds",
                                      "1,2",
                                      "--set",
                                      "train.optimizer=sgd",
                                      "--set",
                                      "train.lr=10",
                                      "--set",
                                      "train.clip=0",
                                      "--set",
                                      "train.lr_schedule=constant",
                                      "--set",
                                      "model.d_model=16",
                                      "--set",
                                      "model.layers=1",
                                      "--set",
                                      "model.d_ff=16",
                                      "--set",
                                      "lang.sentences=200",
                                      "--set",
                                      "experiment.eval_every=10",
                                      "--out",
                                      out.path()});
    QVERIFY2(!r.timedOut && !r.crashed, qPrintable(r.err));
    QVERIFY2(r.status == 0, qPrintable(r.err));

    // summary.json: every run has an integer diverged_at inside the run.
    QFile f(out.filePath("summary.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray runs = QJsonDocument::fromJson(f.readAll()).object()["runs"].toArray();
    QCOMPARE(runs.size(), 4);  // two runs, two seeds: the first seed's divergence did not stop the second
    QMap<QString, int> divergedAt;  // "seed/run"
    for (const auto& v : runs) {
      const QJsonObject o = v.toObject();
      QVERIFY2(o["diverged_at"].isDouble(), qPrintable(o["name"].toString()));
      const int at = o["diverged_at"].toInt();
      QVERIFY(at >= 1 && at <= 60);
      divergedAt[QString::number(o["seed"].toInt()) + "/" + o["name"].toString()] = at;
    }

    // The table names the step for each run: "... at N" in the diverged column.
    QVERIFY2(r.out.contains("diverged"), qPrintable(r.out));
    for (auto it = divergedAt.begin(); it != divergedAt.end(); ++it) {
      const QString seed = it.key().section('/', 0, 0), name = it.key().section('/', 1);
      const QRegularExpression row(QStringLiteral("^\\s*%1\\s+%2\\s.*\\bat %3\\s*$")
                                       .arg(seed, QRegularExpression::escape(name))
                                       .arg(it.value()),
                                   QRegularExpression::MultilineOption);
      QVERIFY2(row.match(r.out).hasMatch(), qPrintable(it.key() + " not reported in:\n" + r.out));
    }

    // metrics.csv: a run's curve stops at the step it diverged.
    QFile m(out.filePath("metrics.csv"));
    QVERIFY(m.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = m.readAll().trimmed().split('\n');
    for (int i = 1; i < lines.size(); ++i) {
      const QList<QByteArray> c = lines[i].split(',');
      const QString key = QString::fromUtf8(c[0]) + "/" + QString::fromUtf8(c[1]);
      QVERIFY2(c[2].toInt() <= divergedAt.value(key), lines[i].constData());
    }
  }
};

QTEST_GUILESS_MAIN(TestDivergence)
#include "test_divergence.moc"

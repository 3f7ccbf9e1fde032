// Determinism: the same seed, settings and thread count give byte-identical metrics.csv
// (the compute_seconds column aside) across two `run`s of the real executable. Between 1
// and 2 threads: test_thread_agreement.cpp.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>

#include "reliability/studio_process.h"

namespace {

// metrics.csv without its compute_seconds column (the only column allowed to differ).
QByteArray metricsWithoutComputeTime(const QString& dir) {
  QFile f(dir + "/metrics.csv");
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QList<QByteArray> lines = f.readAll().split('\n');
  const int column = lines.value(0).split(',').indexOf("compute_seconds");
  if (column < 0) return {};
  QByteArray out;
  for (const QByteArray& line : lines) {
    QList<QByteArray> cells = line.split(',');
    if (cells.size() > column) cells.removeAt(column);
    out += cells.join(',') + '\n';
  }
  return out;
}

QByteArray runOnce(const QStringList& presetArgs, int threads) {
  QTemporaryDir out;
  const StudioResult r = runStudio(QStringList{"run"} + presetArgs +
                                   QStringList{"--threads", QString::number(threads), "--out", out.path()});
  if (r.timedOut || r.crashed || r.status != 0) {
    qWarning("%s", qPrintable(r.err.left(2000)));
    return {};
  }
  return metricsWithoutComputeTime(out.path());
}

}  // namespace

class TestDeterminism : public QObject {
  Q_OBJECT
 private slots:
  void sameSeedSettingsAndThreadsGiveIdenticalMetrics_data() {
    QTest::addColumn<QStringList>("args");
    // Teacher-driven pairs (AtteNT picks by score, soft selection draws from the RNG).
    QTest::newRow("topic-words") << QStringList{"--preset", "topic-words",
                                                "--steps",  "60",
                                                "--seeds",  "1,2",
                                                "--set",    "topic.samples=400",
                                                "--set",    "topic.non_topic_words=200",
                                                "--set",    "experiment.compare=true",
                                                "--set",    "experiment.eval_every=20"};
    // A transformer split into batch shards across both threads.
    QTest::newRow("text-lm") << QStringList{"--preset", "text-lm",
                                            "--steps",  "12",
                                            "--set",    "lang.sentences=300",
                                            "--set",    "model.d_model=32",
                                            "--set",    "model.d_ff=64",
                                            "--set",    "experiment.eval_every=4",
                                            "--set",    "experiment.eval_examples=64",
                                            "--set",    "teacher.every=4"};
  }
  void sameSeedSettingsAndThreadsGiveIdenticalMetrics() {
    QFETCH(QStringList, args);
    const QByteArray a = runOnce(args, 2), b = runOnce(args, 2);
    QVERIFY(a.count('\n') > 5);
    QCOMPARE(a, b);
  }
};

QTEST_GUILESS_MAIN(TestDeterminism)
#include "test_determinism.moc"

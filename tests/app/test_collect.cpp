// `run --shard I/N` and `collect`, through the real executable: slices of a seed list collected
// equal one unsharded run; a missing, duplicated or mismatched slice is refused by name.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "app/commands/shard.h"
#include "reliability/studio_process.h"

using namespace attent::app;

namespace {
QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
QJsonObject summaryIn(const QString& dir) {
  return QJsonDocument::fromJson(readAll(QDir(dir).filePath("summary.json"))).object();
}
// A fast scb run with a baseline, so time reductions and medians are collected too.
QStringList quickScb(const QString& seeds, const QString& out) {
  return {"run",
          "--preset",
          "scb",
          "--steps",
          "30",
          "--set",
          "scb.samples=300",
          "--set",
          "scb.heldout=60",
          "--set",
          "experiment.eval_every=10",
          "--seeds",
          seeds,
          "--out",
          out};
}
// metrics.csv without its compute_seconds column (timings differ from run to run).
QList<QByteArray> withoutTimes(const QByteArray& csv) {
  QList<QByteArray> rows;
  for (const QByteArray& line : csv.trimmed().split('\n')) {
    QList<QByteArray> cols = line.split(',');
    cols.removeAt(4);
    rows << cols.join(',');
  }
  return rows;
}
// What a run reached, without what depends on timings.
QList<QString> reached(const QJsonObject& summary) {
  QList<QString> out;
  for (const QJsonValue& v : summary["runs"].toArray()) {
    const QJsonObject r = v.toObject();
    out << QString("%1 %2 %3 %4 %5")
               .arg(r["name"].toString())
               .arg(r["seed"].toDouble())
               .arg(r["final_eval_loss"].toDouble(), 0, 'g', 9)
               .arg(r["target_eval_loss"].toDouble(), 0, 'g', 9)
               .arg(r["steps_to_target"].toDouble());
  }
  return out;
}
}  // namespace

class TestCollect : public QObject {
  Q_OBJECT
 private slots:
  void slicesAreContiguousAndCoverTheSeedsOnce() {
    const std::vector<long> seeds{1, 2, 3, 4, 5, 6, 7};
    // 7 seeds in 3 slices: [0, 7/3) = 2 seeds, [2, 14/3) = 2 seeds, [4, 7) = 3 seeds.
    const Shard first{1, 3}, second{2, 3}, third{3, 3}, other{2, 4};
    QCOMPARE(first.slice(seeds), (std::vector<long>{1, 2}));
    QCOMPARE(second.slice(seeds), (std::vector<long>{3, 4}));
    QCOMPARE(third.slice(seeds), (std::vector<long>{5, 6, 7}));
    QCOMPARE(other.folderName(), std::string("shard-2-of-4"));
  }

  void aBadShardIsRefusedWithTheReason() {
    std::string error;
    for (const char* bad : {"0/2", "3/2", "a/b", "2/", "/2", "1/2x", "2"})
      QVERIFY2(!parseShard(bad, 10, error) && error.find("I/N") != std::string::npos, bad);
    QVERIFY(!parseShard("1/4", 3, error));
    QVERIFY(error.find("4 slices of 3 seeds") != std::string::npos);
    QVERIFY(parseShard("4/4", 4, error));
  }

  void twoSlicesCollectedEqualOneUnshardedRun() {
    QTemporaryDir dir;
    const QString sweep = dir.filePath("sweep"), whole = dir.filePath("whole"),
                  merged = dir.filePath("merged");
    for (const char* shard : {"2/2", "1/2"}) {
      const StudioResult r = runStudio(quickScb("1-3", sweep) << "--shard" << shard);
      QVERIFY2(r.status == 0, qPrintable(r.err));
    }
    QVERIFY(QFile::exists(QDir(sweep).filePath("shard-1-of-2/summary.json")));
    QCOMPARE(summaryIn(QDir(sweep).filePath("shard-2-of-2"))["seeds"].toArray().size(), 2);  // seeds 2, 3
    QCOMPARE(runStudio(quickScb("1-3", whole)).status, 0);
    const StudioResult c = runStudio({"collect", sweep, "--out", merged});
    QVERIFY2(c.status == 0, qPrintable(c.err));
    QVERIFY(c.out.contains("collected 2 slices"));
    QVERIFY(c.out.contains("median time reduction:"));

    const QJsonObject a = summaryIn(merged), b = summaryIn(whole);
    QCOMPARE(a["seeds"], b["seeds"]);
    QCOMPARE(a["settings"], b["settings"]);
    QCOMPARE(a["baseline_run"].toString(), QString("SGD"));
    QVERIFY(!a.contains("shard"));
    QCOMPARE(reached(a), reached(b));
    QCOMPARE(a["median_time_reduction"].toObject().keys(), b["median_time_reduction"].toObject().keys());
    QVERIFY(!b["claims"].toArray().isEmpty());
    QCOMPARE(a["claims"], b["claims"]);  // medians, intervals and verdicts over all three seeds
    QVERIFY(c.out.contains("claims (3 seeds;"));
    QCOMPARE(withoutTimes(readAll(QDir(merged).filePath("metrics.csv"))),
             withoutTimes(readAll(QDir(whole).filePath("metrics.csv"))));
  }

  void aMissingDuplicatedOrMismatchedSliceIsRefusedByName() {
    QTemporaryDir dir;
    const QString sweep = dir.filePath("sweep"), other = dir.filePath("other");
    QCOMPARE(runStudio(quickScb("1-2", sweep) << "--shard"
                                              << "1/2")
                 .status,
             0);
    StudioResult r = runStudio({"collect", sweep, "--out", dir.filePath("m1")});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("slice 2 of 2 is missing"), qPrintable(r.err));

    QVERIFY(QDir().mkpath(dir.filePath("copy")));
    QVERIFY(
        QFile::copy(QDir(sweep).filePath("shard-1-of-2/summary.json"), dir.filePath("copy/summary.json")));
    r = runStudio({"collect", sweep, dir.filePath("copy"), "--out", dir.filePath("m2")});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("slice 1 of 2 appears twice"), qPrintable(r.err));

    QCOMPARE(runStudio(quickScb("1-2", other) << "--shard"
                                              << "2/2"
                                              << "--set"
                                              << "scb.lr=0.5")
                 .status,
             0);
    r = runStudio({"collect", sweep, other, "--out", dir.filePath("m3")});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("mismatched slice") && r.err.contains("settings") && r.err.contains("other"),
             qPrintable(r.err));

    r = runStudio({"collect", dir.filePath("nowhere")});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains("nowhere: no summary.json"), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath("m1/summary.json")));  // nothing written when refused
  }
};

QTEST_GUILESS_MAIN(TestCollect)
#include "test_collect.moc"

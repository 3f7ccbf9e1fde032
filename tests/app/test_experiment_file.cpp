// Experiment files: an exact round trip; "save, reopen, train on" continues bit-exactly;
// every damaged file is refused with a message naming it; metrics export and `info`.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>

#include "app/commands/info_command.h"
#include "app/files/experiment_file.h"
#include "app/files/metrics_export.h"
#include "engine/core/input_error.h"
#include "engine/learners/learner.h"
#include "engine/persist/checkpoint.h"

using namespace attent;
using namespace attent::app;

namespace {

struct Case {
  const char* kind;
  std::vector<std::pair<std::string, std::string>> sets;
};

// Small, fast settings; every teacher kind (random, random-subset, hard and soft AtteNT),
// AdamW / SGD / momentum moments, and the mosaic hybrid's loss switch (after 7 updates).
std::vector<Case> cases() {
  return {
      {"digits-vit",
       {{"experiment.steps", "40"},
        {"experiment.eval_every", "5"},
        {"experiment.log_every", "2"},
        {"experiment.eval_examples", "64"},
        {"model.d_model", "16"},
        {"model.heads", "2"},
        {"model.layers", "1"},
        {"model.d_ff", "32"},
        {"train.batch", "16"},
        {"teacher.random_subset", "true"},
        {"teacher.interval", "fixed"},
        {"teacher.every", "3"}}},
      {"text-lm",
       {{"experiment.steps", "20"},
        {"experiment.eval_every", "5"},
        {"experiment.eval_examples", "16"},
        {"model.d_model", "16"},
        {"model.heads", "2"},
        {"model.layers", "1"},
        {"model.d_ff", "32"},
        {"train.batch", "8"},
        {"train.lr_schedule", "warmup-cosine"},
        {"train.warmup", "4"}}},
      {"scb",
       {{"experiment.steps", "40"},
        {"experiment.eval_every", "4"},
        {"experiment.compare", "true"},
        {"teacher.selection", "soft"},
        {"teacher.interval", "dense"}}},
      {"mosaic",
       {{"experiment.steps", "30"},
        {"experiment.eval_every", "5"},
        {"mosaic.samples", "200"},
        {"mosaic.heldout", "50"},
        {"mosaic.batch", "32"},
        {"mosaic.hybrid_epochs", "1"},
        {"experiment.compare", "true"}}},
  };
}

std::unique_ptr<Experiment> build(const Case& c, std::uint64_t seed = 3) {
  Settings s = experimentSettings(c.kind);
  for (const auto& [k, v] : c.sets)
    if (auto err = s.set(k, v)) qFatal("%s", err->c_str());
  return buildExperiment(c.kind, s, seed);
}

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Weights, gradients, moments and history of every run, compared bit for bit.
void compareExperiments(Experiment& a, Experiment& b) {
  QCOMPARE(a.currentStep(), b.currentStep());
  QCOMPARE(a.runCount(), b.runCount());
  for (int r = 0; r < a.runCount(); ++r) {
    QCOMPARE(a.runName(r), b.runName(r));
    QCOMPARE(a.divergedAt(r), b.divergedAt(r));
    Parameters<float>& pa = a.learner(r)->parameters();
    Parameters<float>& pb = b.learner(r)->parameters();
    QVERIFY(pa.values() == pb.values());
    QVERIFY(pa.grads() == pb.grads());
    QVERIFY(pa.moments1() == pb.moments1());
    QVERIFY(pa.moments2() == pb.moments2());
    const auto& ha = a.history(r);
    const auto& hb = b.history(r);
    QCOMPARE(ha.size(), hb.size());
    for (std::size_t i = 0; i < ha.size(); ++i) {
      QCOMPARE(ha[i].step, hb[i].step);
      QCOMPARE(ha[i].examplesSeen, hb[i].examplesSeen);
      QVERIFY(sameBits(ha[i].computeSeconds, hb[i].computeSeconds));
      QVERIFY2(sameBits(ha[i].trainLoss, hb[i].trainLoss),
               qPrintable(QString("run %1 point %2").arg(r).arg(i)));
      QVERIFY(sameBits(ha[i].evalLoss, hb[i].evalLoss));
      QVERIFY(sameBits(ha[i].evalAccuracy, hb[i].evalAccuracy));
    }
  }
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
void writeAll(const QString& path, const QByteArray& b) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(b);
}

// A kind that saves no state.
class StubExperiment : public Experiment {
 public:
  const Settings& settings() const override { return s_; }
  int runCount() const override { return 0; }
  std::string runName(int) const override { return {}; }
  long currentStep() const override { return 0; }
  long totalSteps() const override { return 1; }
  void step() override {}
  const std::vector<MetricPoint>& history(int) const override { return h_; }

 protected:
  Snapshot copyOut(Split, int, const std::vector<std::size_t>&) const override { return {}; }

 private:
  Settings s_;
  std::vector<MetricPoint> h_;
};

}  // namespace

class TestExperimentFile : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString path(const QString& name) { return dir_.filePath(name); }

  // The saved digits-vit file every corruption test damages.
  QString savedFile() {
    const QString p = path("good.attent");
    if (!QFile::exists(p)) {
      auto e = build(cases()[0]);
      for (int i = 0; i < 7; ++i) e->step();
      saveExperiment(*e, {"digits-vit", "digits-vit", 3}, p);
    }
    return p;
  }
  // Opening `bytes` must throw an InputError naming the file and containing `expect`.
  void expectRefused(const QByteArray& bytes, const QString& name, const char* expect, bool damaged = true) {
    const QString p = path(name);
    writeAll(p, bytes);
    try {
      openExperiment(p);
      QFAIL(qPrintable("opened a damaged file: " + name));
    } catch (const InputError& e) {
      const QString msg = e.what();
      QVERIFY2(msg.contains(p), qPrintable(msg));
      QVERIFY2(msg.contains(expect), qPrintable(msg));
    }
    // `info` reads the same way and reports the damage with status 1.
    if (damaged) QCOMPARE(infoCommand({p}), 2);
  }

 private slots:
  void roundTripIsExact_data() {
    QTest::addColumn<int>("which");
    for (int i = 0; i < int(cases().size()); ++i) QTest::newRow(cases()[i].kind) << i;
  }
  void roundTripIsExact() {
    QFETCH(int, which);
    const Case c = cases()[which];
    auto e = build(c);
    for (int i = 0; i < 13; ++i) e->step();
    const QString p = path(QString("rt-%1.attent").arg(c.kind));
    saveExperiment(*e, {c.kind, c.kind, 3}, p);
    OpenedExperiment o = openExperiment(p);
    QCOMPARE(o.source.kind, std::string(c.kind));
    QCOMPARE(o.source.seed, std::uint64_t(3));
    QCOMPARE(o.experiment->settings().values(), e->settings().values());
    compareExperiments(*e, *o.experiment);
  }

  // Whoever opens a file reads the lesson of the preset it was saved from; a file saved
  // without one (or by an older build) opens with none.
  void titleAndLessonTravelWithTheFile() {
    auto e = build(cases()[0]);
    e->step();
    ExperimentSource source{"digits-vit", "my-digits", 5};
    source.title = "Digits, my way";
    source.lesson = "Watch the 8s and 3s: \"hard\" examples, ünïcödé too.";
    const QString p = path("lesson.attent");
    saveExperiment(*e, source, p);
    const OpenedExperiment o = openExperiment(p);
    QCOMPARE(o.source.preset, std::string("my-digits"));
    QCOMPARE(o.source.title, source.title);
    QCOMPARE(o.source.lesson, source.lesson);
    const OpenedExperiment plain = openExperiment(savedFile());
    QVERIFY(plain.source.title.empty() && plain.source.lesson.empty());
  }

  // The required property: the curves after a save and reopen are those of training on.
  void resumeContinuesBitExactly_data() { roundTripIsExact_data(); }
  void resumeContinuesBitExactly() {
    QFETCH(int, which);
    const Case c = cases()[which];
    auto straight = build(c);
    for (int i = 0; i < 6; ++i) straight->step();
    const QString p = path(QString("resume-%1.attent").arg(c.kind));
    saveExperiment(*straight, {c.kind, c.kind, 3}, p);
    OpenedExperiment reopened = openExperiment(p);
    Experiment& resumed = *reopened.experiment;
    while (!straight->finished()) straight->step();
    while (!resumed.finished()) resumed.step();
    // Every kind, the transformer's too, bit for bit: parameters and workspaces are 64-byte
    // aligned (engine/core/aligned.h), so float sums do not depend on where buffers land.
    const bool exact = true;
    double worst = 0;
    auto same = [&](float a, float b) {
      if (exact || std::isnan(a) || std::isnan(b)) return sameBits(a, b);
      worst = std::max(worst, double(std::abs(a - b)) / std::max(1.0, double(std::abs(a))));
      return std::abs(a - b) <= 1e-3 * std::max(1.0, double(std::abs(a)));
    };
    QCOMPARE(resumed.currentStep(), straight->totalSteps());
    for (int r = 0; r < straight->runCount(); ++r) {
      const auto& wa = straight->learner(r)->parameters().values();
      const auto& wb = resumed.learner(r)->parameters().values();
      for (std::size_t i = 0; i < wa.size(); ++i)
        QVERIFY2(same(wa[i], wb[i]), qPrintable(QString("%1 run %2 weight %3").arg(c.kind).arg(r).arg(i)));
      const auto& ha = straight->history(r);
      const auto& hb = resumed.history(r);
      QCOMPARE(ha.size(), hb.size());
      QVERIFY(ha.size() > 4);
      for (std::size_t i = 0; i < ha.size(); ++i) {
        QCOMPARE(ha[i].step, hb[i].step);
        QCOMPARE(ha[i].examplesSeen, hb[i].examplesSeen);
        QVERIFY2(same(ha[i].trainLoss, hb[i].trainLoss), qPrintable(QString("%1 run %2 step %3: %4 vs %5")
                                                                        .arg(c.kind)
                                                                        .arg(r)
                                                                        .arg(ha[i].step)
                                                                        .arg(ha[i].trainLoss, 0, 'g', 9)
                                                                        .arg(hb[i].trainLoss, 0, 'g', 9)));
        QVERIFY(same(ha[i].evalLoss, hb[i].evalLoss));
        QVERIFY(same(ha[i].evalAccuracy, hb[i].evalAccuracy));
        // Compute seconds are measured, so they agree only up to the save.
        if (ha[i].step <= 6) QVERIFY(sameBits(ha[i].computeSeconds, hb[i].computeSeconds));
      }
    }
    if (!exact) qInfo("%s: largest relative difference after resuming: %.3g", c.kind, worst);
  }

  void emptyFileIsRefused() { expectRefused({}, "empty.attent", "empty"); }
  void wrongMagicIsRefused() {
    QByteArray b = readAll(savedFile());
    b[0] = 'X';
    expectRefused(b, "magic.attent", "not an AtteNT experiment file");
    expectRefused("name,value\n1,2\n", "csv.attent", "not an AtteNT experiment file");
  }
  void newerVersionIsRefused() {
    QByteArray b = readAll(savedFile());
    const std::uint32_t v = kExperimentFileVersion + 1;
    std::memcpy(b.data() + 8, &v, 4);
    const std::uint32_t crc = crc32(b.constData(), std::size_t(b.size() - 4));
    std::memcpy(b.data() + b.size() - 4, &crc, 4);
    expectRefused(b, "newer.attent", "newer AtteNT Studio (format version 2");
  }
  void truncatedFileIsRefused() {
    const QByteArray b = readAll(savedFile());
    for (qsizetype n :
         {qsizetype(5), qsizetype(12), qsizetype(20), qsizetype(40), b.size() / 2, b.size() - 1})
      expectRefused(b.left(n), QString("truncated-%1.attent").arg(n), "truncated");
  }
  void flippedByteIsRefused() {
    const QByteArray good = readAll(savedFile());
    // A byte in the weights, in the metadata and in the checksum itself.
    for (qsizetype at : {good.size() / 2, qsizetype(40), good.size() - 2}) {
      QByteArray b = good;
      b[at] = char(b[at] ^ 0x10);
      expectRefused(b, QString("flipped-%1.attent").arg(at), "checksum mismatch");
    }
  }
  // Well-formed, checksummed, but the state does not fit the settings: refused, not a crash.
  void stateThatDoesNotFitIsRefused() {
    auto e = build(cases()[0]);
    const QString p = path("misfit.attent");
    saveExperiment(*e, {"digits-vit", "digits-vit", 3}, p);
    QByteArray b = readAll(p);
    const QByteArray from = "\"model.d_model\":\"16\"", to = "\"model.d_model\":\"20\"";
    QVERIFY(b.contains(from));
    b.replace(from, to);
    const std::uint32_t crc = crc32(b.constData(), std::size_t(b.size() - 4));
    std::memcpy(b.data() + b.size() - 4, &crc, 4);
    expectRefused(b, "misfit2.attent", "settings build", false);
  }
  void missingFileIsRefused() {
    try {
      openExperiment(path("nope.attent"));
      QFAIL("opened a missing file");
    } catch (const InputError& e) {
      QVERIFY(QString(e.what()).contains("nope.attent"));
    }
  }

  // A failed save leaves the previous file as it was.
  void failedSaveKeepsPreviousFile() {
    const QString p = savedFile();
    const QByteArray before = readAll(p);
    StubExperiment stub;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, saveExperiment(stub, {"x", "x", 1}, p));
    QCOMPARE(readAll(p), before);
    QVERIFY_THROWS_EXCEPTION(
        InputError, saveExperiment(*build(cases()[1]), {"scb", "scb", 1}, path("no-such-dir/x.attent")));
    QCOMPARE(readAll(p), before);
    QVERIFY(openExperiment(p).experiment != nullptr);
  }

  void infoPrintsWhatTheFileHolds() {
    QCOMPARE(infoCommand({savedFile()}), 0);
    QCOMPARE(infoCommand({}), 2);
  }

  void metricsExportHasEveryRunsHistory() {
    auto e = build(cases()[1]);
    for (int i = 0; i < 12; ++i) e->step();
    const QString out = path("metrics");
    exportMetrics(*e, 3, "scb", "scb", out);
    const QList<QByteArray> lines = readAll(out + "/metrics.csv").trimmed().split('\n');
    QCOMPARE(lines[0],
             QByteArray("seed,run,step,examples_seen,compute_seconds,train_loss,eval_loss,eval_accuracy,epoch"));
    std::size_t rows = 0;
    for (int r = 0; r < e->runCount(); ++r) rows += e->history(r).size();
    QCOMPARE(std::size_t(lines.size() - 1), rows);
    QVERIFY(lines[1].startsWith("3," + QByteArray::fromStdString(e->runName(0)) + ",0,0,"));
    const QJsonObject j = QJsonDocument::fromJson(readAll(out + "/metrics.json")).object();
    const QJsonArray runs = j["runs"].toArray();
    QCOMPARE(runs.size(), e->runCount());
    for (int r = 0; r < e->runCount(); ++r) {
      const QJsonObject run = runs[r].toObject();
      QCOMPARE(run["name"].toString().toStdString(), e->runName(r));
      const QJsonArray loss = run["train_loss"].toArray();
      QCOMPARE(std::size_t(loss.size()), e->history(r).size());
      const float last = e->history(r).back().trainLoss;
      QCOMPARE(float(loss.last().toDouble()), last);
      QVERIFY(run["eval_loss"].toArray()[0].isDouble());
    }
  }
};

QTEST_GUILESS_MAIN(TestExperimentFile)
#include "test_experiment_file.moc"

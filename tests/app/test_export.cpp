// Weights export: valid .npy files with the manifest's shapes and dtypes, the batch as the
// learner sees it, losses that match the learner, and gradients that match finite
// differences of the batch's mean loss; usage errors exit 2.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <numeric>

#include "app/commands/export_command.h"
#include "app/files/npy.h"
#include "app/files/weights_export.h"
#include "engine/learners/learner.h"
#include "engine/persist/checkpoint.h"

using namespace attent;
using namespace attent::app;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The array of an .npy file, checked against the manifest entry's shape and dtype.
std::vector<float> loadFloats(const QString& path, const QJsonArray& shape) {
  const QByteArray b = readAll(path);
  NpyHeader h;
  std::string error;
  if (!parseNpyHeader(b, h, error)) qFatal("%s: %s", qPrintable(path), error.c_str());
  if (h.descr != "<f4" || h.fortranOrder) qFatal("%s: dtype %s", qPrintable(path), h.descr.c_str());
  if (int(h.shape.size()) != shape.size()) qFatal("%s: rank differs from the manifest", qPrintable(path));
  std::size_t count = 1;
  for (int i = 0; i < shape.size(); ++i) {
    if (h.shape[i] != shape[i].toInt()) qFatal("%s: shape differs from the manifest", qPrintable(path));
    count *= std::size_t(h.shape[i]);
  }
  if (std::size_t(b.size() - h.dataOffset) != count * 4) qFatal("%s: data size differs", qPrintable(path));
  std::vector<float> v(count);
  std::memcpy(v.data(), b.constData() + h.dataOffset, count * 4);
  return v;
}

std::unique_ptr<Experiment> build(const char* kind, std::vector<std::pair<std::string, std::string>> sets) {
  Settings s = experimentSettings(kind);
  for (const auto& [k, v] : sets)
    if (auto err = s.set(k, v)) qFatal("%s", err->c_str());
  return buildExperiment(kind, s, 5);
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private slots:
  void npyHeaderIsVersion1WithPadding() {
    const float x[6] = {1, 2, 3, 4, 5, 6};
    const QByteArray b = npyBytes(x, {2, 3});
    QVERIFY(b.startsWith(QByteArray("\x93NUMPY\x01\x00", 8)));
    NpyHeader h;
    std::string error;
    QVERIFY2(parseNpyHeader(b, h, error), error.c_str());
    QCOMPARE(h.dataOffset % 64, 0);
    QCOMPARE(h.shape, (std::vector<long>{2, 3}));
    QVERIFY(b.contains("'shape': (2, 3), }"));
    const std::int32_t y[1] = {7};
    QVERIFY(npyBytes(y, {1}).contains("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }"));
  }

  void exportMatchesTheLearner_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("digits-vit") << "digits-vit";
    QTest::newRow("text-lm") << "text-lm";
  }
  void exportMatchesTheLearner() {
    QFETCH(QString, kind);
    auto e = build(qPrintable(kind), {{"experiment.steps", "3"},
                                      {"experiment.eval_examples", "16"},
                                      {"model.d_model", "16"},
                                      {"model.heads", "2"},
                                      {"model.layers", "1"},
                                      {"model.d_ff", "32"},
                                      {"train.batch", "8"}});
    while (!e->finished()) e->step();
    Learner& l = *e->learner(1);
    const auto valuesBefore = l.parameters().values();
    const auto momentsBefore = l.parameters().moments1();
    const QString out = dir_.filePath(kind);
    exportWeights(*e, {kind.toStdString(), kind.toStdString(), 5}, out, WeightsExportOptions{6});
    // Training state untouched.
    QVERIFY(l.parameters().values() == valuesBefore);
    QVERIFY(l.parameters().moments1() == momentsBefore);

    const QJsonObject m = QJsonDocument::fromJson(readAll(out + "/manifest.json")).object();
    QCOMPARE(m["kind"].toString(), kind);
    QCOMPARE(m["model"].toObject()["d_model"].toInt(), 16);
    QCOMPARE(m["runs"].toArray().size(), e->runCount());
    const QJsonArray tensors = m["tensors"].toArray();
    QCOMPARE(tensors.size(), l.parameters().count());
    const QJsonObject run = m["runs"].toArray()[1].toObject();
    const QString runDir = out + "/" + run["directory"].toString();

    // Every tensor: valid .npy, manifest shape, the learner's values.
    for (int i = 0; i < tensors.size(); ++i) {
      const QJsonObject t = tensors[i].toObject();
      const ParamView& v = l.parameters().view(i);
      QCOMPARE(t["name"].toString().toStdString(), v.name);
      const auto w = loadFloats(runDir + t["file"].toString(), t["shape"].toArray());
      QVERIFY(std::equal(w.begin(), w.end(), l.parameters().values().begin() + long(v.offset)));
      loadFloats(runDir + t["grad_file"].toString(), t["shape"].toArray());
    }

    // Losses: the learner's per-example losses on held-out examples 0..5.
    const auto losses = loadFloats(runDir + "losses.npy", QJsonArray{6});
    std::vector<int> idx(6);
    std::iota(idx.begin(), idx.end(), 0);
    ForwardOutputs fo;
    l.forward(Split::HeldOut, idx, fo, false);
    for (int i = 0; i < 6; ++i) QCOMPARE(losses[i], fo.loss[i]);
    const QJsonObject files = m["batch"].toObject()["files"].toObject();
    QVERIFY(files.contains(kind == "text-lm" ? "tokens" : "patches"));
    QVERIFY(files.contains(kind == "text-lm" ? "targets" : "labels"));

    // Gradients against central differences of the mean loss, on the largest entries of
    // two tensors (float32: eps 1e-2, a few percent).
    auto meanLoss = [&] {
      l.forward(Split::HeldOut, idx, fo, false);
      double s = 0;
      for (float x : fo.loss) s += x;
      return s / 6;
    };
    for (const char* name : {"head.bias", "block0.mlp.fc.weight"}) {
      const int id = l.parameters().find(name);
      QVERIFY(id >= 0);
      const ParamView& v = l.parameters().view(id);
      const auto g = loadFloats(runDir + "grads/" + name + ".npy", tensors[id].toObject()["shape"].toArray());
      const std::size_t k = std::size_t(
          std::max_element(g.begin(), g.end(), [](float a, float b) { return std::abs(a) < std::abs(b); }) -
          g.begin());
      float& w = l.parameters().values()[v.offset + k];
      const float w0 = w, eps = 1e-2f;
      w = w0 + eps;
      const double up = meanLoss();
      w = w0 - eps;
      const double down = meanLoss();
      w = w0;
      const double fd = (up - down) / (2.0 * eps);
      QVERIFY2(std::abs(fd - g[k]) <= 0.03 * std::abs(fd) + 1e-4,
               qPrintable(
                   QString("%1[%2]: exported %3, finite difference %4").arg(name).arg(k).arg(g[k]).arg(fd)));
    }
  }

  void commandWritesTheManifest() {
    const QString out = dir_.filePath("cmd");
    QCOMPARE(exportCommand({"--preset", "digits-vit-steps", "--steps", "2", "--batch", "4", "--set",
                            "model.d_model=16", "--set", "model.heads=2", "--set", "model.layers=1", "--set",
                            "experiment.eval_examples=8", "--out", out}),
             0);
    const QJsonObject m = QJsonDocument::fromJson(readAll(out + "/manifest.json")).object();
    QCOMPARE(m["step"].toInt(), 2);
    QCOMPARE(m["batch"].toObject()["size"].toInt(), 4);
    QVERIFY(QFile::exists(out + "/runs/attent/params/head.weight.npy"));
  }

  void usageErrorsExit2() {
    QCOMPARE(exportCommand({"--preset", "digits-vit"}), 2);     // no --out
    QCOMPARE(exportCommand({"--out", dir_.filePath("x")}), 2);  // no --preset
    QCOMPARE(exportCommand({"--preset", "digits-vit", "--steps", "-3", "--out", "x"}), 2);
    QCOMPARE(exportCommand({"--preset", "digits-vit", "--frobnicate", "--out", "x"}), 2);
    QCOMPARE(exportCommand({"--preset", "digits-vit", "--set", "no.such=1", "--out", "x"}), 2);
    QCOMPARE(exportCommand({"--preset", "no-such-preset", "--out", "x"}), 2);
  }
};

QTEST_GUILESS_MAIN(TestExport)
#include "test_export.moc"

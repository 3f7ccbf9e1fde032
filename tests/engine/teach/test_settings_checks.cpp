// Combinations of settings that cannot work are refused with a message that says why
// (docs/RELIABILITY.md, "Settings that cannot work"), from the settings alone where they can
// be (checkExperimentSettings, what the settings editor calls) and when the experiment is
// built otherwise; and the memory estimate's terms match what the engine allocates.
#include <omp.h>

#include <QtTest>

#include "engine/core/input_error.h"
#include "engine/learners/transformer_learner.h"
#include "engine/nn/transformer.h"
#include "engine/tasks/digits_task.h"
#include "engine/teach/experiment.h"
#include "engine/teach/memory_estimate.h"

using namespace attent;

namespace {

Settings with(const std::string& kind, std::initializer_list<const char*> assignments) {
  Settings s = experimentSettings(kind);
  for (const char* a : assignments)
    if (auto err = s.setAssignment(a)) qFatal("%s: %s", a, err->c_str());
  return s;
}

// The message of the SettingsError `f` throws, or "" when it throws none.
template <class F>
QString refusal(F&& f) {
  try {
    f();
  } catch (const SettingsError& e) {
    return QString::fromUtf8(e.what());
  } catch (const InputError& e) {
    return QString::fromUtf8(e.what());
  }
  return {};
}

void expectNames(const QString& message, const QStringList& names) {
  QVERIFY2(!message.isEmpty(), "accepted");
  for (const QString& n : names) QVERIFY2(message.contains(n), qPrintable("'" + n + "' not in: " + message));
}

}  // namespace

class TestSettingsChecks : public QObject {
  Q_OBJECT
 private slots:
  // From the settings alone: what checkExperimentSettings refuses (and buildExperiment too).
  void refusedBeforeBuilding_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("assignments");
    QTest::addColumn<QStringList>("named");
    const auto row = [](const char* name, const char* kind, QStringList a, QStringList named) {
      QTest::newRow(name) << QString(kind) << a << named;
    };
    row("heads do not divide the width", "text-lm", {"model.d_model=96", "model.heads=5"},
        {"model.heads", "model.d_model = 96"});
    row("class token under a causal mask", "digits-vit", {"model.pooling=class-token", "model.causal=on"},
        {"model.pooling=class-token", "model.causal=on", "see only itself"});
    row("a language model without its causal mask", "text-lm", {"model.causal=off"},
        {"model.causal", "show the answer"});
    row("more sparsity than context", "scb", {"scb.context=8", "scb.sparsity=9"}, {"scb.sparsity", "scb.context"});
    row("a sparse transition with more non-zeros than tokens", "scb",
        {"scb.transition=sparse", "scb.vocab=4", "scb.transition_nonzeros=6"}, {"scb.transition_nonzeros"});
    row("a fixed classifier narrower than the topics", "topic-words",
        {"topic.classifier=fc", "topic.dim=3", "topic.topics=4"}, {"topic.dim", "topic.topics"});
    row("more cycles than epochs", "digits-vit", {"experiment.protocol=epochs", "epochs.count=3", "epochs.cycles=4"},
        {"epochs.cycles", "epochs.count"});
  }
  void refusedBeforeBuilding() {
    QFETCH(QString, kind);
    QFETCH(QStringList, assignments);
    QFETCH(QStringList, named);
    Settings s = experimentSettings(kind.toStdString());
    for (const QString& a : assignments) QVERIFY(!s.setAssignment(a.toStdString()));
    const std::string k = kind.toStdString();
    expectNames(refusal([&] { checkExperimentSettings(k, s); }), named);
    expectNames(refusal([&] { buildExperiment(k, s, 1); }), named);
  }

  // What needs the data: refused when the experiment is built.
  void refusedWhenBuilt_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("assignments");
    QTest::addColumn<QStringList>("named");
    const auto row = [](const char* name, const char* kind, QStringList a, QStringList named) {
      QTest::newRow(name) << QString(kind) << a << named;
    };
    row("a sequence longer than the text", "text-lm", {"lang.sentences=20", "data.seq_len=2048"},
        {"data.seq_len=2048", "too few characters"});
    row("a teacher's subset smaller than a batch", "digits-vit", {"teacher.ratio_start=0.01", "train.batch=64"},
        {"teacher.ratio_start=0.01", "train.batch=64", "fewer than one batch"});
    row("a falling schedule that ends below a batch", "digits-vit",
        {"teacher.schedule=linear", "teacher.ratio_start=0.9", "teacher.ratio_end=0.02", "train.batch=64"},
        {"teacher.ratio_end=0.02", "train.batch=64"});
    row("an epoch subset smaller than a batch", "digits-vit",
        {"experiment.protocol=epochs", "epochs.ratio_start=0.02", "train.batch=64"},
        {"epochs.ratio_start=0.02", "train.batch=64"});
    row("a kept fraction smaller than a batch", "text-lm",
        {"experiment.protocol=epochs", "epochs.form=llm", "epochs.keep=0.001", "lang.sentences=300",
         "train.batch=32"},
        {"epochs.keep=0.001", "train.batch=32"});
    row("a random-subset run with no AtteNT run to follow", "scb", {"teacher.random_subset=true"},
        {"teacher.random_subset", "experiment.compare"});
    row("a random-subset run next to the epoch protocol's own", "digits-vit",
        {"experiment.protocol=epochs", "teacher.random_subset=true"}, {"teacher.random_subset", "epochs"});
    row("a teacher on a pool smaller than its batch", "mosaic",
        {"experiment.compare=true", "mosaic.samples=40", "mosaic.heldout=20"}, {"mosaic.batch=256"});
  }
  void refusedWhenBuilt() {
    QFETCH(QString, kind);
    QFETCH(QStringList, assignments);
    QFETCH(QStringList, named);
    Settings s = experimentSettings(kind.toStdString());
    for (const QString& a : assignments) QVERIFY(!s.setAssignment(a.toStdString()));
    expectNames(refusal([&] { buildExperiment(kind.toStdString(), s, 1); }), named);
  }

  void aSubsetOfAtLeastOneBatchIsAccepted() {
    // 0.05 of digits' 1,438 pool images keeps 72 >= 64.
    auto e = buildExperiment("digits-vit", with("digits-vit", {"teacher.ratio_start=0.05", "train.batch=64",
                                                               "experiment.steps=1", "model.layers=1"}),
                             1);
    QVERIFY(e);
    // Full-batch training (topic.batch=0) draws the whole subset, whatever its size.
    QVERIFY(buildExperiment("topic-words", with("topic-words", {"experiment.compare=true", "topic.samples=200",
                                                                "teacher.ratio_start=0.01", "experiment.steps=1"}),
                            1));
  }

  // The estimate's transformer terms are the engine's own sizes.
  void transformerSizesMatchTheModel() {
    for (auto [layers, heads, d, classToken] :
         {std::tuple{1, 2, 16, false}, std::tuple{2, 4, 64, true}, std::tuple{3, 3, 48, false}}) {
      nn::TransformerConfig c;
      c.input = nn::InputKind::Patches;
      c.head = nn::HeadKind::Classify;
      c.seq = 16;
      c.patchDim = 4;
      c.classes = 10;
      c.layers = layers;
      c.heads = heads;
      c.dModel = d;
      c.dFF = 4 * d;
      c.causal = false;
      c.pooling = classToken ? nn::Pooling::ClassToken : nn::Pooling::Mean;
      nn::Transformer<float> model(c, 1);
      QCOMPARE(nn::Transformer<float>::parameterCount(c), model.parameters().size());
      nn::TransformerWorkspace<float> ws;
      model.reserve(ws, 24, true);
      const std::size_t threads = std::size_t(omp_get_max_threads()), B = 24, S = 16;
      // The arena, plus the shard gradients, per-example weights and staged ids it holds besides.
      QCOMPARE(nn::Transformer<float>::workspaceBytes(c, int(B), true, int(threads)),
               ws.bytes() + 4 * ((threads - 1) * model.parameters().size() + B) + 4 * (2 * B * S + 2 * B));
    }
  }

  void theIssuesExampleIsRefusedForMemory() {
    const Settings s = with("text-lm", {"data.seq_len=2048", "train.batch=2048"});
    const MemoryEstimate e = estimateExperimentMemory("text-lm", s);
    QVERIFY(e.bytes() > 1e12);  // attention maps alone: 2048 x 4 x 2048^2 floats x 2 layers x 2 passes x 2 runs
    QCOMPARE(QString::fromStdString(e.dominant()->what), QString("attention maps"));
    const auto refusal = memoryRefusal(e, 22.0 * (1 << 30));
    QVERIFY(refusal);
    for (const char* s : {"needs ~1.2 TiB", "22 GiB is free", "attention maps", "train.batch=2048",
                          "data.seq_len=2048", "model.heads=4"})
      QVERIFY2(refusal->find(s) != std::string::npos, refusal->c_str());
    QVERIFY(!memoryRefusal(estimateExperimentMemory("text-lm", experimentSettings("text-lm")), 22.0 * (1 << 30)));
  }

  void theWindowAddsItsSnapshotsAndTimeline() {
    const Settings s = with("text-lm", {"data.seq_len=512"});
    MemoryContext window;
    window.window = true;
    const double headless = estimateExperimentMemory("text-lm", s).bytes();
    const double shown = estimateExperimentMemory("text-lm", s, window).bytes();
    // Two runs' maps of 2 layers x 4 heads x 512^2 floats per snapshot, a few of them.
    QVERIFY(shown - headless > 3 * 2 * 2 * 4 * 512.0 * 512 * 4);
  }

  void availableMemoryCanBeOverriddenForTests() {
    qputenv("ATTENT_MEMORY_AVAILABLE_MB", "100");
    QCOMPARE(*availableMemoryBytes(), 100.0 * 1048576);
    QVERIFY(refusal([] { refuseIfTooLarge("text-lm", experimentSettings("text-lm")); }).contains("100 MiB is free"));
    qunsetenv("ATTENT_MEMORY_AVAILABLE_MB");
    QVERIFY(availableMemoryBytes().value_or(0) > 0);  // /proc/meminfo's MemAvailable
  }

  void bytesAreWrittenInBinaryUnits() {
    QCOMPARE(QString::fromStdString(formatBytes(1.4 * (1 << 30))), QString("1.4 GiB"));
    QCOMPARE(QString::fromStdString(formatBytes(22.0 * (1 << 30))), QString("22 GiB"));
    QCOMPARE(QString::fromStdString(formatBytes(820.0 * (1 << 20))), QString("820 MiB"));
    QCOMPARE(QString::fromStdString(formatBytes(512)), QString("512 bytes"));
  }
};

QTEST_GUILESS_MAIN(TestSettingsChecks)
#include "test_settings_checks.moc"

// The memory estimate (engine/teach/memory_estimate.h) against what really happens: the
// peak resident memory (the kernel's maxrss of the child, VmHWM) of `attent-studio run` for
// several configurations must be within +-25% of the estimate made from the settings alone.
// Also: the refusal of the example, through the executable, before anything is built.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <vector>

#include "app/presets/presets.h"
#include "engine/teach/experiment.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/memory_estimate.h"
#include "reliability/studio_process.h"

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;  // shadow memory and quarantines: RSS is not the program's
#else
constexpr bool kSanitized = false;
#endif

// Runs the executable to its end, its standard error into `errFile`, its address space capped
// at `limitBytes` (0: none); its peak resident memory in bytes (wait4's ru_maxrss), or -1.
double peakResidentBytes(const QStringList& args, int* status, const QString& errFile = "/dev/null",
                         rlim_t limitBytes = 0) {
  std::vector<QByteArray> bytes{QByteArray(ATTENT_STUDIO_EXE)};
  for (const QString& a : args) bytes.push_back(a.toLocal8Bit());
  std::vector<char*> argv;
  for (auto& b : bytes) argv.push_back(b.data());
  argv.push_back(nullptr);
  const QByteArray err = errFile.toLocal8Bit();
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {  // the child: only async-signal-safe calls until exec
    const int out = open("/dev/null", O_WRONLY),
              e = open(err.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || e < 0 || dup2(out, 1) < 0 || dup2(e, 2) < 0) _exit(127);
    if (limitBytes > 0) {
      const rlimit cap{limitBytes, limitBytes};
      if (setrlimit(RLIMIT_AS, &cap) != 0) _exit(127);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int raw = 0;
  rusage usage{};
  if (wait4(pid, &raw, 0, &usage) != pid) return -1;
  *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return double(usage.ru_maxrss) * 1024;  // kilobytes on Linux
}

struct Case {
  const char* preset;
  QStringList sets;
};

}  // namespace

class TestMemoryEstimate : public QObject {
  Q_OBJECT
 private slots:
  void estimateIsWithinAQuarterOfThePeak_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QStringList>("sets");
    QTest::addColumn<int>("steps");
    const auto row = [](const char* name, const char* preset, QStringList sets, int steps = 2) {
      QTest::newRow(name) << QString(preset) << sets << steps;
    };
    row("text-lm seq 256 batch 64", "text-lm", {"data.seq_len=256", "train.batch=64"});
    row("text-lm seq 512 batch 24", "text-lm", {"data.seq_len=512", "train.batch=24"});
    row("text-lm wide seq 128", "text-lm",
        {"data.seq_len=128", "train.batch=32", "model.d_model=256", "model.d_ff=1024", "model.heads=8"});
    row("digits-vit patch 2 batch 256", "digits-vit-steps", {"vit.patch_size=2", "train.batch=256"});
    row("digits-vit epochs, 4 arms", "digits-vit",
        {"vit.patch_size=2", "train.batch=128", "model.layers=4", "epochs.count=2", "epochs.cycles=1"});
    row("text-lm-finetune seq 256", "text-lm-finetune",
        {"data.seq_len=256", "train.batch=48", "pretrain.steps=1"});
    row("scb, a large pool", "scb", {"scb.samples=2000000", "scb.context=32", "scb.heldout=1000"});
    row("mosaic, large mosaics", "mosaic",
        {"mosaic.samples=40000", "mosaic.segments=40", "mosaic.classes=40"});
    row("topic-words, a large pool", "topic-words", {"topic.samples=300000", "topic.words_per_sentence=40"});
    row("scb, diagnostics every 2 steps", "scb",
        {"scb.heldout=20", "scb.samples=1000", "experiment.eval_every=2", "experiment.log_every=1000"},
        40000);
    row("mosaic, diagnostics every 2 steps", "mosaic",
        {"mosaic.samples=500", "mosaic.heldout=20", "mosaic.batch=32", "experiment.eval_every=2",
         "experiment.log_every=1000"},
        4000);
  }
  void estimateIsWithinAQuarterOfThePeak() {
    if (kSanitized) QSKIP("a sanitizer's shadow memory is in the resident set");
    QFETCH(QString, preset);
    QFETCH(QStringList, sets);
    QFETCH(int, steps);
    attent::Settings settings = attent::app::presetSettings(attent::app::loadPreset(preset));
    QStringList args = {"run", "--preset", preset, "--threads", "2"};
    for (const QString& s : sets) {
      QVERIFY2(!settings.setAssignment(s.toStdString()), qPrintable(s));
      args << "--set" << s;
    }
    if (!attent::epochProtocol(settings))
      args << "--steps" << QString::number(steps);  // epochs: its own sets
    QTemporaryDir out;
    args << "--out" << out.path();
    settings.set("experiment.steps", std::to_string(steps));
    attent::MemoryContext context;
    context.threads = 2;
    const attent::MemoryEstimate estimate =
        estimateExperimentMemory(attent::app::loadPreset(preset).kind, settings, context);
    int status = -1;
    const double peak = peakResidentBytes(args, &status);
    QCOMPARE(status, 0);
    const double ratio = estimate.bytes() / peak;
    qInfo("| %-30s | %9s | %9s | %+5.0f%% |", QTest::currentDataTag(),
          attent::formatBytes(estimate.bytes()).c_str(), attent::formatBytes(peak).c_str(),
          100 * (ratio - 1));
    QVERIFY2(ratio > 0.75 && ratio < 1.25,
             qPrintable(QStringLiteral("estimate %1, peak %2\n%3")
                            .arg(QString::fromStdString(attent::formatBytes(estimate.bytes())),
                                 QString::fromStdString(attent::formatBytes(peak)),
                                 QString::fromStdString(estimate.describe()))));
  }

  // The setting, the process capped at 1 GiB of address space: an allocation that
  // fails after the estimate let it through says so in words - never "std::bad_alloc".
  void anAllocationFailureIsToldInWords() {
    if (kSanitized) QSKIP("a sanitizer reserves more address space than the cap");
    QTemporaryDir out;
    const QString err = out.filePath("stderr.txt");
    int status = -1;
    peakResidentBytes({"run", "--preset", "text-lm", "--steps", "2", "--threads", "2", "--set",
                       "data.seq_len=512", "--set", "train.batch=64", "--out", out.path()},
                      &status, err, rlim_t(1) << 30);
    QFile f(err);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QCOMPARE(status, 1);
    QVERIFY2(text.contains("ran out of memory while building the experiment for seed 1") &&
                 text.contains("Lower the batch size"),
             qPrintable(text));
    QVERIFY2(!text.contains("std::bad_alloc"), qPrintable(text));
  }
};

QTEST_GUILESS_MAIN(TestMemoryEstimate)
#include "test_memory_estimate.moc"

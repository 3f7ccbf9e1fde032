#include "app/commands/export_command.h"

#include <omp.h>

#include <QDir>
#include <QTextStream>

#include "app/files/weights_export.h"
#include "app/presets/presets.h"
#include "engine/core/input_error.h"

namespace attent::app {

namespace {

const char* kUsage =
    "usage: attent-studio export --preset P [--data FILE] [--steps N] [--seed S] [--batch B]\n"
    "                            [--set key=value]... [--threads N] --out DIR\n";

int usageError(const QString& message) {
  QTextStream(stderr) << "attent-studio export: " << message << "\n" << kUsage;
  return 2;
}

}  // namespace

int exportCommand(const QStringList& args) {
  QString presetName, data, out;
  long steps = 0, seed = 1;
  int batch = 32, threads = 0;
  std::vector<std::string> sets;
  for (int i = 0; i < args.size(); ++i) {
    const QString a = args[i];
    QString v;
    auto value = [&](QString& to) {
      if (i + 1 >= args.size()) return false;
      to = args[++i];
      return true;
    };
    auto integer = [&](long& to, long min, long max) {
      bool ok = false;
      if (!value(v)) return false;
      to = v.toLong(&ok);
      return ok && to >= min && to <= max;
    };
    long n = 0;
    if (a == "--help" || a == "-h") {
      QTextStream(stdout) << kUsage;
      return 0;
    } else if (a == "--preset") {
      if (!value(presetName)) return usageError("--preset needs a name or a file");
    } else if (a == "--data") {
      if (!value(data)) return usageError("--data needs a file");
    } else if (a == "--out") {
      if (!value(out)) return usageError("--out needs a directory");
    } else if (a == "--steps") {
      if (!integer(steps, 0, 100000000)) return usageError("--steps needs an integer >= 0, got '" + v + "'");
    } else if (a == "--seed") {
      if (!integer(seed, 0, 2147483647))
        return usageError("--seed needs a non-negative integer, got '" + v + "'");
    } else if (a == "--batch") {
      if (!integer(n, 1, 4096)) return usageError("--batch needs an integer in [1, 4096], got '" + v + "'");
      batch = int(n);
    } else if (a == "--threads") {
      if (!integer(n, 1, 256)) return usageError("--threads needs an integer in [1, 256], got '" + v + "'");
      threads = int(n);
    } else if (a == "--set") {
      if (!value(v)) return usageError("--set needs key=value");
      sets.push_back(v.toStdString());
    } else {
      return usageError("unknown argument '" + a + "'");
    }
  }
  if (presetName.isEmpty()) return usageError("--preset is required");
  if (out.isEmpty()) return usageError("--out is required");

  Preset preset;
  Settings settings;
  try {
    preset = loadPreset(presetName);
    settings = presetSettings(preset);
  } catch (const std::exception& e) {
    QTextStream(stderr) << "attent-studio export: " << e.what() << "\n";
    return 2;
  }
  for (const auto& assignment : sets)
    if (auto err = settings.setAssignment(assignment))
      return usageError("--set " + QString::fromStdString(assignment) + ": " + QString::fromStdString(*err));
  // --steps 0 exports the initial weights; the experiment itself needs at least one step.
  if (steps > 0)
    if (auto err = settings.set("experiment.steps", std::to_string(steps)))
      return usageError("--steps: " + QString::fromStdString(*err));
  if (!data.isEmpty()) {
    if (!settings.has("data.path"))
      return usageError("preset '" + QString::fromStdString(preset.name) +
                        "' does not read a data file (--data)");
    if (auto err = settings.set("data.path", data.toStdString()))
      return usageError("--data: " + QString::fromStdString(*err));
  }
  if (threads > 0) omp_set_num_threads(threads);

  const ExperimentSource source{preset.kind, preset.name, std::uint64_t(seed)};
  try {
    auto e = buildExperiment(preset.kind, settings, source.seed);
    const long target = args.contains("--steps") && steps == 0 ? 0 : e->totalSteps();
    while (e->currentStep() < target) e->step();
    exportWeights(*e, source, out, WeightsExportOptions{batch});
    QTextStream(stdout) << "exported " << e->runCount() << " runs of " << QString::fromStdString(preset.name)
                        << " after " << e->currentStep() << " steps to "
                        << QDir(out).filePath("manifest.json") << "\n";
  } catch (const std::exception& ex) {
    QTextStream(stderr) << "attent-studio export: " << ex.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace attent::app

#include "app/commands/export_command.h"

#include <omp.h>

#include <QDir>
#include <QTextStream>
#include <map>
#include <optional>

#include "app/commands/preset_overrides.h"
#include "app/commands/subcommand.h"
#include "app/files/failure.h"
#include "app/files/weights_export.h"
#include "app/presets/presets.h"
#include "engine/core/input_error.h"
#include "engine/teach/memory_estimate.h"

namespace attent::app {

namespace {

const char* kUsage =
    "usage: attent-studio export --preset P [--data FILE] [--steps N | --epochs N] [--seed S] [--batch B]\n"
    "                            [--set key=value]... [--threads N] --out DIR\n";

struct Options : PresetOverrides {
  QString out;
  bool initialWeights = false;  // --steps 0: export before any training
  long seed = 1;
  int batch = 32, threads = 0;
};

// The command line into `o`; nullopt when the export should go ahead, else the exit status.
std::optional<int> parseOptions(Subcommand& cli, const QStringList& args, Options& o) {
  cli.option("preset", "--preset needs a name or a file");
  cli.option("data", "--data needs a file");
  cli.option("out", "--out needs a directory");
  cli.option("steps", "--steps needs an integer >= 0");
  cli.option("epochs", "--epochs needs an integer >= 2");
  cli.option("seed", "--seed needs a non-negative integer");
  cli.option("batch", "--batch needs an integer in [1, 4096]");
  cli.option("threads", "--threads needs an integer in [1, 256]");
  cli.option("set", "--set needs key=value");
  if (auto status = cli.parse(args)) return status;
  // Each numeric option: its range and the message naming it.
  struct Number {
    const char* name;
    long min, max;
    const char* needs;
  };
  std::map<QString, long> numbers;
  for (const Number& n : {Number{"steps", 0, 100000000, "an integer >= 0"},
                          Number{"epochs", 2, 100000, "an integer in [2, 100000]"},
                          Number{"seed", 0, 2147483647, "a non-negative integer"},
                          Number{"batch", 1, 4096, "an integer in [1, 4096]"},
                          Number{"threads", 1, 256, "an integer in [1, 256]"}}) {
    if (!cli.isSet(n.name)) continue;
    const auto v = integerIn(cli.value(n.name), n.min, n.max);
    if (!v)
      return cli.usageError(
          QStringLiteral("--%1 needs %2, got '%3'").arg(n.name, n.needs, cli.value(n.name)));
    numbers[n.name] = *v;
  }
  o.preset = cli.value("preset");
  o.data = cli.value("data");
  o.out = cli.value("out");
  if (numbers.count("steps")) {
    o.steps = numbers["steps"];
    o.initialWeights = o.steps == 0;
  }
  if (numbers.count("epochs")) o.epochs = numbers["epochs"];
  if (numbers.count("seed")) o.seed = numbers["seed"];
  if (numbers.count("batch")) o.batch = int(numbers["batch"]);
  if (numbers.count("threads")) o.threads = int(numbers["threads"]);
  for (const QString& v : cli.values("set")) o.sets.push_back(v.toStdString());
  if (o.preset.isEmpty()) return cli.usageError("--preset is required");
  if (o.out.isEmpty()) return cli.usageError("--out is required");
  return std::nullopt;
}

}  // namespace

int exportCommand(const QStringList& args) {
  Subcommand cli("attent-studio export", kUsage);
  Options o;
  if (auto status = parseOptions(cli, args, o)) return *status;
  Preset preset;
  Settings settings;
  if (auto status = loadPresetWithOverrides(cli, "attent-studio export", o, preset, settings)) return *status;
  if (o.threads > 0) omp_set_num_threads(o.threads);

  const ExperimentSource source{preset.kind, preset.name, std::uint64_t(o.seed), "", ""};
  try {  // combinations that cannot work, then memory: before anything is built
    checkExperimentSettings(preset.kind, settings);
    refuseIfTooLarge(preset.kind, settings);
  } catch (const std::exception& ex) {
    QTextStream(stderr) << "attent-studio export: " << ex.what() << "\n";
    return 2;
  }
  std::unique_ptr<Experiment> e;
  try {
    e = buildExperiment(preset.kind, settings, source.seed);
    const long target = o.initialWeights ? 0 : e->totalSteps();
    while (e->currentStep() < target) e->step();
    exportWeights(*e, source, o.out, WeightsExportOptions{o.batch});
    QTextStream(stdout) << "exported " << e->runCount() << " runs of " << QString::fromStdString(preset.name)
                        << " after " << e->currentStep() << " steps to "
                        << QDir(o.out).filePath("manifest.json") << "\n";
  } catch (const std::exception& ex) {
    const std::string doing =
        !e ? "building the experiment"
           : "training and exporting it (step " + std::to_string(e->currentStep()) + ")";
    QTextStream(stderr) << "attent-studio export: " << QString::fromStdString(describeFailure(ex, doing))
                        << "\n";
    return 1;
  }
  return 0;
}

}  // namespace attent::app

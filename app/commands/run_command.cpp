#include "app/commands/run_command.h"

#include <omp.h>
#include <unistd.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "app/commands/claims_output.h"
#include "app/commands/preset_overrides.h"
#include "app/commands/run_report.h"
#include "app/commands/shard.h"
#include "app/commands/subcommand.h"
#include "app/files/atomic_write.h"
#include "app/files/failure.h"
#include "app/files/metrics_export.h"
#include "app/presets/presets.h"
#include "engine/core/input_error.h"
#include "engine/teach/epoch_verdict.h"
#include "engine/teach/experiment.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/memory_estimate.h"
#include "engine/teach/seed_run.h"
#include "engine/teach/time_to_target.h"

namespace attent::app {

namespace {

const char* kUsage =
    "usage: attent-studio run --preset P [--data FILE] [--steps N | --epochs N] [--seeds 1,2,3]\n"
    "                         [--set key=value]... [--threads N] [--out DIR] [--shard I/N]\n";

struct Options : PresetOverrides {
  QString out;
  std::vector<long> seeds;
  int threads = 0;
  std::optional<Shard> shard;
  std::vector<long> allSeeds;  // the whole list when sharded; `seeds` is then this shard's slice
};

// "[#####.....]  45%  seed 1  step 450/1000", redrawn in place at most ~10 times a second
// on a terminal; into a file or pipe, one line per 10%.
class Progress {
 public:
  explicit Progress(long total) : total_(std::max(1L, total)), tty_(isatty(fileno(stderr))) {}
  void setTotal(long total) { total_ = std::max(1L, total); }
  void show(long done, long seed, long step, long steps, bool force = false) {
    const int percent = int(100 * done / total_);
    if (!tty_) {
      if (percent / 10 == lastTenth_) return;
      lastTenth_ = percent / 10;
      std::fprintf(stderr, "%3d%%  seed %ld  step %ld/%ld\n", percent, seed, step, steps);
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const int width = 30, filled = int(width * done / total_);
    std::fprintf(stderr, "\r[%s%s] %3d%%  seed %ld  step %ld/%ld", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), percent, seed, step, steps);
    std::fflush(stderr);
  }
  void finish() {
    if (tty_) std::fprintf(stderr, "\n");
  }

 private:
  long total_;
  bool tty_;
  int lastTenth_ = -1;
  std::chrono::steady_clock::time_point last_{};
};

// "1,2,3", "1-10" or both ("1-3,7") into `seeds`; false on anything else.
bool parseSeeds(const QString& text, std::vector<long>& seeds) {
  for (const QString& part : text.split(',')) {
    const QStringList ends = part.trimmed().split('-');
    bool okFirst = false, okLast = true;
    const long first = ends.value(0).toLong(&okFirst);
    const long last = ends.size() == 2 ? ends[1].toLong(&okLast) : first;
    if (!okFirst || !okLast || ends.size() > 2 || first < 0 || last < first || last - first > 100000)
      return false;
    for (long s = first; s <= last; ++s) seeds.push_back(s);
  }
  return true;
}

// The command line into `o`; nullopt when training should go ahead, else the exit status.
std::optional<int> parseOptions(Subcommand& cli, const QStringList& args, Options& o) {
  cli.option("preset", "--preset needs a name or a file");
  cli.option("data", "--data needs a file");
  cli.option("out", "--out needs a directory");
  cli.option("steps", "--steps needs a positive integer");
  cli.option("epochs", "--epochs needs an integer >= 2");
  cli.option("threads", "--threads needs an integer in [1, 256]");
  cli.option("seeds", "--seeds needs a list like 1,2,3 or a range like 1-10");
  cli.option("set", "--set needs key=value");
  cli.option("shard", "--shard needs I/N, e.g. 2/4");
  if (auto status = cli.parse(args)) return status;
  o.preset = cli.value("preset");
  o.data = cli.value("data");
  o.out = cli.value("out");
  if (cli.isSet("steps")) {
    const auto n = integerIn(cli.value("steps"), 1, LONG_MAX);
    if (!n) return cli.usageError("--steps needs a positive integer, got '" + cli.value("steps") + "'");
    o.steps = *n;
  }
  if (cli.isSet("epochs")) {
    const auto n = integerIn(cli.value("epochs"), 2, 100000);
    if (!n)
      return cli.usageError("--epochs needs an integer in [2, 100000], got '" + cli.value("epochs") + "'");
    o.epochs = *n;
  }
  if (cli.isSet("threads")) {
    const auto n = integerIn(cli.value("threads"), 1, 256);
    if (!n)
      return cli.usageError("--threads needs an integer in [1, 256], got '" + cli.value("threads") + "'");
    o.threads = int(*n);
  }
  for (const QString& v : cli.values("seeds"))
    if (!parseSeeds(v, o.seeds))
      return cli.usageError("--seeds needs non-negative integers like 1,2,3 or ranges like 1-10, got '" + v +
                            "'");
  for (const QString& v : cli.values("set")) o.sets.push_back(v.toStdString());
  if (o.preset.isEmpty()) return cli.usageError("--preset is required");
  if (o.seeds.empty()) o.seeds.push_back(1);
  o.allSeeds = o.seeds;
  if (cli.isSet("shard")) {
    std::string error;
    o.shard = parseShard(cli.value("shard").toStdString(), o.seeds.size(), error);
    if (!o.shard) return cli.usageError("--shard: " + QString::fromStdString(error));
    o.seeds = o.shard->slice(o.allSeeds);
  }
  return std::nullopt;
}

// Trains every seed into `report`; nullopt when all finished, else the exit status.
std::optional<int> train(const Preset& preset, const Settings& settings, const std::vector<long>& seeds,
                         RunReport& report, ClaimsReport& claims) {
  try {  // combinations that cannot work, then memory: before anything is built
    checkExperimentSettings(preset.kind, settings);
    refuseIfTooLarge(preset.kind, settings);
  } catch (const std::exception& ex) {
    QTextStream(stderr) << "attent-studio run: " << ex.what() << "\n";
    return 2;
  }
  Progress progress(report.steps * long(seeds.size()));
  for (std::size_t si = 0; si < seeds.size(); ++si) {
    const long seed = seeds[si];
    long at = -1;  // the step trained so far; -1 while building
    std::unique_ptr<Experiment> e;
    try {
      const SeedBuilder build = [&](std::uint64_t s) { return buildExperiment(preset.kind, settings, s); };
      e = trainSeed(build, std::uint64_t(seed), [&](const Experiment& x) {
        const long steps = report.steps = x.totalSteps();
        at = x.currentStep();
        if (at == 0) progress.setTotal(steps * long(seeds.size()));
        progress.show(long(si) * steps + at, seed, at, steps, at == steps);
        return true;
      });
    } catch (const std::exception& ex) {
      // A bad data file or an impossible combination of settings is the user's input: 2.
      progress.finish();
      const std::string doing =
          at >= 0 ? "training seed " + std::to_string(seed) + " at step " + std::to_string(at + 1)
                  : "building the experiment for seed " + std::to_string(seed);
      QTextStream(stderr) << "attent-studio run: " << QString::fromStdString(describeFailure(ex, doing))
                          << "\n";
      return isBadInput(ex) ? 2 : 1;
    }
    report.add(*e, seed, epochProtocol(settings));
    claims.add(preset.kind, *e, seed);
  }
  progress.finish();
  return std::nullopt;
}

}  // namespace

int runCommand(const QStringList& args) {
  Subcommand cli("attent-studio run", kUsage);
  Options o;
  if (auto status = parseOptions(cli, args, o)) return *status;
  Preset preset;
  Settings settings;
  if (auto status = loadPresetWithOverrides(cli, "attent-studio run", o, preset, settings)) return *status;
  if (o.threads > 0) omp_set_num_threads(o.threads);
  if (o.out.isEmpty()) o.out = "attent-run-" + QString::fromStdString(preset.name);
  if (o.shard) o.out = QDir(o.out).filePath(QString::fromStdString(o.shard->folderName()));
  if (!QDir().mkpath(o.out)) {
    QTextStream(stderr) << "attent-studio run: cannot create directory " << o.out << "\n";
    return 1;
  }

  RunReport report;
  report.steps = settings.integer("experiment.steps");
  ClaimsReport claims;
  if (auto status = train(preset, settings, o.seeds, report, claims)) return *status;
  const QString csvPath = QDir(o.out).filePath("metrics.csv"),
                jsonPath = QDir(o.out).filePath("summary.json");
  QJsonObject summary = summaryJson(preset, settings, o.seeds, report);
  if (o.shard) summary["shard"] = shardJson(*o.shard, o.allSeeds);
  claims.putInto(summary);
  try {
    writeFileAtomically(csvPath, metricsCsvHeader() + report.csv);
    writeFileAtomically(QDir(o.out).filePath("diagnostics.csv"), claims.csv);
    writeFileAtomically(jsonPath, QJsonDocument(summary).toJson());
  } catch (const InputError& ex) {
    QTextStream(stderr) << "attent-studio run: " << ex.what() << "\n";
    return 1;
  }
  QTextStream so(stdout);
  so << reportText(reportHeader(preset, settings), o.seeds, report) << claims.table(int(o.seeds.size()));
  so << "wrote " << csvPath << ", " << QDir(o.out).filePath("diagnostics.csv") << " and " << jsonPath << "\n";
  return 0;
}

int presetsCommand(const QStringList& args) {
  Subcommand cli("attent-studio presets", "usage: attent-studio presets   (takes no arguments)\n");
  if (auto status = cli.parse(args)) return *status;
  QTextStream so(stdout);
  int status = 0;
  std::size_t width = 0;  // the longest name and two spaces: one column of names
  for (const auto& name : builtinPresetNames()) width = std::max(width, name.size() + 2);
  for (const auto& name : builtinPresetNames()) {
    try {
      const Preset p = loadPreset(QString::fromStdString(name));
      so << QString::fromStdString(p.name).leftJustified(int(width)) << QString::fromStdString(p.title)
         << "\n";
    } catch (const std::exception& e) {
      QTextStream(stderr) << e.what() << "\n";
      status = 1;
    }
  }
  return status;
}

}  // namespace attent::app

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

#include "app/commands/subcommand.h"
#include "app/files/atomic_write.h"
#include "app/files/metrics_export.h"
#include "app/presets/presets.h"
#include "engine/core/input_error.h"
#include "engine/teach/epoch_verdict.h"
#include "engine/teach/experiment.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/time_to_target.h"

namespace attent::app {

namespace {

const char* kUsage =
    "usage: attent-studio run --preset P [--data FILE] [--steps N] [--seeds 1,2,3] [--set key=value]...\n"
    "                         [--threads N] [--out DIR]\n";

struct Options {
  QString preset, data, out;
  long steps = 0;
  std::vector<long> seeds;
  std::vector<std::string> sets;
  int threads = 0;
};

QJsonValue jsonNumber(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

QJsonObject intervalJson(const Interval& i) {
  QJsonObject j;
  j["estimate"] = jsonNumber(i.estimate);
  j["low"] = jsonNumber(i.low);
  j["high"] = jsonNumber(i.high);
  return j;
}

// summary.json's "epoch_verdict" (docs/FORMATS.md).
QJsonObject epochVerdictJson(const EpochVerdict& v) {
  QJsonObject j;
  j["seeds"] = v.seeds;
  j["cpu_saving"] = intervalJson(v.cpuSaving);
  j["example_equivalent_saving"] = intervalJson(v.equivalentSaving);
  j["scored_example_cost"] = jsonNumber(v.scoreCost);
  j["accuracy_attent_minus_full"] = intervalJson(v.accuracyVsFull);
  j["accuracy_attent_minus_random_subset"] = intervalJson(v.accuracyVsRandom);
  j["accuracy_attent_minus_short_full"] = intervalJson(v.accuracyVsShort);
  j["loss_attent_minus_full"] = intervalJson(v.lossVsFull);
  j["loss_attent_minus_random_subset"] = intervalJson(v.lossVsRandom);
  j["loss_attent_minus_short_full"] = intervalJson(v.lossVsShort);
  j["verdict"] = QString::fromStdString(v.words);
  return j;
}

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
  cli.option("threads", "--threads needs an integer in [1, 256]");
  cli.option("seeds", "--seeds needs a list like 1,2,3 or a range like 1-10");
  cli.option("set", "--set needs key=value");
  if (auto status = cli.parse(args)) return status;
  o.preset = cli.value("preset");
  o.data = cli.value("data");
  o.out = cli.value("out");
  if (cli.isSet("steps")) {
    const auto n = integerIn(cli.value("steps"), 1, LONG_MAX);
    if (!n) return cli.usageError("--steps needs a positive integer, got '" + cli.value("steps") + "'");
    o.steps = *n;
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
  return std::nullopt;
}

// The preset with --set, --steps and --data applied; nullopt when they all hold, else 2.
std::optional<int> loadSettings(const Subcommand& cli, const Options& o, Preset& preset, Settings& settings) {
  try {
    preset = loadPreset(o.preset);
    settings = presetSettings(preset);
  } catch (const std::exception& e) {
    QTextStream(stderr) << "attent-studio run: " << e.what() << "\n";
    return 2;
  }
  for (const auto& assignment : o.sets)
    if (auto err = settings.setAssignment(assignment)) {
      QTextStream(stderr) << "attent-studio run: --set " << QString::fromStdString(assignment) << ": "
                          << QString::fromStdString(*err) << "\n";
      if (err->find("valid settings") == std::string::npos)
        QTextStream(stderr) << "valid settings:\n" << QString::fromStdString(settings.describe());
      return 2;
    }
  if (o.steps > 0)
    if (auto err = settings.set("experiment.steps", std::to_string(o.steps)))
      return cli.usageError("--steps: " + QString::fromStdString(*err));
  if (!o.data.isEmpty()) {
    if (!settings.has("data.path"))
      return cli.usageError("preset '" + QString::fromStdString(preset.name) +
                            "' does not read a data file (--data)");
    if (auto err = settings.set("data.path", o.data.toStdString()))
      return cli.usageError("--data: " + QString::fromStdString(*err));
  }
  return std::nullopt;
}

QJsonObject runJson(const RunSummary& s, const QString& name, long seed) {
  QJsonObject j;
  j["name"] = name;
  j["seed"] = double(seed);
  j["final_eval_loss"] = jsonNumber(s.finalEvalLoss);
  j["final_eval_accuracy"] = jsonNumber(s.finalEvalAccuracy);
  j["target_eval_loss"] = s.targetEvalLoss ? jsonNumber(*s.targetEvalLoss) : QJsonValue();
  j["steps_to_target"] = s.toTarget.steps ? QJsonValue(double(*s.toTarget.steps)) : QJsonValue();
  j["seconds_to_target"] = s.toTarget.seconds ? jsonNumber(*s.toTarget.seconds) : QJsonValue();
  j["time_reduction"] = s.timeReduction ? jsonNumber(*s.timeReduction) : QJsonValue();
  j["diverged_at"] = s.divergedAt ? QJsonValue(double(*s.divergedAt)) : QJsonValue();
  j["compute_seconds"] = s.computeSeconds;
  return j;
}

QString tableRow(const RunSummary& s, const QString& name, long seed) {
  auto cell = [](double v, int prec) {
    return std::isfinite(v) ? QString::number(v, 'f', prec) : QString("-");
  };
  return QString("%1  %2  %3  %4  %5  %6  %7  %8\n")
      .arg(seed, 4)
      .arg(name, -16)
      .arg(cell(s.finalEvalLoss, 4), 9)
      .arg(cell(s.finalEvalAccuracy, 4), 8)
      .arg(s.toTarget.steps   ? QString::number(*s.toTarget.steps)
           : s.targetEvalLoss ? QString("never")
                              : QString("-"),
           8)
      .arg(s.toTarget.seconds ? cell(*s.toTarget.seconds, 2) : QString("-"), 8)
      .arg(s.timeReduction ? QString::number(100 * *s.timeReduction, 'f', 1) + "%" : QString("-"), 9)
      .arg(s.divergedAt ? "at " + QString::number(*s.divergedAt) : QString("-"));
}

// What the seeds add up to: metrics.csv, summary.json's runs, the table and the medians.
struct Report {
  long steps = 0;  // the experiment's own count once built
  QByteArray csv = metricsCsvHeader();
  QJsonArray runs;
  std::map<std::string, std::vector<double>> reductions;  // per non-baseline run name
  std::vector<std::string> order;                         // run names, first seen first
  bool anyBaseline = false;
  QString baselineName;
  QString table;
  std::vector<SeedOutcome> epochSeeds;  // the epoch-budget protocol's arms per seed

  void add(const Experiment& e, long seed, bool epochs) {
    if (epochs) epochSeeds.push_back(epochOutcome(e, seed));
    const auto summary = summarize(e);
    const int baseline = e.baselineRun();
    anyBaseline = anyBaseline || baseline >= 0;
    if (baseline >= 0) baselineName = QString::fromStdString(e.runName(baseline));
    csv += metricsCsvRows(e, seed);
    for (int r = 0; r < e.runCount(); ++r) {
      const QString name = QString::fromStdString(e.runName(r));
      const RunSummary& s = summary[r];
      runs.append(runJson(s, name, seed));
      if (std::find(order.begin(), order.end(), s.name) == order.end()) order.push_back(s.name);
      if (r != baseline && baseline >= 0)
        reductions[s.name].push_back(s.timeReduction ? *s.timeReduction : NAN);
      table += tableRow(s, name, seed);
    }
  }
};

// Trains every seed into `report`; nullopt when all finished, else the exit status.
std::optional<int> train(const Preset& preset, const Settings& settings, const std::vector<long>& seeds,
                         Report& report) {
  Progress progress(report.steps * long(seeds.size()));
  for (std::size_t si = 0; si < seeds.size(); ++si) {
    const long seed = seeds[si];
    std::unique_ptr<Experiment> e;
    try {
      e = buildExperiment(preset.kind, settings, std::uint64_t(seed));
      const long steps = report.steps = e->totalSteps();
      progress.setTotal(steps * long(seeds.size()));
      while (!e->finished()) {
        e->step();
        progress.show(long(si) * steps + e->currentStep(), seed, e->currentStep(), steps);
      }
      progress.show(long(si + 1) * steps, seed, steps, steps, true);
    } catch (const std::exception& ex) {
      // A bad data file or an impossible combination of settings is the user's input: 2.
      const bool badInput = dynamic_cast<const InputError*>(&ex) || dynamic_cast<const SettingsError*>(&ex);
      progress.finish();
      QTextStream(stderr) << "attent-studio run: " << ex.what() << "\n";
      return badInput ? 2 : 1;
    }
    report.add(*e, seed, epochProtocol(settings));
  }
  progress.finish();
  return std::nullopt;
}

// The median time reduction per run name, for summary.json and the line under the table.
// A run that never reached the target counts as no reduction at all (-inf); the median is
// null when half or more of the seeds never got there.
QJsonObject medianReductions(const Report& report, QString& line) {
  QJsonObject medians;
  for (const auto& name : report.order) {
    auto it = report.reductions.find(name);
    if (it == report.reductions.end()) continue;
    std::vector<double> v;
    for (double x : it->second) v.push_back(std::isnan(x) ? -INFINITY : x);
    const double m = median(v);
    medians[QString::fromStdString(name)] = jsonNumber(m);
    line += QString("  %1 %2").arg(QString::fromStdString(name),
                                   std::isfinite(m) ? QString::number(100 * m, 'f', 1) + "%" : "n/a");
  }
  return medians;
}

QJsonObject summaryJson(const Preset& preset, const Settings& settings, const Options& o,
                        const Report& report, const QJsonObject& medians,
                        const std::optional<EpochVerdict>& verdict) {
  QJsonObject root;
  root["preset"] = QString::fromStdString(preset.name);
  root["kind"] = QString::fromStdString(preset.kind);
  root["steps"] = double(report.steps);
  QJsonArray seeds;
  for (long s : o.seeds) seeds.append(double(s));
  root["seeds"] = seeds;
  root["runs"] = report.runs;
  root["median_time_reduction"] = medians;
  if (verdict) root["epoch_verdict"] = epochVerdictJson(*verdict);
  QJsonObject settingsJson;
  for (const auto& [k, v] : settings.values())
    settingsJson[QString::fromStdString(k)] = QString::fromStdString(v);
  root["settings"] = settingsJson;
  return root;
}

void printTable(const Preset& preset, const Settings& settings, const Options& o, const Report& report,
                const QString& medianLine) {
  QTextStream so(stdout);
  so << QString::fromStdString(preset.name) << ": " << QString::fromStdString(preset.title) << "\n";
  so << report.steps << " steps, seeds";
  for (long s : o.seeds) so << " " << s;
  so << "; target = "
     << (settings.real("experiment.target_loss") > 0 ? QString("experiment.target_loss")
         : report.anyBaseline
             ? "the baseline run's (" + report.baselineName + ") final eval loss"
             : QString("none (no baseline run; --set experiment.compare=true adds an AtteNT-vs-random pair)"))
     << "\n";
  so << QString("%1  %2  %3  %4  %5  %6  %7  %8\n")
            .arg("seed", 4)
            .arg("run", -16)
            .arg("eval_loss", 9)
            .arg("accuracy", 8)
            .arg("steps_to", 8)
            .arg("secs_to", 8)
            .arg("reduction", 9)
            .arg("diverged");
  so << report.table;
  if (!medianLine.isEmpty()) so << "median time reduction:" << medianLine << "\n";
}

}  // namespace

int runCommand(const QStringList& args) {
  Subcommand cli("attent-studio run", kUsage);
  Options o;
  if (auto status = parseOptions(cli, args, o)) return *status;
  Preset preset;
  Settings settings;
  if (auto status = loadSettings(cli, o, preset, settings)) return *status;
  if (o.threads > 0) omp_set_num_threads(o.threads);
  if (o.out.isEmpty()) o.out = "attent-run-" + QString::fromStdString(preset.name);
  if (!QDir().mkpath(o.out)) {
    QTextStream(stderr) << "attent-studio run: cannot create directory " << o.out << "\n";
    return 1;
  }

  Report report;
  report.steps = settings.integer("experiment.steps");
  if (auto status = train(preset, settings, o.seeds, report)) return *status;
  QString medianLine;
  const QJsonObject medians = medianReductions(report, medianLine);
  std::optional<EpochVerdict> verdict;
  if (!report.epochSeeds.empty()) verdict = epochVerdict(report.epochSeeds);
  const QString csvPath = QDir(o.out).filePath("metrics.csv"),
                jsonPath = QDir(o.out).filePath("summary.json");
  try {
    writeFileAtomically(csvPath, report.csv);
    writeFileAtomically(jsonPath,
                        QJsonDocument(summaryJson(preset, settings, o, report, medians, verdict)).toJson());
  } catch (const InputError& ex) {
    QTextStream(stderr) << "attent-studio run: " << ex.what() << "\n";
    return 1;
  }
  printTable(preset, settings, o, report, medianLine);
  QTextStream so(stdout);
  if (verdict) so << QString::fromStdString(formatEpochVerdict(*verdict, report.epochSeeds));
  so << "wrote " << csvPath << " and " << jsonPath << "\n";
  return 0;
}

int presetsCommand(const QStringList& args) {
  Subcommand cli("attent-studio presets", "usage: attent-studio presets   (takes no arguments)\n");
  if (auto status = cli.parse(args)) return *status;
  QTextStream so(stdout);
  int status = 0;
  for (const auto& name : builtinPresetNames()) {
    try {
      const Preset p = loadPreset(QString::fromStdString(name));
      so << QString::fromStdString(p.name).leftJustified(18) << QString::fromStdString(p.title) << "\n";
    } catch (const std::exception& e) {
      QTextStream(stderr) << e.what() << "\n";
      status = 1;
    }
  }
  return status;
}

}  // namespace attent::app

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
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

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

int usageError(const QString& message) {
  QTextStream(stderr) << "attent-studio run: " << message << "\n" << kUsage;
  return 2;
}

QJsonValue jsonNumber(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// "[#####.....]  45%  seed 1  step 450/1000", redrawn in place at most ~10 times a second
// on a terminal; into a file or pipe, one line per 10%.
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

class Progress {
 public:
  explicit Progress(long total) : total_(std::max(1L, total)), tty_(isatty(fileno(stderr))) {}
  void setTotal(long total) { total_ = std::max(1L, total); }
  void show(long done, long seed, long step, long steps, bool force = false) {
    const int percent = int(100 * done / total_);
    if (!tty_) {
      if (percent / 10 == lastTenth_ && !force) return;
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

}  // namespace

int runCommand(const QStringList& args) {
  Options o;
  for (int i = 0; i < args.size(); ++i) {
    const QString a = args[i];
    auto value = [&](QString& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    QString v;
    if (a == "--help" || a == "-h") {
      QTextStream(stdout) << kUsage;
      return 0;
    } else if (a == "--preset") {
      if (!value(o.preset)) return usageError("--preset needs a name or a file");
    } else if (a == "--data") {
      if (!value(o.data)) return usageError("--data needs a file");
    } else if (a == "--out") {
      if (!value(o.out)) return usageError("--out needs a directory");
    } else if (a == "--steps") {
      bool ok = false;
      if (!value(v) || (o.steps = v.toLong(&ok), !ok) || o.steps < 1)
        return usageError("--steps needs a positive integer, got '" + v + "'");
    } else if (a == "--threads") {
      bool ok = false;
      if (!value(v) || (o.threads = v.toInt(&ok), !ok) || o.threads < 1 || o.threads > 256)
        return usageError("--threads needs an integer in [1, 256], got '" + v + "'");
    } else if (a == "--seeds") {
      if (!value(v)) return usageError("--seeds needs a list like 1,2,3 or a range like 1-10");
      for (const QString& part : v.split(',')) {
        const QStringList ends = part.trimmed().split('-');
        bool okFirst = false, okLast = true;
        const long first = ends.value(0).toLong(&okFirst);
        const long last = ends.size() == 2 ? ends[1].toLong(&okLast) : first;
        if (!okFirst || !okLast || ends.size() > 2 || first < 0 || last < first || last - first > 100000)
          return usageError("--seeds needs non-negative integers like 1,2,3 or ranges like 1-10, got '" + v +
                            "'");
        for (long s = first; s <= last; ++s) o.seeds.push_back(s);
      }
    } else if (a == "--set") {
      if (!value(v)) return usageError("--set needs key=value");
      o.sets.push_back(v.toStdString());
    } else {
      return usageError("unknown argument '" + a + "'");
    }
  }
  if (o.preset.isEmpty()) return usageError("--preset is required");
  if (o.seeds.empty()) o.seeds.push_back(1);

  Preset preset;
  Settings settings;
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
      return usageError("--steps: " + QString::fromStdString(*err));
  if (!o.data.isEmpty()) {
    if (!settings.has("data.path"))
      return usageError("preset '" + QString::fromStdString(preset.name) +
                        "' does not read a data file (--data)");
    if (auto err = settings.set("data.path", o.data.toStdString()))
      return usageError("--data: " + QString::fromStdString(*err));
  }
  if (o.threads > 0) omp_set_num_threads(o.threads);
  if (o.out.isEmpty()) o.out = "attent-run-" + QString::fromStdString(preset.name);
  if (!QDir().mkpath(o.out)) {
    QTextStream(stderr) << "attent-studio run: cannot create directory " << o.out << "\n";
    return 1;
  }

  long steps = settings.integer("experiment.steps");  // the experiment's own count once built
  std::vector<SeedOutcome> epochSeeds;                // the epoch-budget protocol's arms per seed
  QByteArray csv = metricsCsvHeader();
  QJsonArray runsJson;
  std::map<std::string, std::vector<double>> reductions;  // per non-baseline run name
  std::vector<std::string> order;
  bool anyBaseline = false;
  QString baselineName;
  QString table;
  QTextStream out(&table);
  Progress progress(steps * long(o.seeds.size()));
  for (std::size_t si = 0; si < o.seeds.size(); ++si) {
    const long seed = o.seeds[si];
    std::unique_ptr<Experiment> e;
    try {
      e = buildExperiment(preset.kind, settings, std::uint64_t(seed));
      steps = e->totalSteps();
      progress.setTotal(steps * long(o.seeds.size()));
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
    if (epochProtocol(settings)) epochSeeds.push_back(epochOutcome(*e, seed));
    const auto summary = summarize(*e);
    anyBaseline = anyBaseline || e->baselineRun() >= 0;
    if (e->baselineRun() >= 0) baselineName = QString::fromStdString(e->runName(e->baselineRun()));
    csv += metricsCsvRows(*e, seed);
    for (int r = 0; r < e->runCount(); ++r) {
      const QString name = QString::fromStdString(e->runName(r));
      const RunSummary& s = summary[r];
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
      runsJson.append(j);
      if (std::find(order.begin(), order.end(), s.name) == order.end()) order.push_back(s.name);
      if (r != e->baselineRun() && e->baselineRun() >= 0)
        reductions[s.name].push_back(s.timeReduction ? *s.timeReduction : NAN);
      auto cell = [](double v, int prec) {
        return std::isfinite(v) ? QString::number(v, 'f', prec) : QString("-");
      };
      out << QString("%1  %2  %3  %4  %5  %6  %7  %8\n")
                 .arg(seed, 4)
                 .arg(name, -16)
                 .arg(cell(s.finalEvalLoss, 4), 9)
                 .arg(cell(s.finalEvalAccuracy, 4), 8)
                 .arg(s.toTarget.steps   ? QString::number(*s.toTarget.steps)
                      : s.targetEvalLoss ? QString("never")
                                         : QString("-"),
                      8)
                 .arg(s.toTarget.seconds ? cell(*s.toTarget.seconds, 2) : QString("-"), 8)
                 .arg(s.timeReduction ? QString::number(100 * *s.timeReduction, 'f', 1) + "%" : QString("-"),
                      9)
                 .arg(s.divergedAt ? "at " + QString::number(*s.divergedAt) : QString("-"));
    }
  }
  progress.finish();

  QJsonObject medians;
  QString medianLine;
  for (const auto& name : order) {
    auto it = reductions.find(name);
    if (it == reductions.end()) continue;
    // A run that never reached the target counts as no reduction at all (-inf); the median
    // is null when half or more of the seeds never got there.
    std::vector<double> v;
    for (double x : it->second) v.push_back(std::isnan(x) ? -INFINITY : x);
    const double m = median(v);
    medians[QString::fromStdString(name)] = jsonNumber(m);
    medianLine += QString("  %1 %2").arg(QString::fromStdString(name),
                                         std::isfinite(m) ? QString::number(100 * m, 'f', 1) + "%" : "n/a");
  }
  QJsonObject root;
  root["preset"] = QString::fromStdString(preset.name);
  root["kind"] = QString::fromStdString(preset.kind);
  root["steps"] = double(steps);
  QJsonArray seeds;
  for (long s : o.seeds) seeds.append(double(s));
  root["seeds"] = seeds;
  root["runs"] = runsJson;
  root["median_time_reduction"] = medians;
  std::optional<EpochVerdict> verdict;
  if (!epochSeeds.empty()) {
    verdict = epochVerdict(epochSeeds);
    root["epoch_verdict"] = epochVerdictJson(*verdict);
  }
  QJsonObject settingsJson;
  for (const auto& [k, v] : settings.values())
    settingsJson[QString::fromStdString(k)] = QString::fromStdString(v);
  root["settings"] = settingsJson;

  try {
    writeFileAtomically(QDir(o.out).filePath("metrics.csv"), csv);
    writeFileAtomically(QDir(o.out).filePath("summary.json"), QJsonDocument(root).toJson());
  } catch (const InputError& ex) {
    QTextStream(stderr) << "attent-studio run: " << ex.what() << "\n";
    return 1;
  }
  QTextStream so(stdout);
  so << QString::fromStdString(preset.name) << ": " << QString::fromStdString(preset.title) << "\n";
  so << steps << " steps, seeds";
  for (long s : o.seeds) so << " " << s;
  so << "; target = "
     << (settings.real("experiment.target_loss") > 0 ? QString("experiment.target_loss")
         : anyBaseline
             ? "the baseline run's (" + baselineName + ") final eval loss"
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
  so << table;
  if (!medianLine.isEmpty()) so << "median time reduction:" << medianLine << "\n";
  if (verdict) so << QString::fromStdString(formatEpochVerdict(*verdict, epochSeeds));
  so << "wrote " << QDir(o.out).filePath("metrics.csv") << " and " << QDir(o.out).filePath("summary.json")
     << "\n";
  return 0;
}

int presetsCommand(const QStringList& args) {
  if (!args.isEmpty() && args[0] != "--help") {
    QTextStream(stderr) << "attent-studio presets: takes no arguments\n";
    return 2;
  }
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

#include "app/commands/run_report.h"

#include <QTextStream>
#include <algorithm>
#include <cmath>

#include "app/files/metrics_export.h"
#include "engine/teach/time_to_target.h"

namespace attent::app {

namespace {

QJsonValue jsonNumber(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }
double numberOr(const QJsonValue& v, double fallback) { return v.isDouble() ? v.toDouble() : fallback; }

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

// summary.json's "epoch_seeds": what each arm of each seed spent and reached, so that shards
// can be collected into one verdict.
QJsonArray epochSeedsJson(const std::vector<SeedOutcome>& seeds) {
  QJsonArray out;
  for (const SeedOutcome& s : seeds) {
    QJsonArray arms;
    for (const ArmOutcome& a : s.arms) {
      QJsonObject j;
      j["name"] = QString::fromStdString(a.name);
      j["cpu_seconds"] = a.cpuSeconds;
      j["trained_examples"] = double(a.trainedExamples);
      j["scored_examples"] = double(a.scoredExamples);
      j["scoring_seconds"] = a.scoringSeconds;
      j["final_eval_loss"] = jsonNumber(a.finalEvalLoss);
      j["final_eval_accuracy"] = jsonNumber(a.finalEvalAccuracy);
      arms.append(j);
    }
    out.append(QJsonObject{{"seed", double(s.seed)}, {"arms", arms}});
  }
  return out;
}

SeedOutcome seedOutcomeFromJson(const QJsonObject& j) {
  SeedOutcome s;
  s.seed = long(j["seed"].toDouble());
  for (const QJsonValue& v : j["arms"].toArray()) {
    const QJsonObject a = v.toObject();
    ArmOutcome arm;
    arm.name = a["name"].toString().toStdString();
    arm.cpuSeconds = a["cpu_seconds"].toDouble();
    arm.trainedExamples = long(a["trained_examples"].toDouble());
    arm.scoredExamples = long(a["scored_examples"].toDouble());
    arm.scoringSeconds = a["scoring_seconds"].toDouble();
    arm.finalEvalLoss = numberOr(a["final_eval_loss"], NAN);
    arm.finalEvalAccuracy = numberOr(a["final_eval_accuracy"], NAN);
    s.arms.push_back(arm);
  }
  return s;
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

RunSummary runSummaryFromJson(const QJsonObject& j) {
  RunSummary s;
  s.name = j["name"].toString().toStdString();
  s.finalEvalLoss = float(numberOr(j["final_eval_loss"], NAN));
  s.finalEvalAccuracy = float(numberOr(j["final_eval_accuracy"], NAN));
  if (j["target_eval_loss"].isDouble()) s.targetEvalLoss = j["target_eval_loss"].toDouble();
  if (j["steps_to_target"].isDouble()) s.toTarget.steps = long(j["steps_to_target"].toDouble());
  if (j["seconds_to_target"].isDouble()) s.toTarget.seconds = j["seconds_to_target"].toDouble();
  if (j["time_reduction"].isDouble()) s.timeReduction = j["time_reduction"].toDouble();
  if (j["diverged_at"].isDouble()) s.divergedAt = long(j["diverged_at"].toDouble());
  s.computeSeconds = j["compute_seconds"].toDouble();
  return s;
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

}  // namespace

void RunReport::add(const Experiment& e, long seed, bool epochs) {
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

void RunReport::addShard(const QJsonObject& summary) {
  steps = long(summary["steps"].toDouble());
  const QString baseline = summary["baseline_run"].toString();
  if (!baseline.isEmpty()) anyBaseline = true, baselineName = baseline;
  for (const QJsonValue& v : summary["runs"].toArray()) {
    const QJsonObject j = v.toObject();
    const RunSummary s = runSummaryFromJson(j);
    const long seed = long(j["seed"].toDouble());
    runs.append(j);
    if (std::find(order.begin(), order.end(), s.name) == order.end()) order.push_back(s.name);
    if (!baseline.isEmpty() && QString::fromStdString(s.name) != baseline)
      reductions[s.name].push_back(s.timeReduction ? *s.timeReduction : NAN);
    table += tableRow(s, QString::fromStdString(s.name), seed);
  }
  for (const QJsonValue& v : summary["epoch_seeds"].toArray())
    epochSeeds.push_back(seedOutcomeFromJson(v.toObject()));
}

std::optional<EpochVerdict> RunReport::verdict() const {
  if (epochSeeds.empty()) return std::nullopt;
  return epochVerdict(epochSeeds);
}

// A run that never reached the target counts as no reduction at all (-inf); the median is
// null when half or more of the seeds never got there.
QJsonObject medianReductions(const RunReport& report, QString& line) {
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

ReportHeader reportHeader(const Preset& preset, const Settings& settings) {
  return {QString::fromStdString(preset.name), QString::fromStdString(preset.title),
          settings.real("experiment.target_loss") > 0};
}

ReportHeader reportHeader(const QJsonObject& summary) {
  const QJsonObject settings = summary["settings"].toObject();
  return {summary["preset"].toString(), summary["title"].toString(),
          settings["experiment.target_loss"].toString().toDouble() > 0};
}

void putResults(QJsonObject& root, const std::vector<long>& seeds, const RunReport& report) {
  root["steps"] = double(report.steps);
  QJsonArray seedList;
  for (long s : seeds) seedList.append(double(s));
  root["seeds"] = seedList;
  root["baseline_run"] = report.anyBaseline ? QJsonValue(report.baselineName) : QJsonValue();
  root["runs"] = report.runs;
  QString unused;
  root["median_time_reduction"] = medianReductions(report, unused);
  root.remove("epoch_verdict");
  root.remove("epoch_seeds");
  if (auto v = report.verdict()) {
    root["epoch_verdict"] = epochVerdictJson(*v);
    root["epoch_seeds"] = epochSeedsJson(report.epochSeeds);
  }
}

QJsonObject summaryJson(const Preset& preset, const Settings& settings, const std::vector<long>& seeds,
                        const RunReport& report) {
  QJsonObject root;
  root["preset"] = QString::fromStdString(preset.name);
  root["title"] = QString::fromStdString(preset.title);
  root["kind"] = QString::fromStdString(preset.kind);
  putResults(root, seeds, report);
  QJsonObject settingsJson;
  for (const auto& [k, v] : settings.values())
    settingsJson[QString::fromStdString(k)] = QString::fromStdString(v);
  root["settings"] = settingsJson;
  return root;
}

QString reportText(const ReportHeader& header, const std::vector<long>& seeds, const RunReport& report) {
  QString text;
  QTextStream so(&text);
  so << header.preset << ": " << header.title << "\n";
  so << report.steps << " steps, seeds";
  for (long s : seeds) so << " " << s;
  so << "; target = "
     << (header.fixedTarget ? QString("experiment.target_loss")
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
  QString medianLine;
  medianReductions(report, medianLine);
  if (!medianLine.isEmpty()) so << "median time reduction:" << medianLine << "\n";
  if (auto v = report.verdict()) so << QString::fromStdString(formatEpochVerdict(*v, report.epochSeeds));
  return text;
}

}  // namespace attent::app

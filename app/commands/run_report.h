#pragma once
// What `run` reports over its seeds - metrics.csv rows, summary.json, the table on stdout and
// the epoch-budget verdict - built either from finished experiments (`run`) or from the
// summary.json files of shards (`collect`), so both print and write the same thing.
#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/presets/presets.h"
#include "engine/core/settings.h"
#include "engine/teach/epoch_verdict.h"
#include "engine/teach/experiment.h"

namespace attent::app {

struct RunReport {
  long steps = 0;  // the experiment's own count once built
  QByteArray csv;  // metrics.csv rows, without the header
  QJsonArray runs;
  std::map<std::string, std::vector<double>> reductions;  // per non-baseline run name
  std::vector<std::string> order;                         // run names, first seen first
  bool anyBaseline = false;
  QString baselineName;
  QString table;
  std::vector<SeedOutcome> epochSeeds;  // the epoch-budget protocol's arms per seed

  void add(const Experiment& e, long seed, bool epochs);
  // One shard's summary.json, as `run --shard` wrote it.
  void addShard(const QJsonObject& summary);
  std::optional<EpochVerdict> verdict() const;
};

// The first lines of the report: which preset, and what the target is.
struct ReportHeader {
  QString preset, title;
  bool fixedTarget = false;  // experiment.target_loss set, else the baseline's final loss
};
ReportHeader reportHeader(const Preset& preset, const Settings& settings);
ReportHeader reportHeader(const QJsonObject& summary);

// The median time reduction per run name; `line` gets "  attent 22.0%  ..." for stdout.
QJsonObject medianReductions(const RunReport& report, QString& line);
// summary.json (docs/FORMATS.md); putResults sets the keys that depend on the seeds' results.
QJsonObject summaryJson(const Preset& preset, const Settings& settings, const std::vector<long>& seeds,
                        const RunReport& report);
void putResults(QJsonObject& summary, const std::vector<long>& seeds, const RunReport& report);
// The header, the per-seed table, the medians and (epoch-budget protocol) the verdict.
QString reportText(const ReportHeader& header, const std::vector<long>& seeds, const RunReport& report);

}  // namespace attent::app

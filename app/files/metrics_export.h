#pragma once
// Every run's metric history in one call: DIR/metrics.csv (the columns of `run`'s
// metrics.csv, docs/ARCHITECTURE.md) and DIR/metrics.json (the same numbers, one column array
// per metric and run, null where a row has no value). Both written atomically.
#include <QByteArray>
#include <QString>
#include <string>

#include "engine/teach/experiment.h"

namespace attent::app {

// "seed,run,step,examples_seen,compute_seconds,train_loss,eval_loss,eval_accuracy,epoch\n"
QByteArray metricsCsvHeader();
// The rows of every run of `e`, formatted exactly as `run` writes them.
QByteArray metricsCsvRows(const Experiment& e, long seed);
QByteArray metricsJson(const Experiment& e, long seed, const std::string& kind, const std::string& preset);

// Writes DIR/metrics.csv and DIR/metrics.json (DIR is created). Throws InputError.
void exportMetrics(const Experiment& e, long seed, const std::string& kind, const std::string& preset,
                   const QString& directory);

}  // namespace attent::app

#include "app/files/metrics_export.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <cmath>

#include "app/files/atomic_write.h"
#include "engine/core/input_error.h"

namespace attent::app {

namespace {
QString csvNumber(double v) { return std::isfinite(v) ? QString::number(v, 'g', 6) : QString(); }
QJsonValue jsonNumber(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }
}  // namespace

void writeFileAtomically(const QString& path, const QByteArray& bytes) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
    throw InputError(path.toStdString(), 0, 0, "cannot write: " + f.errorString().toStdString());
}

QByteArray metricsCsvHeader() {
  return "seed,run,step,examples_seen,compute_seconds,train_loss,eval_loss,eval_accuracy,epoch\n";
}

QByteArray metricsCsvRows(const Experiment& e, long seed) {
  QByteArray csv;
  for (int r = 0; r < e.runCount(); ++r) {
    const QString name = QString::fromStdString(e.runName(r));
    for (const auto& p : e.history(r))
      csv += QString("%1,%2,%3,%4,%5,%6,%7,%8,%9\n")
                 .arg(seed)
                 .arg(name)
                 .arg(p.step)
                 .arg(p.examplesSeen)
                 .arg(QString::number(p.computeSeconds, 'f', 6))
                 .arg(csvNumber(p.trainLoss), csvNumber(p.evalLoss), csvNumber(p.evalAccuracy),
                      std::isnan(p.epoch) ? QString() : QString::number(p.epoch, 'f', 4))
                 .toUtf8();
  }
  return csv;
}

QByteArray metricsJson(const Experiment& e, long seed, const std::string& kind, const std::string& preset) {
  QJsonObject root;
  root["kind"] = QString::fromStdString(kind);
  root["preset"] = QString::fromStdString(preset);
  root["seed"] = double(seed);
  root["step"] = double(e.currentStep());
  root["total_steps"] = double(e.totalSteps());
  QJsonObject settings;
  for (const auto& [k, v] : e.settings().values())
    settings[QString::fromStdString(k)] = QString::fromStdString(v);
  root["settings"] = settings;
  QJsonArray runs;
  for (int r = 0; r < e.runCount(); ++r) {
    QJsonArray step, seen, seconds, train, eval, accuracy, epoch;
    for (const auto& p : e.history(r)) {
      step.append(double(p.step));
      seen.append(double(p.examplesSeen));
      seconds.append(jsonNumber(p.computeSeconds));
      train.append(jsonNumber(p.trainLoss));
      eval.append(jsonNumber(p.evalLoss));
      accuracy.append(jsonNumber(p.evalAccuracy));
      epoch.append(jsonNumber(p.epoch));
    }
    QJsonObject run;
    run["name"] = QString::fromStdString(e.runName(r));
    const auto diverged = e.divergedAt(r);
    run["diverged_at"] = diverged ? QJsonValue(double(*diverged)) : QJsonValue();
    run["step"] = step;
    run["examples_seen"] = seen;
    run["compute_seconds"] = seconds;
    run["train_loss"] = train;
    run["eval_loss"] = eval;
    run["eval_accuracy"] = accuracy;
    run["epoch"] = epoch;
    runs.append(run);
  }
  root["runs"] = runs;
  return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

void exportMetrics(const Experiment& e, long seed, const std::string& kind, const std::string& preset,
                   const QString& directory) {
  if (!QDir().mkpath(directory))
    throw InputError(directory.toStdString(), 0, 0, "cannot create this directory");
  const QDir dir(directory);
  writeFileAtomically(dir.filePath("metrics.csv"), metricsCsvHeader() + metricsCsvRows(e, seed));
  writeFileAtomically(dir.filePath("metrics.json"), metricsJson(e, seed, kind, preset));
}

}  // namespace attent::app

#include "app/commands/claims_output.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

#include "engine/core/input_error.h"

namespace attent::app {

namespace {

QString number(double v) { return std::isfinite(v) ? QString::number(v, 'g', 4) : QString("-"); }
QJsonValue jsonNumber(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }

QString testText(const Claim& c) {
  if (c.test == ClaimTest::Measure) return "";
  return QString(c.test == ClaimTest::Above ? "> " : "< ") + number(c.bound);
}

QString keyText(const Claim& c) {
  return QString::fromStdString(c.key) +
         (c.phase == Phase::Whole ? "" : " (" + QString(words(c.phase)) + ")");
}

}  // namespace

QByteArray diagnosticsCsvHeader() { return "seed,run,step,name,value\n"; }

namespace {

QByteArray csvRow(long seed, const QString& run, long step, const QString& name, double value) {
  return QString("%1,%2,%3,%4,%5\n")
      .arg(seed)
      .arg(run)
      .arg(step)
      .arg(name, std::isfinite(value) ? QString::number(value, 'g', 8) : "")
      .toUtf8();
}

QString cellName(const std::string& name, long i, long j) {
  return QString("%1[%2][%3]").arg(QString::fromStdString(name)).arg(i).arg(j);
}

// The scalars; with `pictures` also the matrices and point lists, which are written at the last
// evaluation only: at every one they would grow the file (and memory) by their cells each time.
QByteArray diagnosticsRows(const Diagnostics& d, long seed, const QString& run, long step, bool pictures) {
  QByteArray csv;
  for (const auto& [name, value] : d.scalars)
    csv += csvRow(seed, run, step, QString::fromStdString(name), value);
  if (!pictures) return csv;
  for (const auto& [name, m] : d.matrices)
    for (int i = 0; i < m.rows; ++i)
      for (int j = 0; j < m.cols; ++j)
        csv += csvRow(seed, run, step, cellName(name, i, j), m.data[std::size_t(i) * m.cols + j]);
  for (const auto& [name, points] : d.points)
    for (std::size_t i = 0; i < points.size(); ++i) {
      csv += csvRow(seed, run, step, cellName(name, long(i), 0), points[i].first);
      csv += csvRow(seed, run, step, cellName(name, long(i), 1), points[i].second);
    }
  return csv;
}

// "> 0.5" / "< 1" as claimsJson writes it; nothing for a measurement.
std::pair<ClaimTest, double> testFrom(const QJsonValue& v) {
  const QString t = v.toString();
  if (t.size() < 3) return {ClaimTest::Measure, 0};
  return {t.startsWith('>') ? ClaimTest::Above : ClaimTest::Below, t.mid(2).toDouble()};
}

// The phase as words(Phase) wrote it.
Phase phaseFrom(const QJsonValue& v) {
  for (Phase p : {Phase::Early, Phase::Late})
    if (v.toString() == words(p)) return p;
  return Phase::Whole;
}

}  // namespace

QByteArray diagnosticsCsvRows(const Experiment& e, long seed) {
  QByteArray csv;
  for (int r = 0; r < e.runCount(); ++r) {
    const QString run = QString::fromStdString(e.runName(r));
    const auto& history = e.diagnosticsHistory(r);
    for (std::size_t i = 0; i < history.size(); ++i)
      csv += diagnosticsRows(history[i].diagnostics, seed, run, history[i].step, i + 1 == history.size());
  }
  return csv;
}

void ClaimsReport::add(const std::string& kind, const Experiment& e, long seed) {
  csv += diagnosticsCsvRows(e, seed);
  perSeed.push_back(experimentClaims(kind, e));
}

void ClaimsReport::addShard(const QJsonObject& summary) {
  const qsizetype seeds = summary["seeds"].toArray().size();
  std::vector<std::vector<Claim>> slice(static_cast<std::size_t>(seeds));
  for (const QJsonValue& v : summary["claims"].toArray()) {
    const QJsonObject j = v.toObject();
    if (j["phase"].toString() == "early and late") continue;  // a verdict, rebuilt from the pairs
    const auto [test, bound] = testFrom(j["test"]);
    const QJsonArray values = j["values"].toArray();
    if (values.size() != seeds)
      throw InputError(
          "a claim of the slice with seeds " +
          QJsonDocument(summary["seeds"].toArray()).toJson(QJsonDocument::Compact).toStdString() + " has " +
          std::to_string(values.size()) + " values: " + j["key"].toString().toStdString());
    for (qsizetype k = 0; k < seeds; ++k)
      slice[std::size_t(k)].emplace_back(
          j["key"].toString().toStdString(), j["statement"].toString().toStdString(),
          values[k].isDouble() ? values[k].toDouble() : NAN, test, bound, phaseFrom(j["phase"]));
  }
  if (!slice.empty() && !slice[0].empty()) perSeed.insert(perSeed.end(), slice.begin(), slice.end());
}

void ClaimsReport::putInto(QJsonObject& summary) const {
  if (!empty()) summary["claims"] = claimsJson(summarizeClaims(perSeed));
}

QString ClaimsReport::table(int seeds) const {
  return empty() ? QString() : claimsTable(summarizeClaims(perSeed), seeds);
}

QString claimsTable(const ClaimsSummary& summary, int seeds) {
  QString out = QString("claims (%1 seed%2; median and bootstrap 95% interval over seeds):\n")
                    .arg(seeds)
                    .arg(seeds == 1 ? "" : "s");
  out += QString("%1  %2  %3  %4  %5  %6\n")
             .arg("claim", -48)
             .arg("median", 10)
             .arg("low", 10)
             .arg("high", 10)
             .arg("test", -9)
             .arg("verdict");
  for (const ClaimVerdict& v : summary.claims) {
    const QString missing = v.missing ? QString(" (%1 seed(s) never)").arg(v.missing) : QString();
    out += QString("%1  %2  %3  %4  %5  %6\n")
               .arg(keyText(v.claim), -48)
               .arg(number(v.median.estimate), 10)
               .arg(number(v.median.low), 10)
               .arg(number(v.median.high), 10)
               .arg(testText(v.claim), -9)
               .arg(QString(words(v.verdict)) + missing);
  }
  for (const PhaseVerdict& p : summary.phases)
    out += QString("%1  early and late: %2\n")
               .arg(QString::fromStdString(p.key), -48)
               .arg(QString(words(p.verdict)));
  return out;
}

QJsonArray claimsJson(const ClaimsSummary& summary) {
  QJsonArray out;
  for (const ClaimVerdict& v : summary.claims) {
    QJsonObject j;
    j["key"] = QString::fromStdString(v.claim.key);
    j["phase"] = QString(words(v.claim.phase));
    j["statement"] = QString::fromStdString(v.claim.statement);
    j["test"] = v.claim.test == ClaimTest::Measure ? QJsonValue() : QJsonValue(testText(v.claim));
    j["median"] = jsonNumber(v.median.estimate);
    j["low"] = jsonNumber(v.median.low);
    j["high"] = jsonNumber(v.median.high);
    QJsonArray values;
    for (double x : v.values) values.append(jsonNumber(x));
    j["values"] = values;
    j["verdict"] = QString(words(v.verdict));
    out.append(j);
  }
  for (const PhaseVerdict& p : summary.phases) {
    QJsonObject j;
    j["key"] = QString::fromStdString(p.key);
    j["phase"] = "early and late";
    j["verdict"] = QString(words(p.verdict));
    out.append(j);
  }
  return out;
}

}  // namespace attent::app

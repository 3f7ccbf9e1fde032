#include "app/commands/claims_output.h"

#include <QJsonObject>
#include <cmath>

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

QByteArray diagnosticsCsvRows(const Experiment& e, long seed) {
  QByteArray csv;
  for (int r = 0; r < e.runCount(); ++r) {
    const QString run = QString::fromStdString(e.runName(r));
    for (const DiagnosticsPoint& p : e.diagnosticsHistory(r))
      for (const auto& [name, value] : p.diagnostics.scalars)
        csv +=
            QString("%1,%2,%3,%4,%5\n")
                .arg(seed)
                .arg(run)
                .arg(p.step)
                .arg(QString::fromStdString(name), std::isfinite(value) ? QString::number(value, 'g', 8) : "")
                .toUtf8();
  }
  return csv;
}

void ClaimsReport::add(const std::string& kind, const Experiment& e, long seed) {
  csv += diagnosticsCsvRows(e, seed);
  perSeed.push_back(experimentClaims(kind, e));
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

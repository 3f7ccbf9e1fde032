#pragma once
// What `run` adds for the papers' claims (docs/FORMATS.md): DIR/diagnostics.csv with every
// diagnostic series, the "claims" table on stdout and the "claims" array of summary.json.
#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <string>
#include <vector>

#include "engine/teach/claims.h"

namespace attent::app {

// "seed,run,step,name,value\n"
QByteArray diagnosticsCsvHeader();
// Every diagnostic of every run of `e`: scalars under their names at every evaluation, matrix
// and point-list cells as "name[i][j]" (a point list is an n x 2 matrix of x, y) at the last.
QByteArray diagnosticsCsvRows(const Experiment& e, long seed);

// The seeds' claims and diagnostics as `run` collects them, one seed after another.
struct ClaimsReport {
  QByteArray csv = diagnosticsCsvHeader();
  std::vector<std::vector<Claim>> perSeed;
  void add(const std::string& kind, const Experiment& e, long seed);
  // One shard's summary.json "claims" (`collect`): its seeds' values, in its seed order.
  void addShard(const QJsonObject& summary);
  bool empty() const { return perSeed.empty() || perSeed[0].empty(); }
  // summary.json's "claims" (nothing for a kind without claims) and the table for stdout.
  void putInto(QJsonObject& summary) const;
  QString table(int seeds) const;
};

QString claimsTable(const ClaimsSummary& summary, int seeds);
QJsonArray claimsJson(const ClaimsSummary& summary);

}  // namespace attent::app

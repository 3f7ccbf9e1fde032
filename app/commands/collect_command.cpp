#include "app/commands/collect_command.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <map>
#include <optional>

#include "app/commands/claims_output.h"
#include "app/commands/run_report.h"
#include "app/commands/shard.h"
#include "app/commands/subcommand.h"
#include "app/files/atomic_write.h"
#include "app/files/metrics_export.h"
#include "engine/core/input_error.h"

namespace attent::app {

namespace {

const char* kUsage = "usage: attent-studio collect DIR... [--out DIR]\n";
// The per-row files a shard writes besides summary.json; merged header once, rows in order.
const char* kTables[] = {"metrics.csv", "diagnostics.csv"};

struct Slice {
  QString dir;
  QJsonObject summary;
  Shard shard;
};

std::vector<long> seedList(const QJsonValue& v) {
  std::vector<long> seeds;
  for (const QJsonValue& s : v.toArray()) seeds.push_back(long(s.toDouble()));
  return seeds;
}

// A DIR is a shard's folder, or a folder holding shard-*-of-* folders.
QStringList shardFolders(const QStringList& dirs) {
  QStringList out;
  for (const QString& d : dirs) {
    if (QFile::exists(QDir(d).filePath("summary.json"))) {
      out << d;
      continue;
    }
    const QStringList inner = QDir(d).entryList({"shard-*-of-*"}, QDir::Dirs, QDir::Name);
    if (inner.isEmpty()) out << d;  // reported as missing its summary below
    for (const QString& i : inner) out << QDir(d).filePath(i);
  }
  return out;
}

Slice readSlice(const QString& dir) {
  QFile f(QDir(dir).filePath("summary.json"));
  if (!f.open(QIODevice::ReadOnly))
    throw InputError(dir.toStdString() + ": no summary.json (is it a folder `run --shard` wrote?)");
  QJsonParseError err;
  const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
  if (!doc.isObject())
    throw InputError(f.fileName().toStdString() + ": not a summary (" + err.errorString().toStdString() +
                     " at byte " + std::to_string(err.offset) + ")");
  Slice s{dir, doc.object(), {}};
  const QJsonObject shard = s.summary["shard"].toObject();
  if (shard.isEmpty()) throw InputError(dir.toStdString() + " is not a slice: its run had no --shard I/N");
  s.shard = {shard["index"].toInt(), shard["count"].toInt()};
  return s;
}

// Everything but the results must agree between slices: preset, settings, seeds, count.
void checkMatches(const Slice& s, const Slice& first) {
  auto differ = [&](const char* what) {
    throw InputError("mismatched slice: " + s.dir.toStdString() + " has a different " + what + " from " +
                     first.dir.toStdString());
  };
  for (const char* key : {"preset", "kind", "steps", "settings"})
    if (s.summary[key] != first.summary[key]) differ(key);
  if (s.shard.count != first.shard.count) differ("slice count (--shard I/N)");
  const auto all = seedList(first.summary["shard"].toObject()["all_seeds"]);
  if (seedList(s.summary["shard"].toObject()["all_seeds"]) != all) differ("seed list (--seeds)");
  if (seedList(s.summary["seeds"]) != s.shard.slice(all)) differ("slice of the seeds than its index says");
}

// Slices 1..N, each exactly once, in order.
std::vector<Slice> orderedSlices(const QStringList& dirs) {
  std::vector<Slice> slices;
  for (const QString& d : shardFolders(dirs)) slices.push_back(readSlice(d));
  std::map<int, const Slice*> byIndex;
  for (const Slice& s : slices) {
    checkMatches(s, slices.front());
    auto [it, fresh] = byIndex.emplace(s.shard.index, &s);
    if (!fresh)
      throw InputError("slice " + std::to_string(s.shard.index) + " of " + std::to_string(s.shard.count) +
                       " appears twice: " + it->second->dir.toStdString() + " and " + s.dir.toStdString());
  }
  const int count = slices.front().shard.count;
  for (int i = 1; i <= count; ++i)
    if (!byIndex.count(i))
      throw InputError("slice " + std::to_string(i) + " of " + std::to_string(count) +
                       " is missing (run it with --shard " + std::to_string(i) + "/" + std::to_string(count) +
                       " and pass its folder)");
  std::vector<Slice> ordered;
  for (const auto& [i, s] : byIndex) ordered.push_back(*s);
  return ordered;
}

// One table's rows from every slice, the header once; empty when no slice wrote it.
QByteArray mergedTable(const std::vector<Slice>& slices, const char* name) {
  QByteArray header, rows;
  int present = 0;
  for (const Slice& s : slices) {
    QFile f(QDir(s.dir).filePath(name));
    if (!f.open(QIODevice::ReadOnly)) continue;
    ++present;
    const QByteArray text = f.readAll();
    const qsizetype eol = text.indexOf('\n');
    const QByteArray h = text.left(eol + 1);
    if (!header.isEmpty() && h != header)
      throw InputError("mismatched slice: " + f.fileName().toStdString() + " has other columns than " +
                       QDir(slices.front().dir).filePath(name).toStdString());
    header = h;
    rows += text.mid(eol + 1);
  }
  if (present != 0 && present != int(slices.size()))
    throw InputError("some slices have no " + std::string(name) +
                     ": they were not written by the same version");
  return header + rows;
}

}  // namespace

int collectCommand(const QStringList& args) {
  Subcommand cli("attent-studio collect", kUsage);
  cli.option("out", "--out needs a directory");
  cli.allowPositional();
  if (auto status = cli.parse(args)) return *status;
  if (cli.positional().isEmpty()) return cli.usageError("give the folders the shards wrote");
  try {
    const std::vector<Slice> slices = orderedSlices(cli.positional());
    RunReport report;
    ClaimsReport claims;
    std::map<QString, QByteArray> tables;
    for (const char* name : kTables) tables[name] = mergedTable(slices, name);
    for (const Slice& s : slices) report.addShard(s.summary), claims.addShard(s.summary);
    const auto allSeeds = seedList(slices.front().summary["shard"].toObject()["all_seeds"]);
    // What the slices share; every per-seed result is rebuilt from all of them.
    QJsonObject summary;
    for (const char* key : {"preset", "title", "kind", "settings"})
      summary[key] = slices.front().summary[key];
    putResults(summary, allSeeds, report);
    claims.putInto(summary);
    QString out = cli.value("out");
    if (out.isEmpty()) out = "attent-collect-" + summary["preset"].toString();
    if (!QDir().mkpath(out)) throw InputError("cannot create directory " + out.toStdString());
    for (const auto& [name, bytes] : tables)
      if (!bytes.isEmpty()) writeFileAtomically(QDir(out).filePath(name), bytes);
    writeFileAtomically(QDir(out).filePath("summary.json"), QJsonDocument(summary).toJson());
    QTextStream so(stdout);
    so << "collected " << slices.size() << " slices\n"
       << reportText(reportHeader(summary), allSeeds, report) << claims.table(int(allSeeds.size()));
    so << "wrote " << QDir(out).filePath("summary.json") << "\n";
    return 0;
  } catch (const std::exception& e) {  // a malformed or incomplete slice: the user's input
    QTextStream(stderr) << "attent-studio collect: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace attent::app

#include "app/files/experiment_file.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <array>
#include <cstring>

#include "app/files/atomic_write.h"
#include "engine/core/input_error.h"
#include "engine/persist/checkpoint.h"

namespace attent::app {

namespace {

// "ATTENT" then 0x1A (stops `type` on DOS) and '\n' (catches text-mode newline conversion).
constexpr char kMagic[8] = {'A', 'T', 'T', 'E', 'N', 'T', '\x1a', '\n'};
constexpr qint64 kHeaderBytes = 16;    // magic, u32 version, u32 section count
constexpr qint64 kSectionHeader = 12;  // tag[4], u64 length

[[noreturn]] void fail(const QString& path, const std::string& reason) {
  throw InputError(path.toStdString(), 0, 0, reason);
}

template <class T>
void append(QByteArray& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <class T>
T read(const QByteArray& in, qint64 at) {
  T v;
  std::memcpy(&v, in.constData() + at, sizeof(T));
  return v;
}

void appendSection(QByteArray& out, const char tag[4], const char* data, qint64 size) {
  out.append(tag, 4);
  append<std::uint64_t>(out, std::uint64_t(size));
  out.append(data, size);
}

struct Parsed {
  std::uint32_t version = 0;
  std::vector<std::pair<std::string, std::pair<qint64, qint64>>> sections;  // tag, (offset, size)
  QJsonObject meta;
  QByteArray bytes;
  std::pair<qint64, qint64> section(const QString& path, const std::string& tag) const {
    for (const auto& [t, where] : sections)
      if (t == tag) return where;
    fail(path, "has no '" + tag + "' section");
  }
};

// Checks magic, version, section structure, checksum and the META section.
Parsed parse(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) fail(path, "cannot read: " + f.errorString().toStdString());
  Parsed p;
  p.bytes = f.readAll();
  const QByteArray& b = p.bytes;
  const qint64 n = b.size();
  if (n == 0) fail(path, "is empty (0 bytes), not an experiment file");
  if (std::memcmp(b.constData(), kMagic, std::size_t(std::min<qint64>(n, 8))) != 0)
    fail(path, "is not an AtteNT experiment file (it does not start with the ATTENT magic bytes)");
  if (n < kHeaderBytes + 4)
    fail(path, "is truncated: " + std::to_string(n) + " bytes, shorter than a header");
  p.version = read<std::uint32_t>(b, 8);
  if (p.version > kExperimentFileVersion)
    fail(path, "was written by a newer AtteNT Studio (format version " + std::to_string(p.version) +
                   "; this build reads versions up to " + std::to_string(kExperimentFileVersion) + ")");
  if (p.version == 0) fail(path, "has format version 0, which no AtteNT Studio writes");
  const auto count = read<std::uint32_t>(b, 12);
  qint64 at = kHeaderBytes;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (n - 4 - at < kSectionHeader)
      fail(path, "is truncated: section " + std::to_string(i + 1) + " of " + std::to_string(count) +
                     " is missing (file ends at byte " + std::to_string(n) + ")");
    std::string tag(b.constData() + at, 4);
    const auto size = read<std::uint64_t>(b, at + 4);
    at += kSectionHeader;
    if (size > std::uint64_t(n - 4 - at))
      fail(path, "is truncated: section '" + tag + "' needs " + std::to_string(size) + " bytes, " +
                     std::to_string(std::max<qint64>(0, n - 4 - at)) + " are left");
    p.sections.push_back({tag, {at, qint64(size)}});
    at += qint64(size);
  }
  if (at + 4 != n)
    fail(path, "is corrupted: " + std::to_string(n - at - 4) + " bytes after the last section");
  const auto stored = read<std::uint32_t>(b, at);
  const auto actual = crc32(b.constData(), std::size_t(at));
  if (stored != actual)
    fail(path, "is corrupted: checksum mismatch (stored CRC-32 " + QString::number(stored, 16).toStdString() +
                   ", computed " + QString::number(actual, 16).toStdString() + ")");
  const auto [metaAt, metaSize] = p.section(path, "META");
  QJsonParseError err{};
  const auto doc = QJsonDocument::fromJson(b.mid(metaAt, metaSize), &err);
  if (err.error != QJsonParseError::NoError || !doc.isObject())
    fail(path, "META section is not a JSON object: " + err.errorString().toStdString());
  p.meta = doc.object();
  if (!p.meta["kind"].isString() || !p.meta["settings"].isObject() || !p.meta["seed"].isString())
    fail(path, "META section lacks kind, seed or settings");
  return p;
}

ExperimentSource sourceOf(const QString& path, const QJsonObject& meta) {
  ExperimentSource s;
  s.kind = meta["kind"].toString().toStdString();
  s.preset = meta["preset"].toString().toStdString();
  s.title = meta["title"].toString().toStdString();  // absent: empty
  s.lesson = meta["lesson"].toString().toStdString();
  bool ok = false;
  s.seed = meta["seed"].toString().toULongLong(&ok);  // a string: JSON numbers lose 64-bit seeds
  if (!ok) fail(path, "META seed is not an unsigned integer");
  return s;
}

}  // namespace

std::uint32_t crc32(const char* data, std::size_t size) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) c = table[(c ^ std::uint8_t(data[i])) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void saveExperiment(const Experiment& e, const ExperimentSource& source, const QString& path) {
  const std::vector<std::uint8_t> state = saveExperimentState(e);  // throws for unsavable kinds
  QJsonObject meta;
  meta["format"] = "attent-experiment";
  meta["kind"] = QString::fromStdString(source.kind);
  meta["preset"] = QString::fromStdString(source.preset);
  if (!source.title.empty()) meta["title"] = QString::fromStdString(source.title);
  if (!source.lesson.empty()) meta["lesson"] = QString::fromStdString(source.lesson);
  meta["seed"] = QString::number(source.seed);
  meta["step"] = double(e.currentStep());
  meta["total_steps"] = double(e.totalSteps());
  meta["saved_at"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
  QJsonObject settings;
  QJsonArray order;
  for (const auto& [k, v] : e.settings().values()) {
    settings[QString::fromStdString(k)] = QString::fromStdString(v);
    order.append(QString::fromStdString(k));
  }
  meta["settings"] = settings;
  meta["settings_order"] = order;
  QJsonArray runs;
  for (const RunStateInfo& r : e.runStates()) {
    QJsonObject j;
    j["name"] = QString::fromStdString(r.name);
    j["learner"] = QString::fromStdString(r.learner);
    j["teacher"] = QString::fromStdString(r.teacher);
    j["parameters"] = double(r.parameters);
    j["tensors"] = double(r.tensors);
    j["history_points"] = double(r.historyPoints);
    j["examples_seen"] = double(r.examplesSeen);
    j["compute_seconds"] = r.computeSeconds;
    j["diverged_at"] = r.divergedAt ? QJsonValue(double(*r.divergedAt)) : QJsonValue();
    runs.append(j);
  }
  meta["runs"] = runs;
  const QByteArray metaBytes = QJsonDocument(meta).toJson(QJsonDocument::Compact);

  QByteArray out;
  out.reserve(qsizetype(kHeaderBytes + 2 * kSectionHeader + metaBytes.size() + qint64(state.size()) + 4));
  out.append(kMagic, 8);
  append<std::uint32_t>(out, kExperimentFileVersion);
  append<std::uint32_t>(out, 2);
  appendSection(out, "META", metaBytes.constData(), metaBytes.size());
  appendSection(out, "EXPT", reinterpret_cast<const char*>(state.data()), qint64(state.size()));
  append<std::uint32_t>(out, crc32(out.constData(), std::size_t(out.size())));
  writeFileAtomically(path, out);
}

OpenedExperiment openExperiment(const QString& path, const MemoryContext& memory) {
  const Parsed p = parse(path);
  OpenedExperiment opened;
  opened.source = sourceOf(path, p.meta);
  Settings settings;
  try {
    settings = experimentSettings(opened.source.kind);
  } catch (const std::exception& e) {
    fail(path, e.what());
  }
  const QJsonObject values = p.meta["settings"].toObject();
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (!settings.has(it.key().toStdString()))
      fail(path, "setting '" + it.key().toStdString() + "' is unknown to this build of the '" +
                     opened.source.kind + "' kind");
    if (auto err = settings.set(it.key().toStdString(), it.value().toString().toStdString()))
      fail(path, "setting " + it.key().toStdString() + ": " + *err);
  }
  try {
    refuseIfTooLarge(opened.source.kind, settings, memory);
  } catch (const std::exception& e) {
    fail(path, std::string("cannot open it now: ") + e.what());
  }
  try {
    opened.experiment = buildExperiment(opened.source.kind, settings, opened.source.seed);
  } catch (const InputError& e) {
    fail(path, std::string("cannot rebuild the experiment: ") + e.what());
  } catch (const std::exception& e) {
    fail(path, std::string("cannot rebuild the experiment: ") + e.what());
  }
  const auto [at, size] = p.section(path, "EXPT");
  try {
    restoreExperimentState(
        *opened.experiment,
        {reinterpret_cast<const std::uint8_t*>(p.bytes.constData()) + at, std::size_t(size)});
  } catch (const std::exception& e) {
    fail(path, e.what());
  }
  return opened;
}

ExperimentFileInfo readExperimentInfo(const QString& path) {
  const Parsed p = parse(path);
  ExperimentFileInfo info;
  info.version = p.version;
  info.fileBytes = p.bytes.size();
  info.source = sourceOf(path, p.meta);
  info.step = long(p.meta["step"].toDouble());
  info.totalSteps = long(p.meta["total_steps"].toDouble());
  info.savedAt = p.meta["saved_at"].toString();
  const QJsonObject values = p.meta["settings"].toObject();
  for (const auto& k : p.meta["settings_order"].toArray())
    info.settings.emplace_back(k.toString().toStdString(), values[k.toString()].toString().toStdString());
  for (const auto& [tag, where] : p.sections) info.sections.emplace_back(tag, where.second);
  info.runsJson = QJsonDocument(p.meta["runs"].toArray()).toJson(QJsonDocument::Compact);
  return info;
}

}  // namespace attent::app

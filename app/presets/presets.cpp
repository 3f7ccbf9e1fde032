#include "app/presets/presets.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

#include "engine/core/input_error.h"
#include "engine/teach/experiment.h"

// The presets live in a static library's .qrc: register them before the first lookup.
static void initPresetResources() { Q_INIT_RESOURCE(presets); }

namespace attent::app {

namespace {

const std::vector<std::string> kBuiltins = {"digits-vit",
                                            "digits-vit-steps",
                                            "digits-vit-redundant",
                                            "digits-vit-noisy",
                                            "text-lm",
                                            "text-lm-finetune",
                                            "text-lm-epochs",
                                            "csv-classify",
                                            "topic-words",
                                            "scb",
                                            "scb-transfer",
                                            "mosaic",
                                            "mosaic-paper"};

// Line and column (1-based) of a byte offset, for JSON parse errors.
std::pair<long, long> lineColumn(const QByteArray& bytes, long offset) {
  long line = 1, column = 1;
  for (qsizetype i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string valueText(const QJsonValue& v) {
  if (v.isBool()) return v.toBool() ? "true" : "false";
  if (v.isDouble()) {
    const double d = v.toDouble();
    if (std::abs(d) < 1e15 && d == double(static_cast<long long>(d)))
      return std::to_string(static_cast<long long>(d));
    return QString::number(d, 'g', 15).toStdString();
  }
  return v.toString().toStdString();
}

std::string requiredText(const QJsonObject& o, const char* key, const std::string& file) {
  const QJsonValue v = o.value(QLatin1String(key));
  if (v.isUndefined()) throw InputError(file, 0, 0, std::string("missing field \"") + key + "\"");
  if (!v.isString() || v.toString().trimmed().isEmpty())
    throw InputError(file, 0, 0, std::string("field \"") + key + "\" must be a non-empty string");
  return v.toString().toStdString();
}

}  // namespace

std::vector<std::string> builtinPresetNames() { return kBuiltins; }

Preset loadPreset(const QString& nameOrPath) {
  initPresetResources();
  QString path = nameOrPath;
  const bool builtin =
      std::find(kBuiltins.begin(), kBuiltins.end(), nameOrPath.toStdString()) != kBuiltins.end();
  if (builtin) path = ":/presets/" + nameOrPath + ".json";
  const std::string file = builtin ? nameOrPath.toStdString() + ".json (built-in)" : path.toStdString();
  QFile f(path);
  if (!QFileInfo(path).isFile()) {
    std::string names;
    for (const auto& n : kBuiltins) names += (names.empty() ? "" : ", ") + n;
    throw InputError(file, 0, 0, "no such preset file (built-in presets: " + names + ")");
  }
  if (QFileInfo(path).size() > (1 << 20)) throw InputError(file, 0, 0, "preset file is larger than 1 MB");
  if (!f.open(QIODevice::ReadOnly))
    throw InputError(file, 0, 0, "cannot read: " + f.errorString().toStdString());
  const QByteArray bytes = f.readAll();
  QJsonParseError err;
  const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
  if (err.error != QJsonParseError::NoError) {
    const auto [line, column] = lineColumn(bytes, err.offset);
    throw InputError(file, line, column, "not valid JSON: " + err.errorString().toStdString());
  }
  if (!doc.isObject()) throw InputError(file, 0, 0, "expected a JSON object at the top level");
  const QJsonObject o = doc.object();
  Preset p;
  p.file = file;
  p.name = requiredText(o, "name", file);
  p.title = requiredText(o, "title", file);
  p.lesson = requiredText(o, "lesson", file);
  p.kind = requiredText(o, "kind", file);
  const auto kinds = experimentKinds();
  if (std::find(kinds.begin(), kinds.end(), p.kind) == kinds.end()) {
    std::string list;
    for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
    throw InputError(file, 0, 0, "unknown kind \"" + p.kind + "\"; valid kinds: " + list);
  }
  const QJsonValue settings = o.value("settings");
  if (!settings.isUndefined()) {
    if (!settings.isObject())
      throw InputError(file, 0, 0, "field \"settings\" must be an object of key: value");
    const QJsonObject so = settings.toObject();
    for (auto it = so.begin(); it != so.end(); ++it) {
      if (it.value().isObject() || it.value().isArray() || it.value().isNull())
        throw InputError(
            file, 0, 0, "setting \"" + it.key().toStdString() + "\" must be a number, a boolean or a string");
      p.values.emplace_back(it.key().toStdString(), valueText(it.value()));
    }
  }
  presetSettings(p);  // refuse unknown keys and bad values now, naming the file
  return p;
}

Settings presetSettings(const Preset& preset) {
  Settings s;
  try {
    s = experimentSettings(preset.kind);
  } catch (const std::exception& e) {
    throw InputError(preset.file, 0, 0, e.what());
  }
  for (const auto& [key, value] : preset.values)
    if (auto err = s.set(key, value)) throw InputError(preset.file, 0, 0, "setting \"" + key + "\": " + *err);
  return s;
}

}  // namespace attent::app

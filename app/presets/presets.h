#pragma once
// Presets: JSON files naming an experiment kind and the settings that make its lesson
// visible in under a minute. Built-in ones ship in resources/presets/ (compiled in);
// any other file can be loaded by path. Format:
//   {"name": "digits-vit", "title": "one line", "lesson": "two to four sentences",
//    "kind": "digits-vit", "settings": {"experiment.steps": 600, "teacher.ratio_start": 0.3}}
// Setting values may be numbers, booleans or strings.
#include <QString>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/settings.h"

namespace attent::app {

struct Preset {
  std::string name, title, lesson, kind;
  std::string file;  // where it was read from (":/presets/x.json" for built-ins)
  std::vector<std::pair<std::string, std::string>> values;  // in file order
};

// Built-in preset names, in the order the chooser lists them.
std::vector<std::string> builtinPresetNames();
// A built-in name or a file path. Throws InputError naming the file and what is wrong
// (unreadable, not JSON - with line and column -, a missing or mistyped field, an unknown
// kind, an unknown setting or a bad value).
Preset loadPreset(const QString& nameOrPath);
// experimentSettings(kind) with the preset's values applied. Throws InputError (as above).
Settings presetSettings(const Preset& preset);

}  // namespace attent::app

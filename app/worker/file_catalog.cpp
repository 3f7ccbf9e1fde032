// A preset file named on the command line, ahead of the built-in catalog
// (app/presets/builtin_catalog.cpp).
#include <exception>

#include "app/presets/presets.h"
#include "app/worker/catalog.h"

namespace attent::app {

namespace {
PresetInfo infoOf(const Preset& preset) {
  PresetInfo info;
  info.name = preset.name;
  info.title = preset.title;
  info.lesson = preset.lesson;
  info.kind = preset.kind;
  info.settings = presetSettings(preset);
  return info;
}
}  // namespace

PresetInfo presetFromFile(const QString& path) { return infoOf(loadPreset(path)); }

// A preset file named on the command line goes first (throws InputError if bad).
Catalog catalogWithFile(const QString& path) {
  Catalog catalog = builtinCatalog();
  PresetInfo info = presetFromFile(path);
  for (auto it = catalog.presets.begin(); it != catalog.presets.end(); ++it)
    if (it->name == info.name) {
      catalog.presets.erase(it);
      break;
    }
  catalog.presets.insert(catalog.presets.begin(), info);
  return catalog;
}

}  // namespace attent::app

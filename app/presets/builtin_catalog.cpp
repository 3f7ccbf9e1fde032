// The catalog the window uses (app/worker/catalog.h): every built-in preset that loads,
// built through buildExperiment.
#include "app/presets/presets.h"
#include "app/worker/catalog.h"
#include "engine/teach/experiment.h"

namespace attent::app {

Catalog builtinCatalog() {
  Catalog c;
  for (const auto& name : builtinPresetNames()) {
    try {
      const Preset p = loadPreset(QString::fromStdString(name));
      PresetInfo info;
      info.name = p.name;
      info.title = p.title;
      info.lesson = p.lesson;
      info.kind = p.kind;
      info.settings = presetSettings(p);
      c.presets.push_back(std::move(info));
    } catch (const std::exception&) {
      // A broken built-in is caught by the presets test; the window lists the others.
    }
  }
  c.build = [](const PresetInfo& p) { return buildExperiment(p.kind, p.settings, p.seed); };
  return c;
}

}  // namespace attent::app

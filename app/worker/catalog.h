#pragma once
// What the window and the worker need to know about presets, independent of where
// presets come from (the built-in catalog in app/presets, or a fake in tests).
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/teach/experiment.h"

namespace attent::app {

struct PresetInfo {
  std::string name;    // "topic-words"
  std::string title;   // one line
  std::string lesson;  // a paragraph: what to watch for
  std::string kind;    // experiment kind for buildExperiment
  Settings settings;   // the preset's values over the kind's specs
  std::uint64_t seed = 1;
};

// Builds an experiment; may throw SettingsError or InputError (reported, never fatal).
using ExperimentFactory = std::function<std::unique_ptr<Experiment>(const PresetInfo&)>;

struct Catalog {
  std::vector<PresetInfo> presets;
  ExperimentFactory build;
  const PresetInfo* find(const std::string& name) const {
    for (const auto& p : presets)
      if (p.name == name) return &p;
    return nullptr;
  }
};

// The catalog the executable ships: built-in presets over buildExperiment. Empty
// presets when the engine's experiment layer is not available in this build.
Catalog builtinCatalog();
// builtinCatalog() with the preset file at `path` first; throws InputError for a bad file.
Catalog catalogWithFile(const QString& path);

}  // namespace attent::app

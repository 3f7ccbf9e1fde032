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

// Experiment files, metrics and weights export (app/files), run by the worker in its own
// thread on the experiment it owns. Each throws (InputError, std::exception) with a message
// for the user. Empty functions: this build cannot do it (the window's tests, the fake).
struct ExperimentFiles {
  std::function<void(const Experiment&, const PresetInfo&, const QString& path)> save;
  // The experiment in the file and the preset it was built from (settings as saved).
  std::function<std::unique_ptr<Experiment>(const QString& path, PresetInfo* preset)> open;
  std::function<void(const Experiment&, const PresetInfo&, const QString& directory)> exportMetrics;
  std::function<void(Experiment&, const PresetInfo&, const QString& directory)> exportWeights;
};

struct Catalog {
  std::vector<PresetInfo> presets;
  ExperimentFactory build;
  ExperimentFiles files;
  // Reads a preset JSON file (File > Open preset); throws InputError naming the file and
  // what is wrong. Empty: this build cannot.
  std::function<PresetInfo(const QString& path)> openPreset;
  // Adds `preset`, or replaces the one of the same name (a file shadows a built-in).
  void put(const PresetInfo& preset) {
    for (auto& p : presets)
      if (p.name == preset.name) {
        p = preset;
        return;
      }
    presets.push_back(preset);
  }
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
// The preset in the JSON file at `path` (Catalog::openPreset); throws InputError.
PresetInfo presetFromFile(const QString& path);
// app/files behind ExperimentFiles (app/worker/experiment_files.cpp, in attent_app).
ExperimentFiles experimentFiles();

}  // namespace attent::app

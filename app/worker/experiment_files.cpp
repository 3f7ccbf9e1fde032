// ExperimentFiles over app/files: what the window's File menu runs in the worker thread.
#include "app/files/experiment_file.h"
#include "app/files/metrics_export.h"
#include "app/files/weights_export.h"
#include "app/worker/catalog.h"

namespace attent::app {

namespace {
ExperimentSource sourceOf(const PresetInfo& preset) {
  ExperimentSource source;
  source.kind = preset.kind;
  source.preset = preset.name;
  source.seed = preset.seed;
  source.title = preset.title;
  source.lesson = preset.lesson;
  return source;
}
}  // namespace

ExperimentFiles experimentFiles() {
  ExperimentFiles files;
  files.save = [](const Experiment& e, const PresetInfo& preset, const QString& path) {
    saveExperiment(e, sourceOf(preset), path);
  };
  files.open = [](const QString& path, PresetInfo* preset) {
    MemoryContext window;  // the window's snapshots and timeline come on top
    window.window = true;
    OpenedExperiment opened = openExperiment(path, window);
    if (preset) {
      preset->name = opened.source.preset;
      preset->kind = opened.source.kind;
      preset->seed = opened.source.seed;
      preset->settings = opened.experiment->settings();
      preset->title = opened.source.title.empty() ? "opened from " + path.toStdString() : opened.source.title;
      preset->lesson = opened.source.lesson;
    }
    return std::move(opened.experiment);
  };
  files.exportMetrics = [](const Experiment& e, const PresetInfo& preset, const QString& directory) {
    exportMetrics(e, long(preset.seed), preset.kind, preset.name, directory);
  };
  files.exportWeights = [](Experiment& e, const PresetInfo& preset, const QString& directory) {
    exportWeights(e, sourceOf(preset), directory);
  };
  return files;
}

}  // namespace attent::app

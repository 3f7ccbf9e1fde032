#include "app/commands/preset_overrides.h"

#include <QTextStream>

#include "engine/teach/experiment_kinds.h"

namespace attent::app {

namespace {

QString words(const std::string& s) { return QString::fromStdString(s); }

// --steps: the run's length, or under the epoch protocol a stop before the plan ends (so a
// quick `--steps N` look works on every preset); --epochs: the plan's length.
std::optional<int> applyLength(const Subcommand& cli, const QString& command, const PresetOverrides& o,
                               const Preset& preset, Settings& settings) {
  const bool epochs = epochProtocol(settings);
  const QString name = words(preset.name);
  if (o.steps > 0 && epochs) {
    if (auto err = settings.set("epochs.stop_step", std::to_string(o.steps)))
      return cli.usageError("--steps: " + words(*err));
    QTextStream(stderr) << command << ": note: preset '" << name
                        << "' trains for a number of epochs; --steps " << o.steps
                        << " stops every arm at that step, before the plan ends, so the arms compared are "
                           "unfinished. --epochs N gives a shorter whole plan.\n";
    return std::nullopt;
  }
  if (o.epochs > 0 && !epochs)
    return cli.usageError("--epochs: preset '" + name +
                          "' trains for a number of steps (the equal-steps comparison); give --steps N, "
                          "or --set experiment.protocol=epochs where its kind has the epoch protocol");
  if (o.steps > 0)
    if (auto err = settings.set("experiment.steps", std::to_string(o.steps)))
      return cli.usageError("--steps: " + words(*err));
  if (o.epochs > 0)
    if (auto err = settings.set("epochs.count", std::to_string(o.epochs)))
      return cli.usageError("--epochs: " + words(*err));
  return std::nullopt;
}

}  // namespace

std::optional<int> loadPresetWithOverrides(const Subcommand& cli, const QString& command,
                                           const PresetOverrides& o, Preset& preset, Settings& settings) {
  try {
    preset = loadPreset(o.preset);
    settings = presetSettings(preset);
  } catch (const std::exception& e) {
    QTextStream(stderr) << command << ": " << e.what() << "\n";
    return 2;
  }
  for (const auto& assignment : o.sets)
    if (auto err = settings.setAssignment(assignment)) {
      QTextStream(stderr) << command << ": --set " << words(assignment) << ": " << words(*err) << "\n";
      if (err->find("valid settings") == std::string::npos)
        QTextStream(stderr) << "valid settings:\n" << words(settings.describe());
      return 2;
    }
  if (auto status = applyLength(cli, command, o, preset, settings)) return status;
  if (!o.data.isEmpty()) {
    if (!settings.has("data.path"))
      return cli.usageError("preset '" + words(preset.name) + "' does not read a data file (--data)");
    if (auto err = settings.set("data.path", o.data.toStdString()))
      return cli.usageError("--data: " + words(*err));
  }
  return std::nullopt;
}

}  // namespace attent::app

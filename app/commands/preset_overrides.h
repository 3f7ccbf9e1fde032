#pragma once
// A preset with the command line's overrides applied, shared by `run` and `export`: --set
// assignments first, then --steps and --epochs, then --data. Under the epoch protocol --steps
// stops every arm early (epochs.stop_step); --epochs on a preset that trains by steps is
// refused, naming what to use instead.
#include <QString>
#include <optional>
#include <string>
#include <vector>

#include "app/commands/subcommand.h"
#include "app/presets/presets.h"
#include "engine/core/settings.h"

namespace attent::app {

struct PresetOverrides {
  QString preset, data;
  std::vector<std::string> sets;
  long steps = 0;   // > 0: --steps given
  long epochs = 0;  // > 0: --epochs given
};

// Loads `o.preset` into `preset` and its settings with the overrides into `settings`;
// nullopt when all hold, else 2 after the message on stderr (`command`: "attent-studio run").
std::optional<int> loadPresetWithOverrides(const Subcommand& cli, const QString& command,
                                           const PresetOverrides& o, Preset& preset, Settings& settings);

}  // namespace attent::app

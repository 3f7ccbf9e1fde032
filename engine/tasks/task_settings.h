#pragma once
// A task's own settings, filled from the caller's: keys the caller does not declare keep
// their documented defaults, and a value the task's range refuses is a SettingsError.
#include "engine/core/input_error.h"
#include "engine/core/settings.h"

namespace attent {

inline Settings taskSettings(std::vector<SettingSpec> specs, const Settings& given) {
  return resolveSettings(std::move(specs), given);
}

}  // namespace attent

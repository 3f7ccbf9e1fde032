#pragma once
// What the user reads when an exception interrupts something (a build, a step, a save, an
// export): never the bare exception text ("std::bad_alloc"). Bad input (InputError,
// SettingsError) already says what is wrong and keeps its message; an allocation failure
// says what ran out and what to change; anything else says what was being done.
#include <exception>
#include <new>
#include <string>

#include "engine/core/input_error.h"

namespace attent::app {

// `doing`: what was under way, "building the experiment", "step 120 of seed 2", ...
inline std::string describeFailure(const std::exception& error, const std::string& doing) {
  if (dynamic_cast<const InputError*>(&error) || dynamic_cast<const SettingsError*>(&error)) return error.what();
  if (dynamic_cast<const std::bad_alloc*>(&error))
    return "ran out of memory while " + doing +
           ": these settings need more memory than the system could give. Lower the batch size, the "
           "sequence length or the model's width, layers or heads (the settings editor shows the estimate "
           "next to Apply), or close other programs, and try again";
  return "an unexpected error stopped " + doing + " (" + error.what() +
         "); if it happens again with these settings, please report it with them";
}

inline bool isBadInput(const std::exception& error) {
  return dynamic_cast<const InputError*>(&error) || dynamic_cast<const SettingsError*>(&error);
}

}  // namespace attent::app

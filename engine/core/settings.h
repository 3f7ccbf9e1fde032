#pragma once
// Named settings with documented defaults and valid ranges. Tasks, learners and
// teachers declare theirs; presets, `run --set key=value` and the window's settings
// editor all go through validate(), so a bad value is refused the same way everywhere.
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/input_error.h"

namespace attent {

struct SettingSpec {
  enum class Type { Int, Real, Bool, Choice, Text };
  std::string key;  // dotted, e.g. "teacher.ratio_end"
  Type type = Type::Real;
  std::string defaultValue;
  double min = 0, max = 0;           // Int and Real: inclusive range
  std::vector<std::string> choices;  // Choice
  std::string help;                  // one sentence, shown as a tooltip and in error messages
  // What the settings editor shows instead of the key: a title in words, its unit ("" for a
  // count or a choice), its group (experiment, data, model, training, teacher), and whether
  // it is folded away with the advanced settings. Empty title: the kind gave none.
  std::string title, unit, group;
  bool advanced = false;

  static SettingSpec integer(std::string key, long def, long min, long max, std::string help);
  static SettingSpec real(std::string key, double def, double min, double max, std::string help);
  static SettingSpec boolean(std::string key, bool def, std::string help);
  static SettingSpec choice(std::string key, std::string def, std::vector<std::string> choices,
                            std::string help);
  static SettingSpec text(std::string key, std::string def, std::string help);

  // Empty when `value` is acceptable, otherwise the reason, naming the valid range.
  std::optional<std::string> validate(const std::string& value) const;
  std::string rangeText() const;  // "integer in [1, 1000]", "one of: sgd, adamw", ...
};

class Settings {
 public:
  Settings() = default;
  explicit Settings(std::vector<SettingSpec> specs);
  void declare(const SettingSpec& spec);  // adds, or replaces a spec with the same key
  void declare(const std::vector<SettingSpec>& specs);

  // Returns an error message (unknown key: lists the valid keys) or empty on success.
  std::optional<std::string> set(const std::string& key, const std::string& value);
  // "key=value"
  std::optional<std::string> setAssignment(const std::string& assignment);

  bool has(const std::string& key) const;
  std::string text(const std::string& key) const;  // throws std::out_of_range on unknown key
  long integer(const std::string& key) const;
  double real(const std::string& key) const;
  bool boolean(const std::string& key) const;

  const std::vector<SettingSpec>& specs() const { return specs_; }
  const SettingSpec* spec(const std::string& key) const;
  // Every key with its current value, in declaration order.
  std::vector<std::pair<std::string, std::string>> values() const;
  // "key  range  (default d): help" lines, for usage errors.
  std::string describe() const;

 private:
  std::vector<SettingSpec> specs_;
  std::map<std::string, std::string> values_;
};

// A boolean setting's value: true, 1, on, yes or false, 0, off, no; empty for anything else.
std::optional<bool> parseBoolean(const std::string& text);

// `specs` at their defaults with the caller's values applied on top: keys the caller does
// not declare keep their documented defaults, so a task or learner can be built from any
// Settings. A value outside a spec's range throws SettingsError naming the range.
Settings resolveSettings(std::vector<SettingSpec> specs, const Settings& given);

// The enum value a choice setting names, parsed in one place per enum: a value outside
// `table` throws SettingsError naming the key and the valid choices (never a silent default).
template <class E>
E choiceOf(const Settings& settings, const std::string& key,
           std::initializer_list<std::pair<const char*, E>> table) {
  const std::string value = settings.text(key);
  std::string valid;
  for (const auto& [name, e] : table) {
    if (value == name) return e;
    valid += (valid.empty() ? "" : ", ") + std::string(name);
  }
  throw SettingsError(key + " is '" + value + "'; valid choices: " + valid);
}

}  // namespace attent

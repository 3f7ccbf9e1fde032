#include "engine/core/settings.h"

#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "engine/core/input_error.h"

namespace attent {
namespace {

std::optional<long> parseInt(const std::string& s) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}
std::optional<double> parseReal(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}
std::string num(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace

std::optional<bool> parseBoolean(const std::string& s) {
  if (s == "true" || s == "1" || s == "on" || s == "yes") return true;
  if (s == "false" || s == "0" || s == "off" || s == "no") return false;
  return std::nullopt;
}

SettingSpec SettingSpec::integer(std::string key, long def, long min, long max, std::string help) {
  SettingSpec s;
  s.key = std::move(key);
  s.type = Type::Int;
  s.defaultValue = std::to_string(def);
  s.min = static_cast<double>(min);
  s.max = static_cast<double>(max);
  s.help = std::move(help);
  return s;
}
SettingSpec SettingSpec::real(std::string key, double def, double min, double max, std::string help) {
  SettingSpec s;
  s.key = std::move(key);
  s.type = Type::Real;
  s.defaultValue = num(def);
  s.min = min;
  s.max = max;
  s.help = std::move(help);
  return s;
}
SettingSpec SettingSpec::boolean(std::string key, bool def, std::string help) {
  SettingSpec s;
  s.key = std::move(key);
  s.type = Type::Bool;
  s.defaultValue = def ? "true" : "false";
  s.help = std::move(help);
  return s;
}
SettingSpec SettingSpec::choice(std::string key, std::string def, std::vector<std::string> choices,
                                std::string help) {
  SettingSpec s;
  s.key = std::move(key);
  s.type = Type::Choice;
  s.defaultValue = std::move(def);
  s.choices = std::move(choices);
  s.help = std::move(help);
  return s;
}
SettingSpec SettingSpec::text(std::string key, std::string def, std::string help) {
  SettingSpec s;
  s.key = std::move(key);
  s.type = Type::Text;
  s.defaultValue = std::move(def);
  s.help = std::move(help);
  return s;
}

std::string SettingSpec::rangeText() const {
  switch (type) {
    case Type::Int:
      return "integer in [" + num(min) + ", " + num(max) + "]";
    case Type::Real:
      return "number in [" + num(min) + ", " + num(max) + "]";
    case Type::Bool:
      return "true or false";
    case Type::Choice: {
      std::string r = "one of:";
      for (const auto& c : choices) r += " " + c;
      return r;
    }
    case Type::Text:
      return "text";
  }
  return {};
}

std::optional<std::string> SettingSpec::validate(const std::string& value) const {
  const std::string bad = "invalid value '" + value + "' for " + key + ": expected " + rangeText();
  switch (type) {
    case Type::Int: {
      auto v = parseInt(value);
      if (!v || *v < min || *v > max) return bad;
      return std::nullopt;
    }
    case Type::Real: {
      auto v = parseReal(value);
      if (!v || *v < min || *v > max) return bad;
      return std::nullopt;
    }
    case Type::Bool:
      if (!parseBoolean(value)) return bad;
      return std::nullopt;
    case Type::Choice:
      for (const auto& c : choices)
        if (c == value) return std::nullopt;
      return bad;
    case Type::Text:
      return std::nullopt;
  }
  return bad;
}

Settings::Settings(std::vector<SettingSpec> specs) { declare(specs); }

void Settings::declare(const SettingSpec& spec) {
  for (auto& s : specs_)
    if (s.key == spec.key) {
      s = spec;
      values_[spec.key] = spec.defaultValue;
      return;
    }
  specs_.push_back(spec);
  values_[spec.key] = spec.defaultValue;
}
void Settings::declare(const std::vector<SettingSpec>& specs) {
  for (const auto& s : specs) declare(s);
}

const SettingSpec* Settings::spec(const std::string& key) const {
  for (const auto& s : specs_)
    if (s.key == key) return &s;
  return nullptr;
}

bool Settings::has(const std::string& key) const { return spec(key) != nullptr; }

std::optional<std::string> Settings::set(const std::string& key, const std::string& value) {
  const SettingSpec* s = spec(key);
  if (!s) {
    std::string msg = "unknown setting '" + key + "'; valid settings:\n" + describe();
    return msg;
  }
  if (auto err = s->validate(value)) return err;
  values_[key] = value;
  return std::nullopt;
}

std::optional<std::string> Settings::setAssignment(const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) return "expected key=value, got '" + assignment + "'";
  return set(assignment.substr(0, eq), assignment.substr(eq + 1));
}

std::string Settings::text(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::out_of_range("no setting '" + key + "'");
  return it->second;
}
long Settings::integer(const std::string& key) const {
  auto v = parseInt(text(key));
  if (!v) throw std::invalid_argument("setting '" + key + "' is not an integer");
  return *v;
}
double Settings::real(const std::string& key) const {
  auto v = parseReal(text(key));
  if (!v) throw std::invalid_argument("setting '" + key + "' is not a number");
  return *v;
}
bool Settings::boolean(const std::string& key) const {
  auto v = parseBoolean(text(key));
  if (!v) throw std::invalid_argument("setting '" + key + "' is not true/false");
  return *v;
}

std::vector<std::pair<std::string, std::string>> Settings::values() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : specs_) out.emplace_back(s.key, values_.at(s.key));
  return out;
}

std::string Settings::describe() const {
  std::string out;
  for (const auto& s : specs_)
    out += "  " + s.key + "  " + s.rangeText() + "  (default " + s.defaultValue + "): " + s.help + "\n";
  return out;
}

Settings resolveSettings(std::vector<SettingSpec> specs, const Settings& given) {
  Settings out(std::move(specs));
  for (const auto& [key, value] : given.values())
    if (out.has(key))
      if (auto err = out.set(key, value)) throw SettingsError(*err);
  return out;
}

}  // namespace attent

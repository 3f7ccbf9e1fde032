#pragma once
// What a loader throws on bad input: a message naming the file, line (and column
// where it helps) and the reason. Callers show what() and keep running.
#include <stdexcept>
#include <string>

namespace attent {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, long line, long column, std::string reason)
      : std::runtime_error(format(file, line, column, reason)),
        file_(std::move(file)), line_(line), column_(column), reason_(std::move(reason)) {}
  explicit InputError(std::string reason) : InputError("", 0, 0, std::move(reason)) {}

  const std::string& file() const { return file_; }
  long line() const { return line_; }
  long column() const { return column_; }
  const std::string& reason() const { return reason_; }

 private:
  static std::string format(const std::string& file, long line, long column, const std::string& reason) {
    std::string where = file;
    if (line > 0) where += (where.empty() ? "line " : ":") + std::to_string(line);
    if (column > 0) where += ":" + std::to_string(column);
    return where.empty() ? reason : where + ": " + reason;
  }
  std::string file_;
  long line_, column_;
  std::string reason_;
};

// An impossible combination of settings (heads not dividing d_model, Q > T, ...).
class SettingsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace attent

#pragma once
// One subcommand's options on QCommandLineParser, with the command line's own messages: a
// usage error prints "PREFIX: what is wrong" and a hint on stderr and exits 2
// (docs/ARCHITECTURE.md "Contracts"); --help / -h prints the usage on stdout and exits 0.
#include <QCommandLineParser>
#include <QStringList>
#include <map>
#include <optional>

namespace attent::app {

class Subcommand {
 public:
  // prefix: "attent-studio run"; usage: for --help and, unless `hint` is given, after an error.
  Subcommand(QString prefix, QString usage, QString hint = {});

  void flag(const QString& name);
  // An option taking a value; `missing` is the message when the value is absent.
  void option(const QString& name, const QString& missing);
  // Declares that the command takes positional arguments (by default one is an error).
  void allowPositional() { allowPositional_ = true; }

  // `args` are the arguments after the subcommand's name. nullopt: parsed, read the values;
  // otherwise the exit status (0 after --help, 2 after a usage error, already reported).
  std::optional<int> parse(const QStringList& args);

  bool isSet(const QString& name) const { return parser_.isSet(name); }
  QString value(const QString& name) const { return parser_.value(name); }
  QStringList values(const QString& name) const { return parser_.values(name); }
  QStringList positional() const { return parser_.positionalArguments(); }

  int usageError(const QString& message) const;  // reports on stderr, returns 2

 private:
  QString prefix_, usage_, hint_;
  QCommandLineParser parser_;
  std::map<QString, QString> missing_;  // option name -> message when its value is absent
  bool allowPositional_ = false;
};

// `text` as a whole number in [min, max], or nullopt.
std::optional<long> integerIn(const QString& text, long min, long max);

}  // namespace attent::app

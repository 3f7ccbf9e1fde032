#include "app/commands/subcommand.h"

#include <QTextStream>

namespace attent::app {

namespace {

// How the user wrote the unknown option `name` (QCommandLineParser drops the dashes).
QString spelling(const QStringList& args, const QString& name) {
  for (const QString& a : args)
    if (a == "--" + name || a.startsWith("--" + name + "=")) return "--" + name;
  return "-" + name;  // one letter of a group of short options
}

}  // namespace

Subcommand::Subcommand(QString prefix, QString usage, QString hint)
    : prefix_(std::move(prefix)), usage_(std::move(usage)), hint_(hint.isEmpty() ? usage_ : std::move(hint)) {
  parser_.addOption(QCommandLineOption(QStringList{"h", "help"}));
}

void Subcommand::flag(const QString& name) { parser_.addOption(QCommandLineOption(name)); }

void Subcommand::option(const QString& name, const QString& missing) {
  parser_.addOption(QCommandLineOption(name, QString(), "value"));
  missing_[name] = missing;
}

int Subcommand::usageError(const QString& message) const {
  QTextStream(stderr) << prefix_ << ": " << message << "\n" << hint_;
  return 2;
}

std::optional<int> Subcommand::parse(const QStringList& args) {
  if (!parser_.parse(QStringList{prefix_} + args)) {
    const QStringList unknown = parser_.unknownOptionNames();
    if (!unknown.isEmpty()) {
      return usageError("unknown option '" + spelling(args, unknown.front()) + "'");
    }
    // QCommandLineParser takes the next argument as a value whatever it looks like, so a
    // missing value can only be the last argument's.
    const QString last = args.value(args.size() - 1);
    if (last.startsWith("--") && missing_.count(last.mid(2))) return usageError(missing_.at(last.mid(2)));
    QString why = parser_.errorText();  // "Unexpected value after '--dark'."
    if (why.endsWith('.')) why.chop(1);
    return usageError(why.left(1).toLower() + why.mid(1));
  }
  if (parser_.isSet("help")) {
    QTextStream(stdout) << usage_;
    return 0;
  }
  if (!allowPositional_ && !positional().isEmpty())
    return usageError(QStringLiteral("unexpected argument '%1'").arg(positional().front()));
  return std::nullopt;
}

std::optional<long> integerIn(const QString& text, long min, long max) {
  bool ok = false;
  const long n = text.toLong(&ok);
  if (!ok || n < min || n > max) return std::nullopt;
  return n;
}

}  // namespace attent::app

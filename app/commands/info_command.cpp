#include "app/commands/info_command.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include "app/commands/subcommand.h"
#include "app/files/experiment_file.h"
#include "app/files/failure.h"

namespace attent::app {

int infoCommand(const QStringList& args) {
  Subcommand cli("attent-studio info", "usage: attent-studio info FILE.attent\n");
  cli.allowPositional();
  if (auto status = cli.parse(args)) return *status;
  if (cli.positional().size() != 1) return cli.usageError("needs exactly one experiment file");
  const QString path = cli.positional().front();
  ExperimentFileInfo info;
  try {
    info = readExperimentInfo(path);
  } catch (const std::exception& e) {
    QTextStream(stderr) << "attent-studio info: "
                        << QString::fromStdString(describeFailure(e, "reading " + path.toStdString())) << "\n";
    return 2;  // a missing, damaged or newer file is bad input
  }
  QTextStream out(stdout);
  out << path << ": AtteNT experiment file, format version " << info.version << ", " << info.fileBytes
      << " bytes, saved " << info.savedAt << "\n";
  out << "kind " << QString::fromStdString(info.source.kind) << ", preset "
      << QString::fromStdString(info.source.preset.empty() ? "-" : info.source.preset) << ", seed "
      << info.source.seed << ", step " << info.step << " of " << info.totalSteps << "\n";
  out << "runs:\n";
  for (const auto& v : QJsonDocument::fromJson(info.runsJson).array()) {
    const QJsonObject r = v.toObject();
    out << QString(
               "  %1  learner %2  teacher %3  %4 parameters in %5 tensors  %6 history points  "
               "%7 examples seen  %8 s compute%9\n")
               .arg(r["name"].toString(), -14)
               .arg(r["learner"].toString())
               .arg(r["teacher"].toString())
               .arg(qint64(r["parameters"].toDouble()))
               .arg(qint64(r["tensors"].toDouble()))
               .arg(qint64(r["history_points"].toDouble()))
               .arg(qint64(r["examples_seen"].toDouble()))
               .arg(r["compute_seconds"].toDouble(), 0, 'f', 2)
               .arg(r["diverged_at"].isNull() ? QString()
                                              : QString("  diverged at %1").arg(r["diverged_at"].toDouble()));
  }
  out << "sections:";
  for (const auto& [tag, bytes] : info.sections)
    out << "  " << QString::fromStdString(tag) << " " << bytes << " B";
  out << "\nsettings:\n";
  for (const auto& [k, v] : info.settings)
    out << "  " << QString::fromStdString(k) << " = " << QString::fromStdString(v) << "\n";
  return 0;
}

}  // namespace attent::app

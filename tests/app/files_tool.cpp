// A headless driver of the files layer without the window's build:
//   files_tool export --preset P ... --out DIR     (as `attent-studio export`)
//   files_tool info FILE.attent                    (as `attent-studio info`)
//   files_tool save PRESET STEPS FILE.attent       (trains seed 1, saves; prints sizes and times)
//   files_tool resume FILE.attent STEPS            (opens, trains STEPS more, prints the last losses)
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

#include "app/commands/export_command.h"
#include "app/commands/info_command.h"
#include "app/files/experiment_file.h"
#include "app/presets/presets.h"

using namespace attent;
using namespace attent::app;

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QStringList args = app.arguments().mid(1);
  const QString command = args.isEmpty() ? QString() : args.takeFirst();
  if (command == "info") return infoCommand(args);
  QTextStream out(stdout);
  try {
    if (command == "save" && args.size() == 3) {
      const Preset preset = loadPreset(args[0]);
      Settings s = presetSettings(preset);
      auto e = buildExperiment(preset.kind, s, 1);
      for (long i = 0, n = args[1].toLong(); i < n && !e->finished(); ++i) e->step();
      QElapsedTimer t;
      t.start();
      saveExperiment(*e, {preset.kind, preset.name, 1}, args[2]);
      const double saveMs = double(t.nsecsElapsed()) / 1e6;
      t.restart();
      auto opened = openExperiment(args[2]);
      out << args[2] << ": " << QFileInfo(args[2]).size() << " bytes, save " << saveMs
          << " ms, open (rebuild + restore) " << double(t.nsecsElapsed()) / 1e6 << " ms\n";
      return 0;
    }
    if (command == "resume" && args.size() == 2) {
      auto opened = openExperiment(args[0]);
      for (long i = 0, n = args[1].toLong(); i < n && !opened.experiment->finished(); ++i)
        opened.experiment->step();
      for (int r = 0; r < opened.experiment->runCount(); ++r)
        out << QString::fromStdString(opened.experiment->runName(r)) << " step "
            << opened.experiment->history(r).back().step << " train_loss "
            << QString::number(opened.experiment->history(r).back().trainLoss, 'g', 9) << "\n";
      return 0;
    }
  } catch (const std::exception& e) {
    QTextStream(stderr) << "files_tool: " << e.what() << "\n";
    return 1;
  }
  if (command != "export") {
    QTextStream(stderr) << "usage: files_tool export|info|save|resume ...\n";
    return 2;
  }
  return exportCommand(args);
}

// A headless driver of the run command for measurements without the window's build:
//   run_tool run --preset P ...   (same arguments as `attent-studio run`)
#include <QCoreApplication>

#include "app/commands/run_command.h"

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QStringList args = app.arguments().mid(1);
  if (!args.isEmpty() && args[0] == "presets") return attent::app::presetsCommand(args.mid(1));
  if (!args.isEmpty() && args[0] == "run") args.removeFirst();
  return attent::app::runCommand(args);
}

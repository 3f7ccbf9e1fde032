// A headless driver of the files commands without the window's build:
//   files_tool export --preset P ... --out DIR     (as `attent-studio export`)
//   files_tool info FILE.attent                    (as `attent-studio info`)
#include <QCoreApplication>

#include "app/commands/export_command.h"
#include "app/commands/info_command.h"

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QStringList args = app.arguments().mid(1);
  const QString command = args.isEmpty() ? QString() : args.takeFirst();
  if (command == "info") return attent::app::infoCommand(args);
  return attent::app::exportCommand(args);
}

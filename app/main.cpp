// attent-studio: a headless subcommand (app/cli.h), or the window or a screenshot
// (windowCommand: ui/window_command.cpp, or app/no_window.cpp in a build without the UI).
#include "app/cli.h"

int main(int argc, char** argv) {
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  const attent::app::CommandLine command = attent::app::runCommandLine(args);
  if (command.status >= 0) return command.status;
  return attent::app::windowCommand(command, argc, argv);
}

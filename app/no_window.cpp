// windowCommand in a build configured with -DATTENT_BUILD_UI=OFF: there is no window to
// open or to take a screenshot of, so both are refused like any other unusable request.
#include <QTextStream>

#include "app/cli.h"

namespace attent::app {

int windowCommand(const CommandLine& command, int&, char**) {
  QTextStream(stderr) << "attent-studio: " << (command.screenshot ? "screenshot" : "the window")
                      << " is not available: this build has no window (configured with "
                         "-DATTENT_BUILD_UI=OFF); the headless commands are run, bench, presets, export, "
                         "info, --version and --help\n";
  return 2;
}

}  // namespace attent::app

#include "app/cli.h"

#include <QTextStream>

namespace attent::app {

int runCommandLine(const QStringList& arguments) {
  if (arguments.size() > 1 && (arguments[1] == "--help" || arguments[1] == "-h")) {
    QTextStream(stdout) << "usage: attent-studio [FILE.attent] | presets | run | bench | screenshot | export | info\n";
    return 0;
  }
  return -1;
}

}  // namespace attent::app

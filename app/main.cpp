// attent-studio: the window, or a headless subcommand (see app/cli.h).
#include <QApplication>

#include "app/cli.h"
#include "ui/main_window.h"

int main(int argc, char** argv) {
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  const int status = attent::app::runCommandLine(args);
  if (status >= 0) return status;
  QApplication application(argc, argv);
  attent::ui::MainWindow window;
  window.show();
  return application.exec();
}

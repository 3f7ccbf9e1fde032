// attent-studio: the window, a screenshot, or a headless subcommand (see app/cli.h).
#include <QApplication>
#include <QIcon>
#include <QTextStream>
#include <exception>

#include "app/cli.h"
#include "app/worker/fake_experiment.h"
#include "ui/main_window.h"
#include "ui/screenshot.h"

namespace {

int fail(const QString& message) {
  QTextStream(stderr) << "attent-studio: " << message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  const attent::app::CommandLine command = attent::app::runCommandLine(args);
  if (command.status >= 0) return command.status;
  // Screenshots need no display.
  if (command.screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication application(argc, argv);
  QApplication::setOrganizationName("AtteNT");
  QApplication::setApplicationName("AtteNT Studio");
  QApplication::setDesktopFileName("attent-studio");
  QApplication::setWindowIcon(QIcon(":/icons/attent-studio.svg"));

  attent::app::Catalog catalog;  // files: filled below
  QString first;
  try {
    if (!command.presetFile.isEmpty()) {
      catalog = attent::app::catalogWithFile(command.presetFile);
      first = QString::fromStdString(catalog.presets.front().name);
    } else if (command.screenshot && !attent::app::builtinCatalog().find(command.preset.toStdString()) &&
               command.preset != "demo") {
      catalog = attent::app::catalogWithFile(command.preset);  // a preset file path
      first = QString::fromStdString(catalog.presets.front().name);
    } else {
      catalog = attent::app::builtinCatalog();
      first = command.preset;
    }
  } catch (const std::exception& error) {
    return fail(error.what());
  }
  // Without the engine's experiments (or with "demo" asked for), synthetic numbers keep
  // the window usable; they are never listed as a preset otherwise.
  if (catalog.presets.empty() || first == "demo") catalog = attent::app::fakeCatalog();
  catalog.files = attent::app::experimentFiles();
  catalog.openPreset = attent::app::presetFromFile;

  attent::ui::WindowOptions options;
  options.persistent = !command.screenshot;
  options.preset = first;
  options.dark = command.dark;
  options.loadPreset = command.experimentFile.isEmpty();
  attent::ui::MainWindow window(std::move(catalog), options);
  if (!command.screenshot) {
    window.show();
    if (!command.experimentFile.isEmpty()) {
      // A file that does not open leaves the usual first preset (after the message box).
      QObject::connect(
          &window, &attent::ui::MainWindow::fileFinished, &window,
          [&window, first](const QString& action, const QString&, const QString& error) {
            if (action == "open" && !error.isEmpty() && window.experimentFile().isEmpty() &&
                window.lastStep() == 0)
              window.loadPreset(first);
          },
          Qt::SingleShotConnection);
      window.openExperimentFile(command.experimentFile);
    }
    return application.exec();
  }
  QString error;
  if (!attent::ui::trainFor(window, command.steps, &error)) return fail("screenshot: " + error);
  if (command.presentation) window.setPresentationMode(true);
  if (command.view == "timeline") {
    if (!window.exportTimelineStrip(command.out, 6, &error)) return fail("screenshot: " + error);
  } else if (!attent::ui::writeView(window, command.view, command.size, command.out, command.scale, &error)) {
    return fail("screenshot: " + error);
  }
  QTextStream(stdout) << command.out << ": " << command.view << " at " << command.size.width() << "x"
                      << command.size.height() << " x" << command.scale << " after " << window.lastStep()
                      << " steps\n";
  return 0;
}

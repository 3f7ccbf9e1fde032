// windowCommand (app/cli.h): the window, optionally opening a file, or a screenshot of it.
#include <QApplication>
#include <QIcon>
#include <QMap>
#include <QTextStream>
#include <exception>

#include "app/cli.h"
#include "app/worker/catalog.h"
#include "ui/main_window.h"
#include "ui/screenshot.h"

namespace attent::app {

namespace {

int fail(const QString& message) {
  QTextStream(stderr) << "attent-studio: " << message << "\n";
  return 2;
}

// The built-in presets, with the preset file asked for (the FILE argument, or a screenshot's
// --preset that names no built-in) first. `first` is the preset to show.
Catalog chooseCatalog(const CommandLine& command, QString& first) {
  Catalog catalog;
  if (!command.presetFile.isEmpty()) {
    catalog = catalogWithFile(command.presetFile);
    first = QString::fromStdString(catalog.presets.front().name);
  } else if (command.screenshot && !builtinCatalog().find(command.preset.toStdString())) {
    catalog = catalogWithFile(command.preset);
    first = QString::fromStdString(catalog.presets.front().name);
  } else {
    catalog = builtinCatalog();
    first = command.preset;
  }
  catalog.files = experimentFiles();
  catalog.openPreset = presetFromFile;
  return catalog;
}

// Opens the experiment file; one that does not open leaves the first preset (after the
// window's message box).
void openFile(ui::MainWindow& window, const QString& path, const QString& first) {
  QObject::connect(
      &window, &ui::MainWindow::fileFinished, &window,
      [&window, first](FileAction action, const QString&, const QString& error) {
        if (action == FileAction::Open && !error.isEmpty() && window.experimentFile().isEmpty() &&
            window.lastStep() == 0)
          window.loadPreset(first);
      },
      Qt::SingleShotConnection);
  window.openExperimentFile(path);
}

using ViewWriter = bool (*)(ui::MainWindow&, const CommandLine&, QString*);

bool viewFigure(ui::MainWindow& window, const CommandLine& c, QString* error) {
  return ui::writeView(window, c.view, c.size, c.out, c.scale, error);
}
bool timelineStrip(ui::MainWindow& window, const CommandLine& c, QString* error) {
  return window.exportTimelineStrip(c.out, 6, error);
}
// The verdict over seeds trains its seeds before it is drawn.
bool verdictFigure(ui::MainWindow& window, const CommandLine& c, QString* error) {
  return ui::verdictFor(window, c.seeds, error) && viewFigure(window, c, error);
}

int screenshot(ui::MainWindow& window, const CommandLine& command) {
  QString error;
  if (!ui::trainFor(window, command.steps, &error)) return fail("screenshot: " + error);
  if (command.presentation) window.setPresentationMode(true);
  // Every other view is its widget's figure.
  const QMap<QString, ViewWriter> writers{{"timeline", timelineStrip}, {"verdict", verdictFigure}};
  if (!writers.value(command.view, viewFigure)(window, command, &error)) return fail("screenshot: " + error);
  QTextStream(stdout) << command.out << ": " << command.view << " at " << command.size.width() << "x"
                      << command.size.height() << " x" << command.scale << " after " << window.lastStep()
                      << " steps\n";
  return 0;
}

}  // namespace

int windowCommand(const CommandLine& command, int& argc, char** argv) {
  // Screenshots need no display.
  if (command.screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication application(argc, argv);
  QApplication::setOrganizationName("AtteNT");
  QApplication::setApplicationName("AtteNT Studio");
  QApplication::setDesktopFileName("attent-studio");
  QApplication::setWindowIcon(QIcon(":/icons/attent-studio.svg"));

  QString first;
  Catalog catalog;
  try {
    catalog = chooseCatalog(command, first);
  } catch (const std::exception& error) {
    return fail(error.what());
  }
  ui::WindowOptions options;
  options.persistent = !command.screenshot;
  options.preset = first;
  options.dark = command.dark;
  options.loadPreset = command.experimentFile.isEmpty();
  ui::MainWindow window(std::move(catalog), options);
  if (command.screenshot) return screenshot(window, command);
  window.show();
  if (!command.experimentFile.isEmpty()) openFile(window, command.experimentFile, first);
  return application.exec();
}

}  // namespace attent::app

#pragma once
// The command line of attent-studio (docs/ARCHITECTURE.md "Contracts"). Headless subcommands
// run here without a display (at most a QCoreApplication); the window and screenshots
// are returned as a request for main() to build with a QApplication.
#include <QSize>
#include <QStringList>

namespace attent::app {

struct CommandLine {
  int status = -1;          // >= 0: a headless command ran (or a usage error): exit with it
  bool screenshot = false;  // else: open the window
  QString presetFile;       // the FILE argument (window) - a preset file
  QString experimentFile;   // the FILE argument when it is an experiment file (.attent)
  // screenshot --preset P --steps N --out FILE.png [--view V] [--size WxH] [--dark]
  QString preset, out, view = "window";
  long steps = 0;
  QSize size{1400, 900};
  double scale = 1.0;  // --scale 1|2|3: PNG device pixels per logical pixel
  bool dark = false;
  bool presentation = false;  // --presentation: larger fonts, thicker lines, high contrast
  int seeds = 3;              // --seeds N: the verdict view's seeds 1..N
};

// Parses `arguments` (argv including the program name) and runs headless commands.
CommandLine runCommandLine(const QStringList& arguments);
QString usageText();

// Opens the window or takes the screenshot `command` asks for; returns the exit status.
// ui/window_command.cpp, or app/no_window.cpp (status 2) in a build without the UI.
int windowCommand(const CommandLine& command, int& argc, char** argv);

}  // namespace attent::app

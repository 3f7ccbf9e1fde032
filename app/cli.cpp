#include "app/cli.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>
#include <climits>

#include "app/commands/bench_command.h"
#include "app/commands/collect_command.h"
#include "app/commands/export_command.h"
#include "app/commands/info_command.h"
#include "app/commands/run_command.h"
#include "app/commands/subcommand.h"
#include "app/files/failure.h"
#include "engine/nn/blas.h"

namespace attent::app {

namespace {

int usageError(const QString& message) {
  QTextStream(stderr) << "attent-studio: " << message << "\nTry 'attent-studio --help'.\n";
  return 2;
}

// Headless commands get a QCoreApplication (resources, QFile, locale) and never a display.
// Whatever escapes a command ends in words and status 1 (bad input: 2), never a bare
// exception text or std::terminate.
template <typename F>
int headless(const QStringList& arguments, const char* name, F&& command) {
  int argc = 1;
  QByteArray program = arguments.value(0, "attent-studio").toLocal8Bit();
  char* argv[] = {program.data(), nullptr};
  QCoreApplication app(argc, argv);
  try {
    return command();
  } catch (const std::exception& error) {
    const std::string doing = "the " + std::string(name) + " command";
    QTextStream(stderr) << "attent-studio " << name << ": " << QString::fromStdString(describeFailure(error, doing))
                        << "\n";
    return isBadInput(error) ? 2 : 1;
  }
}

const char* kScreenshotUsage =
    "usage: attent-studio screenshot --preset P --steps N --out FILE [--view V] [--size WxH] [--scale S]\n"
    "                                [--dark] [--presentation] [--seeds N]\n";

const QStringList kViews = {"window",      "loss",     "attention", "picks",
                            "diagnostics", "settings", "timeline",  "verdict"};

// --steps, --size, --seeds and --scale into `c`; false (after the message) when one is out of range.
bool readScreenshotNumbers(const Subcommand& cli, CommandLine& c) {
  if (cli.isSet("steps")) {
    const QString v = cli.value("steps");
    const auto n = integerIn(v, 0, LONG_MAX);
    if (!n) {
      cli.usageError("--steps needs a non-negative integer, not '" + v + "'");
      return false;
    }
    c.steps = *n;
  }
  if (cli.isSet("size")) {
    const QString v = cli.value("size");
    const QStringList wh = v.split('x');
    const auto w = integerIn(wh.value(0), 200, 8000), h = integerIn(wh.value(1), 150, 8000);
    if (wh.size() != 2 || !w || !h) {
      cli.usageError("--size needs WxH between 200x150 and 8000x8000, not '" + v + "'");
      return false;
    }
    c.size = QSize(int(*w), int(*h));
  }
  if (cli.isSet("seeds")) {
    const auto n = integerIn(cli.value("seeds"), 1, 100);
    if (!n) {
      cli.usageError("--seeds needs an integer from 1 to 100, not '" + cli.value("seeds") + "'");
      return false;
    }
    c.seeds = int(*n);
  }
  if (cli.isSet("scale")) {
    const QString v = cli.value("scale");
    bool ok = false;
    c.scale = v.toDouble(&ok);
    if (!ok || c.scale < 0.5 || c.scale > 4) {
      cli.usageError("--scale needs a number from 0.5 to 4, not '" + v + "'");
      return false;
    }
  }
  return true;
}

CommandLine parseScreenshot(const QStringList& args) {
  CommandLine c;
  c.screenshot = true;
  Subcommand cli("attent-studio: screenshot", kScreenshotUsage, "Try 'attent-studio --help'.\n");
  for (const char* name : {"preset", "out", "view", "steps", "size", "scale", "seeds"})
    cli.option(name, QStringLiteral("--%1 needs a value").arg(name));
  cli.flag("presentation");
  cli.flag("dark");
  if (auto status = cli.parse(args)) {
    c.status = *status;
    return c;
  }
  c.preset = cli.value("preset");
  c.out = cli.value("out");
  if (cli.isSet("view")) c.view = cli.value("view");
  c.presentation = cli.isSet("presentation");
  c.dark = cli.isSet("dark");
  if (!readScreenshotNumbers(cli, c))
    c.status = 2;
  else if (c.preset.isEmpty() || c.out.isEmpty())
    c.status = cli.usageError("needs --preset P and --out FILE.png");
  else if (!kViews.contains(c.view))
    c.status = cli.usageError("unknown view '" + c.view + "' (" + kViews.join(", ") + ")");
  return c;
}

// The subcommands that need no window, by name.
struct Headless {
  const char* name;
  int (*run)(const QStringList& args);
};
const Headless kHeadless[] = {{"run", runCommand},
                              {"presets", presetsCommand},
                              {"bench", benchCommand},
                              {"export", exportCommand},
                              {"info", infoCommand},
                              {"collect", collectCommand}};

}  // namespace

QString usageText() {
  return QStringLiteral(
      "usage: attent-studio [FILE]               open the window (FILE: an experiment file .attent to\n"
      "                                          open, or a preset file to load first)\n"
      "       attent-studio COMMAND [OPTIONS]\n"
      "\n"
      "Trains small attention learners on the CPU and compares a teacher that picks the\n"
      "hardest examples (AtteNT) with random sampling, by wall-clock time to a target loss.\n"
      "\n"
      "commands:\n"
      "  presets                       list the built-in presets: name, title\n"
      "  run --preset P [--data FILE] [--steps N] [--seeds 1,2,3] [--set key=value]...\n"
      "      [--threads N] [--out DIR] [--shard I/N]\n"
      "                                train headless: progress on stderr, a summary table on stdout,\n"
      "                                DIR/metrics.csv and DIR/summary.json; --shard: slice I of N\n"
      "                                of the seeds, into DIR/shard-I-of-N\n"
      "  collect DIR... [--out DIR]    merge the slices of a sharded run into one summary\n"
      "  bench [--model tiny|small|medium]... [--threads N] [--steps N] [--sgemm]\n"
      "                                training throughput, one line per model; --sgemm: the\n"
      "                                GEMM ceiling, a 2048^3 float product over the threads\n"
      "  screenshot --preset P --steps N --out FILE [--view V] [--size WxH] [--scale S] [--dark]\n"
      "      [--presentation] [--seeds N]\n"
      "                                train N steps and save the window (or one view:\n"
      "                                window, loss, attention, picks, diagnostics, settings;\n"
      "                                timeline: the attention timeline strip, 6 steps, PNG;\n"
      "                                verdict: the verdict over seeds 1..N, default 3)\n"
      "                                offscreen; needs no display. FILE .png (S x WxH pixels),\n"
      "                                .svg or .pdf (vector, text kept)\n"
      "  export --preset P [--steps N] [--set key=value]... --out DIR\n"
      "                                write an experiment's results as files\n"
      "  info FILE.attent              what an experiment file holds\n"
      "  --version                     the version, the matrix-product kernels and threads\n"
      "  --help, -h                    this text\n"
      "\n"
      "P is a built-in preset name (see 'presets') or the path of a preset file.\n"
      "Usage errors exit with status 2. Environment: ATTENT_MEASURE_STALLS=1 reports the\n"
      "window's largest event-loop gap, snapshot and replot rates on exit. ATTENT_BLAS=eigen\n"
      "runs the matrix products on Eigen's kernels instead of OpenBLAS; OPENBLAS_CORETYPE picks\n"
      "OpenBLAS's kernel set (default: the best the CPU's flags allow).\n");
}

CommandLine runCommandLine(const QStringList& arguments) {
  CommandLine c;
  if (arguments.size() <= 1) return c;  // the window
  const QString command = arguments[1];
  const QStringList rest = arguments.mid(2);
  for (const Headless& h : kHeadless)
    if (command == h.name) {
      c.status = headless(arguments, h.name, [&] { return h.run(rest); });
      return c;
    }
  if (command == "--help" || command == "-h" || command == "help") {
    QTextStream(stdout) << usageText();
    c.status = 0;
  } else if (command == "--version") {
    QTextStream(stdout) << "attent-studio " << ATTENT_VERSION << "\n"
                        << QString::fromStdString(nn::describeEngine()) << "\n";
    c.status = 0;
  } else if (command == "screenshot") {
    c = parseScreenshot(rest);
  } else if (command.startsWith('-')) {
    c.status = usageError(QStringLiteral("unknown option '%1'").arg(command));
  } else if (QFileInfo(command).isFile()) {
    if (arguments.size() > 2)
      c.status = usageError(QStringLiteral("the window takes one FILE, got more arguments"));
    if (QFileInfo(command).suffix().compare("attent", Qt::CaseInsensitive) == 0)
      c.experimentFile = command;
    else
      c.presetFile = command;
  } else {
    c.status = usageError(QStringLiteral("unknown command or missing file '%1'").arg(command));
  }
  return c;
}

}  // namespace attent::app

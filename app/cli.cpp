#include "app/cli.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

#include "app/commands/bench_command.h"
#include "app/commands/export_command.h"
#include "app/commands/info_command.h"
#include "app/commands/run_command.h"
#include "engine/nn/blas.h"

namespace attent::app {

namespace {

int usageError(const QString& message) {
  QTextStream(stderr) << "attent-studio: " << message << "\nTry 'attent-studio --help'.\n";
  return 2;
}

// Headless commands get a QCoreApplication (resources, QFile, locale) and never a display.
template <typename F>
int headless(const QStringList& arguments, F&& command) {
  int argc = 1;
  QByteArray program = arguments.value(0, "attent-studio").toLocal8Bit();
  char* argv[] = {program.data(), nullptr};
  QCoreApplication app(argc, argv);
  return command();
}

CommandLine parseScreenshot(const QStringList& args) {
  CommandLine c;
  c.screenshot = true;
  for (int i = 0; i < args.size(); ++i) {
    const QString& a = args[i];
    auto value = [&](QString& out) {
      if (i + 1 >= args.size()) {
        c.status = usageError(QStringLiteral("screenshot: %1 needs a value").arg(a));
        return false;
      }
      out = args[++i];
      return true;
    };
    QString v;
    if (a == "--preset") {
      if (!value(c.preset)) return c;
    } else if (a == "--out") {
      if (!value(c.out)) return c;
    } else if (a == "--view") {
      if (!value(c.view)) return c;
    } else if (a == "--steps") {
      if (!value(v)) return c;
      bool ok = false;
      c.steps = v.toLong(&ok);
      if (!ok || c.steps < 0) {
        c.status =
            usageError(QStringLiteral("screenshot: --steps needs a non-negative integer, not '%1'").arg(v));
        return c;
      }
    } else if (a == "--size") {
      if (!value(v)) return c;
      const QStringList wh = v.split('x');
      bool okW = false, okH = false;
      const int w = wh.value(0).toInt(&okW), h = wh.value(1).toInt(&okH);
      if (wh.size() != 2 || !okW || !okH || w < 200 || h < 150 || w > 8000 || h > 8000) {
        c.status = usageError(
            QStringLiteral("screenshot: --size needs WxH between 200x150 and 8000x8000, not '%1'").arg(v));
        return c;
      }
      c.size = QSize(w, h);
    } else if (a == "--scale") {
      if (!value(v)) return c;
      bool ok = false;
      c.scale = v.toDouble(&ok);
      if (!ok || c.scale < 0.5 || c.scale > 4) {
        c.status =
            usageError(QStringLiteral("screenshot: --scale needs a number from 0.5 to 4, not '%1'").arg(v));
        return c;
      }
    } else if (a == "--presentation") {
      c.presentation = true;
    } else if (a == "--dark") {
      c.dark = true;
    } else {
      c.status = usageError(QStringLiteral("screenshot: unknown option '%1'").arg(a));
      return c;
    }
  }
  if (c.preset.isEmpty() || c.out.isEmpty())
    c.status = usageError(QStringLiteral("screenshot needs --preset P and --out FILE.png"));
  else if (!QStringList({"window", "loss", "attention", "picks", "diagnostics", "settings", "timeline"})
                .contains(c.view))
    c.status = usageError(
        QStringLiteral(
            "screenshot: unknown view '%1' (window, loss, attention, picks, diagnostics, settings, timeline)")
            .arg(c.view));
  return c;
}

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
      "      [--threads N] [--out DIR]\n"
      "                                train headless: progress on stderr, a summary table on stdout,\n"
      "                                DIR/metrics.csv and DIR/summary.json\n"
      "  bench [--model tiny|small|medium]... [--threads N] [--steps N]\n"
      "                                training throughput, one line per model\n"
      "  screenshot --preset P --steps N --out FILE [--view V] [--size WxH] [--scale S] [--dark]\n"
      "      [--presentation]          train N steps and save the window (or one view:\n"
      "                                window, loss, attention, picks, diagnostics, settings;\n"
      "                                timeline: the attention timeline strip, 6 steps, PNG)\n"
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
  if (command == "--help" || command == "-h" || command == "help") {
    QTextStream(stdout) << usageText();
    c.status = 0;
  } else if (command == "--version") {
    QTextStream(stdout) << "attent-studio " << ATTENT_VERSION << "\n"
                        << QString::fromStdString(nn::describeEngine()) << "\n";
    c.status = 0;
  } else if (command == "bench") {
    c.status = headless(arguments, [&] { return attent::benchCommand(rest); });
  } else if (command == "run" || command == "presets") {
    c.status =
        headless(arguments, [&] { return command == "run" ? runCommand(rest) : presetsCommand(rest); });
  } else if (command == "screenshot") {
    c = parseScreenshot(rest);
  } else if (command == "export") {
    c.status = headless(arguments, [&] { return exportCommand(rest); });
  } else if (command == "info") {
    c.status = headless(arguments, [&] { return infoCommand(rest); });
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

// Not a test: measures training throughput of a preset through the worker alone and with
// the whole window open (offscreen, every view updating), and the largest event-loop gap.
//   ui_throughput PRESET STEPS
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>
#include <ctime>

#include "app/worker/catalog.h"
#include "ui/loss_view.h"
#include "ui/main_window.h"
#include "ui/stall_meter.h"

using namespace attent;

namespace {
// Wall seconds from "built" to the stop at `steps`.
double timeSteps(app::TrainingController& controller, const app::PresetInfo& preset, long steps) {
  QEventLoop loop;
  QElapsedTimer clock;
  auto a = QObject::connect(&controller, &app::TrainingController::built, &loop, [&] {
    clock.start();
    controller.runUntil(steps);
  });
  auto b = QObject::connect(&controller, &app::TrainingController::runningChanged, &loop, [&](bool running) {
    if (!running) loop.quit();
  });
  controller.build(preset);
  loop.exec();
  QObject::disconnect(a);
  QObject::disconnect(b);
  return clock.nsecsElapsed() * 1e-9;
}
}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  if (argc < 3) {
    QTextStream(stderr) << "usage: ui_throughput PRESET STEPS\n";
    return 2;
  }
  const app::Catalog catalog = app::builtinCatalog();
  const app::PresetInfo* preset = catalog.find(argv[1]);
  if (!preset) {
    QTextStream(stderr) << "unknown preset\n";
    return 2;
  }
  const long steps = atol(argv[2]);
  double headless = 0, windowed = 0, gap = 0, uiCpu = 0;
  {
    app::TrainingController controller(catalog.build);
    headless = timeSteps(controller, *preset, steps);
  }
  {
    ui::WindowOptions options;
    options.persistent = false;
    options.loadPreset = false;
    ui::MainWindow window(catalog, options);
    window.resize(1400, 900);
    window.show();
    ui::StallMeter meter;
    timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    windowed = timeSteps(window.controller(), *preset, steps);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    gap = meter.largestGapMs();
    uiCpu = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  }
  QTextStream(stdout) << argv[1] << ": " << steps << " steps, worker alone " << headless << " s ("
                      << steps / headless << " steps/s), window open " << windowed << " s ("
                      << steps / windowed << " steps/s), ratio " << headless / windowed
                      << ", largest event-loop gap " << gap << " ms, UI thread CPU " << uiCpu << " s\n";
  return 0;
}

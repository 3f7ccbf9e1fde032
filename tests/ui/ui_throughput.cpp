// Not a test: measures training throughput of a preset through the worker alone and with
// the whole window open (offscreen, every view updating), and, in separate windowed runs, the
// largest event-loop gap.
//   ui_throughput PRESET STEPS [REPEATS]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>
#include <algorithm>
#include <ctime>
#include <optional>
#include <utility>
#include <vector>

#include "app/worker/catalog.h"
#include "ui/loss_view.h"
#include "ui/main_window.h"
#include "ui/paint_util.h"
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
  // The run lasts STEPS steps even where the preset stops earlier (scb: 3,000).
  app::PresetInfo measured = *preset;
  if (measured.settings.has("experiment.steps") && measured.settings.set("experiment.steps", argv[2])) {
    QTextStream(stderr) << "bad STEPS\n";
    return 2;
  }
  preset = &measured;
  const int repeats = argc > 3 ? std::max(1, atoi(argv[3])) : 5;
  // Alternating headless / windowed runs, medians of each: the machine's speed drifts
  // from run to run by more than the difference being measured.
  std::vector<double> headless, windowed, uiCpu, cpuAlone, cpuWindow;
  auto processCpu = [] {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
  };
  // The gap meter's 5 ms timer wakes the UI thread 200 times a second, and each wake takes a
  // core from training (its other thread then waits at the next barrier): runs with the meter
  // give the largest gap only; the ratio and the CPU times come from runs without it.
  auto windowRun = [&](bool meterOn, double& uiSeconds) {
    ui::WindowOptions options;
    options.persistent = false;
    options.loadPreset = false;
    ui::MainWindow window(catalog, options);
    window.resize(1400, 900);
    window.show();
    std::optional<ui::StallMeter> meter;
    if (meterOn) meter.emplace();
    const qint64 ui0 = ui::threadCpuNs();
    const double seconds = timeSteps(window.controller(), *preset, steps);
    uiSeconds = (ui::threadCpuNs() - ui0) * 1e-9;
    return std::pair(seconds, meter ? meter->largestGapMs() : 0.0);
  };
  double gap = 0;
  for (int rep = 0; rep < repeats; ++rep) {
    {
      app::TrainingController controller(catalog.build);
      const double c0 = processCpu();
      headless.push_back(timeSteps(controller, *preset, steps));
      cpuAlone.push_back(processCpu() - c0);
    }
    double ui = 0;
    const double c0 = processCpu();
    windowed.push_back(windowRun(false, ui).first);
    cpuWindow.push_back(processCpu() - c0);
    uiCpu.push_back(ui);
    gap = std::max(gap, windowRun(true, ui).second);
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
  };
  const double h = median(headless), w = median(windowed);
  QTextStream(stdout) << argv[1] << ": " << steps << " steps x " << repeats << ", median worker alone " << h
                      << " s (" << steps / h << " steps/s), window open " << w << " s (" << steps / w
                      << " steps/s), ratio " << h / w << ", largest event-loop gap " << gap
                      << " ms, UI thread CPU (median) " << median(uiCpu) << " s, process CPU (median) alone "
                      << median(cpuAlone) << " s, window " << median(cpuWindow) << " s\n";
  return 0;
}

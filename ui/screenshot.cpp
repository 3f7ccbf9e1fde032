#include "ui/screenshot.h"

#include <QApplication>
#include <QDockWidget>
#include <QEventLoop>

#include "ui/export/figure_export.h"
#include "ui/main_window.h"
#include "ui/seed_verdict_action.h"

namespace attent::ui {

bool trainFor(MainWindow& window, long steps, QString* error) {
  auto& controller = window.controller();
  bool failed = false;
  {
    // The build was queued by loadPreset(); wait for its answer.
    QEventLoop loop;
    auto a = QObject::connect(&controller, &app::TrainingController::built, &loop, &QEventLoop::quit);
    auto b = QObject::connect(&controller, &app::TrainingController::buildFailed, &loop,
                              [&](const QString& message) {
                                failed = true;
                                if (error) *error = message;
                                loop.quit();
                              });
    loop.exec();
    QObject::disconnect(a);
    QObject::disconnect(b);
  }
  if (failed) return false;
  QEventLoop loop;
  auto c = QObject::connect(&controller, &app::TrainingController::runningChanged, &loop, [&](bool running) {
    if (!running) loop.quit();
  });
  controller.runUntil(steps);
  loop.exec();
  QObject::disconnect(c);
  QApplication::processEvents();  // the last snapshot arrived before the stop signal
  return true;
}

bool verdictFor(MainWindow& window, int seeds, QString* error) {
  VerdictOverSeeds& verdict = window.verdictOverSeeds();
  QString failure;
  QEventLoop loop;
  auto a = QObject::connect(&verdict.runner(), &app::SeedVerdictRunner::failed, &loop,
                            [&](const QString& message) { failure = message; });
  auto b = QObject::connect(&verdict.runner(), &app::SeedVerdictRunner::finished, &loop, &QEventLoop::quit);
  const bool started = verdict.run(seeds);
  if (started) loop.exec();
  QObject::disconnect(a);
  QObject::disconnect(b);
  QApplication::processEvents();  // the view has the last seed's result
  if (!started)
    failure = QStringLiteral("this experiment does not train by epochs: it has no verdict over seeds");
  if (error) *error = failure;
  return failure.isEmpty();
}

namespace {
QWidget* layOut(MainWindow& window, const QString& view, QSize size) {
  QWidget* widget = window.viewWidget(view);
  if (!widget) return nullptr;
  if (widget == &window) {
    window.resize(size);
    window.show();
  } else {
    // One view alone: float its dock (or hide the docks around a central view).
    window.show();
    bool docked = false;
    for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
      if (dock->isAncestorOf(widget)) {
        dock->setFloating(true);
        dock->show();
        dock->resize(size);
        docked = true;
      } else {
        dock->hide();
      }
    }
    if (!docked) window.resize(size);
  }
  QApplication::processEvents();
  window.flushViews();
  QApplication::processEvents();
  return widget;
}
}  // namespace

QImage renderView(MainWindow& window, const QString& view, QSize size, double scale) {
  QWidget* widget = layOut(window, view, size);
  return widget ? renderFigure(widget, size, scale) : QImage();
}

bool writeView(MainWindow& window, const QString& view, QSize size, const QString& path, double scale,
               QString* error) {
  QWidget* widget = layOut(window, view, size);
  if (!widget) {
    if (error) *error = QStringLiteral("unknown view '%1'").arg(view);
    return false;
  }
  return exportFigure(widget, path, size, scale, error, QStringLiteral("AtteNT Studio: %1").arg(view));
}

}  // namespace attent::ui

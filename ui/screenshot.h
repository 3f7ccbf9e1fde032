#pragma once
// `attent-studio screenshot`: train a preset N steps in the window's own worker, then
// render the window or one view to a PNG (works on Qt's offscreen platform).
#include <QImage>
#include <QSize>
#include <QString>

namespace attent::ui {

class MainWindow;

// Waits (in a local event loop) for the experiment to be built and to reach `steps`.
// Returns false with `error` set if the build failed.
bool trainFor(MainWindow& window, long steps, QString* error);
// Runs the verdict over seeds 1..seeds of the window's preset and waits for its end. Returns
// false with `error` set if the preset has no verdict over seeds or a seed failed.
bool verdictFor(MainWindow& window, int seeds, QString* error);
// Lays out the window at `size` (one view: that view alone at `size`) and renders it.
// Goes through the figure export (ui/export/figure_export.h) at `scale`.
QImage renderView(MainWindow& window, const QString& view, QSize size, double scale = 1.0);
// Lays out as renderView and writes `path` as PNG (at `scale`), SVG or PDF by its suffix.
bool writeView(MainWindow& window, const QString& view, QSize size, const QString& path, double scale,
               QString* error);

}  // namespace attent::ui

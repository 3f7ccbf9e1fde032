#pragma once
// Small painting helpers shared by the custom-painted views: colour scales, heatmaps,
// legends, run colours. Heatmaps go through a QImage (one pixel per cell) scaled
// without smoothing, so a 64x64 map costs one drawImage.
#include <QColor>
#include <QPainter>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <QtGlobal>
#include <string>
#include <vector>

#include "engine/teach/run_role.h"

namespace attent::ui {

// Sequential scale for t in [0, 1] (viridis-like); diverging scale for t in [-1, 1].
QColor sequentialColor(double t);
QColor divergingColor(double t);
// Attention drawn over ink (a digit, a word): clear to translucent red as t goes 0 to 1, so the
// ink stays legible under the strongest weight.
QColor attentionHeat(double t);
// A run's colour: its role's (AtteNT orange, the baseline blue, the controls grey and green),
// else the palette's colour for its index.
QColor runColor(int run, RunRole role = RunRole::Other);
// A run's name as a reader says it: "attent" is AtteNT, the others keep theirs.
QString runTitle(const std::string& name);

// data is rows x cols, row-major. lo/hi map to the ends of the scale (diverging: +-hi).
QImage heatmapImage(int rows, int cols, const float* data, float lo, float hi, bool diverging);
void drawHeatmap(QPainter& p, const QRectF& rect, int rows, int cols, const float* data, float lo, float hi,
                 bool diverging);
// A vertical colour bar with its end values.
void drawLegend(QPainter& p, const QRectF& rect, float lo, float hi, bool diverging, const QString& title);
QString compactNumber(double v);
// A hover's tooltip at the mouse: `text`, or none when it is empty.
void showHoverTip(QWidget* widget, QPointF globalPos, const QString& text);

// CPU time of the calling thread in ns (idle time excluded): what the UI thread costs training.
qint64 threadCpuNs();
// Time spent painting the custom views (UI thread), for the ATTENT_MEASURE_STALLS report:
// construct one at the top of a paintEvent.
struct PaintCost {
  PaintCost();
  ~PaintCost();
  static qint64 totalNs();  // since the program started
  qint64 start;
};

}  // namespace attent::ui

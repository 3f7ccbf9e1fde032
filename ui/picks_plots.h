#pragma once
// The small charts of the teacher's picks dock, one widget class per kind of plot, and the
// axis helpers they share (ticks on 1, 2, 5 x 10^k, units in words, titles that fit).
//   ScoreHistogram  the pool's scores, the selected ones in orange, the threshold marked
//   RatioPlot       the kept fraction of the pool over steps, the current point marked
// epoch_plots.h has the epoch budget's cycle timeline and class shares.
#include <QWidget>
#include <vector>

#include "engine/teach/snapshot.h"

namespace attent::ui {

struct LegendSwatch {
  QString label;
  QColor colour;
  QString glyph = {};  // drawn in `colour` instead of a filled square when set
};

// A small chart's plot rectangle in `area`: the title and legend lines above it, a tick-label
// line below, `left` and `right` room for vertical axes' labels.
QRectF plotRect(const QRectF& area, const QFontMetricsF& fm, int linesAbove, double left, double right);
// `text` on line `line` (0 = top) of `area`, the font shrunk until it fits the width.
void drawFittedLine(QPainter& p, const QRectF& area, int line, const QString& text, const QColor& colour,
                    bool bold = false);
// Coloured squares with their words on line `line` of `area`, shrunk to fit.
void drawSwatches(QPainter& p, const QRectF& area, int line, const std::vector<LegendSwatch>& swatches,
                  const QPalette& pal);
// Ticks on nice numbers under `plot` from lo to hi, `unit` at the right end of the labels;
// `whole`: no tick between whole numbers (epochs, steps).
void drawXAxis(QPainter& p, const QRectF& plot, double lo, double hi, const QString& unit,
               const QPalette& pal, bool whole = false);
// Percent ticks from 0 to `top` (a fraction) beside `plot`, left or right.
void drawPercentAxis(QPainter& p, const QRectF& plot, double top, bool right, const QPalette& pal);
double percentAxisWidth(const QFontMetricsF& fm);

class ScoreHistogram : public QWidget {
 public:
  explicit ScoreHistogram(QWidget* parent = nullptr) : QWidget(parent) {}
  void setScores(std::vector<float> scores, double threshold);
  QSize minimumSizeHint() const override { return {180, 90}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  std::vector<float> scores_;
  double threshold_ = kNoValue;
};

class RatioPlot : public QWidget {
 public:
  explicit RatioPlot(QWidget* parent = nullptr) : QWidget(parent) {}
  void setSchedule(std::vector<std::pair<long, double>> schedule, long step, double ratio, long totalSteps,
                   QColor colour);
  QSize minimumSizeHint() const override { return {180, 90}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  std::vector<std::pair<long, double>> schedule_;
  long step_ = 0, totalSteps_ = 1;
  double ratio_ = 1;
  QColor colour_;
};

}  // namespace attent::ui

#pragma once
// Painters of the panels the learners describe (DiagnosticPanel, engine/learners/learner.h):
// one function per panel kind (diagnostic_panels_*.cpp), sharing the header, the axes and the
// hover of this file. They draw what the description and the snapshot say and know no key:
// the words on screen are the description's titles and units.
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/teach/snapshot.h"

namespace attent::ui {

// One panel as the view lays it out: a described panel and, for a heatmap drawn once per run,
// the run (an index into the snapshot's runs); -1 for panels that show every run at once.
struct PanelCell {
  const DiagnosticPanel* panel = nullptr;
  int run = -1;
};

// What the painters read. `shown` is the scrubbed-to frame (or live) for heatmaps and point
// sets; series over steps and the curves come from `live`.
struct PanelInput {
  const Snapshot& live;
  const Snapshot& shown;
  long cursorStep = -1;  // the scrubbed-to step, marked on series over steps; -1 live
  QPalette palette;
  QFont font;  // the painter's, for layouts computed outside a paint (hover)
};

// ---- the header: the title in bold, then the unit, the scale, the line styles and the
// parameters, both word-wrapped to the width (never elided).
QString panelTitle(const PanelCell& cell, const PanelInput& in);
QString panelSubtitle(const PanelCell& cell, const PanelInput& in);
double headerHeight(const PanelCell& cell, const PanelInput& in, double width);
void paintHeader(QPainter& p, const QRectF& header, const PanelCell& cell, const PanelInput& in);
// The tooltip of a panel: its note, then the keys it shows.
QString panelTooltip(const PanelCell& cell);

// ---- the plot below the header, one painter per kind.
void paintPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in);
void paintLinesPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in);
void paintHeatmapPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in);
void paintScatterPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in);
void paintCurvesPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in);
// Curves: the series nearest `pos` (within 12 px): its title, x and y; elsewhere in the plot
// the panel's note; outside it empty.
QString curvesHover(const QRectF& area, const PanelCell& cell, const PanelInput& in, QPointF pos);
// Where the curves panel in `area` puts its plot, and sample i of series k in it (tests).
QRectF curvesPlotRect(const QRectF& area, const PanelCell& cell, const PanelInput& in);
QPointF curvesPoint(const QRectF& area, const PanelCell& cell, const PanelInput& in, int series, int i);

// ---- shared by the painters
// The colour of run `run` of the snapshot (by its index and name).
QColor runColour(const Snapshot& s, int run);
// A Curves series titled like a run takes that run's colour (the view's run legend names it);
// else the k-th run colour, with `named` false.
QColor seriesColour(const Snapshot& s, const DiagnosticSeries& series, int k, bool* named = nullptr);
// Run `run`'s scalar `key` over steps: its values at the evaluations so far, then now.
std::vector<std::pair<long, double>> seriesOf(const RunSnapshot& run, const std::string& key);
// The first run's scalar / points under `key`, or null.
const double* firstScalar(const Snapshot& s, const std::string& key);
const std::vector<std::pair<float, float>>* firstPoints(const Snapshot& s, const std::string& key);

// An axis: its range, log or linear, and the ticks (1, 2, 5 x 10^k) with their labels.
struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  std::vector<double> ticks;
  QStringList labels;
  double fraction(double v) const;  // 0 at lo, 1 at hi
};
// Linear, with at most maxTicks ticks; `widen` moves the ends out to the nearest ticks (a y axis
// with a number at either end), else the range is the data's (an x axis ending at the last step).
Axis linearAxis(double lo, double hi, int maxTicks, bool widen = true);
// Log (lo > 0): from the decade at or below lo to the one at or above hi; ticks at decades
// (every other one when they crowd), with 2 and 5 between when there are few.
Axis logAxis(double lo, double hi, int maxTicks);
QString logTickLabel(double value);  // 0.01, 200, 10⁻⁵, 2×10⁶

// A plot's rectangle in an area, after the margins its axes' labels need.
struct Plot {
  QRectF rect;
  Axis x, y;
  QPointF map(double xv, double yv) const;
};
// Where a plot goes in `area`: tick labels left and below, a line for the x title under them.
Plot layoutPlot(const QRectF& area, Axis x, Axis y, bool xTitle, const QFontMetricsF& fm);
// Lays the plot out and draws its frame, grid, ticks and x title (the y axis' words are in the
// header).
Plot drawPlot(QPainter& p, const QRectF& area, Axis x, Axis y, const QString& xTitle, const QPalette& pal);
// Ticks that fit: about one per `spacing` pixels of `length`.
int ticksFor(double length, double spacing);

}  // namespace attent::ui

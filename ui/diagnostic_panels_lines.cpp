// Lines: each series a scalar over training steps (its values at the evaluations, then now), one
// colour per run, dashed as described; log or linear y; the scrubbed-to step as a dashed cursor.
#include <QCoreApplication>
#include <QPainterPath>
#include <cmath>

#include "ui/diagnostic_panels.h"

namespace attent::ui {

namespace {
// What the engine detected in each run's series (the SCB plateau's end, its second stage): a
// dotted line in the run's colour at the step, labelled in that colour from the bottom up, one
// line of text per run and marker so none covers another; a label with no room is left out.
void paintRunMarkers(QPainter& p, const Plot& plot, const DiagnosticPanel& panel, const PanelInput& in) {
  const QFontMetricsF fm(p.font());
  int line = 0;
  for (std::size_t r = 0; r < in.live.runs.size(); ++r) {
    const RunSnapshot& run = in.live.runs[r];
    const std::vector<DiagnosticMarker>* marks = nullptr;
    for (const DiagnosticSeries& s : panel.series)
      if (auto it = run.diagnosticMarkers.find(s.key); !marks && it != run.diagnosticMarkers.end())
        marks = &it->second;
    if (!marks) continue;
    const QColor colour = runColour(in.live, int(r));
    for (const DiagnosticMarker& m : *marks) {
      if (m.x < plot.x.lo || m.x > plot.x.hi) continue;
      const double x = plot.map(m.x, plot.y.lo).x();
      p.setPen(QPen(colour, 1.2, Qt::DotLine));
      p.drawLine(QPointF(x, plot.rect.top()), QPointF(x, plot.rect.bottom()));
      const QString label = QString::fromStdString(m.label);
      const double w = fm.horizontalAdvance(label) + 2, y = plot.rect.bottom() - (++line) * fm.height() - 2;
      const bool right = x + 3 + w < plot.rect.right();
      const QRectF box(right ? x + 3 : x - 3 - w, y, w, fm.height());
      if (box.left() < plot.rect.left() || box.top() < plot.rect.top()) continue;
      QColor behind = in.palette.base().color();
      behind.setAlpha(200);
      p.fillRect(box, behind);
      p.setPen(colour);
      p.drawText(box, Qt::AlignCenter, label);
    }
  }
}
}  // namespace

void paintLinesPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in) {
  const DiagnosticPanel& panel = *cell.panel;
  const bool wantLog = panel.yScale == AxisScale::Log;
  // series[k][r]: series k of the panel in run r.
  std::vector<std::vector<std::vector<std::pair<long, double>>>> series;
  double lo = INFINITY, hi = -INFINITY;
  long last = 1;
  for (const DiagnosticSeries& s : panel.series) {
    auto& byRun = series.emplace_back();
    for (const RunSnapshot& run : in.live.runs)
      for (auto [step, v] : byRun.emplace_back(seriesOf(run, s.key))) {
        if (!std::isfinite(v) || (wantLog && v <= 0)) continue;
        lo = std::min(lo, v), hi = std::max(hi, v), last = std::max(last, step);
      }
  }
  const bool log = wantLog && std::isfinite(lo);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  const QFontMetricsF fm(p.font());
  const Axis x = linearAxis(0, double(last), ticksFor(area.width() - 40, 45), false);
  const int yTicks = ticksFor(area.height() - 2 * fm.height(), 2.2 * fm.height());
  const Axis y = log ? logAxis(lo, hi, yTicks) : linearAxis(lo, hi, yTicks);
  const Plot plot =
      drawPlot(p, area, x, y, QCoreApplication::translate("attent::ui::DiagnosticPanels", "training step"),
               in.palette);
  p.save();
  p.setClipRect(plot.rect.adjusted(-1, -1, 1, 1));
  for (std::size_t k = 0; k < series.size(); ++k)
    for (std::size_t r = 0; r < series[k].size(); ++r) {
      QPainterPath path;
      for (auto [step, v] : series[k][r]) {
        if (!std::isfinite(v) || (log && v <= 0)) continue;
        const QPointF pt = plot.map(double(step), v);
        path.elementCount() ? path.lineTo(pt) : path.moveTo(pt);
      }
      const QColor colour = runColour(in.live, int(r));
      p.setPen(QPen(colour, 1.6, panel.series[k].dashed ? Qt::DashLine : Qt::SolidLine));
      p.drawPath(path);
      if (path.elementCount() == 1) {  // one value so far: a dot
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawEllipse(path.currentPosition(), 2.5, 2.5);
        p.setBrush(Qt::NoBrush);
      }
    }
  paintRunMarkers(p, plot, panel, in);
  if (in.cursorStep >= 0 && in.cursorStep <= plot.x.hi) {
    const double xx = plot.map(double(in.cursorStep), plot.y.lo).x();
    p.setPen(QPen(in.palette.text().color(), 1.0, Qt::DashLine));
    p.drawLine(QPointF(xx, plot.rect.top()), QPointF(xx, plot.rect.bottom()));
  }
  p.restore();
}

}  // namespace attent::ui

// Scatter: each run's point set in its colour over the described theory curve (dashed), on
// linear axes from 0 (or the lowest x) to a little past the largest point.
#include <QPainterPath>
#include <cmath>

#include "ui/diagnostic_panels.h"

namespace attent::ui {

void paintScatterPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in) {
  const DiagnosticPanel& panel = *cell.panel;
  using Points = std::vector<std::pair<float, float>>;
  std::vector<std::pair<int, const Points*>> sets;  // (run, points)
  double xlo = 0, xhi = 1e-6, ylo = 0, yhi = 1e-6;
  for (std::size_t r = 0; r < in.shown.runs.size(); ++r)
    for (const DiagnosticSeries& series : panel.series) {
      auto it = in.shown.runs[r].diagnostics.points.find(series.key);
      if (it == in.shown.runs[r].diagnostics.points.end()) continue;
      sets.push_back({int(r), &it->second});
      for (auto [x, y] : it->second)
        if (std::isfinite(x) && std::isfinite(y))
          xlo = std::min<double>(xlo, x), xhi = std::max<double>(xhi, x), ylo = std::min<double>(ylo, y),
          yhi = std::max<double>(yhi, y);
    }
  const Points* theory = panel.theory ? firstPoints(in.shown, panel.theory->key) : nullptr;
  if (theory)  // the curve over the points' x range sets the y range too
    for (auto [x, y] : *theory)
      if (x <= xhi * 1.05 && std::isfinite(y)) yhi = std::max<double>(yhi, y);
  const QFontMetricsF fm(p.font());
  const Axis xa = linearAxis(xlo, xhi * 1.05, ticksFor(area.width() - 60, 60), false);
  const Axis ya = linearAxis(ylo, yhi * 1.05, ticksFor(area.height() - 2 * fm.height(), 2.2 * fm.height()));
  const Plot plot = drawPlot(p, area, xa, ya, QString::fromStdString(panel.xAxis), in.palette);
  p.save();
  p.setClipRect(plot.rect.adjusted(-1, -1, 1, 1));
  if (theory) {
    QPainterPath curve;
    bool started = false;
    for (auto [x, y] : *theory) {
      if (!std::isfinite(y) || x > plot.x.hi) continue;
      const QPointF pt = plot.map(x, y);
      started ? curve.lineTo(pt) : curve.moveTo(pt);
      started = true;
    }
    p.setPen(QPen(in.palette.text().color(), 1.2, Qt::DashLine));
    p.drawPath(curve);
  }
  p.setPen(Qt::NoPen);
  for (auto [run, points] : sets) {
    // Live and scrubbed snapshots list the same runs; colour by the live run of that name.
    int colourRun = run;
    for (std::size_t i = 0; i < in.live.runs.size(); ++i)
      if (in.live.runs[i].name == in.shown.runs[run].name) colourRun = int(i);
    p.setBrush(runColour(in.live, colourRun));
    for (auto [x, y] : *points)
      if (std::isfinite(x) && std::isfinite(y)) p.drawEllipse(plot.map(x, y), 3, 3);
  }
  p.restore();
}

}  // namespace attent::ui

// Curves: (x, y) curves the engine computed once (the mosaic toy), each in the colour of the run
// it is titled after, with their legend, vertical markers and a hover naming the nearest one.
#include <QCoreApplication>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "ui/diagnostic_panels.h"
#include "ui/paint_util.h"

namespace attent::ui {

namespace {
using Points = std::vector<std::pair<float, float>>;

struct CurvesLayout {
  std::vector<const Points*> curves;  // per series, null where the snapshot lacks it
  Plot plot;
};

CurvesLayout curvesLayout(const QRectF& area, const PanelCell& cell, const PanelInput& in,
                          const QFontMetricsF& fm) {
  const DiagnosticPanel& panel = *cell.panel;
  CurvesLayout l;
  double xlo = 0, xhi = 1e-6, ylo = 0, yhi = 1e-6;
  for (const DiagnosticSeries& series : panel.series) {
    const Points* points = firstPoints(in.live, series.key);
    l.curves.push_back(points);
    if (points)
      for (auto [x, y] : *points)
        if (std::isfinite(x) && std::isfinite(y))
          xlo = std::min<double>(xlo, x), xhi = std::max<double>(xhi, x), ylo = std::min<double>(ylo, y),
          yhi = std::max<double>(yhi, y);
  }
  l.plot = layoutPlot(area, linearAxis(xlo, xhi, ticksFor(area.width() - 60, 60), false),
                      linearAxis(ylo, yhi, ticksFor(area.height() - 2 * fm.height(), 2.2 * fm.height())),
                      !panel.xAxis.empty(), fm);
  return l;
}

// The sample of `curve` at or just before x.
std::size_t indexAt(const Points& curve, double x) {
  auto it =
      std::lower_bound(curve.begin(), curve.end(), x, [](const auto& pt, double v) { return pt.first < v; });
  return std::min<std::size_t>(curve.size() - 1, std::size_t(it - curve.begin()));
}

// The series' titles and line styles, bottom right (the curves rise from the bottom left);
// not needed when every series is named after a run (the view's run legend says its colour).
void drawLegend(QPainter& p, const QRectF& plot, const DiagnosticPanel& panel, const PanelInput& in) {
  bool allRuns = true;
  for (std::size_t k = 0; k < panel.series.size(); ++k) {
    bool named = false;
    seriesColour(in.live, panel.series[k], int(k), &named);
    allRuns = allRuns && named;
  }
  if (allRuns) return;
  const QFontMetricsF fm(p.font());
  double w = 0;
  for (const DiagnosticSeries& s : panel.series)
    w = std::max(w, fm.horizontalAdvance(QString::fromStdString(s.title)));
  const double rowH = fm.height();
  const QSizeF size(w + 26, rowH * panel.series.size() + 4);
  const QRectF box(plot.right() - 4 - size.width(), plot.bottom() - 4 - size.height(), size.width(),
                   size.height());
  if (box.top() < plot.top() || box.left() < plot.left()) return;
  QColor veil = in.palette.base().color();
  veil.setAlphaF(0.85);
  p.fillRect(box, veil);
  for (std::size_t k = 0; k < panel.series.size(); ++k) {
    const DiagnosticSeries& s = panel.series[k];
    const double y = box.top() + 2 + rowH * (k + 0.5);
    p.setPen(QPen(seriesColour(in.live, s, int(k)), 2.0, s.dashed ? Qt::DashLine : Qt::SolidLine));
    p.drawLine(QPointF(box.left() + 3, y), QPointF(box.left() + 17, y));
    p.setPen(in.palette.text().color());
    p.drawText(QRectF(box.left() + 21, y - rowH / 2, w + 4, rowH), Qt::AlignLeft | Qt::AlignVCenter,
               QString::fromStdString(s.title));
  }
}
}  // namespace

QRectF curvesPlotRect(const QRectF& area, const PanelCell& cell, const PanelInput& in) {
  return curvesLayout(area, cell, in, QFontMetricsF(in.font)).plot.rect;
}

QPointF curvesPoint(const QRectF& area, const PanelCell& cell, const PanelInput& in, int series, int i) {
  const CurvesLayout l = curvesLayout(area, cell, in, QFontMetricsF(in.font));
  const Points* c = l.curves.at(series);
  return c ? l.plot.map((*c)[i].first, (*c)[i].second) : QPointF();
}

void paintCurvesPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in) {
  const DiagnosticPanel& panel = *cell.panel;
  const QFontMetricsF fm(p.font());
  const CurvesLayout l = curvesLayout(area, cell, in, fm);
  const Plot plot = drawPlot(p, area, l.plot.x, l.plot.y, QString::fromStdString(panel.xAxis), in.palette);
  p.save();
  p.setClipRect(plot.rect.adjusted(-1, -1, 1, 1));
  for (const DiagnosticMarker& m : panel.markers) {
    const double x = plot.map(m.x, plot.y.lo).x();
    p.setPen(QPen(in.palette.mid().color(), 1, Qt::DotLine));
    p.drawLine(QPointF(x, plot.rect.top()), QPointF(x, plot.rect.bottom()));
    const QString label = QString::fromStdString(m.label);
    if (x + 3 + fm.horizontalAdvance(label) < plot.rect.right()) {
      p.setPen(in.palette.placeholderText().color());
      p.drawText(QPointF(x + 3, plot.rect.bottom() - fm.descent() - 2), label);
    }
  }
  // One point per 3 pixel columns is plenty for these smooth curves; the last sample always.
  for (std::size_t k = 0; k < panel.series.size(); ++k) {
    const Points* c = l.curves[k];
    if (!c || c->empty()) continue;
    const int n = int(c->size()), stride = std::max(1, int(3 * n / std::max(1.0, plot.rect.width())));
    QPainterPath path;
    for (int i = 0;; i = std::min(i + stride, n - 1)) {
      const QPointF pt = plot.map((*c)[i].first, (*c)[i].second);
      i == 0 ? path.moveTo(pt) : path.lineTo(pt);
      if (i == n - 1) break;
    }
    const DiagnosticSeries& s = panel.series[k];
    p.setPen(QPen(seriesColour(in.live, s, int(k)), s.dashed ? 2.0 : 1.6,
                  s.dashed ? Qt::DashLine : Qt::SolidLine));
    p.drawPath(path);
  }
  drawLegend(p, plot.rect, panel, in);
  p.restore();
}

QString curvesHover(const QRectF& area, const PanelCell& cell, const PanelInput& in, QPointF pos) {
  const DiagnosticPanel& panel = *cell.panel;
  const CurvesLayout l = curvesLayout(area, cell, in, QFontMetricsF(in.font));
  if (!l.plot.rect.contains(pos)) return {};
  const double x =
      l.plot.x.lo + (pos.x() - l.plot.rect.left()) / l.plot.rect.width() * (l.plot.x.hi - l.plot.x.lo);
  int best = -1;
  std::size_t bestIndex = 0;
  double bestDy = 12;
  for (std::size_t k = 0; k < l.curves.size(); ++k) {
    if (!l.curves[k] || l.curves[k]->empty()) continue;
    const std::size_t i = indexAt(*l.curves[k], x);
    const double dy = std::abs(l.plot.map((*l.curves[k])[i].first, (*l.curves[k])[i].second).y() - pos.y());
    if (dy < bestDy) best = int(k), bestDy = dy, bestIndex = i;
  }
  const QString xName = QString::fromStdString(panel.xAxis), yName = QString::fromStdString(panel.yAxis);
  if (best < 0)
    return QStringLiteral("%1 = %2\n%3").arg(xName, compactNumber(x), QString::fromStdString(panel.note));
  const auto [bx, by] = (*l.curves[best])[bestIndex];
  return QStringLiteral("%1\n%2 = %3\n%4 = %5")
      .arg(QString::fromStdString(panel.series[best].title), xName, compactNumber(bx), yName,
           compactNumber(by));
}

}  // namespace attent::ui

#include "ui/epoch_plots.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/nice_ticks.h"
#include "ui/paint_util.h"
#include "ui/picks_plots.h"

namespace attent::ui {

QColor subsetColour() { return QColor(160, 130, 215); }
QColor poolColour(const QPalette& pal) {
  QColor c = pal.mid().color();
  c.setAlpha(110);
  return c;
}

void CycleTimeline::setTimeline(EpochTimeline timeline) {
  timeline_ = std::move(timeline);
  update();
}

std::vector<CycleTimeline::Band> CycleTimeline::bands() const {
  std::vector<Band> out;
  int cycle = -2;
  for (std::size_t k = 0; k < timeline_.plan.size(); ++k) {
    const EpochPhase& e = timeline_.plan[k];
    // A new band where the kind changes, a cycle starts or a new subset is chosen.
    if (out.empty() || out.back().subset != e.subset || cycle != e.cycle || e.select)
      out.push_back(
          {double(k), double(k), e.subset, e.subset ? e.ratio : 1.0, e.select && timeline_.scoringPasses});
    out.back().to = double(k + 1);
    cycle = e.cycle;
  }
  return out;
}

QRectF CycleTimeline::plotArea() const {
  const QFontMetricsF fm(font());
  return plotRect(QRectF(rect()).adjusted(2, 0, -4, 0), fm, 2, 4, percentAxisWidth(fm));
}

double CycleTimeline::xOf(double epoch) const {
  const QRectF plot = plotArea();
  return plot.left() + plot.width() * epoch / std::max<double>(1, timeline_.plan.size());
}

void CycleTimeline::paintBands(QPainter& p, const QRectF& plot) const {
  const QFontMetricsF fm(font());
  const auto y = [&](double r) { return plot.bottom() - plot.height() * std::clamp(r, 0.0, 1.0); };
  QPolygonF line;
  for (const Band& b : bands()) {
    const QRectF r(QPointF(xOf(b.from), plot.top()), QPointF(xOf(b.to), plot.bottom()));
    p.fillRect(r, b.subset ? subsetColour() : poolColour(palette()));
    line << QPointF(r.left(), y(b.ratio)) << QPointF(r.right(), y(b.ratio));
    const QString label = QStringLiteral("%1%").arg(std::lround(100 * b.ratio));
    if (b.subset && fm.horizontalAdvance(label) + 4 <= r.width()) {
      p.setPen(palette().text().color());
      p.drawText(QRectF(r.left(), y(b.ratio) - fm.height() - 1, r.width(), fm.height()), Qt::AlignCenter,
                 label);
    }
    if (!b.scored) continue;
    const double x = r.left(), s = std::min(6.0, fm.height() / 2);
    p.setPen(Qt::NoPen);
    p.setBrush(palette().text().color());
    p.drawPolygon(QPolygonF{{x - s, plot.top()}, {x + s, plot.top()}, {x, plot.top() + s * 1.4}});
    p.setBrush(Qt::NoBrush);
  }
  p.setPen(QPen(palette().text().color(), 2));
  p.drawPolyline(line);
}

void CycleTimeline::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  const QRectF area = QRectF(rect()).adjusted(2, 0, -4, 0);
  const int epochs = int(timeline_.plan.size());
  QString title = tr("Plan of %1 epochs").arg(epochs);
  if (timeline_.epoch >= epochs)
    title += tr(": all done");
  else if (std::isfinite(timeline_.epoch))
    title += tr(": now in epoch %1").arg(std::min(epochs, int(timeline_.epoch) + 1));
  drawFittedLine(p, area, 0, title, palette().text().color());
  std::vector<LegendSwatch> legend{{tr("whole pool"), poolColour(palette())}, {tr("subset"), subsetColour()}};
  if (timeline_.scoringPasses)
    legend.push_back({tr("scoring"), palette().text().color(), QStringLiteral("▼")});
  legend.push_back({tr("kept %"), palette().text().color(), QStringLiteral("━")});
  drawSwatches(p, area, 1, legend, palette());
  const QRectF plot = plotArea();
  if (epochs == 0) return;
  paintBands(p, plot);
  p.setPen(palette().mid().color());
  p.drawRect(plot);
  drawPercentAxis(p, plot, 1.0, true, palette());
  drawXAxis(p, plot, 0, epochs, tr("epoch"), palette(), true);
  if (!std::isfinite(timeline_.epoch)) return;
  const double x = xOf(std::min<double>(timeline_.epoch, epochs));
  p.setPen(QPen(QColor(200, 30, 30), 2));
  p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
}

void ClassShares::setClasses(SubsetClasses classes) {
  classes_ = std::move(classes);
  update();
}

void ClassShares::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  const QFontMetricsF fm(font());
  const QRectF area = QRectF(rect()).adjusted(2, 0, -4, 0);
  drawFittedLine(p, area, 0, tr("Classes: the subset against the pool"), palette().text().color());
  drawSwatches(p, area, 1,
               {{tr("this subset (%1)").arg(classes_.subsetSize), subsetColour()},
                {tr("pool"), palette().mid().color()}},
               palette());
  const QRectF plot = plotRect(area, fm, 2, percentAxisWidth(fm), 0);
  const int n = int(classes_.names.size());
  if (n == 0) return;
  double most = 0;
  for (int c = 0; c < n; ++c) most = std::max({most, classes_.subsetShare[c], classes_.poolShare[c]});
  const double top = niceCeiling(std::max(most, 0.01), 4);
  drawPercentAxis(p, plot, top, false, palette());
  const double slot = plot.width() / n, bar = std::max(1.0, slot * 0.4);
  // Class names under their bars, shrunk together until the widest fits its slot.
  double widest = 0;
  for (const auto& name : classes_.names)
    widest = std::max(widest, fm.horizontalAdvance(QString::fromStdString(name)));
  QFont small = font();
  if (widest > slot - 2 && small.pointSizeF() > 0)
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * (slot - 2) / widest));
  for (int c = 0; c < n; ++c) {
    const double x = plot.left() + slot * c + slot / 2;
    const auto h = [&](double share) { return plot.height() * share / top; };
    p.fillRect(QRectF(x - bar, plot.bottom() - h(classes_.subsetShare[c]), bar, h(classes_.subsetShare[c])),
               subsetColour());
    p.fillRect(QRectF(x, plot.bottom() - h(classes_.poolShare[c]), bar, h(classes_.poolShare[c])),
               palette().mid().color());
    p.save();
    p.setFont(small);
    p.setPen(palette().text().color());
    p.drawText(QRectF(x - slot / 2, plot.bottom() + 2, slot, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
               QString::fromStdString(classes_.names[std::size_t(c)]));
    p.restore();
  }
  p.setPen(palette().mid().color());
  p.drawLine(plot.bottomLeft(), plot.bottomRight());
}

}  // namespace attent::ui

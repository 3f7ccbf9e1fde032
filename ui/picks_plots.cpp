#include "ui/picks_plots.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/nice_ticks.h"
#include "ui/paint_util.h"

namespace attent::ui {

namespace {

// `font` shrunk (to 6 pt at least) until text of `advance` pixels fits `width`.
QFont fitted(const QFont& font, double advance, double width) {
  QFont f = font;
  if (advance <= width || f.pointSizeF() <= 0) return f;
  f.setPointSizeF(std::max(6.0, std::floor(f.pointSizeF() * width / advance * 4) / 4));
  return f;
}

QRectF lineRect(const QPainter& p, const QRectF& area, int line) {
  const double h = QFontMetricsF(p.font()).height();
  return QRectF(area.left(), area.top() + line * h, area.width(), h);
}

}  // namespace

QRectF plotRect(const QRectF& area, const QFontMetricsF& fm, int linesAbove, double left, double right) {
  const double top = area.top() + linesAbove * fm.height() + 6;
  return QRectF(area.left() + left, top, area.width() - left - right,
                std::max(10.0, area.bottom() - fm.height() - 4 - top));
}

void drawFittedLine(QPainter& p, const QRectF& area, int line, const QString& text, const QColor& colour,
                    bool bold) {
  const QRectF r = lineRect(p, area, line);
  QFont f = p.font();
  f.setBold(bold);
  p.save();
  p.setFont(fitted(f, QFontMetricsF(f).horizontalAdvance(text), r.width() - 2));
  p.setPen(colour);
  p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, text);
  p.restore();
}

void drawSwatches(QPainter& p, const QRectF& area, int line, const std::vector<LegendSwatch>& swatches,
                  const QPalette& pal) {
  const QRectF r = lineRect(p, area, line);
  const auto widthAt = [&](const QFont& f) {
    const QFontMetricsF fm(f);
    double w = 0;
    for (const auto& s : swatches) w += fm.height() * 0.8 + 4 + fm.horizontalAdvance(s.label) + 12;
    return w;
  };
  p.save();
  p.setFont(fitted(p.font(), widthAt(p.font()), r.width()));
  const QFontMetricsF fm(p.font());
  const double box = fm.height() * 0.7;
  double x = r.left();
  for (const auto& s : swatches) {
    if (s.glyph.isEmpty()) {
      p.fillRect(QRectF(x, r.center().y() - box / 2, box, box), s.colour);
    } else {
      p.setPen(s.colour);
      p.drawText(QRectF(x, r.top(), box, r.height()), Qt::AlignCenter, s.glyph);
    }
    x += box + 4;
    p.setPen(pal.text().color());
    p.drawText(QRectF(x, r.top(), fm.horizontalAdvance(s.label) + 1, r.height()), Qt::AlignVCenter, s.label);
    x += fm.horizontalAdvance(s.label) + 12;
  }
  p.restore();
}

void drawXAxis(QPainter& p, const QRectF& plot, double lo, double hi, const QString& unit,
               const QPalette& pal, bool whole) {
  const QFontMetricsF fm(p.font());
  const double unitW = unit.isEmpty() ? 0.0 : fm.horizontalAdvance(unit) + 6;
  int most = std::clamp(int(plot.width() / 55), 2, 10);
  if (whole) most = std::clamp(int(hi - lo) + 1, 2, most);
  const NiceTicks t = niceTicks(lo, hi, most);
  p.setPen(pal.text().color());
  p.drawText(QRectF(plot.right() - unitW, plot.bottom() + 2, unitW, fm.height()), Qt::AlignRight, unit);
  double lastRight = -1e9;
  for (int i = 0; i < t.count; ++i) {
    const double v = t.first + i * t.step, x = plot.left() + plot.width() * (v - lo) / (hi - lo);
    p.setPen(pal.mid().color());
    p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3));
    const QString label = tickLabel(v, t);
    // A label at an end is pulled inside the plot (by at most half its width).
    const double w = fm.horizontalAdvance(label);
    const double left =
        std::clamp(x - w / 2, plot.left() - 2, std::max(plot.left() - 2, plot.right() + 2 - unitW - w));
    if (left < lastRight + 6 || left + w > plot.right() + 2 - unitW || left < x - w) continue;
    p.setPen(pal.text().color());
    p.drawText(QRectF(left, plot.bottom() + 2, w + 1, fm.height()), Qt::AlignLeft, label);
    lastRight = left + w;
  }
}

double percentAxisWidth(const QFontMetricsF& fm) { return fm.horizontalAdvance(QStringLiteral("100%")) + 8; }

void drawPercentAxis(QPainter& p, const QRectF& plot, double top, bool right, const QPalette& pal) {
  const QFontMetricsF fm(p.font());
  const NiceTicks t = niceTicks(0, 100 * top, std::clamp(int(plot.height() / (fm.height() + 4)), 2, 5));
  const double w = percentAxisWidth(fm);
  for (int i = 0; i < t.count; ++i) {
    const double v = t.first + i * t.step, y = plot.bottom() - plot.height() * v / (100 * top);
    p.setPen(pal.mid().color());
    p.drawLine(QPointF(right ? plot.right() : plot.left() - 3, y),
               QPointF(right ? plot.right() + 3 : plot.left(), y));
    p.setPen(pal.text().color());
    const QRectF box(right ? plot.right() + 4 : plot.left() - w, y - fm.height() / 2, w - 4, fm.height());
    p.drawText(box, (right ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, tickLabel(v, t) + "%");
  }
}

void ScoreHistogram::setScores(std::vector<float> scores, double threshold) {
  scores_ = std::move(scores);
  threshold_ = threshold;
  update();
}

void ScoreHistogram::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  const QRectF area = QRectF(rect()).adjusted(2, 0, -4, 0);
  drawFittedLine(p, area, 0, tr("Scores of the pool's %1 examples").arg(scores_.size()),
                 palette().text().color());
  const QRectF plot = plotRect(area, QFontMetricsF(font()), 1, 4, 0);
  p.setPen(palette().mid().color());
  p.drawRect(plot);
  std::vector<float> finite;
  for (float s : scores_)
    if (std::isfinite(s)) finite.push_back(s);
  if (finite.empty()) return;
  double lo = *std::min_element(finite.begin(), finite.end()),
         hi = *std::max_element(finite.begin(), finite.end());
  if (std::isfinite(threshold_)) lo = std::min(lo, threshold_), hi = std::max(hi, threshold_);
  // The axis ends on ticks, so its ends are labelled with nice numbers.
  const NiceTicks t = niceTicks(lo, hi > lo ? hi : lo + 1, std::clamp(int(plot.width() / 55), 2, 10));
  lo = std::floor(lo / t.step + 1e-9) * t.step,
  hi = std::max(lo + t.step, std::ceil(hi / t.step - 1e-9) * t.step);
  const int bins = std::clamp(int(plot.width() / 6), 10, 40);
  std::vector<int> counts(std::size_t(bins), 0);
  for (float s : finite) ++counts[std::size_t(std::clamp(int((s - lo) / (hi - lo) * bins), 0, bins - 1))];
  const int most = std::max(1, *std::max_element(counts.begin(), counts.end()));
  for (int b = 0; b < bins; ++b) {
    const double h = (plot.height() - 2) * counts[std::size_t(b)] / most,
                 x = plot.left() + plot.width() * b / bins;
    const bool chosen = std::isfinite(threshold_) && lo + (hi - lo) * (b + 0.5) / bins >= threshold_;
    p.fillRect(QRectF(x + 0.5, plot.bottom() - h, plot.width() / bins - 1, h),
               chosen ? QColor(230, 110, 20) : palette().mid().color());
  }
  drawXAxis(p, plot, lo, hi, tr("score"), palette());
  if (!std::isfinite(threshold_)) return;
  const QFontMetricsF fm(font());
  const double x = plot.left() + plot.width() * (threshold_ - lo) / (hi - lo);
  p.setPen(QPen(QColor(200, 30, 30), 2));
  p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
  const QString label = tr("threshold %1").arg(compactNumber(threshold_));
  const double w = fm.horizontalAdvance(label);
  const QRectF box(x + 3 + w > plot.right() ? x - 5 - w : x + 3, plot.top() + 1, w + 2, fm.height());
  QColor under = palette().base().color();
  under.setAlpha(200);  // readable over the bars
  p.fillRect(box, under);
  p.drawText(box, Qt::AlignCenter, label);
}

void RatioPlot::setSchedule(std::vector<std::pair<long, double>> schedule, long step, double ratio,
                            long totalSteps, QColor colour) {
  schedule_ = std::move(schedule);
  step_ = step, ratio_ = ratio, totalSteps_ = std::max(1L, totalSteps), colour_ = colour;
  update();
}

void RatioPlot::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  const QFontMetricsF fm(font());
  const QRectF area = QRectF(rect()).adjusted(2, 0, -4, 0);
  drawFittedLine(p, area, 0, tr("Kept fraction of the pool over steps"), palette().text().color());
  const QRectF plot = plotRect(area, fm, 1, percentAxisWidth(fm), 0);
  p.setPen(palette().mid().color());
  p.drawRect(plot);
  long maxStep = totalSteps_;
  for (const auto& [s, r] : schedule_) maxStep = std::max(maxStep, s);
  drawPercentAxis(p, plot, 1.0, false, palette());
  drawXAxis(p, plot, 0, double(maxStep), QString(), palette(), true);  // the title says "steps"
  if (schedule_.empty()) return;
  auto map = [&](double s, double r) {
    return QPointF(plot.left() + plot.width() * s / maxStep,
                   plot.bottom() - plot.height() * std::clamp(r, 0.0, 1.0));
  };
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(colour_, 1.5));
  for (std::size_t i = 1; i < schedule_.size(); ++i)
    p.drawLine(map(schedule_[i - 1].first, schedule_[i - 1].second),
               map(schedule_[i].first, schedule_[i].second));
  p.setBrush(QColor(200, 30, 30));
  p.setPen(Qt::NoPen);
  p.drawEllipse(map(double(step_), ratio_), 4, 4);
}

}  // namespace attent::ui

#include "ui/line_legend.h"

#include <QPainter>
#include <algorithm>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {
constexpr int kSample = 28, kGap = 6, kSpacing = 18;
}

LineLegend::LineLegend(QWidget* parent) : QWidget(parent) {
  QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
}

void LineLegend::setEntries(std::vector<LegendEntry> entries) {
  entries_ = std::move(entries);
  updateGeometry();
  update();
}

void LineLegend::setLineScale(double scale) {
  lineScale_ = scale;
  updateGeometry();
  update();
}

int LineLegend::entryWidth(const LegendEntry& e) const {
  return int(kSample * lineScale_) + kGap + fontMetrics().horizontalAdvance(e.label);
}

std::vector<QRect> LineLegend::layoutEntries(int width) const {
  std::vector<QRect> out;
  const int h = fontMetrics().height() + 4;
  int x = 0, y = 0;
  for (const LegendEntry& e : entries_) {
    const int w = entryWidth(e);
    if (x > 0 && x + w > width) x = 0, y += h;
    out.emplace_back(x, y, w, h);
    x += w + kSpacing;
  }
  return out;
}

int LineLegend::heightForWidth(int width) const {
  const auto rects = layoutEntries(std::max(1, width - 8));
  return rects.empty() ? 0 : rects.back().bottom() + 3;
}

QSize LineLegend::sizeHint() const {
  int w = 0;
  for (const LegendEntry& e : entries_) w += entryWidth(e) + kSpacing;
  return {w, heightForWidth(w + 8)};
}

QSize LineLegend::minimumSizeHint() const {
  int widest = 0;
  for (const LegendEntry& e : entries_) widest = std::max(widest, entryWidth(e));
  return {widest + 8, fontMetrics().height() + 4};
}

void LineLegend::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const auto rects = layoutEntries(std::max(1, width() - 8));
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const LegendEntry& e = entries_[i];
    const QRect r = rects[i].translated(4, 0);
    const int sample = int(kSample * lineScale_);
    const QPointF mid(r.left() + sample / 2.0, r.center().y() + 0.5);
    if (e.square) {
      const double side = 9 * lineScale_;
      p.setPen(QPen(palette().color(QPalette::WindowText), 1));
      p.setBrush(e.color);
      p.drawRect(QRectF(mid.x() - side / 2, mid.y() - side / 2, side, side));
    } else {
      p.setPen(QPen(e.color, 2.2 * lineScale_, e.style, Qt::FlatCap));
      p.drawLine(QPointF(r.left(), mid.y()), QPointF(r.left() + sample, mid.y()));
    }
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(r.left() + sample + kGap, r.top(), r.width() - sample - kGap, r.height()),
               Qt::AlignVCenter | Qt::AlignLeft, e.label);
  }
}

}  // namespace attent::ui

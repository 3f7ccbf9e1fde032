// Heatmap: one matrix (of the cell's run, or the first run's when it is the same in every run)
// with its row and column labels where they fit, the cell values when described so, and a
// colour legend with nice ticks.
#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

#include "ui/diagnostic_panels.h"
#include "ui/nice_ticks.h"
#include "ui/paint_util.h"

namespace attent::ui {

namespace {
const Matrix* matrixOf(const PanelCell& cell, const PanelInput& in) {
  const std::string& key = cell.panel->series.front().key;
  const std::string* run =
      cell.run >= 0 && cell.run < int(in.live.runs.size()) ? &in.live.runs[cell.run].name : nullptr;
  for (const RunSnapshot& r : in.shown.runs) {
    if (run && r.name != *run) continue;
    auto it = r.diagnostics.matrices.find(key);
    if (it == r.diagnostics.matrices.end()) continue;
    const Matrix& m = it->second;
    const bool whole = m.rows > 0 && m.cols > 0 && m.data.size() >= std::size_t(m.rows) * m.cols;
    return whole ? &m : nullptr;
  }
  return nullptr;
}

double widest(const QFontMetricsF& fm, const std::vector<std::string>& labels) {
  double w = 0;
  for (const std::string& l : labels) w = std::max(w, fm.horizontalAdvance(QString::fromStdString(l)));
  return w;
}

// A vertical colour bar over [lo, hi] (diverging: -hi..hi) with nice ticks on its right.
void drawColourLegend(QPainter& p, const QRectF& bar, double lo, double hi, bool diverging,
                      const QPalette& pal) {
  const QFontMetricsF fm(p.font());
  const int steps = 64;
  for (int i = 0; i < steps; ++i) {
    const double t = 1.0 - (i + 0.5) / steps;
    p.fillRect(
        QRectF(bar.left(), bar.top() + bar.height() * i / steps, bar.width(), bar.height() / steps + 1),
        diverging ? divergingColor(2 * t - 1) : sequentialColor(t));
  }
  p.setPen(pal.mid().color());
  p.drawRect(bar);
  p.setPen(pal.text().color());
  const NiceTicks ticks = niceTicks(lo, hi, ticksFor(bar.height(), 2 * fm.height()));
  for (int i = 0; i < ticks.count; ++i) {
    const double v = ticks.first + i * ticks.step;
    const double y = bar.bottom() - bar.height() * (v - lo) / (hi - lo);
    p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y));
    p.drawText(QRectF(bar.right() + 5, y - fm.height() / 2, 200, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, tickLabel(v, ticks));
  }
}

// A cell's value with `digits` significant digits (0.000177 as 1.8e-04).
QString cellValue(double v, int digits) {
  const double a = std::abs(v);
  return a != 0 && (a < 1e-3 || a >= 1e5) ? QString::number(v, 'e', digits - 1)
                                          : QString::number(v, 'g', digits);
}

double widestValue(const QFontMetricsF& fm, const Matrix& m, int digits = 3) {
  double w = 0;
  for (float v : m.data) w = std::max(w, fm.horizontalAdvance(cellValue(v, digits)));
  return w;
}

// Each cell's value, in black or white against its colour, where the numbers fit: three
// significant digits, in a smaller font or with two if need be, else none.
void drawCellValues(QPainter& p, const QRectF& map, const Matrix& m, const QImage& colours) {
  const double cw = map.width() / m.cols, ch = map.height() / m.rows;
  QFont small = p.font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  const std::pair<QFont, int> tries[] = {{p.font(), 3}, {small, 3}, {small, 2}};
  const std::pair<QFont, int>* chosen = nullptr;
  for (const auto& t : tries) {
    const QFontMetricsF fm(t.first);
    if (!chosen && ch >= fm.height() && cw >= widestValue(fm, m, t.second) + 2) chosen = &t;
  }
  if (!chosen) return;
  p.save();
  p.setFont(chosen->first);
  for (int r = 0; r < m.rows; ++r)
    for (int c = 0; c < m.cols; ++c) {
      const QColor under = colours.pixelColor(c, r);
      p.setPen(under.lightnessF() > 0.55 ? Qt::black : Qt::white);
      p.drawText(QRectF(map.left() + cw * c, map.top() + ch * r, cw, ch), Qt::AlignCenter,
                 cellValue(m.data[std::size_t(r) * m.cols + c], chosen->second));
    }
  p.restore();
}
}  // namespace

void paintHeatmapPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in) {
  const Matrix* m = matrixOf(cell, in);
  if (!m) return;
  const DiagnosticPanel& panel = *cell.panel;
  const QFontMetricsF fm(p.font());
  float lo = *std::min_element(m->data.begin(), m->data.end());
  float hi = *std::max_element(m->data.begin(), m->data.end());
  if (panel.diverging) hi = std::max({std::abs(lo), std::abs(hi), 1e-12f}), lo = -hi;
  if (hi - lo < 1e-12f) hi = lo + 1;
  // Labels where every one fits: rows left of the map, columns below (else the first and last).
  const double legendW = 12 + 8 + fm.horizontalAdvance(QStringLiteral("-0.000")) + 4;
  const double rowW = widest(fm, m->rowLabels);
  const QRectF room = area.adjusted(0, 2, -legendW, -fm.height() - 2);
  const bool rowLabels =
      !m->rowLabels.empty() && rowW < 0.3 * room.width() && room.height() / m->rows >= fm.height();
  const QRectF inner = room.adjusted(rowLabels ? rowW + 4 : 0, 0, 0, 0);
  // Square cells where they fit, wider ones where the values are printed; short wide maps
  // (2 x 20 histograms) get taller cells.
  double cw = std::min(inner.width() / m->cols, inner.height() / m->rows);
  if (panel.cellValues) cw = std::min(inner.width() / m->cols, std::max(cw, widestValue(fm, *m) + 8));
  const double ch = std::min(inner.height() / m->rows, std::max(cw, 4 * cw));
  const QRectF map(inner.left(), inner.top(), cw * m->cols, ch * m->rows);
  const QImage colours = heatmapImage(m->rows, m->cols, m->data.data(), lo, hi, panel.diverging);
  p.save();
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(map, colours);
  p.setPen(in.palette.mid().color());
  p.drawRect(map);
  p.setPen(in.palette.text().color());
  if (rowLabels)
    for (int r = 0; r < m->rows && r < int(m->rowLabels.size()); ++r)
      p.drawText(QRectF(area.left(), map.top() + ch * r, rowW + 2, ch), Qt::AlignRight | Qt::AlignVCenter,
                 QString::fromStdString(m->rowLabels[r]));
  if (!m->colLabels.empty()) {
    const bool all = widest(fm, m->colLabels) + 2 < cw;
    const QString first = QString::fromStdString(m->colLabels.front()),
                  lastLabel = QString::fromStdString(m->colLabels.back());
    const QRectF below(map.left(), map.bottom() + 1, map.width(), fm.height());
    if (all) {
      for (int c = 0; c < m->cols && c < int(m->colLabels.size()); ++c)
        p.drawText(QRectF(map.left() + cw * c, below.top(), cw, fm.height()), Qt::AlignHCenter,
                   QString::fromStdString(m->colLabels[c]));
    } else if (fm.horizontalAdvance(first) + fm.horizontalAdvance(lastLabel) + 12 < map.width()) {
      p.drawText(below, Qt::AlignLeft, first);
      p.drawText(below, Qt::AlignRight, lastLabel);
    }
  }
  if (panel.cellValues) drawCellValues(p, map, *m, colours);
  const QRectF bar(map.right() + 8, map.top(), 12,
                   std::min(std::max(4 * fm.height(), map.height()), area.bottom() - map.top()));
  drawColourLegend(p, bar, lo, hi, panel.diverging, in.palette);
  p.restore();
}

}  // namespace attent::ui

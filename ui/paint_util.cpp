#include "ui/paint_util.h"

#include <QElapsedTimer>
#include <QImage>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <ctime>

namespace attent::ui {

namespace {
QColor lerp(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                          a.blueF() + (b.blueF() - a.blueF()) * t);
}
}  // namespace

QString runTitle(const std::string& name) {
  // The method's name as the paper spells it, in the AtteNT run and the runs named after it.
  return QString::fromStdString(name).replace(QStringLiteral("attent"), QStringLiteral("AtteNT"));
}

QColor attentionHeat(double t) {
  return QColor(215, 48, 39, int(std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 180));
}

QColor sequentialColor(double t) {
  static const QColor stops[] = {QColor(68, 1, 84), QColor(59, 82, 139), QColor(33, 145, 140),
                                 QColor(94, 201, 98), QColor(253, 231, 37)};
  if (!std::isfinite(t)) return QColor(128, 128, 128);
  t = std::clamp(t, 0.0, 1.0) * 4.0;
  const int i = std::min(3, int(t));
  return lerp(stops[i], stops[i + 1], t - i);
}

QColor divergingColor(double t) {
  if (!std::isfinite(t)) return QColor(128, 128, 128);
  t = std::clamp(t, -1.0, 1.0);
  const QColor blue(33, 102, 172), white(247, 247, 247), red(178, 24, 43);
  return t < 0 ? lerp(white, blue, -t) : lerp(white, red, t);
}

QColor runColor(int run, RunRole role) {
  switch (role) {
    case RunRole::AtteNT:
      return QColor(230, 110, 20);
    case RunRole::Baseline:
      return QColor(40, 110, 200);  // random; full under the epoch budget
    case RunRole::RandomSubset:
      return QColor(120, 120, 120);
    case RunRole::ShortFull:
      return QColor(60, 160, 70);
    case RunRole::Other:
      break;
  }
  static const QColor palette[] = {QColor(230, 110, 20), QColor(40, 110, 200), QColor(60, 160, 70),
                                   QColor(170, 60, 170), QColor(200, 50, 50),  QColor(20, 160, 160)};
  return palette[std::abs(run) % 6];
}

QImage heatmapImage(int rows, int cols, const float* data, float lo, float hi, bool diverging) {
  QImage image(cols, rows, QImage::Format_RGB32);
  const float span = hi - lo > 1e-12f ? hi - lo : 1.0f;
  const float scale = std::abs(hi) > 1e-12f ? std::abs(hi) : 1.0f;
  for (int r = 0; r < rows; ++r) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(r));
    for (int c = 0; c < cols; ++c) {
      const float v = data[std::size_t(r) * cols + c];
      line[c] = (diverging ? divergingColor(v / scale) : sequentialColor((v - lo) / span)).rgb();
    }
  }
  return image;
}

void drawHeatmap(QPainter& p, const QRectF& rect, int rows, int cols, const float* data, float lo, float hi,
                 bool diverging) {
  if (rows <= 0 || cols <= 0) return;
  p.save();
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(rect, heatmapImage(rows, cols, data, lo, hi, diverging));
  p.restore();
}

void drawLegend(QPainter& p, const QRectF& rect, float lo, float hi, bool diverging, const QString& title) {
  p.save();
  const int steps = 64;
  const QRectF bar(rect.left(), rect.top() + 14, std::min(12.0, rect.width() / 3), rect.height() - 28);
  for (int i = 0; i < steps; ++i) {
    const double t = 1.0 - double(i) / (steps - 1);
    const QColor c = diverging ? divergingColor(2 * t - 1) : sequentialColor(t);
    p.fillRect(
        QRectF(bar.left(), bar.top() + bar.height() * i / steps, bar.width(), bar.height() / steps + 1), c);
  }
  p.setPen(p.pen().color());
  p.drawRect(bar);
  QFont f = p.font();
  f.setPointSizeF(std::max(6.0, f.pointSizeF() - 1));
  p.setFont(f);
  p.drawText(QPointF(rect.left(), rect.top() + 10), title);
  p.drawText(QPointF(bar.right() + 3, bar.top() + 8), compactNumber(diverging ? std::abs(hi) : hi));
  p.drawText(QPointF(bar.right() + 3, bar.bottom()), compactNumber(diverging ? -std::abs(hi) : lo));
  p.restore();
}

namespace {
QElapsedTimer& paintClock() {
  static QElapsedTimer clock = [] {
    QElapsedTimer c;
    c.start();
    return c;
  }();
  return clock;
}
qint64 paintTotalNs = 0;
}  // namespace

qint64 threadCpuNs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

PaintCost::PaintCost() : start(paintClock().nsecsElapsed()) {}
PaintCost::~PaintCost() { paintTotalNs += paintClock().nsecsElapsed() - start; }
qint64 PaintCost::totalNs() { return paintTotalNs; }

QString compactNumber(double v) {
  if (!std::isfinite(v)) return QStringLiteral("-");
  const double a = std::abs(v);
  if (a != 0 && (a < 1e-3 || a >= 1e5)) return QString::number(v, 'e', 1);
  return QString::number(v, 'g', 3);
}

void showHoverTip(QWidget* widget, QPointF globalPos, const QString& text) {
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(globalPos.toPoint(), text, widget);
}

}  // namespace attent::ui

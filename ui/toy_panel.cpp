#include "ui/toy_panel.h"

#include <QCoreApplication>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {
// First t where HA's nu overtakes SA's after SA led, or -1.
double nuCrossover(const ToyTrajectory& sa, const ToyTrajectory& ha) {
  bool saLed = false;
  for (std::size_t i = 1; i < sa.t.size(); ++i) {
    if (sa.nu[i] > ha.nu[i] + 1e-9) saLed = true;
    if (saLed && ha.nu[i] > sa.nu[i]) return sa.t[i];
  }
  return -1;
}

double roundUp2(double x) {  // two significant digits, upwards: 104.3 -> 110
  const double unit = std::pow(10.0, std::floor(std::log10(x)) - 1);
  return std::ceil(x / unit - 1e-9) * unit;
}

QString tr(const char* s) { return QCoreApplication::translate("attent::ui::ToyPanel", s); }
}  // namespace

ToyCurves ToyCurves::compute(int m, int C) {
  ToyCurves c;
  c.m = m, c.C = C;
  // SA focuses first, HA overtakes later (the paper's point); show ~3x the crossover time so
  // both phases are visible. Larger m, C move the crossover out (m = C = 20: t ~ 35; the
  // paper's m = 100, C = 1000: t ~ 133), so search with growing horizons.
  double crossover = -1;
  for (double h = 100; h <= 1e5 && crossover < 0; h *= 4)
    crossover =
        nuCrossover(mosaicToy(ToyParadigm::SA, m, C, h, 4000), mosaicToy(ToyParadigm::HA, m, C, h, 4000));
  if (crossover > 0) {
    c.horizon = roundUp2(3 * crossover);
    c.switchTime = crossover;
  } else {  // HA never overtakes (or never trails): the engine test's window
    c.horizon = 100;
    c.switchTime = 30;
  }
  for (int k = 0; k < 4; ++k)
    c.paradigms[k] = mosaicToy(ToyPanel::kParadigms[k], m, C, c.horizon, kSteps, c.switchTime);
  return c;
}

QString ToyPanel::paradigmName(int i) {
  static const char* names[] = {"SA", "HA", "LVML", "hybrid"};
  return QString::fromLatin1(names[std::clamp(i, 0, 3)]);
}

QString ToyPanel::title(Quantity q) {
  return q == Quantity::Nu ? tr("toy ν(t): focus") : tr("toy μ(t): classifier");
}

const ToyCurves& ToyPanel::curves(int m, int C) {
  m = std::max(2, m), C = std::max(2, C);
  if (!curves_ || curves_->m != m || curves_->C != C) curves_ = ToyCurves::compute(m, C);
  return *curves_;
}

ToyPanel::Range ToyPanel::range(Quantity q) const {
  double lo = 0, hi = 1e-6;
  for (const auto& traj : curves_->paradigms)
    for (double v : q == Quantity::Nu ? traj.nu : traj.mu)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  return {lo, hi + 0.05 * (hi - lo)};
}

QPointF ToyPanel::map(const QRectF& plot, Quantity q, int k, int i) const {
  const ToyTrajectory& traj = curves_->paradigms[k];
  const Range r = range(q);
  const double v = q == Quantity::Nu ? traj.nu[i] : traj.mu[i];
  return {plot.left() + plot.width() * traj.t[i] / curves_->horizon,
          plot.bottom() - plot.height() * (v - r.lo) / (r.hi - r.lo)};
}

void ToyPanel::paint(QPainter& p, const QRectF& plot, Quantity q, const QPalette& pal,
                     const std::array<QColor, 4>& colours) const {
  if (!curves_) return;
  const ToyCurves& c = *curves_;
  const QFontMetricsF fm(p.font());
  const Range r = range(q);
  p.save();
  p.setClipRect(plot.adjusted(-1, -1, 1, 1));
  // The hybrid's switch: SA before it, HA after.
  const double xs = plot.left() + plot.width() * c.switchTime / c.horizon;
  p.setPen(QPen(pal.mid().color(), 1, Qt::DotLine));
  p.drawLine(QPointF(xs, plot.top()), QPointF(xs, plot.bottom()));
  p.setPen(pal.placeholderText().color());
  p.drawText(QRectF(xs + 3, plot.bottom() - fm.height() - 2, plot.right() - xs - 6, fm.height()),
             Qt::AlignLeft, tr("hybrid → HA"));
  // One point per 3 pixel columns is plenty for these smooth curves (and antialiased
  // stroking costs per point); keep the last sample so the curve reaches t = horizon.
  const int n = int(c.paradigms[0].t.size());
  const int stride = std::max(1, int(3 * n / std::max(1.0, plot.width())));
  for (int k = 0; k < 4; ++k) {
    QPainterPath path;
    for (int i = 0;; i = std::min(i + stride, n - 1)) {
      const QPointF pt = map(plot, q, k, i);
      i == 0 ? path.moveTo(pt) : path.lineTo(pt);
      if (i == n - 1) break;
    }
    // The hybrid follows SA until the switch and nearly HA after: dashed, on top, so the
    // curve below shows through.
    p.setPen(QPen(colours[k], k == 3 ? 2.0 : 1.6, k == 3 ? Qt::DashLine : Qt::SolidLine));
    p.drawPath(path);
  }
  // Legend, top left: the curves start at the bottom left and rise to the right.
  const double rowH = fm.height(), legendW = fm.horizontalAdvance(QStringLiteral("LVML")) + 26;
  const QRectF legend(plot.left() + 4, plot.top() + 4, legendW, 4 * rowH + 4);
  QColor veil = pal.base().color();
  veil.setAlphaF(0.85);
  p.fillRect(legend, veil);
  for (int k = 0; k < 4; ++k) {
    const double y = legend.top() + 2 + rowH * (k + 0.5);
    p.setPen(QPen(colours[k], 2.0, k == 3 ? Qt::DashLine : Qt::SolidLine));
    p.drawLine(QPointF(legend.left() + 3, y), QPointF(legend.left() + 17, y));
    p.setPen(pal.text().color());
    p.drawText(QRectF(legend.left() + 21, y - rowH / 2, legendW, rowH), Qt::AlignLeft | Qt::AlignVCenter,
               paradigmName(k));
  }
  p.restore();
  // Axes: numbers at the ends, the quantity along the left edge, time below.
  p.setPen(pal.text().color());
  p.drawText(QRectF(plot.left() - 56, plot.top(), 40, fm.height()), Qt::AlignRight, compactNumber(r.hi));
  p.drawText(QRectF(plot.left() - 56, plot.bottom() - fm.height(), 40, fm.height()), Qt::AlignRight,
             compactNumber(r.lo));
  p.drawText(QRectF(plot.left(), plot.bottom(), plot.width(), fm.height()), Qt::AlignLeft,
             QStringLiteral("0"));
  p.drawText(QRectF(plot.left(), plot.bottom(), plot.width(), fm.height()), Qt::AlignRight,
             compactNumber(c.horizon));
  const double sw = fm.horizontalAdvance(compactNumber(c.switchTime));
  if (xs - sw / 2 > plot.left() + 12 && xs + sw / 2 < plot.right() - 30)
    p.drawText(QRectF(xs - sw, plot.bottom(), 2 * sw, fm.height()), Qt::AlignHCenter,
               compactNumber(c.switchTime));
  p.drawText(QRectF(plot.left(), plot.bottom() + fm.height(), plot.width(), fm.height()), Qt::AlignHCenter,
             tr("t (gradient-flow time)"));
  p.save();
  p.translate(plot.left() - 56 + fm.height(), plot.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-plot.height() / 2, -fm.height(), plot.height(), fm.height()), Qt::AlignCenter,
             q == Quantity::Nu ? tr("ν (focus logit)") : tr("μ (class logit)"));
  p.restore();
}

QString ToyPanel::hoverText(const QRectF& plot, Quantity q, QPointF pos) const {
  if (!curves_ || !plot.contains(pos)) return {};
  const ToyCurves& c = *curves_;
  const int n = int(c.paradigms[0].t.size());
  const int i = std::clamp(int(std::lround((pos.x() - plot.left()) / plot.width() * (n - 1))), 0, n - 1);
  int best = -1;
  double bestDy = 12;
  for (int k = 0; k < 4; ++k) {
    const double dy = std::abs(map(plot, q, k, i).y() - pos.y());
    if (dy < bestDy) best = k, bestDy = dy;
  }
  if (best < 0)  // say why there is no "now" marker
    return tr("t = %1: the toy's gradient-flow time, not training steps\n(each run has its own learning rate "
              "and momentum)")
        .arg(compactNumber(c.paradigms[0].t[i]));
  const ToyTrajectory& traj = c.paradigms[best];
  const bool nu = q == Quantity::Nu;
  return QStringLiteral("%1\nt = %2\n%3 = %4 (%5 = %6)\nm = %7, C = %8")
      .arg(paradigmName(best), compactNumber(traj.t[i]), nu ? QStringLiteral("ν") : QStringLiteral("μ"),
           compactNumber(nu ? traj.nu[i] : traj.mu[i]), nu ? QStringLiteral("α") : QStringLiteral("β"),
           compactNumber(nu ? traj.alpha[i] : traj.beta[i]))
      .arg(c.m)
      .arg(c.C);
}

}  // namespace attent::ui

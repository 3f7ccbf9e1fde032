#pragma once
// The mosaic paper's closed-form scalar toy (docs/SCIENCE.md section 4) in the diagnostics view:
// nu(t) (focus logit of the foreground, alpha = e^nu / (e^nu + m - 1)) and mu(t) (classifier
// logit of the true class, beta = e^mu / (e^mu + C - 1)) under gradient flow from 0, one curve
// per paradigm. The engine integrates (mosaicToy); this caches the curves per (m, C) and
// paints them, so a paint never integrates.
//
// Toy time has no natural counterpart in the mosaic runs' steps (each run has its own learning
// rate and momentum, and the network's weights are not the toy's two scalars), so there is
// no "now" cursor. The toy hybrid switches to HA where HA's nu overtakes SA's.
#include <QPainter>
#include <QPalette>
#include <QRectF>
#include <QString>
#include <array>
#include <optional>

#include "engine/research/mosaic/mosaic.h"

namespace attent::ui {

struct ToyCurves {
  static constexpr int kSteps = 2000;  // RK4 steps per curve: smooth at any panel width
  int m = 0, C = 0;
  double horizon = 0;                      // t range shown: ~3x the SA/HA crossover
  double switchTime = 0;                   // the hybrid's switch from SA to HA (the nu crossover)
  std::array<ToyTrajectory, 4> paradigms;  // SA, HA, LVML, Hybrid (ToyParadigm order)
  // The toy for (m, C), by mosaicToy. m, C >= 2.
  static ToyCurves compute(int m, int C);
};

class ToyPanel {
 public:
  enum class Quantity { Nu, Mu };
  static constexpr std::array<ToyParadigm, 4> kParadigms = {ToyParadigm::SA, ToyParadigm::HA,
                                                            ToyParadigm::LVML, ToyParadigm::Hybrid};
  static QString paradigmName(int i);  // "SA", "HA", "LVML", "hybrid"
  static QString title(Quantity q);    // the panel titles, "toy ν(t): focus" ...

  // Recomputes only when (m, C) change; m, C are clamped to >= 2.
  const ToyCurves& curves(int m, int C);
  const ToyCurves* cached() const { return curves_ ? &*curves_ : nullptr; }

  // colours: one per paradigm (the mosaic runs' colours). plot: the framed plot area; the axis
  // numbers and labels go into the margins left of and below it (56 px, two text lines).
  void paint(QPainter& p, const QRectF& plot, Quantity q, const QPalette& pal,
             const std::array<QColor, 4>& colours) const;
  // Paradigm, t and value of the curve nearest `pos` (within 12 px vertically); elsewhere in
  // the plot what t is; outside it empty.
  QString hoverText(const QRectF& plot, Quantity q, QPointF pos) const;
  // Where sample i of paradigm k is drawn in `plot` (tests check the drawn curve).
  QPointF map(const QRectF& plot, Quantity q, int k, int i) const;

 private:
  struct Range {
    double lo, hi;
  };
  Range range(Quantity q) const;
  std::optional<ToyCurves> curves_;
};

}  // namespace attent::ui

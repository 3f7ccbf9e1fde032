#include "ui/diagnostic_panels.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

#include "ui/nice_ticks.h"
#include "ui/paint_util.h"

namespace attent::ui {

namespace {
QString tr(const char* s) { return QCoreApplication::translate("attent::ui::DiagnosticPanels", s); }
QString words(const std::string& s) { return QString::fromStdString(s); }
constexpr int kHeaderFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;

QFont bold(QFont f) {
  f.setBold(true);
  return f;
}
}  // namespace

// ---- the header

QString panelTitle(const PanelCell& cell, const PanelInput& in) {
  const DiagnosticPanel& panel = *cell.panel;
  QString title = words(panel.title);
  if (cell.run >= 0 && cell.run < int(in.live.runs.size()))
    title += " · " + words(in.live.runs[cell.run].name);
  const bool fromFrame = panel.kind == PanelKind::Heatmap || panel.kind == PanelKind::Scatter;
  if (fromFrame && &in.shown != &in.live) title += tr(" · step %1").arg(in.shown.step);
  return title;
}

QString panelSubtitle(const PanelCell& cell, const PanelInput& in) {
  const DiagnosticPanel& panel = *cell.panel;
  const QString unit = words(panel.unit);
  const QString yLabel = panel.yAxis.empty() ? unit : QStringLiteral("%1 (%2)").arg(words(panel.yAxis), unit);
  QStringList parts;
  switch (panel.kind) {
    case PanelKind::Lines: {
      parts << (panel.yScale == AxisScale::Log ? tr("%1, log scale").arg(yLabel) : yLabel);
      QStringList styles;
      if (panel.series.size() > 1)
        for (const DiagnosticSeries& s : panel.series)
          styles << (s.dashed ? tr("dashed: %1") : tr("solid: %1")).arg(words(s.title));
      if (!styles.isEmpty()) parts << styles.join(QStringLiteral(", "));
      break;
    }
    case PanelKind::Heatmap:
      parts << tr("colour: %1").arg(unit);
      if (!panel.yAxis.empty()) parts << tr("rows: %1").arg(words(panel.yAxis));
      if (!panel.xAxis.empty()) parts << tr("columns: %1").arg(words(panel.xAxis));
      break;
    case PanelKind::Scatter:
      parts << yLabel;
      if (panel.theory) parts << tr("dashed: %1").arg(words(panel.theory->title));
      break;
    case PanelKind::Curves: {
      parts << yLabel;
      for (const DiagnosticSeries& s : panel.series)
        if (s.dashed) parts << tr("dashed: %1").arg(words(s.title));
      QStringList values;
      for (const DiagnosticSeries& s : panel.parameters)
        if (const double* v = firstScalar(in.live, s.key))
          values << QStringLiteral("%1 = %2").arg(words(s.title), compactNumber(*v));
      if (!values.isEmpty()) parts << values.join(QStringLiteral(", "));
      break;
    }
  }
  return parts.join(QStringLiteral(" · "));
}

double headerHeight(const PanelCell& cell, const PanelInput& in, double width) {
  const QRectF wide(0, 0, std::max(10.0, width), 1e6);
  const double title =
      QFontMetricsF(bold(in.font)).boundingRect(wide, kHeaderFlags, panelTitle(cell, in)).height();
  const double sub =
      QFontMetricsF(in.font).boundingRect(wide, kHeaderFlags, panelSubtitle(cell, in)).height();
  return std::ceil(title + sub + 4);
}

void paintHeader(QPainter& p, const QRectF& header, const PanelCell& cell, const PanelInput& in) {
  p.save();
  p.setFont(bold(p.font()));
  p.setPen(in.palette.text().color());
  QRectF used;
  p.drawText(header, kHeaderFlags, panelTitle(cell, in), &used);
  p.restore();
  p.save();
  p.setPen(in.palette.placeholderText().color());
  p.drawText(header.adjusted(0, used.height() + 2, 0, 0), kHeaderFlags, panelSubtitle(cell, in));
  p.restore();
}

QString panelTooltip(const PanelCell& cell) {
  const DiagnosticPanel& panel = *cell.panel;
  QStringList keys;
  for (const DiagnosticSeries& s : panel.series) keys << words(s.key);
  if (panel.theory) keys << words(panel.theory->key);
  for (const DiagnosticSeries& s : panel.parameters) keys << words(s.key);
  QString text = words(panel.note);
  if (!text.isEmpty()) text += QStringLiteral("\n");
  return text + tr("keys: %1").arg(keys.join(QStringLiteral(", ")));
}

void paintPanel(QPainter& p, const QRectF& area, const PanelCell& cell, const PanelInput& in) {
  switch (cell.panel->kind) {
    case PanelKind::Lines:
      return paintLinesPanel(p, area, cell, in);
    case PanelKind::Heatmap:
      return paintHeatmapPanel(p, area, cell, in);
    case PanelKind::Scatter:
      return paintScatterPanel(p, area, cell, in);
    case PanelKind::Curves:
      return paintCurvesPanel(p, area, cell, in);
  }
}

// ---- runs and data

QColor runColour(const Snapshot& s, int run) {
  return runColor(run, run >= 0 && run < int(s.runs.size()) ? s.runs[run].role : RunRole::Other);
}

QColor seriesColour(const Snapshot& s, const DiagnosticSeries& series, int k, bool* named) {
  if (named) *named = true;
  for (std::size_t i = 0; i < s.runs.size(); ++i)
    if (words(s.runs[i].name).compare(words(series.title), Qt::CaseInsensitive) == 0)
      return runColour(s, int(i));
  if (named) *named = false;
  return runColor(k);
}

std::vector<std::pair<long, double>> seriesOf(const RunSnapshot& run, const std::string& key) {
  std::vector<std::pair<long, double>> values;
  if (auto it = run.diagnosticSeries.find(key); it != run.diagnosticSeries.end()) values = it->second;
  auto now = run.diagnostics.scalars.find(key);
  if (now != run.diagnostics.scalars.end() && (values.empty() || values.back().first < run.step))
    values.push_back({run.step, now->second});
  return values;
}

const double* firstScalar(const Snapshot& s, const std::string& key) {
  for (const RunSnapshot& r : s.runs)
    if (auto it = r.diagnostics.scalars.find(key); it != r.diagnostics.scalars.end()) return &it->second;
  return nullptr;
}

const std::vector<std::pair<float, float>>* firstPoints(const Snapshot& s, const std::string& key) {
  for (const RunSnapshot& r : s.runs)
    if (auto it = r.diagnostics.points.find(key); it != r.diagnostics.points.end()) return &it->second;
  return nullptr;
}

// ---- axes

double Axis::fraction(double v) const {
  if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  return (v - lo) / (hi - lo);
}

int ticksFor(double length, double spacing) { return std::max(2, int(length / spacing) + 1); }

Axis linearAxis(double lo, double hi, int maxTicks, bool widen) {
  if (hi < lo) std::swap(lo, hi);
  const NiceTicks t = niceTicks(lo, hi, maxTicks);
  Axis axis;
  axis.lo = widen ? std::floor(lo / t.step + 1e-9) * t.step : lo;
  axis.hi =
      widen ? std::max(axis.lo + t.step, std::ceil(hi / t.step - 1e-9) * t.step) : std::max(hi, lo + 1e-12);
  const double first = std::ceil(axis.lo / t.step - 1e-9) * t.step;
  for (double v = first; v <= axis.hi + 1e-9 * t.step; v += t.step) {
    axis.ticks.push_back(v);
    axis.labels.push_back(tickLabel(v, t));
  }
  return axis;
}

QString logTickLabel(double value) {
  const int k = int(std::floor(std::log10(value) + 1e-9));
  const int mantissa = int(std::lround(value / std::pow(10.0, k)));
  if (k >= -3 && k <= 4) return QString::number(mantissa * std::pow(10.0, k), 'f', std::max(0, -k));
  static const QString digits = QStringLiteral("⁰¹²³⁴⁵⁶⁷⁸⁹");
  QString exponent = k < 0 ? QStringLiteral("⁻") : QString();
  for (QChar c : QString::number(std::abs(k))) exponent += digits[c.digitValue()];
  const QString decade = QStringLiteral("10") + exponent;
  return mantissa == 1 ? decade : QStringLiteral("%1×%2").arg(mantissa).arg(decade);
}

Axis logAxis(double lo, double hi, int maxTicks) {
  const int k0 = int(std::floor(std::log10(lo) + 1e-9));
  const int k1 = std::max(k0 + 1, int(std::ceil(std::log10(std::max(hi, lo)) - 1e-9)));
  Axis axis;
  axis.log = true;
  axis.lo = std::pow(10.0, k0), axis.hi = std::pow(10.0, k1);
  const int decades = k1 - k0;
  const int every = std::max(1, (decades + maxTicks - 2) / std::max(1, maxTicks - 1));
  const bool between = decades * 3 + 1 <= maxTicks;
  for (int k = k0; k <= k1; ++k) {
    if ((k - k0) % every == 0) axis.ticks.push_back(std::pow(10.0, k));
    if (between && k < k1)
      for (double m : {2.0, 5.0}) axis.ticks.push_back(m * std::pow(10.0, k));
  }
  std::sort(axis.ticks.begin(), axis.ticks.end());
  for (double v : axis.ticks) axis.labels.push_back(logTickLabel(v));
  return axis;
}

QPointF Plot::map(double xv, double yv) const {
  return {rect.left() + rect.width() * x.fraction(xv), rect.bottom() - rect.height() * y.fraction(yv)};
}

Plot layoutPlot(const QRectF& area, Axis x, Axis y, bool xTitle, const QFontMetricsF& fm) {
  double labelWidth = 0;
  for (const QString& l : y.labels) labelWidth = std::max(labelWidth, fm.horizontalAdvance(l));
  const double below = fm.height() * (xTitle ? 2 : 1) + 2;
  const double right = fm.horizontalAdvance(x.labels.empty() ? QString() : x.labels.back()) / 2 + 4;
  return {area.adjusted(labelWidth + 6, fm.height() / 2, -right, -below), std::move(x), std::move(y)};
}

Plot drawPlot(QPainter& p, const QRectF& area, Axis x, Axis y, const QString& xTitle, const QPalette& pal) {
  const QFontMetricsF fm(p.font());
  const Plot plot = layoutPlot(area, std::move(x), std::move(y), !xTitle.isEmpty(), fm);
  const double labelWidth = plot.rect.left() - area.left() - 6;
  const QRectF& r = plot.rect;
  p.save();
  QColor grid = pal.mid().color();
  grid.setAlphaF(0.35);
  for (std::size_t i = 0; i < plot.y.ticks.size(); ++i) {
    const double yy = plot.map(plot.x.lo, plot.y.ticks[i]).y();
    p.setPen(QPen(grid, 1));
    p.drawLine(QPointF(r.left(), yy), QPointF(r.right(), yy));
    p.setPen(pal.text().color());
    p.drawText(QRectF(area.left(), yy - fm.height() / 2, labelWidth + 2, fm.height()), Qt::AlignRight,
               plot.y.labels[i]);
  }
  // x labels left to right, each only where it clears the one before (a crowded log axis).
  double lastRight = -1e9;
  for (std::size_t i = 0; i < plot.x.ticks.size(); ++i) {
    const double xx = plot.map(plot.x.ticks[i], plot.y.lo).x();
    p.setPen(QPen(grid, 1));
    p.drawLine(QPointF(xx, r.top()), QPointF(xx, r.bottom()));
    const double w = fm.horizontalAdvance(plot.x.labels[i]);
    if (xx - w / 2 < lastRight + 6) continue;
    p.setPen(pal.text().color());
    p.drawText(QRectF(xx - w / 2 - 1, r.bottom() + 1, w + 2, fm.height()), Qt::AlignHCenter,
               plot.x.labels[i]);
    lastRight = xx + w / 2;
  }
  p.setPen(pal.mid().color());
  p.drawRect(r);
  if (!xTitle.isEmpty()) {
    p.setPen(pal.text().color());
    p.drawText(QRectF(area.left(), r.bottom() + fm.height() + 1, area.width(), fm.height()), Qt::AlignHCenter,
               xTitle);
  }
  p.restore();
  return plot;
}

}  // namespace attent::ui

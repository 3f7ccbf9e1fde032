#include "ui/diagnostics_view.h"

#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <set>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {
constexpr int kMinPanelWidth = 270, kPlotHeight = 170, kPad = 8;
}  // namespace

DiagnosticsView::DiagnosticsView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(260, 120);
  setMouseTracking(true);  // the panels' hover
}

void DiagnosticsView::clearHistory() {
  cells_.clear();
  placed_.clear();
  snapshot_.reset();
  frame_.reset();
  update();
}

void DiagnosticsView::setSnapshot(app::SnapshotPtr snapshot) {
  if (!snapshot) return;
  snapshot_ = std::move(snapshot);
  cells_ = buildCells();
  relayout();
  update();
}

void DiagnosticsView::showFrame(app::SnapshotPtr frame) {
  frame_ = std::move(frame);
  if (snapshot_) relayout();  // the titles name the frame's step
  update();
}

PanelInput DiagnosticsView::input() const {
  return {*snapshot_, frame_ ? *frame_ : *snapshot_, frameStep(), palette(), font()};
}

// The described panels in the learners' order, each once (runs of one kind describe the same);
// a heatmap once per run that sends it, unless it is the same in every run.
std::vector<PanelCell> DiagnosticsView::buildCells() const {
  std::vector<PanelCell> cells;
  std::set<std::string> seen;  // a panel is known by its first key
  const auto& runs = snapshot_->runs;
  for (const RunSnapshot& run : runs) {
    if (!run.diagnostics.panels) continue;
    for (const DiagnosticPanel& panel : *run.diagnostics.panels) {
      if (panel.series.empty() || !seen.insert(panel.series.front().key).second) continue;
      if (panel.kind != PanelKind::Heatmap || panel.sameInEveryRun) {
        cells.push_back({&panel, -1});
        continue;
      }
      for (std::size_t r = 0; r < runs.size(); ++r)
        if (runs[r].diagnostics.matrices.count(panel.series.front().key)) cells.push_back({&panel, int(r)});
    }
  }
  return cells;
}

double DiagnosticsView::legendHeight() const { return QFontMetricsF(font()).height() + 2 * kPad; }

// A grid of columns at least kMinPanelWidth wide; each row as tall as its tallest header (the
// titles wrap, never elide) plus the plot. Both grow with the font, so presentation mode's
// larger text gets larger plots rather than tick labels crowding out the data.
std::vector<DiagnosticsView::Placed> DiagnosticsView::layoutFor(int width) const {
  std::vector<Placed> out;
  if (!snapshot_ || cells_.empty()) return out;
  const PanelInput in = input();
  const int n = int(cells_.size());
  const double em = QFontMetricsF(font()).height();
  const int minWidth = std::max(kMinPanelWidth, int(16 * em));
  const double plotHeight = std::max(double(kPlotHeight), 10 * em);
  const int cols = std::clamp(width / minWidth, 1, n);
  const double cw = double(width) / cols, inner = cw - 2 * kPad;
  double y = legendHeight();
  for (int first = 0; first < n; first += cols) {
    const int last = std::min(n, first + cols);
    double header = 0;
    for (int i = first; i < last; ++i) header = std::max(header, headerHeight(cells_[i], in, inner));
    for (int i = first; i < last; ++i) {
      const double x = (i - first) * cw + kPad;
      out.push_back({cells_[i], QRectF(x, y, inner, header), QRectF(x, y + header, inner, plotHeight)});
    }
    y += header + plotHeight + 2 * kPad;
  }
  return out;
}

void DiagnosticsView::relayout() {
  placed_ = layoutFor(width());
  const int h = placed_.empty() ? 120 : int(std::ceil(placed_.back().area.bottom())) + kPad;
  if (h != minimumHeight()) setMinimumHeight(h);
}

void DiagnosticsView::resizeEvent(QResizeEvent*) { relayout(); }

void DiagnosticsView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange) relayout();
  QWidget::changeEvent(event);
}

QString DiagnosticsView::hoverText(QPointF pos) const {
  for (const Placed& placed : placedPanels()) {
    if (!placed.header.united(placed.area).contains(pos)) continue;
    if (placed.cell.panel->kind == PanelKind::Curves && placed.area.contains(pos)) {
      const QString text = curvesHover(placed.area, placed.cell, input(), pos);
      if (!text.isEmpty()) return text;
    }
    return panelTooltip(placed.cell);
  }
  return {};
}

void DiagnosticsView::mouseMoveEvent(QMouseEvent* event) {
  const QString text = hoverText(event->position());
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void DiagnosticsView::paintEvent(QPaintEvent* event) {
  const PaintCost cost;
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  if (cells_.empty()) {
    p.drawText(rect(), Qt::AlignCenter,
               snapshot_ ? tr("This preset has no paper diagnostics (see the loss curves and attention maps)")
                         : tr("Waiting for the first snapshot"));
    return;
  }
  // The runs' colours once, for every panel below.
  const QFontMetricsF fm(font());
  double x = kPad;
  for (std::size_t r = 0; r < snapshot_->runs.size(); ++r) {
    const QString name = QString::fromStdString(snapshot_->runs[r].name);
    const double y = legendHeight() / 2;
    p.setPen(QPen(runColour(*snapshot_, int(r)), 3));
    p.drawLine(QPointF(x, y), QPointF(x + 18, y));
    p.setPen(palette().text().color());
    p.drawText(QRectF(x + 24, y - fm.height() / 2, fm.horizontalAdvance(name) + 2, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, name);
    x += 24 + fm.horizontalAdvance(name) + 18;
  }
  const PanelInput in = input();
  for (const Placed& placed : placedPanels()) {
    if (!event->rect().intersects(placed.header.united(placed.area).toAlignedRect())) continue;
    paintHeader(p, placed.header, placed.cell, in);
    paintPanel(p, placed.area, placed.cell, in);
  }
}

}  // namespace attent::ui

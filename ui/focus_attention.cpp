#include "ui/focus_attention.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/image_attention.h"
#include "ui/nice_ticks.h"
#include "ui/paint_util.h"

namespace attent::ui {

namespace {
constexpr double kPad = 4, kGap = 6;
constexpr double kLabelMargin = 4;  // px of cell left beside a label, so neighbours do not touch
const QColor kTruth(255, 60, 200);  // the ground-truth outline of the matrices' overlay too

// A weight as a tint over the background: red as it grows, blue below 0, so the item's own
// text (or digit) stays legible under the strongest.
QColor heat(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, -1.0, 1.0);
  return t >= 0 ? QColor(215, 48, 39, int(t * 200)) : QColor(33, 102, 172, int(-t * 200));
}

bool singleQuery(const AttentionMaps& a, int items) {
  return a.layers > 0 && a.heads > 0 && a.queries == 1 && a.keys == items &&
         a.weights.size() >= std::size_t(a.layers) * a.heads * a.keys;
}

// The probe's tiles side by side (mosaics of digits), dark ink on white; null otherwise.
QImage tileStrip(const ExampleView& v) {
  const int n = int(v.tokens.size());
  if (v.patchSize <= 0 || v.imageHeight != v.patchSize || v.imageWidth != n * v.patchSize ||
      v.image.size() != std::size_t(v.imageWidth) * v.imageHeight)
    return {};
  return grayImage(v);
}
}  // namespace

FocusAttentionView::FocusAttentionView(QWidget* parent) : QWidget(parent) { setMouseTracking(true); }

bool FocusAttentionView::showsFocus(const Snapshot& s) {
  const int items = int(s.probeExample.tokens.size());
  bool any = false;
  for (const RunSnapshot& r : s.runs) {
    if (r.probeAttention.layers == 0) continue;  // a run without attention (none yet)
    if (!singleQuery(r.probeAttention, items)) return false;
    any = true;
  }
  return any && items > 0;
}

void FocusAttentionView::setSnapshot(app::SnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  laidOut_ = {};  // laid out when painted: a hidden view costs nothing
  update();
}

float FocusAttentionView::weight(const Row& row, int item) const {
  return row.run->probeAttention.at(row.layer, row.head, 0, item);
}

bool FocusAttentionView::isTruth(int item) const {
  const auto& h = snapshot_->probeExample.highlight;
  return std::find(h.begin(), h.end(), item) != h.end();
}

QString FocusAttentionView::unit() const {
  for (const Row& row : rows_)
    if (!row.run->probeAttention.unit.empty()) return QString::fromStdString(row.run->probeAttention.unit);
  return tr("attention weight, 0-1");
}

void FocusAttentionView::layOut() {
  laidOut_ = size();
  rows_.clear();
  if (!snapshot_ || !showsFocus(*snapshot_)) return;
  const ExampleView& v = snapshot_->probeExample;
  tiles_ = tileStrip(v);
  float lo = 0, hi = 0;
  for (std::size_t i = 0; i < snapshot_->runs.size(); ++i) {
    const RunSnapshot& r = snapshot_->runs[i];
    const AttentionMaps& a = r.probeAttention;
    if (a.layers == 0) continue;
    for (int l = 0; l < a.layers; ++l)
      for (int h = 0; h < a.heads; ++h) {
        Row row{&r, int(i), l, h, runTitle(r.name), {}, {}};
        if (a.layers * a.heads > 1) row.title += tr(" · layer %1, head %2").arg(l + 1).arg(h + 1);
        for (int k = 0; k < a.keys; ++k) lo = std::min(lo, weight(row, k)), hi = std::max(hi, weight(row, k));
        rows_.push_back(std::move(row));
      }
  }
  // One scale for the comparison, topped at a tick; symmetric when a weight is negative.
  diverging_ = lo < 0;
  top_ = float(niceCeiling(std::max<double>(hi, -lo)));

  const QFontMetricsF fm(font());
  about_ =
      v.label.empty()
          ? tr("Attention over the probe, one row per run")
          : tr("Attention over the probe, one row per run (answer: %1)").arg(QString::fromStdString(v.label));
  truth_ = v.highlightTitle.empty() ? tr("the ground truth") : QString::fromStdString(v.highlightTitle);
  header_ = QRectF(4, 2, width() - 8, 0);
  header_.setHeight(fm.boundingRect(header_.adjusted(0, 0, 0, 1e4), Qt::TextWordWrap, about_).height());
  // The legend: its words, the bar with nice ticks under it, then the truth's key; the words
  // over the bar and the key under it when one line has no room for them.
  const double unitW = fm.horizontalAdvance(unit()) + 8;
  const double barW = std::clamp(width() / 4.0, 100.0, 220.0);
  const bool unitAbove = 4 + unitW + barW > width() - 4;
  unit_ = QRectF(4, header_.bottom() + 6 + 5 - fm.height() / 2, unitW, fm.height());
  bar_ = QRectF(4 + unitW, header_.bottom() + 6, barW, 10);
  if (unitAbove) bar_.moveTopLeft({4, unit_.bottom() + 2});
  const double truthW = v.highlight.empty() ? 0 : fm.horizontalAdvance(tr("outlined: %1").arg(truth_)) + 26;
  const bool oneLine = bar_.right() + 24 + truthW <= width() - 4;
  truthKey_ = QRectF(oneLine ? bar_.right() + 24 : 4,
                     oneLine ? bar_.top() - 3 : bar_.bottom() + fm.height() + 6, truthW, fm.height());
  // Items as large as fit: the text from 1.3 times the window's font down, then without the
  // weights printed under the items (the hover still gives them), then each run as one strip
  // next to its name.
  compact_ = false;
  for (bool numbers : {true, false})
    for (double scale : {1.3, 1.15, 1.0, 0.9, 0.8, 0.7}) {
      numbers_ = numbers;
      itemFont_ = font();
      itemFont_.setPointSizeF(font().pointSizeF() * scale);
      if (layRows(itemFont_) <= height()) return;
    }
  compact_ = true;
  layRows(itemFont_);
}

void FocusAttentionView::layStrips(double y) {
  QFont bold = font();
  bold.setBold(true);
  double names = 0;
  for (const Row& row : rows_) names = std::max(names, QFontMetricsF(bold).horizontalAdvance(row.title) + 20);
  const int n = int(snapshot_->probeExample.tokens.size());
  const double x0 = 4 + names + 4, w = std::max(4.0, (width() - 4 - x0) / n);
  // Every cell's label at one size, small enough for the widest with a margin (s10 beside s9):
  // a label that still does not fit is left to the hover.
  double widest = 0;
  for (const std::string& t : snapshot_->probeExample.tokens)
    widest = std::max(widest, QFontMetricsF(itemFont_).horizontalAdvance(QString::fromStdString(t)));
  if (widest > w - 1 - kLabelMargin)
    itemFont_.setPointSizeF(std::max(0.6 * font().pointSizeF(),
                                     itemFont_.pointSizeF() * std::max(0.0, w - 1 - kLabelMargin) / widest));
  const QFontMetricsF fm(itemFont_);
  const double h = fm.height() + kPad;
  for (Row& row : rows_) {
    row.titleRect = QRectF(4, y, names, h);
    row.items.clear();
    for (int k = 0; k < n; ++k) row.items.emplace_back(x0 + k * w, y, w - 1, h);
    y += h + kGap;
  }
}

double FocusAttentionView::layRows(const QFont& itemFont) {
  const QFontMetricsF fm(itemFont), small(font());
  QFont bold = font();
  bold.setBold(true);
  const double titleH = QFontMetricsF(bold).height() + 2;
  double y = std::max(truthKey_.bottom(), bar_.bottom() + small.height()) + 10;
  if (compact_) return layStrips(y), height();
  const int n = int(snapshot_->probeExample.tokens.size()), count = int(rows_.size());
  // Tiles: one line of them per run, as large as the width and the height allow.
  const double below = numbers_ ? small.height() + 2 : 0.0;
  double side = (width() - 8) / double(n) - kGap;
  side = std::min({side, (height() - y) / count - titleH - below - 2 * kGap, 140.0});
  side = std::max(side, 24.0);
  for (Row& row : rows_) {
    row.titleRect = QRectF(4, y, QFontMetricsF(bold).horizontalAdvance(row.title) + 20, titleH);
    y += titleH;
    row.items.clear();
    double x = 4, lineH = 0;
    for (int k = 0; k < n; ++k) {
      const QString label = QString::fromStdString(snapshot_->probeExample.tokens[std::size_t(k)]);
      const double number = numbers_ ? small.horizontalAdvance("-0.00") : 0.0;
      const double w = tiles_.isNull() ? std::max(fm.horizontalAdvance(label), number) + 2 * kPad : side;
      const double h = tiles_.isNull() ? fm.height() + below + kPad : side + below;
      if (x > 4 && x + w > width() - 4) x = 4, y += lineH + kGap, lineH = 0;
      row.items.emplace_back(x, y, w, h);
      x += w + kGap;
      lineH = std::max(lineH, h);
    }
    y += lineH + 2 * kGap;
  }
  return y;
}

int FocusAttentionView::rowCount() {
  if (laidOut_ != size()) layOut();
  return int(rows_.size());
}

QRectF FocusAttentionView::itemRect(int row, int item) {
  if (laidOut_ != size()) layOut();
  if (row < 0 || row >= int(rows_.size()) || item < 0 || item >= int(rows_[row].items.size())) return {};
  return rows_[row].items[std::size_t(item)];
}

void FocusAttentionView::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  if (laidOut_ != size()) layOut();
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  if (rows_.empty()) {
    p.drawText(rect(), Qt::AlignCenter, tr("No single query over this probe"));
    return;
  }
  p.drawText(header_, Qt::TextWordWrap, about_);
  paintLegend(p);
  for (const Row& row : rows_) paintRow(p, row);
}

void FocusAttentionView::paintLegend(QPainter& p) const {
  const QFontMetricsF fm(font());
  p.setPen(palette().text().color());
  p.drawText(unit_, Qt::AlignLeft | Qt::AlignVCenter, unit());
  const double lo = diverging_ ? -top_ : 0;
  for (int i = 0; i < int(bar_.width()); ++i) {
    const QRectF column(bar_.left() + i, bar_.top(), 1, bar_.height());
    p.fillRect(column, palette().base());
    p.fillRect(column, heat((lo + (top_ - lo) * i / std::max(1.0, bar_.width() - 1)) / top_));
  }
  p.drawRect(bar_);
  const NiceTicks ticks =
      niceTicks(lo, top_, std::max(3, int(bar_.width() / (fm.horizontalAdvance("-0.00") + 8))));
  for (int i = 0; i < ticks.count; ++i) {
    const double value = ticks.first + i * ticks.step;
    const double x = bar_.left() + (value - lo) / (top_ - lo) * bar_.width();
    p.drawLine(QPointF(x, bar_.bottom()), QPointF(x, bar_.bottom() + 3));
    const QString label = tickLabel(value, ticks);
    const double w = fm.horizontalAdvance(label) + 2;
    p.drawText(QRectF(x - w / 2, bar_.bottom() + 3, w, fm.height()), Qt::AlignCenter, label);
  }
  if (truthKey_.width() <= 0) return;
  p.setPen(QPen(kTruth, 2.5));
  p.drawRect(QRectF(truthKey_.left() + 2, truthKey_.top() + 3, 14, truthKey_.height() - 6));
  p.setPen(palette().text().color());
  p.drawText(truthKey_.adjusted(24, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
             tr("outlined: %1").arg(truth_));
}

void FocusAttentionView::paintRow(QPainter& p, const Row& row) const {
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  const QRectF swatch(row.titleRect.left(), row.titleRect.center().y() - 5, 10, 10);
  p.fillRect(swatch, runColor(row.index, row.run->role));
  p.setPen(palette().text().color());
  p.drawText(row.titleRect.adjusted(16, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, row.title);
  for (int k = 0; k < int(row.items.size()); ++k) paintItem(p, row, k);
  p.setFont(font());
}

void FocusAttentionView::paintItem(QPainter& p, const Row& row, int item) const {
  const QRectF r = row.items[std::size_t(item)];
  const QFontMetricsF small(font());
  const float w = weight(row, item);
  const QRectF number(r.left(), r.bottom() - (numbers_ ? small.height() + 1 : 0), r.width(),
                      numbers_ ? small.height() : 0);
  if (tiles_.isNull()) {
    p.fillRect(r, heat(w / top_));
    p.setFont(itemFont_);
    p.setPen(palette().text().color());
    const QString label = QString::fromStdString(snapshot_->probeExample.tokens[std::size_t(item)]);
    if (QFontMetricsF(itemFont_).horizontalAdvance(label) + kLabelMargin <=
        r.width())  // else the hover names it
      p.drawText(QRectF(r.left(), r.top() + 2, r.width(), number.top() - r.top() - 2), Qt::AlignCenter,
                 label);
  } else {
    const int side = snapshot_->probeExample.patchSize;
    const QRectF square(r.left(), r.top(), r.width(), r.width());
    p.drawImage(square, tiles_, QRectF(item * side, 0, side, side));
    p.fillRect(square, heat(w / top_));
    p.setPen(QPen(palette().mid().color(), 1));
    p.drawRect(square);
  }
  p.setFont(font());
  p.setPen(palette().text().color());
  if (numbers_)  // no "-0.00" for a weight that rounds to 0
    p.drawText(number, Qt::AlignCenter, QString::number(std::abs(w) < 0.005f ? 0.0 : double(w), 'f', 2));
  if (isTruth(item)) {
    p.setPen(QPen(kTruth, 2.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r.adjusted(-2, -2, 2, 2));
  }
}

QString FocusAttentionView::hoverText(QPointF pos) {
  if (laidOut_ != size()) layOut();
  for (const Row& row : rows_)
    for (int k = 0; k < int(row.items.size()); ++k) {
      if (!row.items[std::size_t(k)].contains(pos)) continue;
      QString out = tr("%1\nposition %2: '%3'\n%4: %5")
                        .arg(row.title)
                        .arg(k)
                        .arg(QString::fromStdString(snapshot_->probeExample.tokens[std::size_t(k)]))
                        .arg(unit())
                        .arg(double(weight(row, k)), 0, 'f', 4);
      if (isTruth(k)) out += "\n" + truth_;
      return out;
    }
  return {};
}

void FocusAttentionView::mouseMoveEvent(QMouseEvent* event) {
  showHoverTip(this, event->globalPosition(), hoverText(event->position()));
}

}  // namespace attent::ui

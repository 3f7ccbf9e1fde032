#include "ui/attention_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/focus_attention.h"
#include "ui/image_attention.h"
#include "ui/nice_ticks.h"
#include "ui/paint_util.h"
#include "ui/token_attention.h"

namespace attent::ui {

namespace {
// The teacher's run for the difference map: the first AtteNT run.
const RunSnapshot* teacherRun(const Snapshot& s) {
  for (const auto& r : s.runs)
    if (r.role == RunRole::AtteNT) return &r;
  return nullptr;
}

std::vector<float> mapValues(const AttentionMaps& a, int layer, int head) {
  std::vector<float> v(std::size_t(a.queries) * a.keys, 0.0f);
  if (head >= 0) {
    for (int q = 0; q < a.queries; ++q)
      for (int k = 0; k < a.keys; ++k) v[std::size_t(q) * a.keys + k] = a.at(layer, head, q, k);
  } else {
    for (int h = 0; h < a.heads; ++h)
      for (int q = 0; q < a.queries; ++q)
        for (int k = 0; k < a.keys; ++k) v[std::size_t(q) * a.keys + k] += a.at(layer, h, q, k) / a.heads;
  }
  return v;
}
bool validMaps(const AttentionMaps& a) {
  return a.layers > 0 && a.heads > 0 && a.queries > 0 && a.keys > 0 &&
         a.weights.size() >= std::size_t(a.layers) * a.heads * a.queries * a.keys;
}
}  // namespace

AttentionCanvas::AttentionCanvas(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumSize(200, 150);
}

void AttentionCanvas::setSnapshot(app::SnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  layoutDirty_ = true;  // laid out when painted: a hidden view costs nothing
  update();
}
void AttentionCanvas::setMeanOverHeads(bool on) {
  mean_ = on;
  layoutDirty_ = true;
  update();
}
void AttentionCanvas::setDifference(bool on) {
  difference_ = on;
  layoutDirty_ = true;
  update();
}
void AttentionCanvas::setOverlay(bool on) {
  overlay_ = on;
  update();
}

std::vector<AttentionCanvas::Column> AttentionCanvas::columns() const {
  std::vector<Column> columns;
  if (!snapshot_) return columns;
  const Snapshot& s = *snapshot_;
  for (const auto& r : s.runs)
    if (validMaps(r.probeAttention)) columns.push_back({runTitle(r.name), &r.probeAttention, nullptr});
  const RunSnapshot* teacher = teacherRun(s);
  const RunSnapshot* baseline =
      s.baselineRun >= 0 && s.baselineRun < int(s.runs.size()) ? &s.runs[s.baselineRun] : nullptr;
  if (difference_ && teacher && baseline && teacher != baseline && validMaps(teacher->probeAttention) &&
      validMaps(baseline->probeAttention) &&
      teacher->probeAttention.weights.size() == baseline->probeAttention.weights.size())
    columns.push_back({runTitle(teacher->name + " − " + baseline->name), &teacher->probeAttention,
                       &baseline->probeAttention});
  return columns;
}

// Cells are square unless a map has one or two query rows (topic words: one global query),
// which would make it a sliver. Labels take room only when they can be read.
AttentionCanvas::Geometry AttentionCanvas::geometry(const AttentionMaps& first, int heads,
                                                    double colW) const {
  const QFontMetricsF fm(font());
  const double titleH = fm.height() + 4;
  double labelW = 0;
  for (const auto& l : first.queryLabels)
    labelW = std::max(labelW, fm.horizontalAdvance(QString::fromStdString(l)));
  labelW = std::min(labelW + 4, 70.0);
  double keyLabelH = 0;
  for (const auto& l : first.keyLabels)
    keyLabelH = std::max(keyLabelH, fm.horizontalAdvance(QString::fromStdString(l)));
  keyLabelH = std::min(keyLabelH + 4, 60.0);
  Geometry g;
  auto fit = [&](double left, double below) {
    const double w = (colW - 8 - left) / heads - 4;
    const double h = (height() - titleH - 4 - below) / first.layers - fm.height() - 4;
    g.cellW = std::max(1.0, std::min(w / first.keys, first.queries > 2 ? h / first.queries : 1e9));
    g.cellH = first.queries > 2 ? g.cellW : std::min(h / first.queries, std::max(g.cellW, 20.0));
  };
  fit(0, 0);
  const bool rowLabels = g.cellH >= fm.height() * 0.8, colLabels = g.cellW >= fm.height() * 0.8;
  fit(rowLabels ? labelW : 0, colLabels ? keyLabelH : 0);
  g.rowLabels = rowLabels ? labelW : 0;
  return g;
}

void AttentionCanvas::addColumnCells(const Column& col, double x0, const Geometry& g, int layers, int heads) {
  const QFontMetricsF fm(font());
  const double titleH = fm.height() + 4;
  const AttentionMaps& a = *col.maps;
  const double mapW = g.cellW * a.keys, mapH = g.cellH * a.queries;
  for (int l = 0; l < a.layers && l < layers; ++l)
    for (int h = 0; h < heads; ++h) {
      Cell cell;
      cell.rect = QRectF(x0 + g.rowLabels + h * (mapW + 4),
                         titleH + fm.height() + l * (mapH + fm.height() + 4), mapW, mapH);
      cell.run = col.title;
      cell.layer = l;
      cell.head = mean_ ? -1 : h;
      cell.heads = heads;
      cell.values = mapValues(a, l, cell.head);
      if (col.minus) {
        const auto other = mapValues(*col.minus, l, cell.head);
        for (std::size_t i = 0; i < cell.values.size(); ++i) {
          cell.values[i] -= other[i];
          diffScale_ = std::max(diffScale_, std::abs(cell.values[i]));
        }
      }
      cell.queries = a.queries;
      cell.keys = a.keys;
      cell.queryLabels = &a.queryLabels;
      cell.keyLabels = &a.keyLabels;
      cells_.push_back(std::move(cell));
    }
}

void AttentionCanvas::layoutCells() {
  layoutDirty_ = false;
  laidOutSize_ = size();
  cells_.clear();
  titles_.clear();
  diffScale_ = 0;
  const std::vector<Column> cols = columns();
  if (cols.empty()) return;
  const double titleH = QFontMetricsF(font()).height() + 4;
  const double colW = (width() - legendWidth()) / cols.size();
  const AttentionMaps& first = *cols.front().maps;
  const int heads = mean_ ? 1 : first.heads;
  const Geometry g = geometry(first, heads, colW);
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const double x0 = c * colW + 4;
    titles_.push_back({QRectF(x0, 0, colW - 8, titleH), cols[c].title});
    addColumnCells(cols[c], x0, g, first.layers, heads);
  }
  layers_ = first.layers;
}

void AttentionCanvas::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  if (layoutDirty_ || laidOutSize_ != size()) layoutCells();
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  if (cells_.empty()) {
    p.drawText(rect(), Qt::AlignCenter,
               snapshot_ ? tr("No attention maps for this preset") : tr("Waiting for the first snapshot"));
    return;
  }
  const QFontMetricsF fm(font());
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  for (const auto& [r, t] : titles_) {
    QFont fitted = bold;  // a long run name in a narrow column: smaller, never cut
    while (QFontMetricsF(fitted).horizontalAdvance(t) > r.width() && fitted.pointSizeF() > 6)
      fitted.setPointSizeF(fitted.pointSizeF() - 0.5);
    p.setFont(fitted);
    p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWrapAnywhere, t);
  }
  p.setFont(font());
  const std::vector<int>* highlight = snapshot_ ? &snapshot_->probeExample.highlight : nullptr;
  double maxWeight = 0;
  for (const auto& c : cells_)
    if (!c.run.contains(QChar(0x2212)))
      for (float v : c.values) maxWeight = std::max<double>(maxWeight, v);
  maxWeight = niceCeiling(maxWeight);
  const float diffTop = diffScale_ > 0 ? float(niceCeiling(diffScale_)) : 0;
  for (const auto& c : cells_) {
    const bool diff = c.run.contains(QChar(0x2212));
    drawHeatmap(p, c.rect, c.queries, c.keys, c.values.data(), 0,
                diff ? std::max(diffTop, 1e-6f) : float(maxWeight), diff);
    p.setPen(palette().text().color());
    drawCellLabel(p, c);
    const double cellH = c.rect.height() / c.queries, cellW = c.rect.width() / c.keys;
    if (overlay_ && highlight && !highlight->empty()) {
      // Ground truth: outline the key columns (topic words, true positions, foreground).
      QPen pen(QColor(255, 60, 200), 1.5, Qt::DashLine);
      p.setPen(pen);
      p.setBrush(Qt::NoBrush);
      for (int k : *highlight)
        if (k >= 0 && k < c.keys)
          p.drawRect(QRectF(c.rect.left() + k * cellW, c.rect.top(), cellW, c.rect.height()));
    }
    // Token labels where a row (column) is big enough to read.
    QFont small = font();
    p.setPen(palette().text().color());
    if (cellH >= fm.height() * 0.8 && c.head <= 0 && c.queryLabels) {
      small.setPointSizeF(std::max(6.0, std::min(font().pointSizeF(), cellH * 0.7)));
      p.setFont(small);
      for (int q = 0; q < c.queries && q < int(c.queryLabels->size()); ++q)
        p.drawText(QRectF(c.rect.left() - 70, c.rect.top() + q * cellH, 67, cellH),
                   Qt::AlignRight | Qt::AlignVCenter, QString::fromStdString((*c.queryLabels)[q]));
    }
    if (cellW >= fm.height() * 0.8 && c.keyLabels && c.layer == layers_ - 1) {
      small.setPointSizeF(std::max(6.0, std::min(font().pointSizeF(), cellW * 0.7)));
      p.setFont(small);
      p.save();
      p.translate(c.rect.left(), c.rect.bottom() + 2);
      p.rotate(90);
      for (int k = 0; k < c.keys && k < int(c.keyLabels->size()); ++k)
        p.drawText(QRectF(0, -(k + 1) * cellW, 60, cellW), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::fromStdString((*c.keyLabels)[k]));
      p.restore();
    }
    p.setFont(font());
  }
  const double legendW = legendWidth() - 4, legendX = width() - legendW;
  drawLegend(p, QRectF(legendX, 20, legendW, std::min(160.0, height() / 2.0 - 10)), 0, float(maxWeight),
             false, tr("weight"));
  if (diffScale_ > 0)
    drawLegend(p, QRectF(legendX, height() / 2.0 + 10, legendW, std::min(160.0, height() / 2.0 - 20)),
               -diffTop, diffTop, true, tr("difference"));
}

double AttentionCanvas::legendWidth() const {
  QFont small = font();
  small.setPointSizeF(std::max(6.0, small.pointSizeF() - 1));
  const QFontMetricsF fm(small);
  return 20 + std::max({fm.horizontalAdvance("-0.00") + 16, fm.horizontalAdvance(tr("difference"))});
}

// "layer 1, head 2" over each map where it fits; else one label over the layer's row of
// maps, "layer 1, heads 1-4" or "layer 1", since the hover names the head.
void AttentionCanvas::drawCellLabel(QPainter& p, const Cell& c) const {
  const QFontMetricsF fm(font());
  const QString full = c.head < 0 ? tr("layer %1, mean of heads").arg(c.layer + 1)
                                  : tr("layer %1, head %2").arg(c.layer + 1).arg(c.head + 1);
  QString text = full;
  if (fm.horizontalAdvance(full) > c.rect.width()) {
    if (c.head > 0) return;
    const int heads = std::max(1, c.heads);
    const double row = heads * (c.rect.width() + 4) - 4;
    text = tr("layer %1, heads 1-%2").arg(c.layer + 1).arg(heads);
    if (c.head < 0 || fm.horizontalAdvance(text) > row) text = tr("layer %1").arg(c.layer + 1);
  }
  p.drawText(QRectF(c.rect.left(), c.rect.top() - fm.height(), fm.horizontalAdvance(text) + 2, fm.height()),
             Qt::AlignLeft | Qt::AlignBottom, text);
}

QString AttentionCanvas::hoverText(QPointF pos) {
  if (layoutDirty_ || laidOutSize_ != size()) layoutCells();
  for (const auto& c : cells_) {
    if (!c.rect.contains(pos)) continue;
    const int k = std::clamp(int((pos.x() - c.rect.left()) / c.rect.width() * c.keys), 0, c.keys - 1);
    const int q = std::clamp(int((pos.y() - c.rect.top()) / c.rect.height() * c.queries), 0, c.queries - 1);
    auto label = [](const std::vector<std::string>* labels, int i) {
      return labels && i < int(labels->size()) ? QString::fromStdString((*labels)[i]) : QString::number(i);
    };
    return tr("%1, layer %2, %3\nquery %4 \"%5\"\nkey %6 \"%7\"\nweight %8")
        .arg(c.run)
        .arg(c.layer + 1)
        .arg(c.head < 0 ? tr("mean over heads") : tr("head %1").arg(c.head + 1))
        .arg(q)
        .arg(label(c.queryLabels, q))
        .arg(k)
        .arg(label(c.keyLabels, k))
        .arg(c.values[std::size_t(q) * c.keys + k], 0, 'f', 4);
  }
  return {};
}

void AttentionCanvas::mouseMoveEvent(QMouseEvent* event) {
  showHoverTip(this, event->globalPosition(), hoverText(event->position()));
}

AttentionView::AttentionView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  canvas_ = new AttentionCanvas;
  text_ = new TokenAttentionText;
  image_ = new ImageAttentionView;
  focus_ = new FocusAttentionView;
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Probe")));
  probe_ = new QSpinBox;
  probe_->setRange(0, 9999);
  probe_->setToolTip(tr("Held-out example whose attention maps are shown"));
  bar->addWidget(probe_);
  // After a click on a teacher's pick the maps show that pool example; this says so, and
  // the button returns to the held-out probe.
  source_ = new QLabel;
  source_->setToolTip(tr("Click an example in the Teacher's picks view to see its attention maps"));
  bar->addWidget(source_);
  back_ = new QToolButton;
  back_->setText(tr("Back to probe"));
  back_->setToolTip(tr("Show the held-out probe example again"));
  back_->hide();
  bar->addWidget(back_);
  bar->addWidget(matrixOptions_ = makeMatrixOptions());
  asText_ = presentationBox(tr("As text"),
                            tr("The probe's tokens as text: hover a token to see its attention over the "
                               "earlier ones, one bar per head; click to pin it"));
  asImage_ =
      presentationBox(tr("Over the image"), tr("The probe image with the read-out's attention over its "
                                               "patches; untick for the matrices"));
  asFocus_ = presentationBox(tr("Over the example"),
                             tr("The probe's words, positions or segments shaded by attention, the ground "
                                "truth outlined; untick for the matrices"));
  bar->addWidget(asText_);
  bar->addWidget(asImage_);
  bar->addWidget(asFocus_);
  bar->addStretch();
  layout->addLayout(bar);
  layout->addWidget(canvas_, 1);
  textScroll_ = new QScrollArea;
  textScroll_->setWidgetResizable(true);
  textScroll_->setFrameShape(QFrame::NoFrame);
  textScroll_->setWidget(text_);
  textScroll_->hide();
  layout->addWidget(textScroll_, 1);
  image_->hide();
  layout->addWidget(image_, 1);
  focus_->hide();
  layout->addWidget(focus_, 1);
  connect(probe_, &QSpinBox::valueChanged, this, &AttentionView::probeChanged);
  connect(back_, &QToolButton::clicked, this, [this] { emit probeChanged(probe_->value()); });
}

QWidget* AttentionView::makeMatrixOptions() {
  auto* box = new QWidget;
  auto* row = new QHBoxLayout(box);
  row->setContentsMargins(0, 0, 0, 0);
  auto* mean = new QCheckBox(tr("Mean of heads"));
  auto* diff = new QCheckBox(tr("Difference"));
  diff->setToolTip(tr("Add the teacher's run minus the random run"));
  diff->setChecked(true);
  auto* overlay = new QCheckBox(tr("Truth"));
  overlay->setChecked(true);
  overlay->setToolTip(tr("Outline the true positions: topic words, true SCB positions, foreground segment"));
  row->addWidget(mean);
  row->addWidget(diff);
  row->addWidget(overlay);
  connect(mean, &QCheckBox::toggled, canvas_, &AttentionCanvas::setMeanOverHeads);
  connect(diff, &QCheckBox::toggled, canvas_, &AttentionCanvas::setDifference);
  connect(overlay, &QCheckBox::toggled, canvas_, &AttentionCanvas::setOverlay);
  return box;
}

// A switch between a probe's own presentation and the matrices: on, hidden until it applies.
QCheckBox* AttentionView::presentationBox(const QString& text, const QString& tip) {
  auto* box = new QCheckBox(text);
  box->setChecked(true);
  box->setToolTip(tip);
  box->hide();
  connect(box, &QCheckBox::toggled, this, [this] { showTextOrMaps(); });
  return box;
}

QString AttentionView::sourceText() const { return source_->text(); }

void AttentionView::setSnapshot(app::SnapshotPtr snapshot) {
  if (snapshot) {
    const bool pool = snapshot->probeSplit == Split::Pool;
    const QString text = pool ? tr("pool example %1 (a teacher's pick)").arg(snapshot->probe)
                              : tr("held-out example %1").arg(snapshot->probe);
    if (source_->text() != text) source_->setText(text);
    back_->setVisible(pool);
  }
  const bool text = snapshot && TokenAttentionText::readsAsText(*snapshot);
  if (asText_->isVisibleTo(this) != text) asText_->setVisible(text);
  const bool image = snapshot && ImageAttentionCanvas::showsImage(*snapshot);
  if (asImage_->isVisibleTo(this) != image) asImage_->setVisible(image);
  const bool focus = snapshot && !image && FocusAttentionView::showsFocus(*snapshot);
  if (asFocus_->isVisibleTo(this) != focus) asFocus_->setVisible(focus);
  text_->setSnapshot(snapshot);  // all lay out only when painted: a hidden view costs nothing
  image_->setSnapshot(snapshot);
  focus_->setSnapshot(snapshot);
  canvas_->setSnapshot(std::move(snapshot));
  showTextOrMaps();
}

void AttentionView::showTextOrMaps() {
  const bool image = !asImage_->isHidden() && asImage_->isChecked();
  const bool text = !image && !asText_->isHidden() && asText_->isChecked();
  const bool focus = !image && !text && !asFocus_->isHidden() && asFocus_->isChecked();
  const bool maps = !image && !text && !focus;
  if (image_->isHidden() == image) image_->setVisible(image);
  if (textScroll_->isHidden() == text) textScroll_->setVisible(text);
  if (focus_->isHidden() == focus) focus_->setVisible(focus);
  if (canvas_->isHidden() == maps) canvas_->setVisible(maps);
  if (matrixOptions_->isHidden() == maps) matrixOptions_->setVisible(maps);
}

}  // namespace attent::ui

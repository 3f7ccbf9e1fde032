#include "ui/image_attention.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/nice_ticks.h"
#include "ui/paint_util.h"

namespace attent::ui {

QImage grayImage(const ExampleView& v) {
  QImage image(v.imageWidth, v.imageHeight, QImage::Format_Grayscale8);
  for (int y = 0; y < v.imageHeight; ++y)
    for (int x = 0; x < v.imageWidth; ++x)
      image.scanLine(y)[x] =
          uchar(255 - std::clamp(v.image[std::size_t(y) * v.imageWidth + x], 0.0f, 1.0f) * 255);
  return image;
}

ImageAttentionCanvas::ImageAttentionCanvas(QWidget* parent) : QWidget(parent) { setMouseTracking(true); }

bool ImageAttentionCanvas::showsImage(const Snapshot& s) {
  const ExampleView& v = s.probeExample;
  if (v.patchSize <= 0 || v.imageWidth % v.patchSize || v.imageHeight % v.patchSize ||
      v.image.size() != std::size_t(v.imageWidth) * v.imageHeight)
    return false;
  const int patches = (v.imageWidth / v.patchSize) * (v.imageHeight / v.patchSize);
  return std::any_of(s.runs.begin(), s.runs.end(),
                     [&](const RunSnapshot& r) { return r.probeReadout.inputs == patches && patches > 0; });
}

void ImageAttentionCanvas::setSnapshot(app::SnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  laidOut_ = {};  // laid out when painted: a hidden view costs nothing
  update();
}
void ImageAttentionCanvas::setLayer(int layer) {
  layer_ = layer;
  laidOut_ = {};
  update();
}
void ImageAttentionCanvas::setHead(int head) {
  head_ = head;
  laidOut_ = {};
  update();
}

float ImageAttentionCanvas::shownValue(int run, int patch) const {
  if (run < 0 || run >= int(panels_.size())) return NAN;
  const ReadoutAttention& r = panels_[run].run->probeReadout;
  if (patch < 0 || patch >= r.inputs) return NAN;
  if (layer_ == kRollout) return r.rollout[patch];
  return r.at(std::clamp(layer_, 0, r.layers - 1), std::clamp(head_, -1, r.heads - 1), patch);
}

void ImageAttentionCanvas::layOut() {
  laidOut_ = size();
  panels_.clear();
  if (!snapshot_ || !showsImage(*snapshot_)) return;
  const ExampleView& v = snapshot_->probeExample;
  columns_ = v.imageWidth / v.patchSize;
  rows_ = v.imageHeight / v.patchSize;
  for (std::size_t i = 0; i < snapshot_->runs.size(); ++i)
    if (snapshot_->runs[i].probeReadout.inputs == columns_ * rows_)
      panels_.push_back({&snapshot_->runs[i], int(i), {}, {}});
  const QFontMetricsF fm(font());
  const double header =
      fm.boundingRect(QRectF(0, 0, width() - 8, 1e4), Qt::TextWordWrap, describe()).height() + 8;
  const double line = fm.height() + 6, legendW = fm.height() + 30 + fm.horizontalAdvance("0.00");
  // The grid of runs that draws the images largest: four runs in a wide dock side by side,
  // in a tall one two by two.
  const int n = int(panels_.size());
  int across = n;
  double side = 0, colW = 0, rowH = 0;
  for (int c = 1; c <= n; ++c) {
    const int down = (n + c - 1) / c;
    const double w = (width() - legendW) / c, h = (height() - header) / down;
    const double s = std::min(w - 8, h - line - 6);
    if (s > side) side = s, across = c, colW = w, rowH = h;
  }
  side = std::max(side, 40.0);
  const int longest = std::max(v.imageWidth, v.imageHeight);
  const double w = side * v.imageWidth / longest, h = side * v.imageHeight / longest;
  float top = 0;
  for (int i = 0; i < n; ++i) {
    const double x0 = (i % across) * colW, y0 = header + (i / across) * rowH;
    panels_[i].title = QRectF(x0 + 4, y0, colW - 8, line);
    panels_[i].image = QRectF(x0 + (colW - w) / 2, y0 + line, w, h);
    for (int p = 0; p < columns_ * rows_; ++p) top = std::max(top, shownValue(i, p));
  }
  // One scale for the comparison: from 0 to the largest weight shown, rounded up to a tick.
  scaleTop_ = std::min(1.0f, float(niceCeiling(top)));
  legend_ = QRectF(width() - legendW + fm.height() + 6, header + line, 14, std::max(h, 120.0));
}

QRectF ImageAttentionCanvas::patchOf(const Panel& panel, int patch) const {
  const QRectF& r = panel.image;
  const double pw = r.width() / columns_, ph = r.height() / rows_;
  return QRectF(r.left() + (patch % columns_) * pw, r.top() + (patch / columns_) * ph, pw, ph);
}

QRectF ImageAttentionCanvas::patchRect(int run, int patch) {
  if (laidOut_ != size()) layOut();
  if (run < 0 || run >= int(panels_.size()) || patch < 0 || patch >= columns_ * rows_) return {};
  return patchOf(panels_[run], patch);
}

QString ImageAttentionCanvas::describe() const {
  const bool token = !panels_.empty() && panels_.front().run->probeAttention.classToken >= 0;
  const QString who = token ? tr("Attention of the class token over the patches")
                            : tr("Attention of the mean query over the patches (mean pooling)");
  if (panels_.empty()) return who;
  const QString example = QString::fromStdString(snapshot_->probeExample.text);
  return example.isEmpty()
             ? tr("%1 · %2").arg(who, shownLayers())
             : tr("%1: %2 · %3").arg(example, who.front().toLower() + who.mid(1), shownLayers());
}

QString ImageAttentionCanvas::shownLayers() const {
  const ReadoutAttention& r = panels_.front().run->probeReadout;
  if (layer_ == kRollout) return tr("rollout through all %1 layers").arg(r.layers);
  const int layer = std::clamp(layer_, 0, r.layers - 1) + 1;
  const int head = std::clamp(head_, -1, r.heads - 1);
  return head < 0 ? tr("layer %1, mean of %2 heads").arg(layer).arg(r.heads)
                  : tr("layer %1, head %2").arg(layer).arg(head + 1);
}

void ImageAttentionCanvas::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  if (laidOut_ != size()) layOut();
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  if (panels_.empty()) {
    p.drawText(rect(), Qt::AlignCenter, tr("This probe is not an image"));
    return;
  }
  p.drawText(QRectF(4, 2, width() - 8, panels_.front().title.top()), Qt::TextWordWrap, describe());
  for (const Panel& panel : panels_) paintPanel(p, panel);
  paintLegend(p, legend_);
}

void ImageAttentionCanvas::paintPanel(QPainter& p, const Panel& panel) const {
  // The run's name in bold over its image, in a smaller size where the column is narrow (four
  // runs in a dock at presentation sizes) rather than cut.
  QFont bold = font();
  bold.setBold(true);
  const QString name = runTitle(panel.run->name);
  const double room = panel.title.width() - 16;
  for (int shrink = 0; shrink < 4 && QFontMetricsF(bold).horizontalAdvance(name) > room; ++shrink)
    bold.setPointSizeF(bold.pointSizeF() * 0.9);
  p.setFont(bold);
  const QString shown = QFontMetricsF(bold).elidedText(name, Qt::ElideRight, room);
  const double nameW = QFontMetricsF(bold).horizontalAdvance(shown);
  const QRectF swatch(panel.title.center().x() - (nameW + 16) / 2, panel.title.center().y() - 5, 10, 10);
  p.fillRect(swatch, runColor(panel.index, panel.run->role));
  p.drawText(QRectF(swatch.right() + 6, panel.title.top(), nameW + 2, panel.title.height()), Qt::AlignVCenter,
             shown);
  p.setFont(font());
  p.drawImage(panel.image, grayImage(snapshot_->probeExample));
  const int run = int(&panel - panels_.data());
  for (int k = 0; k < columns_ * rows_; ++k) {
    const QRectF r = patchOf(panel, k);
    p.fillRect(r, attentionHeat(shownValue(run, k) / scaleTop_));
    p.setPen(QPen(QColor(0, 0, 0, 60), 1));  // the patch grid, faint over white
    p.drawRect(r);
  }
  p.setPen(palette().text().color());
}

void ImageAttentionCanvas::paintLegend(QPainter& p, const QRectF& bar) const {
  for (int i = 0; i < int(bar.height()); ++i) {
    const QRectF row(bar.left(), bar.top() + i, bar.width(), 1);
    p.fillRect(row, Qt::white);
    p.fillRect(row, attentionHeat(1.0 - i / std::max(1.0, bar.height() - 1)));
  }
  p.setPen(palette().text().color());
  p.drawRect(bar);
  const QFontMetricsF fm(font());
  const NiceTicks ticks = niceTicks(0, scaleTop_, std::max(2, int(bar.height() / (2 * fm.height()))));
  for (int i = 0; i < ticks.count; ++i) {
    const double v = ticks.first + i * ticks.step;
    const double y = bar.bottom() - v / scaleTop_ * bar.height();
    p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y));
    p.drawText(QRectF(bar.right() + 5, y - fm.height() / 2, 60, fm.height()), Qt::AlignVCenter,
               tickLabel(v, ticks));
  }
  p.save();
  p.translate(bar.left() - 4, bar.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-bar.height(), -fm.height(), 2 * bar.height(), fm.height()), Qt::AlignCenter,
             tr("attention weight, 0-1"));
  p.restore();
}

QString ImageAttentionCanvas::hoverText(QPointF pos) {
  if (laidOut_ != size()) layOut();
  for (int run = 0; run < int(panels_.size()); ++run)
    for (int k = 0; k < columns_ * rows_; ++k) {
      if (!patchRect(run, k).contains(pos)) continue;
      const ReadoutAttention& r = panels_[run].run->probeReadout;
      return tr("%1 · %2\npatch %3 (row %4, column %5)\nattention weight %6")
          .arg(runTitle(panels_[run].run->name), shownLayers())
          .arg(QString::fromStdString(r.inputLabels[k]))
          .arg(k / columns_ + 1)
          .arg(k % columns_ + 1)
          .arg(shownValue(run, k), 0, 'f', 4);
    }
  return {};
}

void ImageAttentionCanvas::mouseMoveEvent(QMouseEvent* event) {
  showHoverTip(this, event->globalPosition(), hoverText(event->position()));
}

ImageAttentionView::ImageAttentionView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Layer")));
  layer_ = new QComboBox;
  layer_->setToolTip(
      tr("One layer's attention, or the rollout: every layer's mean of heads with the "
         "residual path added, multiplied through the layers"));
  bar->addWidget(layer_);
  bar->addWidget(new QLabel(tr("Head")));
  head_ = new QComboBox;
  bar->addWidget(head_);
  bar->addStretch();
  layout->addLayout(bar);
  canvas_ = new ImageAttentionCanvas;
  layout->addWidget(canvas_, 1);
  connect(layer_, &QComboBox::currentIndexChanged, this, [this] {
    const bool rollout = layer_->currentData().toInt() == ImageAttentionCanvas::kRollout;
    head_->setEnabled(!rollout);
    head_->setToolTip(rollout ? tr("The rollout averages the heads of every layer")
                              : tr("One head, or the mean of the layer's heads"));
    canvas_->setLayer(layer_->currentData().toInt());
  });
  connect(head_, &QComboBox::currentIndexChanged, this,
          [this] { canvas_->setHead(head_->currentData().toInt()); });
}

void ImageAttentionView::setSnapshot(app::SnapshotPtr snapshot) {
  if (snapshot)
    for (const RunSnapshot& r : snapshot->runs)
      if (!r.probeReadout.empty()) {
        refill(r.probeReadout.layers, r.probeReadout.heads);
        break;
      }
  canvas_->setSnapshot(std::move(snapshot));
}

void ImageAttentionView::refill(int layers, int heads) {
  if (layer_->count() == layers + 1 && head_->count() == heads + 1) return;
  const int layer = layer_->count() ? layer_->currentData().toInt() : layers - 1;
  const int head = head_->count() ? head_->currentData().toInt() : -1;
  layer_->clear();
  for (int l = 0; l < layers; ++l) layer_->addItem(tr("layer %1").arg(l + 1), l);
  layer_->addItem(tr("rollout, all layers"), ImageAttentionCanvas::kRollout);
  head_->clear();
  head_->addItem(tr("mean of heads"), -1);
  for (int h = 0; h < heads; ++h) head_->addItem(tr("head %1").arg(h + 1), h);
  layer_->setCurrentIndex(std::max(0, layer_->findData(std::min(layer, layers - 1))));
  head_->setCurrentIndex(std::max(0, head_->findData(std::min(head, heads - 1))));
}

}  // namespace attent::ui

#include "ui/token_attention.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/nice_ticks.h"
#include "ui/paint_util.h"

namespace attent::ui {

namespace {
constexpr int kPad = 3, kBar = 5, kGap = 10;

// A head's colour: the run colours' cycle, which is told apart on a projector.
QColor headColor(int head) { return runColor(head + 2); }

// Spaces and line breaks drawn visibly, so a token made of white space can be hovered.
QString visible(const std::string& label) {
  QString t = QString::fromStdString(label);
  t.replace(QLatin1Char(' '), QChar(0x00B7)).replace(QLatin1Char('\n'), QStringLiteral("\\n"));
  return t.isEmpty() ? QStringLiteral("∅") : t;
}
// A causal layer gives every later token zero weight; a classifier's sees the whole text.
bool isCausal(const AttentionMaps& a, int layer) {
  for (int h = 0; h < a.heads; ++h)
    for (int q = 0; q < a.queries; ++q)
      for (int k = q + 1; k < a.keys; ++k)
        if (a.at(layer, h, q, k) > 0) return false;
  return true;
}
}  // namespace

TokenAttentionText::TokenAttentionText(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  QFont larger = font();  // text to be read from the back of a room
  larger.setPointSizeF(larger.pointSizeF() * 1.3);
  setFont(larger);
  QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
}

bool TokenAttentionText::readsAsText(const Snapshot& s) {
  if (s.probeExample.patchSize > 0) return false;  // patches of an image: ImageAttentionView
  for (const RunSnapshot& r : s.runs) {
    const AttentionMaps& a = r.probeAttention;
    if (a.layers > 0 && a.heads > 0 && a.queries == a.keys && a.queries > 1 &&
        int(a.keyLabels.size()) == a.keys &&
        a.weights.size() >= std::size_t(a.layers) * a.heads * a.queries * a.keys)
      return true;
  }
  return false;
}

void TokenAttentionText::setSnapshot(app::SnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  laidOutWidth_ = -1;
  updateGeometry();
  update();
}

void TokenAttentionText::setQuery(int query, bool pinned) {
  query_ = std::max(0, query);
  pinned_ = pinned;
  update();
}

QString TokenAttentionText::tokenText(const Paragraph& p, int token) const {
  return visible(p.maps->keyLabels[std::size_t(token)]);
}

int TokenAttentionText::layOut(int width, std::vector<Paragraph>& out) const {
  out.clear();
  if (!snapshot_ || !readsAsText(*snapshot_)) return 0;
  const QFontMetricsF fm(font());
  const double line = fm.height() + 2 * kPad;
  double y = captionHeight(width) + kGap;
  for (const RunSnapshot& r : snapshot_->runs) {
    const AttentionMaps& a = r.probeAttention;
    if (int(a.keyLabels.size()) != a.keys || a.queries != a.keys) continue;
    for (int l = 0; l < a.layers; ++l) {
      Paragraph p;
      p.maps = &a;
      p.layer = l;
      p.causal = isCausal(a, l);
      p.title = tr("%1 · layer %2").arg(runTitle(r.name)).arg(l + 1);
      p.titleRect = QRectF(0, y, width, fm.height());
      y += fm.height() + 2;
      double x = 0;
      const double rowHeight = line + a.heads * kBar + 4;
      for (int k = 0; k < a.keys; ++k) {
        // Tight, so 32 characters fit a 1366 px window's dock on one line.
        const double w = fm.horizontalAdvance(visible(a.keyLabels[std::size_t(k)])) + 4;
        if (x > 0 && x + w > width) x = 0, y += rowHeight;
        p.tokens.emplace_back(x, y, w, line);
        x += w;
      }
      y += rowHeight + kGap;
      out.push_back(std::move(p));
    }
  }
  return int(std::ceil(y));
}

int TokenAttentionText::heightForWidth(int width) const {
  std::vector<Paragraph> scratch;
  return std::max(60, layOut(width, scratch));
}

void TokenAttentionText::relayout() {
  if (laidOutWidth_ == width()) return;
  laidOutWidth_ = width();
  layOut(width(), paragraphs_);
}

QRectF TokenAttentionText::tokenRect(int paragraph, int token) {
  relayout();
  if (paragraph < 0 || paragraph >= int(paragraphs_.size())) return {};
  const auto& t = paragraphs_[std::size_t(paragraph)].tokens;
  return token >= 0 && token < int(t.size()) ? t[std::size_t(token)] : QRectF();
}

void TokenAttentionText::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  relayout();
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QColor text = palette().color(QPalette::WindowText);
  if (paragraphs_.empty()) {
    p.setPen(text);
    p.drawText(rect(), Qt::AlignCenter, tr("The probe is not text"));
    return;
  }
  const double top = scaleTop();
  paintCaption(p, top);
  for (const Paragraph& para : paragraphs_) {
    const AttentionMaps& a = *para.maps;
    const int q = std::min(query_, a.queries - 1);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(text);
    p.drawText(para.titleRect, Qt::AlignLeft | Qt::AlignVCenter, para.title);
    p.setFont(font());
    for (int k = 0; k < a.keys; ++k) {
      const QRectF r = para.tokens[std::size_t(k)];
      const bool seen = k <= para.lastKey(q);
      if (seen) p.fillRect(r, attentionHeat(meanOverHeads(a, para.layer, q, k) / top));
      if (k == q) {
        p.setPen(QPen(text, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5));
      }
      p.setPen(seen ? text : palette().color(QPalette::PlaceholderText));
      p.drawText(r, Qt::AlignCenter, tokenText(para, k));
      for (int h = 0; h < a.heads && seen; ++h) {
        QColor c = headColor(h);
        c.setAlphaF(std::clamp(double(a.at(para.layer, h, q, k)) / top, 0.0, 1.0));
        p.fillRect(QRectF(r.left(), r.bottom() + 1 + h * kBar, r.width(), kBar - 1), c);
      }
    }
  }
}

double TokenAttentionText::meanOverHeads(const AttentionMaps& a, int layer, int query, int key) {
  double sum = 0;
  for (int h = 0; h < a.heads; ++h) sum += a.at(layer, h, query, key);
  return sum / std::max(1, a.heads);
}

// One scale for every run and layer shown: 0 to the largest single head's weight from the
// chosen token, rounded up to a tick, so a spread-out head is faint and a sharp one strong. At
// least three times the even share (1 / the tokens it sees), so attention spread evenly over
// every token reads as faint rather than as strong everywhere.
double TokenAttentionText::scaleTop() const {
  double top = 0;
  for (const Paragraph& para : paragraphs_) {
    const AttentionMaps& a = *para.maps;
    const int q = std::min(query_, a.queries - 1);
    top = std::max(top, 3.0 / (para.lastKey(q) + 1));
    for (int h = 0; h < a.heads; ++h)
      for (int k = 0; k <= para.lastKey(q); ++k) top = std::max(top, double(a.at(para.layer, h, q, k)));
  }
  return top > 0 ? std::min(1.0, niceCeiling(top)) : 1.0;
}

QString TokenAttentionText::captionText(double top) const {
  return tr("Attention from the boxed token (hover another, or click to pin it). Shading: the mean of "
            "the heads; bars under each token: one per head. Both from 0 to %1 (attention weight).")
      .arg(top, 0, 'g', 2);
}

int TokenAttentionText::captionHeight(int width) const {
  const QFontMetricsF fm(font());
  // Measured with the widest scale top ("0.88"), so any top wraps to no more lines.
  const QRectF box =
      fm.boundingRect(QRectF(0, 0, std::max(40, width), 1e4), Qt::TextWordWrap, captionText(0.88));
  return int(std::ceil(box.height())) + int(fm.height()) + 4;  // the text, then the heads' key
}

// The caption and, below it, each head's colour.
void TokenAttentionText::paintCaption(QPainter& p, double top) const {
  const QFontMetricsF fm(font());
  p.setPen(palette().color(QPalette::WindowText));
  const QRectF box(0, 0, width(), captionHeight(width()) - fm.height() - 4);
  p.drawText(box, Qt::TextWordWrap, captionText(top));
  const int heads = paragraphs_.front().maps->heads;
  double x = 0;
  for (int h = 0; h < heads; ++h) {
    const QString name = tr("head %1").arg(h + 1);
    p.fillRect(QRectF(x, box.bottom() + 2 + fm.height() / 2 - 4, 14, 8), headColor(h));
    p.drawText(QRectF(x + 18, box.bottom() + 2, fm.horizontalAdvance(name) + 2, fm.height()), name);
    x += 18 + fm.horizontalAdvance(name) + 14;
  }
}

QString TokenAttentionText::hoverText(QPointF pos) {
  relayout();
  for (const Paragraph& para : paragraphs_)
    for (int k = 0; k < int(para.tokens.size()); ++k) {
      const QRectF& r = para.tokens[std::size_t(k)];
      if (!r.adjusted(0, 0, 0, para.maps->heads * kBar).contains(pos)) continue;
      if (!pinned_) query_ = k;  // hovering picks the query unless one is pinned by a click
      const int q = std::min(query_, para.maps->queries - 1);
      if (k > para.lastKey(q))
        return tr("'%1' (position %2) comes after '%3': a causal model cannot attend to it")
            .arg(tokenText(para, k))
            .arg(k)
            .arg(tokenText(para, q));
      QString out = tr("%1: '%2' (position %3)").arg(para.title, tokenText(para, q)).arg(q);
      for (int h = 0; h < para.maps->heads; ++h) {
        // Pinned: the weight on the hovered token; else the token this head attends to most.
        int key = k;
        if (!pinned_)
          for (int j = 0; j <= para.lastKey(q); ++j)
            if (para.maps->at(para.layer, h, q, j) > para.maps->at(para.layer, h, q, key)) key = j;
        out += tr("\nhead %1: weight %2 on '%3' (position %4)")
                   .arg(h + 1)
                   .arg(double(para.maps->at(para.layer, h, q, key)), 0, 'f', 3)
                   .arg(tokenText(para, key))
                   .arg(key);
      }
      return out;
    }
  return {};
}

void TokenAttentionText::mouseMoveEvent(QMouseEvent* e) {
  const QString text = hoverText(e->position());
  update();
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(e->globalPosition().toPoint(), text, this);
}

void TokenAttentionText::mousePressEvent(QMouseEvent* e) {
  relayout();
  for (const Paragraph& para : paragraphs_)
    for (int k = 0; k < int(para.tokens.size()); ++k)
      if (para.tokens[std::size_t(k)].contains(e->position())) {
        setQuery(k, !(pinned_ && query_ == k));  // a second click on the pinned token frees it
        return;
      }
}

}  // namespace attent::ui

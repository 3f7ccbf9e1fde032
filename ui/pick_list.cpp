#include "ui/pick_list.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {

void drawImage(QPainter& p, const QRectF& r, const ExampleView& e, const QPalette& pal) {
  std::vector<float> img(e.image.begin(), e.image.end());
  const double side = r.height(), w = side * e.imageWidth / e.imageHeight;
  drawHeatmap(p, QRectF(r.left(), r.top(), w, side), e.imageHeight, e.imageWidth, img.data(), 0, 1, false);
  const double x = r.left() + w + 6;
  // The task's caption says when the pool's label differs from the image's ("digit 7, labelled 2").
  const QString caption = !e.text.empty()    ? QString::fromStdString(e.text)
                          : !e.label.empty() ? QStringLiteral("label %1").arg(QString::fromStdString(e.label))
                                             : QString();
  if (caption.isEmpty() || x >= r.right()) return;
  p.setPen(pal.text().color());
  p.drawText(QRectF(x, r.top(), r.right() - x, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
             QFontMetricsF(p.font()).elidedText(caption, Qt::ElideRight, r.right() - x));
}

// Text: one box per token, shaded by its loss relative to the example's largest.
void drawTokens(QPainter& p, const QRectF& r, const TeacherPick& pick, const QPalette& pal) {
  const QFontMetricsF fm(p.font());
  const auto& tokens = pick.example.tokens;
  p.setPen(pal.text().color());
  if (tokens.empty()) {
    p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(QString::fromStdString(pick.example.text), Qt::ElideRight, r.width()));
    return;
  }
  float maxLoss = 0;
  for (float l : pick.tokenLosses)
    if (std::isfinite(l)) maxLoss = std::max(maxLoss, l);
  double x = r.left();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    QString t = QString::fromStdString(tokens[i]);
    if (t.trimmed().isEmpty()) t = QStringLiteral("·");
    const double w = fm.horizontalAdvance(t) + 4;
    if (x + w > r.right()) {
      p.setPen(pal.text().color());
      p.drawText(QPointF(x, r.center().y() + fm.ascent() / 2), QStringLiteral("…"));
      break;
    }
    const QRectF box(x, r.top(), w, r.height());
    if (i < pick.tokenLosses.size() && maxLoss > 0 && std::isfinite(pick.tokenLosses[i])) {
      QColor c(220, 40, 40);
      c.setAlphaF(0.1 + 0.7 * pick.tokenLosses[i] / maxLoss);
      p.fillRect(box, c);
    }
    p.setPen(pal.text().color());
    p.drawText(box, Qt::AlignCenter, t);
    x += w + 1;
  }
}

void drawExample(QPainter& p, const QRectF& r, const TeacherPick& pick, const QPalette& pal) {
  const ExampleView& e = pick.example;
  if (!e.image.empty() && e.imageWidth > 0 && e.imageHeight > 0)
    drawImage(p, r, e, pal);
  else
    drawTokens(p, r, pick, pal);
}

}  // namespace

PickList::PickList(QWidget* parent) : QWidget(parent) {}

void PickList::setPicks(std::vector<TeacherPick> picks) {
  picks_ = std::move(picks);
  update();
}

// The numbers before an example: rank, score, its loss when the teacher scores by something
// else, and times picked unless `picked` is false.
QString PickList::numbers(const TeacherPick* k, bool scoreIsLoss, bool picked) const {
  QStringList out;
  out << (k ? QStringLiteral("%1").arg(k->rank + 1, 3) : tr("rank"));
  out << (k ? QStringLiteral("%1").arg(k->score, 6, 'f', 3) : scoreIsLoss ? tr("  loss") : tr(" score"));
  if (!scoreIsLoss) out << (k ? QStringLiteral("%1").arg(k->loss, 6, 'f', 3) : tr("  loss"));
  if (picked) out << (k ? QStringLiteral("%1").arg(k->timesPicked, 5) : tr("picked"));
  return out.join(QStringLiteral("   ")) + QStringLiteral("   ");
}

void PickList::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  rows_.clear();
  const QFontMetricsF fm(font());
  const double rowH = std::max(fm.height() + 6, 22.0);
  // A teacher that scores by loss would show the same number twice: one column then.
  const bool scoreIsLoss =
      std::all_of(picks_.begin(), picks_.end(), [](const TeacherPick& k) { return k.score == k.loss; });
  // Times picked gives way when the example's caption ("digit 7, labelled 2") would not fit.
  double need = 12 * fm.averageCharWidth();
  for (const TeacherPick& k : picks_)
    if (!k.example.image.empty() && k.example.imageHeight > 0)
      need = std::max(need, rowH * k.example.imageWidth / k.example.imageHeight + 8 +
                                fm.horizontalAdvance(QString::fromStdString(k.example.text)));
  const bool picked = width() - fm.horizontalAdvance(numbers(nullptr, scoreIsLoss, true)) - 6 >= need;
  const double numW = fm.horizontalAdvance(numbers(nullptr, scoreIsLoss, picked));
  p.setPen(palette().placeholderText().color());
  p.drawText(QPointF(2, fm.ascent()), numbers(nullptr, scoreIsLoss, picked) + tr("example"));
  double y = fm.height() + 2;
  for (std::size_t i = 0; i < picks_.size() && y + rowH <= height(); ++i, y += rowH) {
    p.setPen(palette().text().color());
    p.drawText(QRectF(2, y, numW, rowH), Qt::AlignLeft | Qt::AlignVCenter,
               numbers(&picks_[i], scoreIsLoss, picked));
    drawExample(p, QRectF(2 + numW, y + 1, width() - numW - 6, rowH - 2), picks_[i], palette());
    rows_.push_back({QRectF(0, y, width(), rowH), i});
  }
}

void PickList::mousePressEvent(QMouseEvent* event) {
  for (const auto& [rect, i] : rows_)
    if (rect.contains(event->position())) {
      emit pickClicked(picks_[i].index, QString::fromStdString(picks_[i].example.text));
      return;
    }
}

}  // namespace attent::ui

#include "ui/picks_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {

void drawExample(QPainter& p, const QRectF& r, const TeacherPick& pick, const QPalette& pal) {
  const ExampleView& e = pick.example;
  double x = r.left();
  if (!e.image.empty() && e.imageWidth > 0 && e.imageHeight > 0) {
    std::vector<float> img(e.image.begin(), e.image.end());
    const double side = r.height();
    const double w = side * e.imageWidth / e.imageHeight;
    drawHeatmap(p, QRectF(x, r.top(), w, side), e.imageHeight, e.imageWidth, img.data(), 0, 1, false);
    x += w + 6;
    // The task's caption says when the pool's label differs from the image's ("digit 7, labelled 2").
    const QString caption = !e.text.empty() ? QString::fromStdString(e.text)
                            : !e.label.empty()
                                ? QStringLiteral("label %1").arg(QString::fromStdString(e.label))
                                : QString();
    if (!caption.isEmpty()) {
      p.setPen(pal.text().color());
      p.drawText(QRectF(x, r.top(), r.right() - x, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
                 QFontMetricsF(p.font()).elidedText(caption, Qt::ElideRight, r.right() - x));
    }
    return;
  }
  // Text: one box per token, shaded by its loss relative to the example's largest.
  const QFontMetricsF fm(p.font());
  float maxLoss = 0;
  for (float l : pick.tokenLosses)
    if (std::isfinite(l)) maxLoss = std::max(maxLoss, l);
  const auto& tokens = e.tokens;
  if (tokens.empty()) {
    p.setPen(pal.text().color());
    p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(QString::fromStdString(e.text), Qt::ElideRight, r.width()));
    return;
  }
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

void drawAxesFrame(QPainter& p, const QRectF& r, const QString& title, const QPalette& pal) {
  p.setPen(pal.mid().color());
  p.drawRect(r);
  p.setPen(pal.text().color());
  p.drawText(QRectF(r.left(), r.top() - 16, r.width(), 16), Qt::AlignLeft | Qt::AlignBottom, title);
}

}  // namespace

PicksView::PicksView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(300, 160);
  setMouseTracking(false);
}

void PicksView::setSnapshot(app::SnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  update();
}

void PicksView::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  hits_.clear();
  std::vector<const RunSnapshot*> teachers;
  if (snapshot_)
    for (const auto& r : snapshot_->runs)
      if (!r.teacher.picks.empty() || !r.teacher.poolScores.empty()) teachers.push_back(&r);
  if (teachers.empty()) {
    p.drawText(rect(), Qt::AlignCenter,
               snapshot_ ? tr("No teacher picks in this preset (every run samples at random)")
                         : tr("Waiting for the first snapshot"));
    return;
  }
  const QFontMetricsF fm(font());
  const double rowH = std::max(fm.height() + 6, 22.0);
  const double bandH = double(height()) / teachers.size();
  for (std::size_t t = 0; t < teachers.size(); ++t) {
    const RunSnapshot& run = *teachers[t];
    const TeacherView& view = run.teacher;
    const double top = t * bandH + 4;
    const double listW = width() * 0.58;
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(runColor(int(t), run.role));
    p.drawText(QPointF(6, top + fm.ascent()),
               tr("%1 (%2): selects %3% of the pool")
                   .arg(QString::fromStdString(run.name), QString::fromStdString(view.kind))
                   .arg(view.ratio * 100, 0, 'f', 0));
    p.setFont(font());
    // Column header and the picks, best first.
    double y = top + fm.height() + 6;
    p.setPen(palette().placeholderText().color());
    p.drawText(QPointF(6, y + fm.ascent()), tr("rank   score     loss   picked   example"));
    y += fm.height() + 2;
    const double numW = fm.horizontalAdvance(QStringLiteral("rank   score     loss   picked   "));
    for (const auto& pick : view.picks) {
      if (y + rowH > top + bandH - 4) break;
      p.setPen(palette().text().color());
      p.drawText(QRectF(6, y, numW, rowH), Qt::AlignLeft | Qt::AlignVCenter,
                 QStringLiteral("%1   %2   %3   %4")
                     .arg(pick.rank + 1, 3)
                     .arg(pick.score, 6, 'f', 3)
                     .arg(pick.loss, 6, 'f', 3)
                     .arg(pick.timesPicked, 5));
      const QRectF exampleRect(6 + numW, y + 1, listW - numW - 12, rowH - 2);
      drawExample(p, exampleRect, pick, palette());
      hits_.push_back({QRectF(0, y, listW, rowH), QString::fromStdString(run.name), pick.index,
                       QString::fromStdString(pick.example.text)});
      y += rowH;
    }
    // Histogram of pool scores with the threshold.
    const double rx = listW + 10, rw = width() - rx - 8;
    const double plotH = (bandH - 48) / 2;
    QRectF hist(rx, top + 20, rw, plotH);
    drawAxesFrame(p, hist, tr("pool scores (n=%1)").arg(view.poolScores.size()), palette());
    if (!view.poolScores.empty()) {
      float lo = *std::min_element(view.poolScores.begin(), view.poolScores.end());
      float hi = *std::max_element(view.poolScores.begin(), view.poolScores.end());
      if (std::isfinite(view.threshold)) {
        lo = std::min<float>(lo, view.threshold);
        hi = std::max<float>(hi, view.threshold);
      }
      if (hi <= lo) hi = lo + 1;
      const int bins = 40;
      std::vector<int> counts(bins, 0);
      for (float s : view.poolScores)
        if (std::isfinite(s)) ++counts[std::clamp(int((s - lo) / (hi - lo) * bins), 0, bins - 1)];
      const int most = std::max(1, *std::max_element(counts.begin(), counts.end()));
      for (int b = 0; b < bins; ++b) {
        const double h = (hist.height() - 2) * counts[b] / most;
        const double x = hist.left() + hist.width() * b / bins;
        const bool chosen =
            std::isfinite(view.threshold) && lo + (hi - lo) * (b + 0.5) / bins >= view.threshold;
        p.fillRect(QRectF(x + 0.5, hist.bottom() - h, hist.width() / bins - 1, h),
                   chosen ? QColor(230, 110, 20) : palette().mid().color());
      }
      if (std::isfinite(view.threshold)) {
        const double x = hist.left() + hist.width() * (view.threshold - lo) / (hi - lo);
        p.setPen(QPen(QColor(200, 30, 30), 2));
        p.drawLine(QPointF(x, hist.top()), QPointF(x, hist.bottom()));
        p.drawText(QPointF(std::min(x + 3, hist.right() - 70), hist.top() + fm.ascent()),
                   tr("threshold %1").arg(compactNumber(view.threshold)));
      }
      p.setPen(palette().text().color());
      p.drawText(QPointF(hist.left(), hist.bottom() + fm.ascent()), compactNumber(lo));
      p.drawText(QRectF(hist.left(), hist.bottom(), hist.width(), fm.height()), Qt::AlignRight,
                 compactNumber(hi));
    }
    // Ratio schedule with the current point.
    QRectF sched(rx, hist.bottom() + 36, rw, plotH - 12);
    drawAxesFrame(p, sched, tr("selection ratio over steps"), palette());
    if (view.ratioSchedule.size() >= 1) {
      long maxStep = std::max<long>(1, snapshot_->totalSteps);
      for (const auto& [s, r] : view.ratioSchedule) maxStep = std::max(maxStep, s);
      auto map = [&](double s, double r) {
        return QPointF(sched.left() + sched.width() * s / maxStep,
                       sched.bottom() - sched.height() * std::clamp(r, 0.0, 1.0));
      };
      p.setPen(QPen(runColor(0, run.role), 1.5));
      for (std::size_t i = 1; i < view.ratioSchedule.size(); ++i)
        p.drawLine(map(view.ratioSchedule[i - 1].first, view.ratioSchedule[i - 1].second),
                   map(view.ratioSchedule[i].first, view.ratioSchedule[i].second));
      p.setBrush(QColor(200, 30, 30));
      p.setPen(Qt::NoPen);
      p.drawEllipse(map(run.step, view.ratio), 4, 4);
      p.setBrush(Qt::NoBrush);
      p.setPen(palette().text().color());
      p.drawText(QPointF(sched.left() + 2, sched.top() + fm.ascent()), QStringLiteral("1.0"));
      p.drawText(QPointF(sched.left() + 2, sched.bottom() - 2), QStringLiteral("0"));
      p.drawText(QRectF(sched.left(), sched.bottom(), sched.width(), fm.height()), Qt::AlignRight,
                 tr("step %1").arg(maxStep));
    }
  }
}

void PicksView::mousePressEvent(QMouseEvent* event) {
  for (const auto& h : hits_)
    if (h.rect.contains(event->position())) {
      emit pickClicked(h.run, h.index, h.description);
      return;
    }
}

}  // namespace attent::ui

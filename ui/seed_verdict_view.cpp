#include "ui/seed_verdict_view.h"

#include <QCoreApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSpacerItem>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/nice_ticks.h"
#include "ui/paint_util.h"

namespace attent::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("SeedVerdictView", text); }

// Heights in lines of text: a row, an axis with its tick labels and title, the gap between axes.
constexpr double kRow = 1.9, kAxis = 2.8, kGap = 0.6;

VerdictRow row(const QString& title, RunRole arm, bool saving, const std::vector<double>& values,
               const Interval& interval, int seeds) {
  VerdictRow r;
  r.title = title;
  r.arm = arm;
  r.saving = saving;
  if (seeds == 0) return r;
  for (double v : values) r.dots.push_back(100 * v);
  r.estimate = 100 * interval.estimate;
  r.low = 100 * interval.low;
  r.high = 100 * interval.high;
  return r;
}

// Every dot and interval end of the axis's rows, zero, and for accuracy the margin of equal
// accuracy, with a little room at both ends.
std::pair<double, double> rangeOf(const std::vector<VerdictRow>& rows, bool saving) {
  double lo = saving ? 0 : -100 * kAccuracyTolerance, hi = 0;
  for (const VerdictRow& r : rows) {
    if (r.saving != saving) continue;
    for (double v : r.dots)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (!r.dots.empty() && std::isfinite(r.low) && std::isfinite(r.high))
      lo = std::min(lo, r.low), hi = std::max(hi, r.high);
  }
  if (hi - lo < 1e-9) hi = lo + 1;
  const double pad = 0.06 * (hi - lo);
  return {lo - pad, hi + pad};
}

QString duration(double seconds) {
  if (seconds < 90) return tr("~%1 s left").arg(std::max(1L, std::lround(seconds / 5) * 5));
  if (seconds < 5400) return tr("~%1 min left").arg(std::lround(seconds / 60));
  return tr("~%1 h %2 min left").arg(long(seconds / 3600)).arg(std::lround(std::fmod(seconds, 3600) / 60));
}

}  // namespace

std::vector<VerdictRow> verdictRows(const EpochVerdict& v) {
  return {
      row(tr("AtteNT − full"), RunRole::Baseline, false, v.accuracyDiffsVsFull, v.accuracyVsFull, v.seeds),
      row(tr("AtteNT − random subset"), RunRole::RandomSubset, false, v.accuracyDiffsVsRandom,
          v.accuracyVsRandom, v.seeds),
      row(tr("AtteNT − short full"), RunRole::ShortFull, false, v.accuracyDiffsVsShort, v.accuracyVsShort,
          v.seeds),
      row(tr("CPU time saved"), RunRole::AtteNT, true, v.cpuSavings, v.cpuSaving, v.seeds)};
}

SeedVerdictView::SeedVerdictView(QWidget* parent) : QWidget(parent) {
  rows_ = verdictRows(EpochVerdict{});
  auto* layout = new QVBoxLayout(this);
  legend_ =
      new QLabel(tr("A dot per seed. Bar: 95% bootstrap interval over the seeds; tick: the mean "
                    "difference (for the saving, the median). Dashed line: 1 point below full, "
                    "the margin of equal accuracy."));
  legend_->setWordWrap(true);
  layout->addWidget(legend_);
  strip_ = new QSpacerItem(10, 10, QSizePolicy::Minimum, QSizePolicy::Fixed);
  layout->addItem(strip_);
  auto* progressRow = new QHBoxLayout;
  progress_ = new QLabel;
  progress_->setWordWrap(true);
  cancel_ = new QPushButton(tr("Cancel"));
  cancel_->setToolTip(tr("Stop after the step under way; the seeds done so far stay"));
  cancel_->setEnabled(false);
  connect(cancel_, &QPushButton::clicked, this, &SeedVerdictView::cancelRequested);
  progressRow->addWidget(progress_, 1);
  progressRow->addWidget(cancel_);
  layout->addLayout(progressRow);
  words_ = new QLabel;
  words_->setWordWrap(true);
  words_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(words_);
  layout->addStretch(1);
  start(0);
  progress_->setText(tr("No verdict over seeds yet: Experiment > Verdict over seeds runs one."));
  sizeStrip();
}

void SeedVerdictView::start(int seeds) {
  seeds_ = seeds;
  rows_ = verdictRows(EpochVerdict{});
  words_->setText(tr("The verdict appears when the first seed finishes."));
  progress_->setText(tr("seed 1 of %1, starting").arg(seeds));
  cancel_->setEnabled(seeds > 0);
  update();
}

void SeedVerdictView::setResult(const app::SeedVerdictResult& result) {
  seeds_ = result.seeds;
  rows_ = verdictRows(result.verdict);
  const int n = int(result.outcomes.size());
  if (n > 0)
    words_->setText(tr("%1: %2.").arg(n == 1 ? tr("Over 1 seed") : tr("Over %1 seeds").arg(n),
                                      QString::fromStdString(result.verdict.words)));
  update();
}

void SeedVerdictView::setProgress(const app::SeedVerdictProgress& p) {
  const QString left = p.secondsLeft >= 0 ? duration(p.secondsLeft) : tr("estimating the time left");
  progress_->setText(
      tr("seed %1 of %2, %3 (step %4 of %5)").arg(p.seed).arg(p.seeds).arg(left).arg(p.step).arg(p.steps));
}

void SeedVerdictView::setFinished(bool cancelled, const QString& failure) {
  cancel_->setEnabled(false);
  const int done = int(rows_.front().dots.size());
  if (!failure.isEmpty())
    progress_->setText(tr("Stopped after %1 of %2 seeds: %3").arg(done).arg(seeds_).arg(failure));
  else if (cancelled)
    progress_->setText(tr("Cancelled after %1 of %2 seeds").arg(done).arg(seeds_));
  else
    progress_->setText(tr("All %1 seeds done").arg(seeds_));
}

QString SeedVerdictView::verdictText() const { return words_->text(); }
QString SeedVerdictView::progressText() const { return progress_->text(); }

void SeedVerdictView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) sizeStrip();
}

void SeedVerdictView::sizeStrip() {
  const int h = int(std::ceil(fontMetrics().height() * (4 * kRow + 2 * kAxis + kGap)));
  strip_->changeSize(10, h, QSizePolicy::Minimum, QSizePolicy::Fixed);
  layout()->invalidate();
}

void SeedVerdictView::paintEvent(QPaintEvent*) {
  PaintCost cost;
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const double top = strip_->geometry().top();
  paintAxisRows(p, paintAxisRows(p, top, false) + kGap * fontMetrics().height(), true);
}

double SeedVerdictView::paintAxisRows(QPainter& p, double top, bool saving) const {
  const QFontMetricsF fm(font());
  const double lh = fm.height();
  double labelWidth = 0;
  for (const VerdictRow& r : rows_) labelWidth = std::max(labelWidth, fm.horizontalAdvance(r.title));
  const QMargins margins = layout()->contentsMargins();
  const double labelLeft = margins.left(), left = labelLeft + labelWidth + lh;
  const double right = width() - margins.right() - fm.horizontalAdvance("-000.0");
  const auto [lo, hi] = rangeOf(rows_, saving);
  const auto x = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  const QColor text = palette().color(QPalette::WindowText);
  QColor faint = text;
  faint.setAlphaF(0.25);
  double y = top;
  for (const VerdictRow& r : rows_) {
    if (r.saving != saving) continue;
    const double mid = y + kRow * lh / 2;
    p.setPen(text);
    p.drawText(QRectF(labelLeft, y, labelWidth + 0.5 * lh, kRow * lh), Qt::AlignRight | Qt::AlignVCenter,
               r.title);
    const QColor colour = runColor(0, r.arm);
    if (!r.dots.empty()) {
      QColor bar = colour;
      bar.setAlphaF(0.3);
      p.fillRect(QRectF(x(r.low), mid - 0.25 * lh, std::max(2.0, x(r.high) - x(r.low)), 0.5 * lh), bar);
      p.setPen(QPen(text, 2));
      p.drawLine(QPointF(x(r.estimate), mid - 0.45 * lh), QPointF(x(r.estimate), mid + 0.45 * lh));
    }
    p.setPen(QPen(palette().color(QPalette::Base), 1));
    p.setBrush(colour);
    for (std::size_t i = 0; i < r.dots.size(); ++i)  // a small vertical spread keeps equal dots apart
      if (std::isfinite(r.dots[i]))
        p.drawEllipse(QPointF(x(r.dots[i]), mid + (int(i % 5) - 2) * 0.15 * lh), 0.27 * lh, 0.27 * lh);
    p.setBrush(Qt::NoBrush);
    y += kRow * lh;
  }
  p.setPen(QPen(faint, 1));
  p.drawLine(QPointF(x(0), top), QPointF(x(0), y));
  if (!saving) {
    p.setPen(QPen(faint, 1, Qt::DashLine));
    const double margin = x(-100 * kAccuracyTolerance);
    p.drawLine(QPointF(margin, top), QPointF(margin, y));
  }
  const NiceTicks ticks =
      niceTicks(lo, hi, std::max(2, int((right - left) / (fm.horizontalAdvance("-00.0") * 2))));
  p.setPen(text);
  p.drawLine(QPointF(left, y), QPointF(right, y));
  for (int k = 0; k < ticks.count; ++k) {
    const double v = ticks.first + k * ticks.step, tx = x(v);
    p.drawLine(QPointF(tx, y), QPointF(tx, y + 0.3 * lh));
    p.drawText(QRectF(tx - 2 * lh, y + 0.3 * lh, 4 * lh, lh), Qt::AlignHCenter | Qt::AlignTop,
               tickLabel(v, ticks));
  }
  const QString title = saving ? tr("AtteNT's CPU time saved against full (% of full's)")
                               : tr("held-out accuracy difference (percentage points)");
  p.drawText(QRectF(left, y + 1.4 * lh, right - left, 1.2 * lh), Qt::AlignHCenter | Qt::AlignTop, title);
  return y + kAxis * lh;
}

}  // namespace attent::ui

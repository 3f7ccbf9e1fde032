#include "ui/loss_view.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCursor>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QSlider>
#include <QStandardItemModel>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <utility>

#include "ui/line_legend.h"
#include "ui/nice_ticks.h"
#include "ui/paint_util.h"
#include "ui/result_card.h"

namespace attent::ui {

namespace {
// Chart painting counts towards the window's paint budget.
class TimedChartView : public QChartView {
 public:
  using QChartView::QChartView;

 protected:
  void paintEvent(QPaintEvent* event) override {
    const PaintCost cost;
    QChartView::paintEvent(event);
  }
};

// The axis's range [lo, hi] with the ticks `t`. Dynamic ticks are laid out again at every
// change, so the range and the step change under fixed ticks: a new range under the old step
// (0..560 at 0.2) would lay out thousands of labels and stall the window for a second.
void applyTicks(QValueAxis* axis, double lo, double hi, const NiceTicks& t) {
  axis->setTickType(QValueAxis::TicksFixed);
  axis->setRange(lo, hi);
  axis->setTickAnchor(t.first);
  axis->setTickInterval(t.step);
  axis->setLabelFormat(tickFormat(t));
  axis->setMinorTickCount(0);
  axis->setTickType(QValueAxis::TicksDynamic);
}
// Nice ticks (ui/nice_ticks.h) on a linear axis `pixels` long: about one label per `spacing` px.
void setNiceRange(QValueAxis* axis, double lo, double hi, int pixels, int spacing) {
  applyTicks(axis, lo, hi, niceTicks(lo, hi, std::clamp(pixels / spacing, 3, 10)));
}
}  // namespace

double Ema::add(double x) {
  ema_ = beta_ * ema_ + (1 - beta_) * x;
  weight_ = beta_ * weight_ + (1 - beta_);  // = 1 - beta^n: the bias correction
  return weight_ > 0 ? ema_ / weight_ : x;
}

std::vector<QPointF> downsampleMinMax(const std::vector<QPointF>& points, int buckets) {
  if (buckets <= 0 || int(points.size()) <= 4 * buckets) return points;
  std::vector<QPointF> out;
  out.reserve(4 * buckets + 2);
  const std::size_t n = points.size();
  for (int b = 0; b < buckets; ++b) {
    const std::size_t begin = n * b / buckets, end = n * (b + 1) / buckets;
    if (begin >= end) continue;
    std::size_t lo = begin, hi = begin;
    for (std::size_t i = begin; i < end; ++i) {
      if (points[i].y() < points[lo].y()) lo = i;
      if (points[i].y() > points[hi].y()) hi = i;
    }
    std::size_t picks[4] = {begin, std::min(lo, hi), std::max(lo, hi), end - 1};
    for (int k = 0; k < 4; ++k)
      if (k == 0 || picks[k] != picks[k - 1]) out.push_back(points[picks[k]]);
  }
  return out;
}

LossView::LossView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("x axis")));
  auto* axis = axisBox_ = new QComboBox;
  axis->addItems({tr("step"), tr("examples seen"), tr("compute seconds"), tr("epochs")});
  axis->setToolTip(
      tr("Compare runs by steps, by examples they trained on, by compute time (the fair clock) "
         "or, under the epoch budget, by epochs"));
  bar->addWidget(axis);
  bar->addWidget(new QLabel(tr("smoothing")));
  auto* slider = new QSlider(Qt::Horizontal);
  slider->setRange(0, 99);
  slider->setValue(90);
  slider->setMinimumWidth(100);
  slider->setMaximumWidth(160);
  slider->setToolTip(tr("Debiased exponential moving average of the train loss (0 = raw)"));
  bar->addWidget(slider);
  auto* sliderValue = new QLabel(QStringLiteral("0.90"));
  bar->addWidget(sliderValue);
  auto* logY = new QCheckBox(tr("log y"));
  bar->addWidget(logY);
  bar->addStretch();
  card_ = new ResultCard;
  layout->addWidget(card_);
  layout->addLayout(bar);
  legend_ = new LineLegend;
  layout->addWidget(legend_);

  lossChart_ = new QChart;
  lossChart_->setTitle(tr("Loss"));
  lossChart_->legend()->hide();  // legend_ above the charts: one entry per run, styles once
  lossChart_->setMargins(QMargins(4, 4, 4, 4));
  accChart_ = new QChart;
  accChart_->setTitle(tr("Held-out accuracy"));
  accChart_->legend()->hide();
  accChart_->setMargins(QMargins(4, 4, 4, 4));
  lossX_ = new QValueAxis;
  accX_ = new QValueAxis;
  accY_ = new QValueAxis;
  setNiceRange(accY_, 0, 1, 300, 50);
  accY_->setTitleText(tr("accuracy"));
  lossChart_->addAxis(lossX_, Qt::AlignBottom);
  accChart_->addAxis(accX_, Qt::AlignBottom);
  accChart_->addAxis(accY_, Qt::AlignLeft);
  targetLine_ = new QLineSeries;
  targetLine_->setName(tr("target eval loss"));
  targetLine_->setPen(QPen(QColor(200, 30, 30), 1.2, Qt::DashDotLine));
  lossChart_->addSeries(targetLine_);
  targetLine_->attachAxis(lossX_);
  cursor_ = new QLineSeries;
  cursor_->setName(tr("timeline"));
  cursor_->setPen(QPen(QColor(120, 120, 120), 1.5, Qt::DotLine));
  lossChart_->addSeries(cursor_);
  cursor_->attachAxis(lossX_);
  lossViewW_ = new TimedChartView(lossChart_);
  lossViewW_->setRenderHint(QPainter::Antialiasing);
  accViewW_ = new TimedChartView(accChart_);
  accViewW_->setRenderHint(QPainter::Antialiasing);
  lossViewW_->setMinimumHeight(int(10 * QFontMetricsF(QApplication::font()).height()));
  layout->addWidget(lossViewW_, 3);
  layout->addWidget(accViewW_, 2);
  rebuildAxes();
  setXAxis(XAxis::Step);

  timer_ = new QTimer(this);
  timer_->setInterval(40);  // <= 25 replots per second however fast snapshots come
  timer_->setSingleShot(true);
  connect(timer_, &QTimer::timeout, this, [this] {
    if (dirty_) replot();
  });
  connect(axis, &QComboBox::currentIndexChanged, this, [this](int i) { setXAxis(XAxis(i)); });
  connect(slider, &QSlider::valueChanged, this, [this, sliderValue](int v) {
    sliderValue->setText(QString::number(v / 100.0, 'f', 2));
    setSmoothing(v / 100.0);
  });
  connect(logY, &QCheckBox::toggled, this, &LossView::setLogY);
}

void LossView::setRuns(const QStringList& names) {
  for (auto& r : runs_) {
    for (auto* s : {static_cast<QAbstractSeries*>(r.raw), static_cast<QAbstractSeries*>(r.smooth),
                    static_cast<QAbstractSeries*>(r.eval), static_cast<QAbstractSeries*>(r.marker)}) {
      lossChart_->removeSeries(s);
      delete s;
    }
    accChart_->removeSeries(r.accuracy);
    delete r.accuracy;
  }
  runs_.clear();
  target_.reset();
  summaries_.clear();
  baseline_ = -1;
  for (int i = 0; i < names.size(); ++i) {
    RunCurve r;
    r.name = names[i];
    r.ema = Ema(beta_);
    const QColor c = runColor(i, r.role);  // until the first snapshot names the run's role
    QColor faint = c;
    faint.setAlpha(60);
    r.raw = new QLineSeries;
    r.raw->setPen(QPen(faint, 1));
    r.smooth = new QLineSeries;
    r.smooth->setName(names[i] + tr(" train"));
    r.smooth->setPen(QPen(c, 2));
    r.eval = new QLineSeries;
    r.eval->setName(names[i] + tr(" eval"));
    r.eval->setPen(QPen(c, 1.5, Qt::DashLine));
    r.marker = new QScatterSeries;
    r.marker->setColor(c);
    r.marker->setBorderColor(Qt::black);
    r.marker->setMarkerSize(11);
    r.marker->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    r.accuracy = new QLineSeries;
    r.accuracy->setName(names[i]);
    r.accuracy->setPen(QPen(c, 2));
    for (auto* s : {static_cast<QXYSeries*>(r.raw), static_cast<QXYSeries*>(r.smooth),
                    static_cast<QXYSeries*>(r.eval), static_cast<QXYSeries*>(r.marker)}) {
      lossChart_->addSeries(s);
      s->attachAxis(lossX_);
      s->attachAxis(lossY_);
    }
    accChart_->addSeries(r.accuracy);
    r.accuracy->attachAxis(accX_);
    r.accuracy->attachAxis(accY_);
    const int run = i;
    auto hover = [this, run](const QPointF& point, bool state) {
      if (state)
        QToolTip::showText(QCursor::pos(), hoverText(run, point.x()), this);
      else
        QToolTip::hideText();
    };
    connect(r.smooth, &QXYSeries::hovered, this, hover);
    connect(r.raw, &QXYSeries::hovered, this, hover);
    connect(r.eval, &QXYSeries::hovered, this, hover);
    runs_.push_back(std::move(r));
  }
  cursorStep_ = -1;
  offerEpochAxis(false);
  card_->setResult({});
  resultFrom_.reset();
  updateLegend(false, false);
  applyPens();
  dirty_ = true;
  replot();
}

void LossView::addSnapshot(const app::SnapshotPtr& snapshot) {
  if (!snapshot) return;
  target_ = snapshot->targetEvalLoss;
  summaries_ = snapshot->summaries;
  baseline_ = snapshot->baselineRun;
  // The card follows at the next replot: a new text re-lays out the window, too costly 30
  // times a second.
  resultFrom_ = snapshot;
  bool rolesChanged = false;
  for (const RunSnapshot& r : snapshot->runs)
    if (!r.newPoints.empty()) offerEpochAxis(std::isfinite(r.newPoints.back().epoch));
  for (std::size_t i = 0; i < snapshot->runs.size() && i < runs_.size(); ++i) {
    RunCurve& r = runs_[i];
    rolesChanged = rolesChanged || r.role != snapshot->runs[i].role;
    r.role = snapshot->runs[i].role;
    for (const MetricPoint& p : snapshot->runs[i].newPoints) {
      r.points.push_back(p);
      r.smoothed.push_back(std::isfinite(p.trainLoss) ? float(r.ema.add(p.trainLoss)) : kNoValue);
    }
  }
  if (rolesChanged) {
    applyPens();
    updateLegend(legendTarget_, legendMarkers_);
  }
  scheduleReplot();
}

void LossView::scheduleReplot() {
  dirty_ = true;
  if (autoReplot_ && !timer_->isActive()) timer_->start();
}

void LossView::offerEpochAxis(bool offered) {
  auto* model = qobject_cast<QStandardItemModel*>(axisBox_->model());
  if (QStandardItem* item = model ? model->item(int(XAxis::Epochs)) : nullptr) item->setEnabled(offered);
  if (!offered && xAxis_ == XAxis::Epochs) axisBox_->setCurrentIndex(int(XAxis::Step));
}

void LossView::setXAxis(XAxis axis) {
  xAxis_ = axis;
  if (axisBox_->currentIndex() != int(axis)) axisBox_->setCurrentIndex(int(axis));
  const QString title = axis == XAxis::Step       ? tr("step (optimiser updates)")
                        : axis == XAxis::Examples ? tr("examples seen (examples)")
                        : axis == XAxis::Seconds  ? tr("compute time (seconds)")
                                                  : tr("epochs (of each run's plan)");
  lossX_->setTitleText(title);
  accX_->setTitleText(title);
  dirty_ = true;
  replot();
}

void LossView::setSmoothing(double beta) {
  beta_ = std::clamp(beta, 0.0, 0.999);
  resmooth();
  dirty_ = true;
  replot();
}

void LossView::resmooth() {
  for (auto& r : runs_) {
    r.ema = Ema(beta_);
    for (std::size_t i = 0; i < r.points.size(); ++i)
      r.smoothed[i] =
          std::isfinite(r.points[i].trainLoss) ? float(r.ema.add(r.points[i].trainLoss)) : kNoValue;
  }
}

void LossView::setLogY(bool on) {
  logY_ = on;
  rebuildAxes();
  dirty_ = true;
  replot();
}

void LossView::setDark(bool dark) {
  dark_ = dark;
  card_->setDark(dark);
  updateLegend(legendTarget_, legendMarkers_);
  for (QChart* c : {lossChart_, accChart_}) {
    c->setBackgroundBrush(dark ? QColor(35, 38, 41) : QColor(255, 255, 255));
    c->setTitleBrush(dark ? QColor(230, 230, 230) : QColor(20, 20, 20));
    c->legend()->setLabelColor(dark ? QColor(230, 230, 230) : QColor(20, 20, 20));
    for (QAbstractAxis* a : c->axes()) {
      a->setLabelsColor(dark ? QColor(220, 220, 220) : QColor(30, 30, 30));
      a->setTitleBrush(dark ? QColor(220, 220, 220) : QColor(30, 30, 30));
      a->setGridLineColor(dark ? QColor(70, 70, 70) : QColor(225, 225, 225));
    }
  }
}

void LossView::applyPens() {
  const double w = lineScale_;
  for (int i = 0; i < int(runs_.size()); ++i) {
    RunCurve& r = runs_[i];
    const QColor c = runColor(i, r.role);
    QColor faint = c;
    faint.setAlpha(60);
    r.marker->setColor(c);
    r.raw->setPen(QPen(faint, 1 * w));
    r.smooth->setPen(QPen(c, 2 * w));
    r.eval->setPen(QPen(c, 1.5 * w, Qt::DashLine));
    r.accuracy->setPen(QPen(c, 2 * w));
    r.marker->setMarkerSize(11 * w);
  }
  targetLine_->setPen(QPen(QColor(200, 30, 30), 1.2 * w, Qt::DashDotLine));
  cursor_->setPen(QPen(dark_ ? QColor(200, 200, 200) : QColor(60, 60, 60), 1.5 * w, Qt::DotLine));
}

void LossView::setPresentationScale(double scale) {
  lineScale_ = std::clamp(scale, 0.5, 4.0);
  // Charts do not follow the application font: give them the widget's (presentation mode
  // enlarges the application font), titles a little larger and bold on a projector.
  const bool presenting = lineScale_ > 1.01;
  const QFont base = QApplication::font();  // widgets pick up a new application font later
  card_->applyFonts();
  legend_->setFont(base);
  legend_->setLineScale(lineScale_);
  for (QChart* c : {lossChart_, accChart_}) {
    QFont title = base;
    title.setPointSizeF(title.pointSizeF() * (presenting ? 1.1 : 1.0));
    title.setBold(presenting);
    c->setTitleFont(title);
    c->legend()->setFont(base);
    for (QAbstractAxis* a : c->axes()) {
      a->setLabelsFont(base);
      QFont axisTitle = base;
      axisTitle.setBold(true);
      a->setTitleFont(axisTitle);
    }
  }
  // A docked loss chart keeps room for its ticks and title (a tall neighbour dock crushed it
  // to elided "..." labels at 1366x768).
  lossViewW_->setMinimumHeight(int(10 * QFontMetricsF(base).height()));
  applyPens();
  dirty_ = true;
  replot();
}

void LossView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  scheduleReplot();  // the accuracy chart comes and goes with the room
}

void LossView::setCursorStep(long step) {
  cursorStep_ = step;
  dirty_ = true;
  replot();
}

void LossView::rebuildAxes() {
  QList<QAbstractSeries*> series;
  if (lossY_) {
    for (QAbstractSeries* s : lossChart_->series()) s->detachAxis(lossY_);
    lossChart_->removeAxis(lossY_);
    delete lossY_;
  }
  if (logY_) {
    auto* a = new QLogValueAxis;
    a->setBase(10);
    a->setLabelFormat("%.4g");
    a->setLabelFormat("%g");  // powers of ten: 0.1, 1, 10
    a->setMinorTickCount(-1);
    lossY_ = a;
  } else {
    lossY_ = new QValueAxis;  // nice ticks set by replot() for each range
  }
  lossY_->setTitleText(logY_ ? tr("loss (log scale)") : tr("loss"));
  lossChart_->addAxis(lossY_, Qt::AlignLeft);
  for (QAbstractSeries* s : lossChart_->series()) s->attachAxis(lossY_);
  setDark(dark_);
}

double LossView::xOf(const MetricPoint& p) const {
  switch (xAxis_) {
    case XAxis::Step:
      return double(p.step);
    case XAxis::Examples:
      return double(p.examplesSeen);
    case XAxis::Seconds:
      return p.computeSeconds;
    case XAxis::Epochs:
      return p.epoch;
  }
  return 0;
}

std::vector<LossView::TargetResult> LossView::targetResults() const {
  std::vector<TargetResult> out(runs_.size());
  for (std::size_t i = 0; i < runs_.size() && i < summaries_.size(); ++i) {
    const TargetTime& t = summaries_[i].toTarget;
    if (!t.steps || !t.seconds) continue;
    out[i].seconds = *t.seconds;
    out[i].reduction = summaries_[i].timeReduction;
    // The marker sits on the history point the summary names (its examples-seen x).
    MetricPoint at;
    at.step = *t.steps;
    at.computeSeconds = *t.seconds;
    const auto& pts = runs_[i].points;
    auto it = std::lower_bound(pts.begin(), pts.end(), at.step,
                               [](const MetricPoint& p, long step) { return p.step < step; });
    if (it != pts.end() && it->step == at.step) at = *it;
    out[i].x = xOf(at);
  }
  return out;
}

QString LossView::summaryText() const { return card_->isVisibleTo(this) ? card_->text() : QString(); }

QStringList LossView::legendLabels() const {
  QStringList out;
  for (const LegendEntry& e : legend_->entries()) out << e.label;
  return out;
}

void LossView::updateLegend(bool target, bool markers) {
  std::vector<LegendEntry> entries;
  for (int i = 0; i < int(runs_.size()); ++i)
    entries.push_back({runTitle(runs_[i].name.toStdString()), runColor(i, runs_[i].role)});
  // Line styles in the text colour: no run is drawn in it (the random-subset run is grey).
  const QColor grey = dark_ ? QColor(235, 235, 235) : QColor(20, 20, 20);
  entries.push_back({tr("train loss (smoothed)"), grey, Qt::SolidLine});
  entries.push_back({tr("held-out loss"), grey, Qt::DashLine});
  if (target)
    entries.push_back(
        {tr("target: the baseline's final held-out loss"), QColor(200, 30, 30), Qt::DashDotLine});
  if (markers) entries.push_back({tr("reached the target"), grey, Qt::SolidLine, true});
  legendTarget_ = target;
  legendMarkers_ = markers;
  legend_->setEntries(std::move(entries));
}

QString LossView::hoverText(int run, double x) const {
  if (run < 0 || run >= int(runs_.size()) || runs_[run].points.empty()) return {};
  const RunCurve& r = runs_[run];
  // Points are in x order for all three axes (steps, examples and seconds only grow).
  auto it = std::lower_bound(r.points.begin(), r.points.end(), x,
                             [this](const MetricPoint& p, double v) { return xOf(p) < v; });
  if (it == r.points.end()) --it;
  if (it != r.points.begin() && std::abs(xOf(*(it - 1)) - x) < std::abs(xOf(*it) - x)) --it;
  const std::size_t i = std::size_t(it - r.points.begin());
  QString text = tr("%1\nstep %2\ntrain loss %3 (smoothed %4)\ncompute %5 s, %6 examples")
                     .arg(r.name)
                     .arg(it->step)
                     .arg(compactNumber(it->trainLoss))
                     .arg(compactNumber(r.smoothed[i]))
                     .arg(it->computeSeconds, 0, 'f', 2)
                     .arg(it->examplesSeen);
  if (std::isfinite(it->epoch)) text += tr(", epoch %1").arg(it->epoch, 0, 'f', 2);
  // The nearest evaluation at or before this point.
  for (auto e = it;; --e) {
    if (std::isfinite(e->evalLoss)) {
      text += tr("\neval loss %1 at step %2").arg(compactNumber(e->evalLoss)).arg(e->step);
      if (std::isfinite(e->evalAccuracy)) text += tr(", accuracy %1").arg(compactNumber(e->evalAccuracy));
      break;
    }
    if (e == r.points.begin()) break;
  }
  return text;
}

bool LossView::plotCurves(Bounds& b) {
  // Up to 4 points per bucket, a bucket per 4 px: each pixel column keeps its extremes, and a
  // long run's antialiased curves stay cheap to stroke (a replot holds the event loop).
  const int buckets = std::max(100, lossViewW_->width() / 4);
  auto grow = [&](const std::vector<QPointF>& pts, bool y) {
    for (const QPointF& p : pts) {
      b.xmin = std::min(b.xmin, p.x()), b.xmax = std::max(b.xmax, p.x());
      if (y && (!logY_ || p.y() > 0)) b.ymin = std::min(b.ymin, p.y()), b.ymax = std::max(b.ymax, p.y());
    }
  };
  const auto targets = targetResults();
  bool anyMarker = false;
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    RunCurve& r = runs_[i];
    std::vector<QPointF> raw, smooth, eval, acc;
    raw.reserve(r.points.size());
    smooth.reserve(r.points.size());
    for (std::size_t j = 0; j < r.points.size(); ++j) {
      const MetricPoint& p = r.points[j];
      const double x = xOf(p);
      if (std::isfinite(p.trainLoss) && (!logY_ || p.trainLoss > 0)) raw.push_back({x, p.trainLoss});
      if (std::isfinite(r.smoothed[j]) && (!logY_ || r.smoothed[j] > 0)) smooth.push_back({x, r.smoothed[j]});
      if (std::isfinite(p.evalLoss) && (!logY_ || p.evalLoss > 0)) eval.push_back({x, p.evalLoss});
      if (std::isfinite(p.evalAccuracy)) acc.push_back({x, p.evalAccuracy});
    }
    raw = downsampleMinMax(raw, buckets);
    smooth = downsampleMinMax(smooth, buckets);
    eval = downsampleMinMax(eval, buckets);
    acc = downsampleMinMax(acc, buckets);
    grow(raw, beta_ == 0);  // the raw curve's spikes should not squash the smoothed ones
    grow(smooth, true);
    grow(eval, true);
    r.raw->replace(QList<QPointF>(raw.begin(), raw.end()));
    r.smooth->replace(QList<QPointF>(smooth.begin(), smooth.end()));
    r.eval->replace(QList<QPointF>(eval.begin(), eval.end()));
    r.accuracy->replace(QList<QPointF>(acc.begin(), acc.end()));
    r.raw->setVisible(beta_ > 0);
    if (target_ && targets[i].seconds >= 0) {
      r.marker->replace(QList<QPointF>{QPointF(targets[i].x, *target_)});
      anyMarker = true;
    } else {
      r.marker->clear();
    }
  }
  return anyMarker;
}

void LossView::setRanges(const Bounds& b) {
  setNiceRange(lossX_, b.xmin, b.xmax, lossViewW_->width(), 110);
  setNiceRange(accX_, b.xmin, b.xmax, accViewW_->width(), 110);
  if (logY_) {
    lossY_->setRange(b.ymin * 0.9, b.ymax * 1.1);
    return;
  }
  // The axis ends on ticks, so its top and bottom are labelled with nice numbers too.
  const double pad = 0.05 * (b.ymax - b.ymin);
  const double lo = b.ymin >= 0 ? std::max(0.0, b.ymin - pad) : b.ymin - pad, hi = b.ymax + pad;
  const NiceRange r = niceRange(lo, hi, std::clamp(lossViewW_->height() / 45, 3, 8));
  applyTicks(static_cast<QValueAxis*>(lossY_), r.lo, r.hi, r.ticks);
}

void LossView::placeCursor(double ymin, double ymax) {
  // The scrubber's cursor: at the x of the first run's point nearest `cursorStep_`.
  cursor_->clear();
  if (cursorStep_ < 0 || runs_.empty() || runs_[0].points.empty()) return;
  const auto& pts = runs_[0].points;
  auto it = std::lower_bound(pts.begin(), pts.end(), cursorStep_,
                             [](const MetricPoint& p, long s) { return p.step < s; });
  if (it == pts.end()) --it;
  const double x = xOf(*it);
  const double lo = logY_ ? ymin * 0.9 : ymin - 0.05 * (ymax - ymin), hi = logY_ ? ymax * 1.1 : ymax;
  cursor_->replace(QList<QPointF>{QPointF(x, lo), QPointF(x, hi)});
}

void LossView::replot() {
  const PaintCost cost;
  dirty_ = false;
  ++replots_;
  if (resultFrom_) card_->setResult(resultText(*std::exchange(resultFrom_, nullptr)));
  Bounds b;
  const bool anyMarker = plotCurves(b);
  // Learners without accuracy (SCB's squared loss, language models) give the loss chart the room.
  bool anyAccuracy = false;
  for (const auto& r : runs_) anyAccuracy = anyAccuracy || r.accuracy->count() > 0;
  // Under ~400 px two charts would elide their tick labels: the loss chart keeps the room.
  const bool showAccuracy = anyAccuracy && height() >= 400;
  if (accViewW_->isVisibleTo(this) != showAccuracy) accViewW_->setVisible(showAccuracy);
  if (!std::isfinite(b.xmin)) b.xmin = 0, b.xmax = 1;
  if (b.xmax <= b.xmin) b.xmax = b.xmin + 1;
  if (target_ && (!logY_ || *target_ > 0)) {
    targetLine_->replace(QList<QPointF>{QPointF(b.xmin, *target_), QPointF(b.xmax, *target_)});
    b.ymin = std::min(b.ymin, *target_), b.ymax = std::max(b.ymax, *target_);
  } else {
    targetLine_->clear();
  }
  if (legendTarget_ != (targetLine_->count() > 0) || legendMarkers_ != anyMarker)
    updateLegend(targetLine_->count() > 0, anyMarker);
  if (!std::isfinite(b.ymin)) b.ymin = logY_ ? 0.1 : 0, b.ymax = 1;
  if (b.ymax <= b.ymin) b.ymax = b.ymin + (logY_ ? b.ymin : 1);
  setRanges(b);
  placeCursor(b.ymin, b.ymax);
}

}  // namespace attent::ui

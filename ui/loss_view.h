#pragma once
// Loss curves (Qt Charts): every run on shared axes, train loss (raw faint behind a
// debiased EMA) and eval loss, accuracy on its own chart; x in steps, examples seen or
// compute seconds; log-y; hover tooltip; the target line and each run's time-to-target
// marker with its reduction. Snapshots only append; a 40 ms timer turns a burst of
// appends into one replot (PlotJuggler's throttling), downsampled keeping minima and maxima.
#include <QPointF>
#include <QWidget>
#include <limits>
#include <optional>
#include <vector>

#include "app/worker/training_worker.h"

class QTimer;
class QComboBox;
class QSlider;
class QCheckBox;
class QLabel;

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QAbstractAxis;
class QValueAxis;

namespace attent::ui {

class ResultCard;
class LineLegend;

// Epochs: the epoch-budget protocol's runs only (their points carry an epoch).
enum class XAxis { Step, Examples, Seconds, Epochs };

// Debiased exponential moving average, computed causally: adding points never changes
// earlier smoothed values.
class Ema {
 public:
  explicit Ema(double beta = 0.9) : beta_(beta) {}
  double add(double x);
  void clear() { ema_ = 0, weight_ = 0; }

 private:
  double beta_, ema_ = 0, weight_ = 0;
};

// At most ~4 points per bucket (first, min, max, last) in x order, so spikes and
// minima survive drawing a long run with a few hundred pixels.
std::vector<QPointF> downsampleMinMax(const std::vector<QPointF>& points, int buckets);

class LossView : public QWidget {
  Q_OBJECT
 public:
  explicit LossView(QWidget* parent = nullptr);
  void setRuns(const QStringList& runs);  // a new experiment: clears the history
  void addSnapshot(const app::SnapshotPtr& snapshot);
  void setXAxis(XAxis axis);
  void setSmoothing(double beta);  // 0 = none, < 1
  void setLogY(bool on);
  void setDark(bool dark);
  void replot();  // now, regardless of the throttle
  void replotIfDirty() {
    if (dirty_) replot();
  }
  // Off: the owner paces replots (MainWindow's CPU-budget governor) via replotIfDirty().
  void setAutoReplot(bool on) { autoReplot_ = on; }
  int replotCount() const { return replots_; }
  QString hoverText(int run, double x) const;
  // What the markers show, read from the snapshot's summaries (the numbers `run` prints):
  // time to target in compute seconds (-1: not reached), the marker's x on the current axis,
  // and the fraction of the baseline run's time saved.
  struct TargetResult {
    double seconds = -1;
    double x = 0;
    std::optional<double> reduction;
  };
  std::vector<TargetResult> targetResults() const;
  // The result card's text ("AtteNT reached the random run's final held-out loss 12% sooner
  // (CPU s)" and its details); empty while the card is hidden.
  QString summaryText() const;
  // The compact legend's labels: one per run, then the line styles.
  QStringList legendLabels() const;
  QSize sizeHint() const override { return {700, 420}; }
  // A vertical cursor at `step` on the loss chart (the timeline scrubber); -1 hides it.
  void setCursorStep(long step);
  long cursorStep() const { return cursorStep_; }
  // Presentation mode: thicker lines and larger chart text (1 = normal).
  void setPresentationScale(double scale);
  double presentationScale() const { return lineScale_; }

 private:
  struct RunCurve {
    QString name;
    RunRole role = RunRole::Other;  // from the snapshots: the run's colour
    std::vector<MetricPoint> points;
    std::vector<float> smoothed;  // train loss EMA, parallel to points
    Ema ema;
    QLineSeries *raw = nullptr, *smooth = nullptr, *eval = nullptr, *accuracy = nullptr;
    QScatterSeries* marker = nullptr;
  };
  // The x and y ranges the curves span (infinite while empty).
  struct Bounds {
    static constexpr double kInf = std::numeric_limits<double>::infinity();
    double xmin = kInf, xmax = -kInf, ymin = kInf, ymax = -kInf;
  };
  void resizeEvent(QResizeEvent* event) override;
  bool plotCurves(Bounds& bounds);  // the series from the points; whether a target marker shows
  void setRanges(const Bounds& bounds);
  void placeCursor(double ymin, double ymax);
  double xOf(const MetricPoint& p) const;
  void resmooth();
  void rebuildAxes();
  void scheduleReplot();
  void updateLegend(bool target, bool markers);
  // Offers epochs as the x axis while the runs' points carry them.
  void offerEpochAxis(bool offered);

  std::vector<RunCurve> runs_;
  std::optional<double> target_;
  std::vector<RunSummary> summaries_;  // the latest snapshot's, parallel to runs_
  int baseline_ = -1;
  XAxis xAxis_ = XAxis::Step;
  double beta_ = 0.9;
  bool logY_ = false, dirty_ = false, dark_ = false, autoReplot_ = true;
  int replots_ = 0;
  QTimer* timer_;
  QChart *lossChart_, *accChart_;
  QChartView *lossViewW_, *accViewW_;
  QLineSeries* targetLine_;
  QLineSeries* cursor_;
  long cursorStep_ = -1;
  double lineScale_ = 1.0;
  void applyPens();
  QValueAxis *lossX_, *accX_, *accY_;
  QAbstractAxis* lossY_ = nullptr;
  ResultCard* card_;
  app::SnapshotPtr resultFrom_;  // the latest snapshot, its result not yet on the card
  LineLegend* legend_;
  bool legendTarget_ = false, legendMarkers_ = false;
  QComboBox* axisBox_;
};

}  // namespace attent::ui

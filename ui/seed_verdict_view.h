#pragma once
// The verdict over seeds (docs/SCIENCE.md section 1): one row per paired difference the
// engine's EpochVerdict summarises - held-out accuracy of AtteNT against full, random subset
// and short full, and its CPU saving against full - with a dot per seed and the interval as
// a bar, the verdict in words underneath and the run's progress. It paints only what the
// runner (app/worker/seed_verdict_runner.h) hands it.
#include <QWidget>
#include <vector>

#include "app/worker/seed_verdict_runner.h"
#include "engine/teach/run_role.h"

class QLabel;
class QPushButton;
class QSpacerItem;

namespace attent::ui {

// One row of the strip, in its axis's unit: percentage points or percent.
struct VerdictRow {
  QString title;
  RunRole arm = RunRole::Other;  // the arm AtteNT is compared with (its colour)
  bool saving = false;           // the saving axis (%), else accuracy points
  std::vector<double> dots;      // one per seed
  double estimate = 0, low = 0, high = 0;
};

// The strip's rows for `verdict` (no dots when it covers no seed).
std::vector<VerdictRow> verdictRows(const EpochVerdict& verdict);

class SeedVerdictView : public QWidget {
  Q_OBJECT
 public:
  explicit SeedVerdictView(QWidget* parent = nullptr);

  void start(int seeds);  // a new run: no dots yet
  void setResult(const app::SeedVerdictResult& result);
  void setProgress(const app::SeedVerdictProgress& progress);
  // The run ended: done, cancelled, or stopped by `failure`.
  void setFinished(bool cancelled, const QString& failure = {});

  const std::vector<VerdictRow>& rows() const { return rows_; }
  QString verdictText() const;
  QString progressText() const;

 signals:
  void cancelRequested();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void sizeStrip();  // the painted strip's height follows the font
  // One axis's rows from `top`; returns the y below its tick labels and title.
  double paintAxisRows(QPainter& p, double top, bool saving) const;

  std::vector<VerdictRow> rows_;
  int seeds_ = 0;
  QLabel *legend_, *progress_, *words_;
  QSpacerItem* strip_;
  QPushButton* cancel_;
};

}  // namespace attent::ui

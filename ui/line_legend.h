#pragma once
// A compact legend above a chart: one coloured entry per run, then the line styles explained
// once (solid train, dashed held-out, ...). Entries flow onto as many rows as the width needs,
// so nothing is cut, and the chart keeps its whole width for the curves.
#include <QColor>
#include <QWidget>
#include <vector>

namespace attent::ui {

struct LegendEntry {
  QString label;
  QColor color;
  Qt::PenStyle style = Qt::SolidLine;
  bool square = false;  // a marker rather than a line sample
};

class LineLegend : public QWidget {
  Q_OBJECT
 public:
  explicit LineLegend(QWidget* parent = nullptr);
  void setEntries(std::vector<LegendEntry> entries);
  const std::vector<LegendEntry>& entries() const { return entries_; }
  void setLineScale(double scale);
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  // Each entry's rectangle when laid out in rows `width` wide.
  std::vector<QRect> layoutEntries(int width) const;
  int entryWidth(const LegendEntry& e) const;
  std::vector<LegendEntry> entries_;
  double lineScale_ = 1.0;
};

}  // namespace attent::ui

#include "ui/diagnostics_view.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {
constexpr std::size_t kMaxScalarPoints = 4000;

struct Panel {
  enum Kind { Points, Scalar, MatrixMap } kind;
  std::string key;
  std::string run;  // matrices: one panel per run
};

void frame(QPainter& p, const QRectF& r, const QString& title, const QPalette& pal) {
  p.setPen(pal.mid().color());
  p.drawRect(r);
  p.setPen(pal.text().color());
  QFont f = p.font();
  f.setBold(true);
  p.save();
  p.setFont(f);
  p.drawText(QRectF(r.left(), r.top() - 17, r.width(), 16), Qt::AlignLeft | Qt::AlignBottom, title);
  p.restore();
}
}  // namespace

double DiagnosticsView::senTheory(double s, double m) {
  return std::sqrt(std::max(0.0, 2 * s + (2 / m) * (std::exp(s) - 1)));
}

DiagnosticsView::DiagnosticsView(QWidget* parent) : QWidget(parent) { setMinimumSize(300, 200); }

void DiagnosticsView::clearHistory() {
  scalars_.clear();
  lastStep_ = -1;
  snapshot_.reset();
  update();
}

void DiagnosticsView::setSnapshot(app::SnapshotPtr snapshot) {
  if (!snapshot) return;
  if (snapshot->step < lastStep_) scalars_.clear();  // a reset
  if (snapshot->step != lastStep_) {
    for (const auto& run : snapshot->runs)
      for (const auto& [key, value] : run.diagnostics.scalars) {
        auto& series = scalars_[key][run.name];
        series.push_back({snapshot->step, value});
        if (series.size() > kMaxScalarPoints) {  // keep every other old point: bounded memory
          std::vector<std::pair<long, double>> thinned;
          for (std::size_t i = 0; i < series.size(); i += (i < series.size() / 2 ? 2 : 1))
            thinned.push_back(series[i]);
          series.swap(thinned);
        }
      }
  }
  lastStep_ = snapshot->step;
  snapshot_ = std::move(snapshot);
  update();
}

int DiagnosticsView::panelCount() const {
  if (!snapshot_) return 0;
  std::size_t n = scalars_.size();
  std::map<std::string, int> pointKeys;
  for (const auto& r : snapshot_->runs) {
    for (const auto& [k, v] : r.diagnostics.points) pointKeys[k] = 1;
    n += r.diagnostics.matrices.size();
  }
  return int(n + pointKeys.size());
}

void DiagnosticsView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  std::vector<Panel> panels;
  if (snapshot_) {
    std::map<std::string, int> pointKeys;
    for (const auto& r : snapshot_->runs)
      for (const auto& [k, v] : r.diagnostics.points) pointKeys[k] = 1;
    for (const auto& [k, v] : pointKeys) panels.push_back({Panel::Points, k, {}});
    for (const auto& [k, v] : scalars_) panels.push_back({Panel::Scalar, k, {}});
    for (const auto& r : snapshot_->runs)
      for (const auto& [k, v] : r.diagnostics.matrices) panels.push_back({Panel::MatrixMap, k, r.name});
  }
  if (panels.empty()) {
    p.drawText(rect(), Qt::AlignCenter,
               snapshot_ ? tr("This preset has no paper diagnostics (see the loss curves and attention maps)")
                         : tr("Waiting for the first snapshot"));
    return;
  }
  const int n = int(panels.size());
  int cols = std::max(1, int(std::ceil(std::sqrt(n * double(width()) / std::max(1, height())))));
  cols = std::min(cols, n);
  const int rows = (n + cols - 1) / cols;
  const double cw = double(width()) / cols, ch = double(height()) / rows;
  const QFontMetricsF fm(font());
  for (int i = 0; i < n; ++i) {
    const Panel& panel = panels[i];
    const QRectF cell((i % cols) * cw, (i / cols) * ch, cw, ch);
    const QRectF plot = cell.adjusted(44, 22, -10, -fm.height() - 6);
    if (plot.width() < 20 || plot.height() < 20) continue;
    const QString key = QString::fromStdString(panel.key);
    if (panel.kind == Panel::Points) {
      double xmax = 1e-6, ymax = 1e-6, xmin = 0;
      for (const auto& r : snapshot_->runs) {
        auto it = r.diagnostics.points.find(panel.key);
        if (it == r.diagnostics.points.end()) continue;
        for (auto [x, y] : it->second) {
          if (!std::isfinite(x) || !std::isfinite(y)) continue;
          xmax = std::max<double>(xmax, x), ymax = std::max<double>(ymax, y),
          xmin = std::min<double>(xmin, x);
        }
      }
      const bool sen = panel.key == "topic.sen";
      double m = 20;
      if (sen) {
        for (const auto& r : snapshot_->runs) {
          auto it = r.diagnostics.scalars.find("topic.m");
          if (it != r.diagnostics.scalars.end() && it->second > 0) m = it->second;
        }
        ymax = std::max(ymax, senTheory(xmax, m));
      }
      xmax *= 1.05, ymax *= 1.05;
      auto map = [&](double x, double y) {
        return QPointF(plot.left() + plot.width() * (x - xmin) / (xmax - xmin),
                       plot.bottom() - plot.height() * y / ymax);
      };
      frame(p, plot, sen ? tr("SEN phase plot: |q||v_t| against s_t = q·k_t") : key, palette());
      if (sen) {
        QPainterPath curve;
        for (int j = 0; j <= 100; ++j) {
          const double s = std::max(0.0, xmin) + (xmax - std::max(0.0, xmin)) * j / 100.0;
          const QPointF pt = map(s, senTheory(s, m));
          j == 0 ? curve.moveTo(pt) : curve.lineTo(pt);
        }
        p.setPen(QPen(palette().text().color(), 1.2, Qt::DashLine));
        p.drawPath(curve);
        p.drawText(QPointF(plot.left() + 4, plot.top() + fm.ascent() + 2),
                   tr("dashed: sqrt(2s + (2/m)(e^s - 1)), m = %1").arg(m));
      }
      int runIndex = 0;
      for (const auto& r : snapshot_->runs) {
        auto it = r.diagnostics.points.find(panel.key);
        const QColor c = runColor(runIndex++, QString::fromStdString(r.name));
        if (it == r.diagnostics.points.end()) continue;
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        for (auto [x, y] : it->second)
          if (std::isfinite(x) && std::isfinite(y)) p.drawEllipse(map(x, y), 3, 3);
        p.setBrush(Qt::NoBrush);
      }
      p.setPen(palette().text().color());
      p.drawText(QRectF(plot.left(), plot.bottom(), plot.width(), fm.height()), Qt::AlignRight,
                 compactNumber(xmax));
      p.drawText(QRectF(cell.left(), plot.top(), 40, fm.height()), Qt::AlignRight, compactNumber(ymax));
    } else if (panel.kind == Panel::Scalar) {
      const auto& byRun = scalars_.at(panel.key);
      double lo = INFINITY, hi = -INFINITY;
      long s0 = 0, s1 = 1;
      for (const auto& [run, series] : byRun)
        for (auto [s, v] : series) {
          if (!std::isfinite(v)) continue;
          lo = std::min(lo, v), hi = std::max(hi, v), s1 = std::max(s1, s);
        }
      if (!std::isfinite(lo)) lo = 0, hi = 1;
      const bool logY = lo > 0 && hi / lo > 10;
      auto ty = [&](double v) { return logY ? std::log10(v) : v; };
      double ylo = ty(lo), yhi = ty(hi);
      if (yhi - ylo < 1e-12) yhi = ylo + 1, ylo -= 1e-12;
      frame(p, plot, key + (logY ? tr(" (log scale)") : QString()), palette());
      int runIndex = 0;
      for (const auto& r : snapshot_->runs) {
        auto it = byRun.find(r.name);
        const QColor c = runColor(runIndex++, QString::fromStdString(r.name));
        if (it == byRun.end() || it->second.empty()) continue;
        QPainterPath path;
        bool started = false;
        for (auto [s, v] : it->second) {
          if (!std::isfinite(v) || (logY && v <= 0)) continue;
          const QPointF pt(plot.left() + plot.width() * double(s - s0) / std::max<long>(1, s1 - s0),
                           plot.bottom() - plot.height() * (ty(v) - ylo) / (yhi - ylo));
          started ? path.lineTo(pt) : path.moveTo(pt);
          started = true;
        }
        p.setPen(QPen(c, 1.5));
        p.drawPath(path);
        p.drawText(QPointF(plot.right() - 80, plot.top() + fm.ascent() * runIndex + 2),
                   QString::fromStdString(r.name));
      }
      p.setPen(palette().text().color());
      p.drawText(QRectF(cell.left(), plot.top(), 42, fm.height()), Qt::AlignRight, compactNumber(hi));
      p.drawText(QRectF(cell.left(), plot.bottom() - fm.height(), 42, fm.height()), Qt::AlignRight,
                 compactNumber(lo));
      p.drawText(QRectF(plot.left(), plot.bottom(), plot.width(), fm.height()), Qt::AlignRight,
                 tr("step %1").arg(s1));
    } else {
      const Matrix* mat = nullptr;
      for (const auto& r : snapshot_->runs)
        if (r.name == panel.run) {
          auto it = r.diagnostics.matrices.find(panel.key);
          if (it != r.diagnostics.matrices.end()) mat = &it->second;
        }
      if (!mat || mat->rows <= 0 || mat->cols <= 0 || mat->data.size() < std::size_t(mat->rows) * mat->cols)
        continue;
      float lo = *std::min_element(mat->data.begin(), mat->data.end());
      float hi = *std::max_element(mat->data.begin(), mat->data.end());
      const bool diverging = lo < 0;
      if (diverging) hi = std::max(std::abs(lo), std::abs(hi));
      const double side = std::min(plot.width() - 50, plot.height());
      const QRectF mapRect(plot.left(), plot.top(), side * std::min(1.0, double(mat->cols) / mat->rows),
                           side * std::min(1.0, double(mat->rows) / mat->cols));
      frame(p, mapRect, QStringLiteral("%1 · %2").arg(key, QString::fromStdString(panel.run)), palette());
      drawHeatmap(p, mapRect, mat->rows, mat->cols, mat->data.data(), lo, hi, diverging);
      if (panel.key.find("signature") != std::string::npos && mapRect.width() / mat->cols > 22) {
        // The mosaic signature is a histogram in %: print the numbers.
        p.setPen(Qt::white);
        for (int r = 0; r < mat->rows; ++r)
          for (int c = 0; c < mat->cols; ++c)
            p.drawText(QRectF(mapRect.left() + mapRect.width() * c / mat->cols,
                              mapRect.top() + mapRect.height() * r / mat->rows, mapRect.width() / mat->cols,
                              mapRect.height() / mat->rows),
                       Qt::AlignCenter, compactNumber(mat->data[std::size_t(r) * mat->cols + c]));
      }
      drawLegend(p, QRectF(mapRect.right() + 6, mapRect.top(), 44, std::max(60.0, mapRect.height())), lo, hi,
                 diverging, QString());
    }
  }
}

}  // namespace attent::ui

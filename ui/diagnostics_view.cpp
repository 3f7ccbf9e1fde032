#include "ui/diagnostics_view.h"

#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {
constexpr std::size_t kMaxScalarPoints = 4000;
constexpr int kPanelWidth = 250, kPanelHeight = 190;

// Sizes for the toy, not measurements: no curve over steps for them.
bool isParameter(const std::string& key) { return key == "mosaic.m" || key == "mosaic.C"; }

void frame(QPainter& p, const QRectF& r, const QString& title, const QPalette& pal) {
  p.setPen(pal.mid().color());
  p.drawRect(r);
  p.setPen(pal.text().color());
  QFont f = p.font();
  f.setBold(true);
  p.save();
  p.setFont(f);
  const QString shown = QFontMetricsF(f).elidedText(title, Qt::ElideRight, r.width() + 40);
  p.drawText(QRectF(r.left() - 40, r.top() - 17, r.width() + 40, 16), Qt::AlignLeft | Qt::AlignBottom, shown);
  p.restore();
}
// The toy's paradigms in the colours of the mosaic runs of the same name (SA, HA, LVML, hybrid).
std::array<QColor, 4> toyColours(const Snapshot& s) {
  std::array<QColor, 4> colours;
  for (int k = 0; k < 4; ++k) {
    colours[k] = runColor(k, ToyPanel::paradigmName(k));
    for (std::size_t i = 0; i < s.runs.size(); ++i) {
      const QString name = QString::fromStdString(s.runs[i].name);
      if (name.compare(ToyPanel::paradigmName(k), Qt::CaseInsensitive) == 0)
        colours[k] = runColor(int(i), name);
    }
  }
  return colours;
}
}  // namespace

QRectF DiagnosticsView::toyPlotRect(ToyPanel::Quantity q) const {
  auto it = toyPlots_.find(q);
  return it == toyPlots_.end() ? QRectF() : it->second;
}

void DiagnosticsView::mouseMoveEvent(QMouseEvent* event) {
  for (const auto& [q, plot] : toyPlots_) {
    const QString text = toy_.hoverText(plot, q, event->position());
    if (!text.isEmpty()) {
      QToolTip::showText(event->globalPosition().toPoint(), text, this);
      return;
    }
  }
  QToolTip::hideText();
}

double DiagnosticsView::senTheory(double s, double m) {
  return std::sqrt(std::max(0.0, 2 * s + (2 / m) * (std::exp(s) - 1)));
}

DiagnosticsView::DiagnosticsView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(260, 120);
  setMouseTracking(true);  // the toy's hover
}

void DiagnosticsView::clearHistory() {
  scalars_.clear();
  lastStep_ = -1;
  toyShown_ = false;
  toyPlots_.clear();
  snapshot_.reset();
  frame_.reset();
  update();
}

void DiagnosticsView::setSnapshot(app::SnapshotPtr snapshot) {
  if (!snapshot) return;
  if (snapshot->step < lastStep_) scalars_.clear();  // a reset
  if (snapshot->step != lastStep_) {
    for (const auto& run : snapshot->runs)
      for (const auto& [key, value] : run.diagnostics.scalars) {
        if (isParameter(key)) continue;
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
  // A mosaic experiment (its learners report the toy's sizes): integrate the toy for its
  // (m, C) here, once, never in a paint.
  bool mosaic = false;
  int m = 0, C = 0;
  for (const auto& run : snapshot->runs) {
    const auto& d = run.diagnostics;
    auto mi = d.scalars.find("mosaic.m"), ci = d.scalars.find("mosaic.C");
    if (mi == d.scalars.end() || ci == d.scalars.end()) continue;
    mosaic = true, m = int(mi->second), C = int(ci->second);
  }
  toyShown_ = mosaic;
  if (mosaic) toy_.curves(m, C);
  lastStep_ = snapshot->step;
  snapshot_ = std::move(snapshot);
  const int h = heightFor(width());
  if (h != minimumHeight()) setMinimumHeight(h);
  update();
}

void DiagnosticsView::showFrame(app::SnapshotPtr frame) {
  frame_ = std::move(frame);
  update();
}

std::vector<DiagnosticsView::Panel> DiagnosticsView::buildPanels() const {
  std::vector<Panel> panels;
  if (!snapshot_) return panels;
  if (toyShown_) panels.push_back({Panel::ToyNu, {}, {}}), panels.push_back({Panel::ToyMu, {}, {}});
  std::map<std::string, int> pointKeys;
  for (const auto& r : snapshot_->runs)
    for (const auto& [k, v] : r.diagnostics.points)
      if (k.size() < 7 || k.compare(k.size() - 7, 7, "_theory") != 0) pointKeys[k] = 1;
  for (const auto& [k, v] : pointKeys) panels.push_back({Panel::Points, k, {}});
  for (const auto& [k, v] : scalars_) panels.push_back({Panel::Scalar, k, {}});
  for (std::size_t i = 0; i < snapshot_->runs.size(); ++i)
    for (const auto& [k, m] : snapshot_->runs[i].diagnostics.matrices) {
      // The truth (scb.P, scb.Q) is the same in every run: show it once.
      bool seen = false;
      for (std::size_t j = 0; j < i && !seen; ++j) {
        auto it = snapshot_->runs[j].diagnostics.matrices.find(k);
        seen = it != snapshot_->runs[j].diagnostics.matrices.end() && it->second.data == m.data;
      }
      if (!seen) panels.push_back({Panel::MatrixMap, k, snapshot_->runs[i].name});
    }
  return panels;
}

int DiagnosticsView::heightFor(int w) const {
  const int n = int(buildPanels().size());
  if (n == 0) return 120;
  const int cols = std::min(n, std::max(1, w / kPanelWidth));
  return ((n + cols - 1) / cols) * kPanelHeight;
}

void DiagnosticsView::resizeEvent(QResizeEvent*) { setMinimumHeight(heightFor(width())); }

int DiagnosticsView::panelCount() const {
  if (!snapshot_) return 0;
  std::size_t n = scalars_.size() + (toyShown_ ? 2 : 0);
  std::map<std::string, int> pointKeys;
  for (const auto& r : snapshot_->runs) {
    for (const auto& [k, v] : r.diagnostics.points) pointKeys[k] = 1;
    n += r.diagnostics.matrices.size();
  }
  return int(n + pointKeys.size());
}

void DiagnosticsView::paintEvent(QPaintEvent*) {
  const PaintCost cost;
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  const std::vector<Panel> panels = buildPanels();
  toyPlots_.clear();
  if (panels.empty()) {
    p.drawText(rect(), Qt::AlignCenter,
               snapshot_ ? tr("This preset has no paper diagnostics (see the loss curves and attention maps)")
                         : tr("Waiting for the first snapshot"));
    return;
  }
  const int n = int(panels.size());
  const int cols = std::min(n, std::max(1, width() / kPanelWidth));
  const int rows = (n + cols - 1) / cols;
  const double cw = double(width()) / cols, ch = double(height()) / rows;
  const QFontMetricsF fm(font());
  // Heatmaps and phase points come from the scrubbed-to frame when there is one.
  const Snapshot& shown = frame_ ? *frame_ : *snapshot_;
  for (int i = 0; i < n; ++i) {
    const Panel& panel = panels[i];
    const QRectF cell((i % cols) * cw, (i / cols) * ch, cw, ch);
    if (panel.kind == Panel::ToyNu || panel.kind == Panel::ToyMu) {
      const auto q = panel.kind == Panel::ToyNu ? ToyPanel::Quantity::Nu : ToyPanel::Quantity::Mu;
      const QRectF toyPlot = cell.adjusted(56, 22, -10, -2 * fm.height() - 6);  // two lines below: t
      if (toyPlot.width() < 20 || toyPlot.height() < 20 || !toy_.cached()) continue;
      const ToyCurves& c = *toy_.cached();
      const auto colours = toyColours(*snapshot_);
      auto draw = [&](QPainter& painter) {
        frame(painter, toyPlot, tr("%1 · m=%2 C=%3").arg(ToyPanel::title(q)).arg(c.m).arg(c.C), palette());
        toy_.paint(painter, toyPlot, q, palette(), colours);
      };
      toyPlots_[q] = toyPlot;
      if (p.paintEngine()->type() != QPaintEngine::Raster) {  // SVG and PDF figures stay vector
        draw(p);
        continue;
      }
      const double dpr = p.device()->devicePixelRatioF();
      QString key = QStringLiteral("%1,%2,%3,%4,%5,%6,%7")
                        .arg(cell.width())
                        .arg(cell.height())
                        .arg(dpr)
                        .arg(c.m)
                        .arg(c.C)
                        .arg(palette().base().color().name(), font().toString());
      for (const QColor& colour : colours) key += colour.name();
      ToyImage& image = toyImages_[q];
      if (image.key != key) {
        image.pixmap = QPixmap((cell.size() * dpr).toSize());
        image.pixmap.setDevicePixelRatio(dpr);
        image.pixmap.fill(Qt::transparent);
        QPainter cached(&image.pixmap);
        cached.setRenderHint(QPainter::Antialiasing);
        cached.setFont(p.font());
        cached.translate(-cell.topLeft());
        draw(cached);
        image.key = key;
      }
      p.drawPixmap(cell.topLeft(), image.pixmap);
      continue;
    }
    const QRectF plot = cell.adjusted(56, 22, -10, -fm.height() - 6);
    if (plot.width() < 20 || plot.height() < 20) continue;
    const QString key = QString::fromStdString(panel.key);
    if (panel.kind == Panel::Points) {
      double xmax = 1e-6, ymax = 1e-6, xmin = 0;
      for (const auto& r : shown.runs) {
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
        for (const auto& r : shown.runs) {
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
      frame(p, plot, sen ? tr("SEN: |q||v_t| vs s_t") : key, palette());
      // The learner's own theory curve (key + "_theory") if it sends one, else SEN's.
      const std::vector<std::pair<float, float>>* theory = nullptr;
      for (const auto& r : shown.runs) {
        auto it = r.diagnostics.points.find(panel.key + "_theory");
        if (it != r.diagnostics.points.end() && !it->second.empty()) theory = &it->second;
      }
      if (theory || sen) {
        QPainterPath curve;
        const int count = theory ? int(theory->size()) : 101;
        for (int j = 0; j < count; ++j) {
          double s = 0, y = 0;
          if (theory) {
            s = (*theory)[j].first, y = (*theory)[j].second;
          } else {
            s = std::max(0.0, xmin) + (xmax - std::max(0.0, xmin)) * j / 100.0;
            y = senTheory(s, m);
          }
          if (s > xmax || y > ymax) break;
          const QPointF pt = map(s, y);
          j == 0 ? curve.moveTo(pt) : curve.lineTo(pt);
        }
        p.setPen(QPen(palette().text().color(), 1.2, Qt::DashLine));
        p.drawPath(curve);
        if (sen)
          p.drawText(QRectF(plot.left(), plot.bottom() - fm.height() - 2, plot.width() - 4, fm.height()),
                     Qt::AlignRight, tr("dashed: theory"));
      }
      int runIndex = 0;
      for (const auto& r : shown.runs) {
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
      p.drawText(QRectF(cell.left(), plot.top(), 54, fm.height()), Qt::AlignRight, compactNumber(ymax));
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
      if (frame_ && frame_->step >= s0 && frame_->step <= s1) {  // the scrubbed-to step
        const double x = plot.left() + plot.width() * double(frame_->step - s0) / std::max<long>(1, s1 - s0);
        p.setPen(QPen(palette().text().color(), 1.0, Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
      }
      p.setPen(palette().text().color());
      p.drawText(QRectF(cell.left(), plot.top(), 54, fm.height()), Qt::AlignRight, compactNumber(hi));
      p.drawText(QRectF(cell.left(), plot.bottom() - fm.height(), 54, fm.height()), Qt::AlignRight,
                 compactNumber(lo));
      p.drawText(QRectF(plot.left(), plot.bottom(), plot.width(), fm.height()), Qt::AlignRight,
                 tr("step %1").arg(s1));
    } else {
      const Matrix* mat = nullptr;
      for (const auto& r : shown.runs)
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
      // Square cells where they fit; short wide histograms (2 x 20) get taller cells.
      const double availW = plot.width() - 50, availH = plot.height();
      double cw2 = std::min(availW / mat->cols, availH / mat->rows);
      double chh = std::min(availH / mat->rows, std::max(cw2, std::min(availH / mat->rows, 4 * cw2)));
      const QRectF mapRect(plot.left(), plot.top(), cw2 * mat->cols, chh * mat->rows);
      QString title = QStringLiteral("%1 · %2").arg(key, QString::fromStdString(panel.run));
      if (frame_) title += tr(" · step %1").arg(frame_->step);
      frame(p, mapRect, title, palette());
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

#include "ui/timeline.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/paint_util.h"

namespace attent::ui {

AttentionTimeline::AttentionTimeline(int maxFrames, std::size_t maxBytes, double ratio)
    : maxFrames_(std::max(4, maxFrames)),
      maxBytes_(maxBytes),
      baseRatio_(std::max(1.01, ratio)),
      ratio_(baseRatio_) {}

void AttentionTimeline::clear() {
  frames_.clear();
  bytes_ = 0;
  ratio_ = baseRatio_;
  nextDue_ = 0;
  probe_ = -1;
}

attent::Snapshot AttentionTimeline::slim(const attent::Snapshot& s) {
  attent::Snapshot out;
  out.step = s.step;
  out.totalSteps = s.totalSteps;
  out.probe = s.probe;
  out.probeSplit = s.probeSplit;
  out.probeExample = s.probeExample;
  out.targetEvalLoss = s.targetEvalLoss;
  out.summaries = s.summaries;
  out.baselineRun = s.baselineRun;
  out.epochSaving = s.epochSaving;
  out.runs.reserve(s.runs.size());
  for (const RunSnapshot& r : s.runs) {
    RunSnapshot o;
    o.name = r.name;
    o.step = r.step;
    o.computeSeconds = r.computeSeconds;
    o.divergedAt = r.divergedAt;
    o.probeAttention = r.probeAttention;
    o.probeReadout = r.probeReadout;
    // The picks view shows the top of the subset and the pool histogram; keep at most 16 picks.
    o.teacher = r.teacher;
    if (o.teacher.picks.size() > 16) o.teacher.picks.resize(16);
    o.diagnostics.matrices = r.diagnostics.matrices;
    o.diagnostics.scalars = r.diagnostics.scalars;
    o.diagnostics.points = r.diagnostics.points;  // the SEN phase plot while scrubbing
    out.runs.push_back(std::move(o));
  }
  return out;
}

std::size_t AttentionTimeline::frameBytes(const attent::Snapshot& s) {
  std::size_t bytes = sizeof(attent::Snapshot) + s.summaries.size() * sizeof(RunSummary);
  auto strings = [](const std::vector<std::string>& v) {
    std::size_t b = 0;
    for (const auto& x : v) b += sizeof(std::string) + x.size();
    return b;
  };
  for (const RunSnapshot& r : s.runs) {
    bytes += sizeof(RunSnapshot) + r.probeAttention.weights.size() * sizeof(float) +
             strings(r.probeAttention.queryLabels) + strings(r.probeAttention.keyLabels);
    bytes += (r.probeReadout.weights.size() + r.probeReadout.rollout.size()) * sizeof(float) +
             strings(r.probeReadout.inputLabels);
    bytes += r.teacher.poolScores.size() * sizeof(float) + r.teacher.ratioSchedule.size() * 16 +
             r.teacher.timeline.plan.size() * sizeof(EpochPhase) + r.teacher.classes.poolShare.size() * 48;
    for (const TeacherPick& p : r.teacher.picks)
      bytes += sizeof(TeacherPick) + p.tokenLosses.size() * 4 + strings(p.example.tokens) +
               p.example.image.size() * 4 + p.example.text.size();
    for (const auto& [key, m] : r.diagnostics.matrices)
      bytes += key.size() + 64 + m.data.size() * sizeof(float);
    bytes += r.diagnostics.scalars.size() * 64;
    for (const auto& [key, pts] : r.diagnostics.points) bytes += key.size() + pts.size() * 8;
  }
  return bytes;
}

bool AttentionTimeline::add(const app::SnapshotPtr& snapshot) {
  // The timeline follows the held-out probe; a teacher's pick the user clicked to look at
  // (a pool example) is shown live but neither kept nor allowed to restart it.
  if (!snapshot || snapshot->probeSplit != Split::HeldOut) return false;
  if (snapshot->probe != probe_) {
    clear();
    probe_ = snapshot->probe;
  }
  if (!frames_.empty() && snapshot->step <= frames_.back()->step) {
    if (snapshot->step < frames_.back()->step) {  // a rebuilt or reopened experiment
      clear();
      probe_ = snapshot->probe;
    } else {
      return false;
    }
  }
  if (snapshot->step < nextDue_) return false;
  auto frame = std::make_shared<const attent::Snapshot>(slim(*snapshot));
  bytes_ += frameBytes(*frame);
  frames_.push_back(std::move(frame));
  nextDue_ = std::max(snapshot->step + 1, long(std::ceil(double(std::max(1L, snapshot->step)) * ratio_)));
  while (int(frames_.size()) > maxFrames_ || (bytes_ > maxBytes_ && frames_.size() > 2)) thin();
  return true;
}

void AttentionTimeline::thin() {
  std::vector<app::SnapshotPtr> kept;
  const std::size_t n = frames_.size();
  for (std::size_t i = 0; i < n; ++i)
    if (i % 2 == 0 || i + 1 == n) kept.push_back(frames_[i]);
  frames_ = std::move(kept);
  bytes_ = 0;
  for (const auto& f : frames_) bytes_ += frameBytes(*f);
  ratio_ *= ratio_;
  const long last = frames_.back()->step;
  nextDue_ = std::max(last + 1, long(std::ceil(double(std::max(1L, last)) * ratio_)));
}

app::SnapshotPtr AttentionTimeline::frameAt(long step) const {
  app::SnapshotPtr best;
  long bestDistance = 0;
  for (const auto& f : frames_) {
    const long d = std::labs(f->step - step);
    if (!best || d < bestDistance) best = f, bestDistance = d;
  }
  return best;
}

std::vector<app::SnapshotPtr> chooseFrames(const std::vector<app::SnapshotPtr>& frames, int k) {
  const int n = int(frames.size());
  if (k <= 0 || n == 0) return {};
  if (k >= n) return frames;
  std::vector<app::SnapshotPtr> out;
  for (int i = 0; i < k; ++i) {
    const int index = k == 1 ? n - 1 : int(std::lround(double(i) * (n - 1) / (k - 1)));
    if (out.empty() || out.back() != frames[index]) out.push_back(frames[index]);
  }
  return out;
}

namespace {
// Mean over heads of the last layer: queries x keys.
std::vector<float> meanLastLayer(const AttentionMaps& m) {
  std::vector<float> mean(std::size_t(m.queries) * m.keys, 0.f);
  const int layer = m.layers - 1;
  for (int h = 0; h < m.heads; ++h)
    for (int q = 0; q < m.queries; ++q)
      for (int k = 0; k < m.keys; ++k) mean[std::size_t(q) * m.keys + k] += m.at(layer, h, q, k) / m.heads;
  return mean;
}
}  // namespace

QImage timelineStrip(const std::vector<app::SnapshotPtr>& frames, QSize cell, double scale, bool dark) {
  if (frames.empty()) return {};
  const int cols = int(frames.size());
  int rows = 0;
  for (const auto& f : frames) rows = std::max(rows, int(f->runs.size()));
  rows = std::max(rows, 1);
  // Maps keep their aspect (a 1 x 25 focus row is a strip, not a square); one colour
  // scale for the whole figure, up to the largest weight shown, so cells compare.
  std::vector<double> rowHeight(rows, 24.0);
  float hi = 0;
  for (const auto& f : frames)
    for (int r = 0; r < int(f->runs.size()); ++r) {
      const AttentionMaps& m = f->runs[r].probeAttention;
      if (m.weights.empty() || m.keys == 0) continue;
      const double h = std::clamp(cell.width() * double(m.queries) / m.keys, 24.0, double(cell.height()));
      rowHeight[r] = std::max(rowHeight[r], h);
      for (float v : meanLastLayer(m)) hi = std::max(hi, v);
    }
  if (hi <= 0) hi = 1;
  const int left = 110, top = 56, gap = 10, legendWidth = 80;
  double total = 0;
  for (double h : rowHeight) total += h + gap;
  const QSize size(left + cols * (cell.width() + gap) + legendWidth, top + int(total) + 8);
  QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scale);
  const QColor background = dark ? QColor(32, 34, 37) : Qt::white,
               ink = dark ? QColor(230, 230, 230) : Qt::black;
  image.fill(background);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(ink);
  QFont font = p.font();
  font.setPointSizeF(11);
  QFont bold = font;
  bold.setBold(true);
  p.setFont(bold);
  p.drawText(QRectF(0, 2, size.width(), 22), Qt::AlignCenter,
             QObject::tr("Attention on the probe example (held-out %1), mean over heads, last layer")
                 .arg(frames.front()->probe));
  p.setFont(font);
  for (int c = 0; c < cols; ++c)
    p.drawText(QRectF(left + c * (cell.width() + gap), 28, cell.width(), 22), Qt::AlignCenter,
               QObject::tr("step %1").arg(frames[c]->step));
  double y = top;
  for (int r = 0; r < rows; ++r) {
    QString name;
    RunRole role = RunRole::Other;
    for (const auto& f : frames)
      if (r < int(f->runs.size())) name = QString::fromStdString(f->runs[r].name), role = f->runs[r].role;
    p.setPen(runColor(r, role));
    p.setFont(bold);
    p.drawText(QRectF(4, y, left - 10, rowHeight[r]), Qt::AlignRight | Qt::AlignVCenter, name);
    p.setFont(font);
    p.setPen(ink);
    for (int c = 0; c < cols; ++c) {
      const QRectF slot(left + c * (cell.width() + gap), y, cell.width(), rowHeight[r]);
      if (r >= int(frames[c]->runs.size()) || frames[c]->runs[r].probeAttention.weights.empty()) {
        p.drawText(slot, Qt::AlignCenter, QObject::tr("no map"));
        continue;
      }
      const AttentionMaps& m = frames[c]->runs[r].probeAttention;
      const double h = std::clamp(cell.width() * double(m.queries) / m.keys, 24.0, double(cell.height()));
      const QRectF rect(slot.left(), slot.top() + (slot.height() - h) / 2, slot.width(), h);
      const std::vector<float> mean = meanLastLayer(m);
      drawHeatmap(p, rect, m.queries, m.keys, mean.data(), 0.f, hi, false);
      p.setPen(QPen(ink, 0.5));
      p.drawRect(rect);
    }
    y += rowHeight[r] + gap;
  }
  drawLegend(p, QRectF(size.width() - legendWidth + 14, top, 16, std::max(60.0, total - gap)), 0.f, hi, false,
             QObject::tr("weight"));
  p.end();
  return image;
}

}  // namespace attent::ui

#include "engine/teach/teacher.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attent {

namespace {

// The subset size for ratio r of a pool of n: ceil(r n), at least 1.
int subsetSize(double r, int n) {
  const int k = int(std::ceil(std::clamp(r, 0.0, 1.0) * n - 1e-9));
  return std::clamp(k, 1, std::max(1, n));
}

void shuffle(std::vector<int>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

// Orders (key desc, index asc), NaN keys last, so selections are deterministic on ties.
struct ByKeyDesc {
  std::span<const float> key;
  bool operator()(int a, int b) const {
    const float x = key[a], y = key[b];
    const bool nx = std::isnan(x), ny = std::isnan(y);
    if (nx != ny) return ny;
    if (!nx && x != y) return x > y;
    return a < b;
  }
};

std::vector<int> topByKey(std::span<const float> key, int k) {
  std::vector<int> idx(key.size());
  std::iota(idx.begin(), idx.end(), 0);
  k = std::clamp(k, 0, int(idx.size()));
  ByKeyDesc cmp{key};
  std::nth_element(idx.begin(), idx.begin() + k, idx.end(), cmp);
  idx.resize(k);
  std::sort(idx.begin(), idx.end(), cmp);
  return idx;
}

}  // namespace

double RatioSchedule::at(long step) const {
  const double p = totalSteps > 1 ? std::clamp(double(step) / double(totalSteps), 0.0, 1.0) : 1.0;
  switch (shape) {
    case RatioShape::Constant:
      return ratioStart;
    case RatioShape::Linear:
      return ratioStart + (ratioEnd - ratioStart) * p;
    case RatioShape::Cosine:
      return ratioStart + (ratioEnd - ratioStart) * 0.5 * (1.0 - std::cos(M_PI * p));
    case RatioShape::Step: {
      const int stage = std::min(9, int(std::floor(p * 10.0)));
      return ratioStart + (ratioEnd - ratioStart) * stage / 9.0;
    }
  }
  return ratioStart;
}

long SelectionSchedule::intervalAfter(long step) const {
  switch (kind) {
    case IntervalKind::Dense:
      return 1;
    case IntervalKind::Fixed:
      return std::max(1L, every);
    case IntervalKind::Incremental: {
      const double warm = 0.25 * double(totalSteps);
      if (double(step) < warm) return 1;
      const double p = std::clamp((double(step) - warm) / std::max(1.0, double(totalSteps) - warm), 0.0, 1.0);
      return std::max(1L, std::lround(1.0 + (double(maxInterval) - 1.0) * p));
    }
  }
  return 1;
}

std::vector<int> topK(std::span<const float> scores, int k) { return topByKey(scores, k); }

std::vector<int> gumbelTopK(std::span<const float> scores, int k, double tau, Rng& rng) {
  // Adding Gumbel(0,1) noise to log-weights and taking the top k samples without replacement
  // from the softmax (Kool et al. 2019); here the log-weights are score / tau.
  std::vector<float> key(scores.size());
  const double t = std::max(tau, 1e-12);
  for (std::size_t i = 0; i < scores.size(); ++i)
    key[i] = std::isfinite(scores[i]) ? float(scores[i] / t + rng.gumbel()) : -INFINITY;
  return topByKey(key, k);
}

// ---- Teacher

Teacher::Teacher(int poolSize, std::uint64_t dataSeed)
    : poolSize_(poolSize), rng_(dataSeed), timesPicked_(std::size_t(std::max(0, poolSize)), 0) {}

void Teacher::drawFrom(const std::vector<int>& subset, int batchSize, std::vector<int>& batch) {
  batch.resize(std::size_t(batchSize > 0 ? batchSize : int(subset.size())));
  for (int& b : batch) {
    if (cursor_ >= order_.size()) {
      order_ = subset;
      shuffle(order_, rng_);
      cursor_ = 0;
    }
    b = order_[cursor_++];
    ++timesPicked_[b];
  }
}

TeacherView Teacher::view(Learner&, int) const {
  TeacherView v;
  v.kind = kind();
  v.ratio = ratio();
  return v;
}

void Teacher::save(ByteWriter& w) const {
  w.putString(kind());
  rng_.save(w);
  w.putArray<std::int32_t>(order_);
  w.put<std::uint64_t>(cursor_);
  w.putArray<std::int32_t>(timesPicked_);
  w.put<std::int64_t>(scored_);
}

void Teacher::restore(ByteReader& in) {
  const std::string saved = in.getString("teacher kind");
  if (saved != kind()) in.fail("teacher is '" + saved + "' but the settings build '" + kind() + "'");
  rng_.restore(in);
  order_ = in.getArray<std::int32_t, int>("teacher order");
  checkIndices(in, order_, "teacher order");
  cursor_ = std::size_t(in.get<std::uint64_t>("teacher cursor"));
  if (cursor_ > order_.size()) in.fail("teacher cursor past its order");
  auto picked = in.getArray<std::int32_t, int>("times picked");
  if (picked.size() != timesPicked_.size())
    in.fail("times picked has " + std::to_string(picked.size()) + " entries, pool has " +
            std::to_string(timesPicked_.size()));
  timesPicked_ = std::move(picked);
  scored_ = long(in.get<std::int64_t>("scored examples"));
}

void Teacher::checkIndices(const ByteReader& in, const std::vector<int>& indices, const char* field) const {
  for (int i : indices)
    if (i < 0 || i >= poolSize_)
      in.fail(std::string(field) + " holds pool index " + std::to_string(i) + " outside [0, " +
              std::to_string(poolSize_) + ")");
}

RandomTeacher::RandomTeacher(int poolSize, std::uint64_t dataSeed)
    : Teacher(poolSize, dataSeed), all_(poolSize) {
  std::iota(all_.begin(), all_.end(), 0);
}

void RandomTeacher::nextBatch(Learner&, long, int batchSize, std::vector<int>& batch) {
  drawFrom(all_, batchSize, batch);
}

// ---- RandomSubsetTeacher

RandomSubsetTeacher::RandomSubsetTeacher(int poolSize, std::uint64_t dataSeed, RatioSchedule ratio,
                                         SelectionSchedule selection)
    : Teacher(poolSize, dataSeed),
      ratio_(ratio),
      selection_(selection),
      subsetRng_(dataSeed ^ 0x5b5e7ULL),
      all_(poolSize) {
  std::iota(all_.begin(), all_.end(), 0);
}

void RandomSubsetTeacher::nextBatch(Learner&, long step, int batchSize, std::vector<int>& batch) {
  if (step >= nextSelection_ || subset_.empty()) {
    ratioNow_ = ratio_.at(step);
    const int k = subsetSize(ratioNow_, poolSize_);
    // Partial Fisher-Yates: the first k of a shuffle are a uniform k-subset.
    for (int i = 0; i < k; ++i) std::swap(all_[i], all_[i + subsetRng_.below(poolSize_ - i)]);
    subset_.assign(all_.begin(), all_.begin() + k);
    order_.clear();
    cursor_ = 0;
    lastSelection_ = step;
    nextSelection_ = step + selection_.intervalAfter(step);
  }
  drawFrom(subset_, batchSize, batch);
}

TeacherView RandomSubsetTeacher::view(Learner& learner, int maxPicks) const {
  TeacherView v = Teacher::view(learner, maxPicks);
  v.ratioSchedule = sampleSchedule(ratio_);
  v.lastSelectionStep = lastSelection_;
  return v;
}

void RandomSubsetTeacher::save(ByteWriter& w) const {
  Teacher::save(w);
  subsetRng_.save(w);
  w.putArray<std::int32_t>(subset_);
  w.putArray<std::int32_t>(all_);
  w.put<std::int64_t>(nextSelection_);
  w.put<std::int64_t>(lastSelection_);
  w.put<double>(ratioNow_);
}

void RandomSubsetTeacher::restore(ByteReader& in) {
  Teacher::restore(in);
  subsetRng_.restore(in);
  subset_ = in.getArray<std::int32_t, int>("subset");
  checkIndices(in, subset_, "subset");
  auto all = in.getArray<std::int32_t, int>("subset permutation");
  if (all.size() != all_.size()) in.fail("subset permutation does not match the pool");
  checkIndices(in, all, "subset permutation");
  all_ = std::move(all);
  nextSelection_ = long(in.get<std::int64_t>("next selection"));
  lastSelection_ = long(in.get<std::int64_t>("last selection"));
  ratioNow_ = in.get<double>("ratio");
}

// ---- AtteNTTeacher

AtteNTTeacher::AtteNTTeacher(int poolSize, std::uint64_t dataSeed, AtteNTConfig config)
    : Teacher(poolSize, dataSeed),
      config_(config),
      gumbelRng_(dataSeed ^ 0x6a09e667ULL),
      scores_(std::size_t(std::max(0, poolSize)), kNoValue),
      losses_(scores_.size(), kNoValue) {
  config_.chunk = std::max(1, config_.chunk);
  chunkIndex_.reserve(std::size_t(config_.chunk));
  chunkOut_.resize(std::size_t(config_.chunk));
}

void AtteNTTeacher::scorePool(Learner& learner) {
  for (int start = 0; start < poolSize_; start += config_.chunk) {
    const int n = std::min(config_.chunk, poolSize_ - start);
    chunkIndex_.resize(std::size_t(n));
    std::iota(chunkIndex_.begin(), chunkIndex_.end(), start);
    learner.forward(Split::Pool, chunkIndex_, chunkOut_, false);
    for (int i = 0; i < n; ++i) {
      losses_[start + i] = chunkOut_.loss[i];
      scores_[start + i] = config_.score == ScoreKind::Loss ? chunkOut_.loss[i] : chunkOut_.gradNorm[i];
    }
    scored_ += n;
  }
}

void AtteNTTeacher::nextBatch(Learner& learner, long step, int batchSize, std::vector<int>& batch) {
  if (step >= nextSelection_ || subset_.empty()) {
    ratioNow_ = config_.ratio.at(step);
    const int k = subsetSize(ratioNow_, poolSize_);
    if (k >= poolSize_) {
      // The whole pool (hard or Gumbel-top-N alike): nothing to choose, so skip the scoring forward.
      subset_.resize(std::size_t(poolSize_));
      std::iota(subset_.begin(), subset_.end(), 0);
    } else {
      scorePool(learner);
      subset_ = config_.soft ? gumbelTopK(scores_, k, config_.tau, gumbelRng_) : topK(scores_, k);
    }
    order_.clear();
    cursor_ = 0;
    lastSelection_ = step;
    nextSelection_ = step + config_.selection.intervalAfter(step);
  }
  drawFrom(subset_, batchSize, batch);
}

TeacherView AtteNTTeacher::view(Learner& learner, int maxPicks) const {
  TeacherView v = Teacher::view(learner, maxPicks);
  v.poolScores = scores_;
  v.ratioSchedule = sampleSchedule(config_.ratio);
  v.lastSelectionStep = lastSelection_;
  float lowest = INFINITY;
  for (int i : subset_)
    if (std::isfinite(scores_[i])) lowest = std::min(lowest, scores_[i]);
  v.threshold = std::isfinite(lowest) ? lowest : kNoValue;
  v.picks = rankedPicks(learner, scores_, subset_, maxPicks, losses_, timesPicked_);
  return v;
}

// A soft subset is re-ranked by score for the view.
std::vector<TeacherPick> rankedPicks(Learner& learner, const std::vector<float>& scores,
                                     const std::vector<int>& subset, int maxPicks,
                                     const std::vector<float>& losses, const std::vector<int>& timesPicked) {
  std::vector<TeacherPick> picks;
  if (scores.empty()) return picks;
  std::vector<float> inSubset(scores.size(), kNoValue);
  for (int i : subset) inSubset[i] = std::isnan(scores[i]) ? -INFINITY : scores[i];
  const auto top = topK(inSubset, std::min<int>(maxPicks, int(subset.size())));
  const Task& task = learner.task();
  for (std::size_t r = 0; r < top.size(); ++r) {
    TeacherPick p;
    p.index = top[r];
    p.rank = int(r);
    p.score = scores[p.index];
    p.loss = losses.empty() ? p.score : losses[p.index];
    p.timesPicked = timesPicked.empty() ? 0 : timesPicked[p.index];
    p.example = task.render(Split::Pool, p.index);
    p.tokenLosses = learner.tokenLosses(Split::Pool, p.index);
    picks.push_back(std::move(p));
  }
  return picks;
}

void AtteNTTeacher::save(ByteWriter& w) const {
  Teacher::save(w);
  gumbelRng_.save(w);
  w.putFloats(scores_);
  w.putFloats(losses_);
  w.putArray<std::int32_t>(subset_);
  w.put<std::int64_t>(nextSelection_);
  w.put<std::int64_t>(lastSelection_);
  w.put<double>(ratioNow_);
}

void AtteNTTeacher::restore(ByteReader& in) {
  Teacher::restore(in);
  gumbelRng_.restore(in);
  auto scores = in.getFloats("pool scores");
  auto losses = in.getFloats("pool losses");
  if (scores.size() != scores_.size() || losses.size() != losses_.size())
    in.fail("pool scores do not match the pool size");
  scores_ = std::move(scores);
  losses_ = std::move(losses);
  subset_ = in.getArray<std::int32_t, int>("subset");
  checkIndices(in, subset_, "subset");
  nextSelection_ = long(in.get<std::int64_t>("next selection"));
  lastSelection_ = long(in.get<std::int64_t>("last selection"));
  ratioNow_ = in.get<double>("ratio");
}

std::vector<std::pair<long, double>> sampleSchedule(const RatioSchedule& s, int points) {
  std::vector<std::pair<long, double>> out;
  points = std::max(2, points);
  for (int i = 0; i < points; ++i) {
    const long step = long(std::llround(double(s.totalSteps) * i / (points - 1)));
    out.emplace_back(step, s.at(step));
  }
  return out;
}

}  // namespace attent

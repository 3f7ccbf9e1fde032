#pragma once
// Teachers decide which pool examples the next training step sees (docs/SCIENCE.md section 1).
//   RandomTeacher        uniform minibatches from the whole pool (epoch-wise shuffles).
//   RandomSubsetTeacher  a uniformly random subset of the size AtteNT would select, same
//                        ratio schedule and selection steps; minibatches from the subset.
//   AtteNTTeacher        scores the whole pool with a no-grad forward (mean loss or
//                        functional-gradient magnitude), keeps the top ceil(r_t N) (hard) or
//                        a Gumbel-top-k sample of softmax(score / tau) (soft), and draws
//                        minibatches from that subset until the next selection.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/rng.h"
#include "engine/learners/learner.h"
#include "engine/teach/snapshot.h"

namespace attent {

enum class RatioShape { Constant, Linear, Cosine, Step };
enum class IntervalKind { Dense, Fixed, Incremental };
enum class ScoreKind { Loss, GradNorm };

// r_t from ratioStart to ratioEnd over totalSteps. Constant stays at ratioStart; Step rises
// in 10 equal stages (stage s of 0..9 has ratioStart + (ratioEnd - ratioStart) * s / 9).
struct RatioSchedule {
  RatioShape shape = RatioShape::Linear;
  double ratioStart = 0.2, ratioEnd = 0.8;
  long totalSteps = 1;
  double at(long step) const;
};

// When the teacher re-selects. Dense: every step. Fixed: every `every` steps.
// Incremental: every step for the first 25% of the run, then the gap widens linearly
// from 1 to `maxInterval` steps at the end of the run.
struct SelectionSchedule {
  IntervalKind kind = IntervalKind::Incremental;
  long every = 10;
  long maxInterval = 50;
  long totalSteps = 1;
  // Steps until the selection after one made at `step`.
  long intervalAfter(long step) const;
};

// Indices of the k largest scores, highest first (ties: lower index first; NaN last).
std::vector<int> topK(std::span<const float> scores, int k);
// Gumbel-top-k: k distinct indices sampled without replacement, each draw proportional to
// softmax(score / tau) over those not yet drawn (Plackett-Luce). Highest key first.
std::vector<int> gumbelTopK(std::span<const float> scores, int k, double tau, Rng& rng);

struct AtteNTConfig {
  ScoreKind score = ScoreKind::Loss;
  RatioSchedule ratio;
  SelectionSchedule selection;
  bool soft = false;  // Gumbel-top-k instead of hard top-k
  double tau = 1.0;
  int chunk = 256;  // examples per scoring forward
};

class Teacher {
 public:
  virtual ~Teacher() = default;
  virtual std::string kind() const = 0;
  // Fills `batch` with `batchSize` pool indices for 0-based `step` (batchSize <= 0: the whole
  // current subset, as full-batch training does). May run no-grad forwards on `learner`
  // (scoring); the caller times this call as part of the run's compute.
  virtual void nextBatch(Learner& learner, long step, int batchSize, std::vector<int>& batch) = 0;
  // Fraction of the pool minibatches currently come from.
  virtual double ratio() const { return 1.0; }
  // What the teacher view shows; `maxPicks` of the current subset, rendered.
  virtual TeacherView view(Learner& learner, int maxPicks) const;
  // The epoch-budget teachers plan their own length: a finished teacher gives no more batches,
  // and its progress through the plan (0..1, before the next batch) drives the learning rate.
  virtual bool finished() const { return false; }
  virtual std::optional<double> progress() const { return std::nullopt; }
  // Epochs completed so far, fractional; NaN for teachers without epochs.
  virtual double epoch() const { return kNoValue; }
  // The losses of the batch just trained (the LLM form selects by them, with no extra pass).
  virtual void observe(const std::vector<int>& /*batch*/, const ForwardOutputs& /*out*/) {}
  // Compute seconds spent scoring, where the teacher times it (the epoch-budget teachers).
  virtual double scoringSeconds() const { return 0; }
  // Forward passes (examples) spent on scoring so far.
  long scoredExamples() const { return scored_; }
  const std::vector<int>& timesPicked() const { return timesPicked_; }

  // Experiment files: the kind, then the state carried between steps, so a restored teacher
  // picks exactly what it would have. A subclass with state of its own overrides both and
  // calls the base first. restore() throws InputError through `in` when the bytes do not fit.
  virtual void save(ByteWriter& w) const;
  virtual void restore(ByteReader& in);

 protected:
  explicit Teacher(int poolSize, std::uint64_t dataSeed);
  // Draws `batch` from `subset` in shuffled passes (reshuffled when exhausted).
  void drawFrom(const std::vector<int>& subset, int batchSize, std::vector<int>& batch);
  // Fails `in` when `indices` (read as `field`) holds one outside the pool.
  void checkIndices(const ByteReader& in, const std::vector<int>& indices, const char* field) const;
  int poolSize_;
  Rng rng_;
  std::vector<int> order_;
  std::size_t cursor_ = 0;
  std::vector<int> timesPicked_;
  long scored_ = 0;
};

class RandomTeacher : public Teacher {
 public:
  RandomTeacher(int poolSize, std::uint64_t dataSeed);
  std::string kind() const override { return "random"; }
  void nextBatch(Learner& learner, long step, int batchSize, std::vector<int>& batch) override;

 private:
  std::vector<int> all_;  // 0..poolSize-1, never changed: the base's state is all it saves
};

class RandomSubsetTeacher : public Teacher {
 public:
  RandomSubsetTeacher(int poolSize, std::uint64_t dataSeed, RatioSchedule ratio, SelectionSchedule selection);
  std::string kind() const override { return "random-subset"; }
  void nextBatch(Learner& learner, long step, int batchSize, std::vector<int>& batch) override;
  double ratio() const override { return ratioNow_; }
  TeacherView view(Learner& learner, int maxPicks) const override;
  const std::vector<int>& subset() const { return subset_; }
  void save(ByteWriter& w) const override;
  void restore(ByteReader& in) override;

 private:
  RatioSchedule ratio_;
  SelectionSchedule selection_;
  Rng subsetRng_;
  std::vector<int> subset_, all_;
  long nextSelection_ = 0, lastSelection_ = -1;
  double ratioNow_ = 1.0;
};

class AtteNTTeacher : public Teacher {
 public:
  AtteNTTeacher(int poolSize, std::uint64_t dataSeed, AtteNTConfig config);
  std::string kind() const override { return "attent"; }
  void nextBatch(Learner& learner, long step, int batchSize, std::vector<int>& batch) override;
  double ratio() const override { return ratioNow_; }
  TeacherView view(Learner& learner, int maxPicks) const override;
  const std::vector<int>& subset() const { return subset_; }  // highest score first (hard)
  const std::vector<float>& scores() const { return scores_; }
  const AtteNTConfig& config() const { return config_; }
  // Scores every pool example (exposed for tests and the view's refresh).
  void scorePool(Learner& learner);
  void save(ByteWriter& w) const override;
  void restore(ByteReader& in) override;

 private:
  AtteNTConfig config_;
  Rng gumbelRng_;
  std::vector<float> scores_, losses_;
  std::vector<int> subset_, chunkIndex_;
  ForwardOutputs chunkOut_;
  long nextSelection_ = 0, lastSelection_ = -1;
  double ratioNow_ = 1.0;
};

// (step, ratio) samples over a run, for the view's schedule plot.
std::vector<std::pair<long, double>> sampleSchedule(const RatioSchedule& schedule, int points = 100);
// The picks view's list: the `subset`'s highest scorers, ranked, each rendered by the task.
// `losses` and `timesPicked` (parallel to `scores`) may be empty.
std::vector<TeacherPick> rankedPicks(Learner& learner, const std::vector<float>& scores,
                                     const std::vector<int>& subset, int maxPicks,
                                     const std::vector<float>& losses = {},
                                     const std::vector<int>& timesPicked = {});

}  // namespace attent

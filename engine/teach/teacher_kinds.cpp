// The built-in teacher kinds and the teacher.* settings they read.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/core/input_error.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

namespace attent {

using S = SettingSpec;

// Defaults tuned on the digits training pool (docs/RESULTS.md): soft selection (tau 0.25) of
// half the pool, re-selected every 100 steps. The paper's ViT schedule is
// ratio_start 0.2, ratio_end 0.8, interval incremental, selection hard.
std::vector<SettingSpec> teacherSettingSpecs() {
  return {
      S::choice("teacher.score", "loss", {"loss", "gradnorm"},
                "AtteNT's score: per-example mean loss, or functional-gradient magnitude ||p - e_y||."),
      S::real("teacher.ratio_start", 0.5, 0.001, 1.0, "Fraction of the pool selected at the start."),
      S::real("teacher.ratio_end", 0.5, 0.001, 1.0, "Fraction of the pool selected at the end."),
      S::choice("teacher.schedule", "constant", {"constant", "linear", "cosine", "step"},
                "How the ratio goes from start to end (step: 10 stages; constant: stays at start)."),
      S::choice("teacher.interval", "fixed", {"dense", "fixed", "incremental"},
                "When to re-select: every step, every teacher.every steps, or every step for the first "
                "25% then widening to teacher.max_interval."),
      S::integer("teacher.every", 100, 1, 1000000, "Steps between selections (fixed interval)."),
      S::integer("teacher.max_interval", 50, 1, 1000000, "Widest gap between selections (incremental)."),
      S::choice("teacher.selection", "soft", {"hard", "soft"},
                "hard: the top-k scores; soft: Gumbel-top-k, sampling proportional to softmax(score / tau)."),
      S::real("teacher.tau", 0.25, 1e-6, 1e6, "Temperature of soft selection."),
      S::integer("teacher.chunk", 256, 1, 1000000, "Examples per scoring forward."),
      S::boolean("teacher.random_subset", false,
                 "Also run the random-subset baseline (a random subset of AtteNT's current size)."),
  };
}

AtteNTConfig atteNTConfig(const Settings& s, long totalSteps) {
  AtteNTConfig c;
  c.score =
      choiceOf<ScoreKind>(s, "teacher.score", {{"loss", ScoreKind::Loss}, {"gradnorm", ScoreKind::GradNorm}});
  c.ratio.shape = choiceOf<RatioShape>(s, "teacher.schedule",
                                       {{"constant", RatioShape::Constant},
                                        {"linear", RatioShape::Linear},
                                        {"cosine", RatioShape::Cosine},
                                        {"step", RatioShape::Step}});
  c.ratio.ratioStart = s.real("teacher.ratio_start");
  c.ratio.ratioEnd = s.real("teacher.ratio_end");
  c.ratio.totalSteps = totalSteps;
  c.selection.kind = choiceOf<IntervalKind>(s, "teacher.interval",
                                            {{"dense", IntervalKind::Dense},
                                             {"fixed", IntervalKind::Fixed},
                                             {"incremental", IntervalKind::Incremental}});
  c.selection.every = s.integer("teacher.every");
  c.selection.maxInterval = s.integer("teacher.max_interval");
  c.selection.totalSteps = totalSteps;
  c.soft = choiceOf<bool>(s, "teacher.selection", {{"hard", false}, {"soft", true}});
  c.tau = s.real("teacher.tau");
  c.chunk = int(s.integer("teacher.chunk"));
  return c;
}

std::unique_ptr<Teacher> makeTeacher(const std::string& kind, const Settings& s, int poolSize,
                                     std::uint64_t dataSeed, long totalSteps, int batchSize) {
  return teacherKindRegistry().get(kind).make({s, poolSize, dataSeed, totalSteps, batchSize});
}

void requireSubsetHoldsABatch(const TeacherSetup& t, double ratio, const std::string& key) {
  const int pool = t.poolSize, batch = t.batchSize;
  const int kept = std::clamp(int(std::ceil(std::clamp(ratio, 0.0, 1.0) * pool - 1e-9)), 1, std::max(1, pool));
  if (batch <= 0 || kept >= pool || kept >= batch) return;  // full batches, or nothing left out
  std::string batchKey = "the batch size";
  for (const char* k : {"train.batch", "scb.batch", "mosaic.batch", "topic.batch"})
    if (t.settings.has(k)) batchKey = k;
  std::ostringstream m;
  m << key << "=" << ratio << " keeps " << kept << " of the pool's " << pool << " examples, fewer than one batch ("
    << batchKey << "=" << batch << "): every batch would repeat the same few examples. ";
  if (batch < pool)
    m << "Raise " << key << " to at least " << std::ceil(1000.0 * batch / pool) / 1000 << " or lower " << batchKey;
  else
    m << "Lower " << batchKey << " below the pool's " << pool << " examples";
  throw SettingsError(m.str());
}

namespace {

// The smallest fraction the ratio schedule keeps over the run, and the setting that sets it.
std::pair<double, std::string> smallestRatio(const AtteNTConfig& c) {
  if (c.ratio.shape == RatioShape::Constant || c.ratio.ratioStart <= c.ratio.ratioEnd)
    return {c.ratio.ratioStart, "teacher.ratio_start"};
  return {c.ratio.ratioEnd, "teacher.ratio_end"};
}

class RandomTeacherKind : public TeacherKind {
 public:
  std::string name() const override { return "random"; }
  std::unique_ptr<Teacher> make(const TeacherSetup& t) const override {
    return std::make_unique<RandomTeacher>(t.poolSize, t.dataSeed);
  }
};

class RandomSubsetTeacherKind : public TeacherKind {
 public:
  std::string name() const override { return "random-subset"; }
  std::unique_ptr<Teacher> make(const TeacherSetup& t) const override {
    const AtteNTConfig c = atteNTConfig(t.settings, t.totalSteps);
    const auto [ratio, key] = smallestRatio(c);
    requireSubsetHoldsABatch(t, ratio, key);
    return std::make_unique<RandomSubsetTeacher>(t.poolSize, t.dataSeed, c.ratio, c.selection);
  }
};

class AtteNTTeacherKind : public TeacherKind {
 public:
  std::string name() const override { return "attent"; }
  std::string randomSubsetControl() const override { return "random-subset"; }
  std::unique_ptr<Teacher> make(const TeacherSetup& t) const override {
    const AtteNTConfig c = atteNTConfig(t.settings, t.totalSteps);
    const auto [ratio, key] = smallestRatio(c);
    requireSubsetHoldsABatch(t, ratio, key);
    return std::make_unique<AtteNTTeacher>(t.poolSize, t.dataSeed, c);
  }
};

}  // namespace

std::unique_ptr<TeacherKind> randomTeacherKind() { return std::make_unique<RandomTeacherKind>(); }
std::unique_ptr<TeacherKind> randomSubsetTeacherKind() { return std::make_unique<RandomSubsetTeacherKind>(); }
std::unique_ptr<TeacherKind> atteNTTeacherKind() { return std::make_unique<AtteNTTeacherKind>(); }

}  // namespace attent

#pragma once
// The teachers of the epoch-budget protocol's arms (docs/SCIENCE.md section 1). Each walks a
// plan of epochs (epoch_plan.h) in shuffled minibatches of the run's batch size (the last of
// an epoch may be smaller), so an epoch over a subset takes fewer steps:
//   full        every epoch over the whole pool;
//   attent      the plan, subsets chosen by score (hard top-k or soft Gumbel-top-k);
//   random      the plan, subsets chosen uniformly at random;
//   short-full  the whole pool, for exactly the examples the plan trains on.
#include <memory>

#include "engine/teach/epoch_plan.h"
#include "engine/teach/teacher.h"

namespace attent {

enum class EpochArm { Full, Attent, RandomSubset, ShortFull };

class EpochTeacher : public Teacher {
 public:
  // `scorer` scores the pool for the attent arm (ViT form); its own selection is unused.
  EpochTeacher(EpochArm arm, const EpochPlanConfig& plan, const AtteNTConfig& scorer, int poolSize,
               std::uint64_t dataSeed);
  std::string kind() const override;
  void nextBatch(Learner& learner, long step, int batchSize, std::vector<int>& batch) override;
  void observe(const std::vector<int>& batch, const ForwardOutputs& out) override;
  bool finished() const override { return examplesDone_ >= examplesTotal_; }
  std::optional<double> progress() const override;
  double epoch() const override;
  double ratio() const override { return ratioNow_; }
  TeacherView view(Learner& learner, int maxPicks) const override;
  double scoringSeconds() const override { return scoringSeconds_; }
  // The plan comes from the settings; saved is where the teacher is in it.
  void save(ByteWriter& w) const override;
  void restore(ByteReader& in) override;

  const std::vector<EpochPhase>& plan() const { return plan_; }
  long plannedExamples() const { return examplesTotal_; }
  // Steps the plan takes with minibatches of `batchSize`.
  long plannedSteps(int batchSize) const;
  const std::vector<int>& subset() const { return subset_; }

 private:
  void startEpoch(Learner& learner);
  // Chooses a new subset of k and measures its overlap with the one before.
  void select(Learner& learner, int k);
  void choose(Learner& learner, int k);
  std::vector<std::pair<long, double>> ratioSteps(int batchSize) const;
  EpochArm arm_;
  EpochPlanConfig config_;
  std::vector<EpochPhase> plan_;
  AtteNTTeacher scorer_;
  Rng pickRng_;
  std::vector<float> trainLosses_;  // LLM form: each example's loss in epoch 1
  std::vector<int> subset_, epochOrder_;
  std::size_t epochPos_ = 0;
  int epoch_ = 0;              // 0-based index of the current epoch
  bool recordLosses_ = false;  // the last batch came from epoch 1
  long examplesDone_ = 0, examplesTotal_ = 0;
  double ratioNow_ = 1.0;
  double scoringSeconds_ = 0;
  double overlap_ = kNoValue;  // of the current subset with the previous one
  int batchSize_ = 0;          // the run's, seen at the last batch; only for the view
};

}  // namespace attent

#pragma once
// A Run: one learner, its optimiser(s), its teacher, its own compute clock (which includes
// the teacher's scoring forwards) and its compact metric history.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/core/optimizer.h"
#include "engine/learners/learner.h"
#include "engine/teach/snapshot.h"
#include "engine/teach/teacher.h"

namespace attent {

struct RunConfig {
  std::string name;
  // One entry: every group uses it. Several: entry g drives parameter group g.
  std::vector<OptimizerSettings> optimizers{OptimizerSettings{}};
  LrSchedule lr;
  // From 0-based step switchStep on, optimizersAfterSwitch replace optimizers (the mosaic
  // hybrid moves from SA's learning rate to HA's with its loss). -1: never.
  long switchStep = -1;
  std::vector<OptimizerSettings> optimizersAfterSwitch;
  double clip = 0;  // global gradient-norm clip, <= 0: off
  // The compute clock: CPU seconds of this process (all its threads) spent in the run's steps,
  // so other programs on a shared machine do not inflate it; or wall-clock seconds.
  bool wallClock = false;
  int batchSize = 32;  // <= 0: full batch (the whole pool, or the teacher's whole subset)
  RunRole role = RunRole::Other;
};

class Run {
 public:
  Run(RunConfig config, std::unique_ptr<Learner> learner, std::unique_ptr<Teacher> teacher);

  const std::string& name() const { return config_.name; }
  const RunConfig& config() const { return config_; }
  Learner& learner() { return *learner_; }
  Teacher& teacher() { return *teacher_; }

  // One training step (0-based `step`): teacher picks, forward/backward, clip, update.
  // A NaN/Inf in loss, gradients or weights marks the run diverged at step + 1.
  void trainStep(long step);
  // Mean loss and accuracy (NaN where it has no meaning) over the first `count` held-out
  // examples (count <= 0: all). Not charged to the compute clock: it is measurement.
  std::pair<float, float> evaluate(int count, int chunk = 256, Split split = Split::HeldOut);
  // Appends a history point for `stepsDone`, with the train loss averaged since the last one.
  void record(long stepsDone, float evalLoss, float evalAccuracy);

  std::optional<long> divergedAt() const { return divergedAt_; }
  double computeSeconds() const { return computeSeconds_; }
  long examplesSeen() const { return examplesSeen_; }
  const std::vector<MetricPoint>& history() const { return history_; }
  float lastTrainLoss() const { return lastTrainLoss_; }

  // Experiment files: the name, clock, counters, pending train-loss average and history,
  // then the learner's and the teacher's own state. Workspaces are not saved; each step
  // overwrites them before reading. restore() throws InputError through `in` when the bytes
  // were saved by another run.
  void save(ByteWriter& w) const;
  void restore(ByteReader& in);

 private:
  RunConfig config_;
  std::unique_ptr<Learner> learner_;
  std::unique_ptr<Teacher> teacher_;
  std::vector<int> batch_, evalIndex_;
  ForwardOutputs out_, evalOut_;
  std::optional<long> divergedAt_;
  double computeSeconds_ = 0;
  long examplesSeen_ = 0;
  double trainLossSum_ = 0;
  long trainLossCount_ = 0;
  float lastTrainLoss_ = kNoValue;
  std::vector<MetricPoint> history_;
};

// Copies `from`'s parameter values into `to` when both have the same views (names and
// sizes); returns whether it did. Runs of one experiment start from identical weights.
bool copyWeights(const Parameters<float>& from, Parameters<float>& to);

}  // namespace attent

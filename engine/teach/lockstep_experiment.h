#pragma once
// The Experiment every kind builds: runs stepped in lockstep, each logging its train loss
// averaged over `logEvery` steps and evaluating on held-out data every `evalEvery` steps
// (and at step 0 and the last step). History grows with steps / logEvery only.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "engine/teach/experiment.h"
#include "engine/teach/run.h"

namespace attent {

struct LockstepOptions {
  long totalSteps = 1000;
  long stopStep = 0;  // > 0: every run stops here, before totalSteps (schedules keep totalSteps)
  long evalEvery = 50;
  long logEvery = 10;
  int evalExamples = 0;  // <= 0: the whole held-out set
  // Tuning evaluates on the training pool so the held-out set stays unseen until the end.
  Split evalSplit = Split::HeldOut;
  int baselineRun = -1;  // time-to-target baseline
  std::optional<double> targetEvalLoss;
  int maxPicks = 12;                // teacher picks rendered per snapshot
  bool shareInitialWeights = true;  // false: runs keep their own starts (transfer vs scratch)
  // What a kind detects in a run's diagnostics history, by the scalar key it marks (SCB: the
  // plateau's end and the fastest fall, on the errors); sent in every snapshot.
  std::function<DiagnosticMarkers(const std::vector<DiagnosticsPoint>&)> detectMarkers;
};

class LockstepExperiment : public Experiment {
 public:
  // `keepAlive` owns whatever the learners refer to (the task, a pretraining task, ...).
  LockstepExperiment(Settings settings, LockstepOptions options, std::vector<std::unique_ptr<Run>> runs,
                     std::shared_ptr<const void> keepAlive = {});

  const Settings& settings() const override { return settings_; }
  int runCount() const override { return int(runs_.size()); }
  std::string runName(int run) const override { return runs_[run]->name(); }
  RunRole runRole(int run) const override { return runs_[run]->config().role; }
  long currentStep() const override { return step_; }
  long totalSteps() const override { return options_.totalSteps; }
  void step() override;
  const std::vector<MetricPoint>& history(int run) const override { return runs_[run]->history(); }
  std::optional<long> divergedAt(int run) const override { return runs_[run]->divergedAt(); }
  int baselineRun() const override { return options_.baselineRun; }
  std::pair<long, double> scoringCost(int run) const override {
    return {runs_[run]->teacher().scoredExamples(), runs_[run]->teacher().scoringSeconds()};
  }
  std::optional<double> fixedTargetEvalLoss() const override { return options_.targetEvalLoss; }
  const std::vector<DiagnosticsPoint>& diagnosticsHistory(int run) const override {
    return diagnostics_[std::size_t(run)];
  }

  // The step, then every run in order (Run::save).
  void save(ByteWriter& w) const override;
  void restore(ByteReader& in) override;
  std::vector<RunStateInfo> runStates() const override;
  Learner* learner(int run) override;

  Run& run(int i) { return *runs_[i]; }
  const LockstepOptions& options() const { return options_; }

 protected:
  Snapshot copyOut(Split split, int probe, const std::vector<std::size_t>& since) const override;

 private:
  void measure(Run& run);  // evaluation and/or log point for the current step
  void recordDiagnostics(Run& run);
  Settings settings_;
  LockstepOptions options_;
  std::vector<std::unique_ptr<Run>> runs_;
  std::vector<std::vector<DiagnosticsPoint>> diagnostics_;  // per run, one per evaluation
  std::shared_ptr<const void> keepAlive_;
  long step_ = 0;
};

}  // namespace attent

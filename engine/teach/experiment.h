#pragma once
// An Experiment: several runs built from identical initial weights and identical
// data-order seeds, stepped in lockstep, with held-out evaluation and time-to-target.
// Owned by exactly one thread (the worker, or the headless `run`).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/teach/snapshot.h"

namespace attent {

class Experiment {
 public:
  virtual ~Experiment() = default;
  virtual const Settings& settings() const = 0;
  virtual int runCount() const = 0;
  virtual std::string runName(int run) const = 0;
  virtual long currentStep() const = 0;
  virtual long totalSteps() const = 0;
  // One lockstep step of every run that has not diverged.
  virtual void step() = 0;
  // The full metric history of one run (for metrics.csv and the charts' reloads).
  virtual const std::vector<MetricPoint>& history(int run) const = 0;
  // Copies out what the views show. Metric points are the ones added since the previous
  // call; attention and picks are for held-out example `probe`.
  virtual Snapshot snapshot(int probe) = 0;

  // Like snapshot(probe), with the probe taken from `split`: the pool shows the attention
  // maps of an example the teacher picked. The default knows held-out probes only.
  virtual Snapshot snapshotOf(Split /*split*/, int probe) { return snapshot(probe); }

  // Added by the teacher layer (compatible extensions, defaults keep old implementations valid):
  // the step after which run `run` stopped on a NaN/Inf, if it did.
  virtual std::optional<long> divergedAt(int /*run*/) const { return std::nullopt; }
  // The run time-to-target compares against (the "random" run), or -1 for none.
  virtual int baselineRun() const { return -1; }
  // A target eval loss the user set; empty: the baseline run's final eval loss.
  virtual std::optional<double> fixedTargetEvalLoss() const { return std::nullopt; }
  // Every run has reached totalSteps() or diverged.
  bool finished() const { return currentStep() >= totalSteps(); }
};

// Settings every experiment kind understands, with defaults, for `kind`
// (topic-words, scb, scb-transfer, mosaic, digits-vit, text-lm, text-lm-finetune, csv-classify).
// Throws SettingsError for an unknown kind.
Settings experimentSettings(const std::string& kind);
std::vector<std::string> experimentKinds();

// Builds a ready-to-step experiment; throws SettingsError (impossible settings) or
// InputError (a data file the user named is bad).
std::unique_ptr<Experiment> buildExperiment(const std::string& kind, const Settings& settings,
                                            std::uint64_t seed);

}  // namespace attent

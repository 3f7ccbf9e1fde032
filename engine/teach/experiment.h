#pragma once
// An Experiment: several runs built from identical initial weights and identical
// data-order seeds, stepped in lockstep, with held-out evaluation and time-to-target.
// Owned by exactly one thread (the worker, or the headless `run`).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/teach/snapshot.h"

namespace attent {

class ByteReader;
class ByteWriter;
class Learner;

// What `info` and the window show about a run, without the bytes.
struct RunStateInfo {
  std::string name, learner, teacher;
  std::size_t parameters = 0, tensors = 0, historyPoints = 0;
  long examplesSeen = 0;
  double computeSeconds = 0;
  std::optional<long> divergedAt;
};

// A run's diagnostics (Learner::diagnostics()) at one evaluation, for the claims and
// diagnostics.csv.
struct DiagnosticsPoint {
  long step = 0;
  Diagnostics diagnostics;
};

class Experiment {
 public:
  virtual ~Experiment() = default;
  virtual const Settings& settings() const = 0;
  virtual int runCount() const = 0;
  virtual std::string runName(int run) const = 0;
  virtual RunRole runRole(int /*run*/) const { return RunRole::Other; }
  virtual long currentStep() const = 0;
  virtual long totalSteps() const = 0;
  // One lockstep step of every run that has not diverged.
  virtual void step() = 0;
  // The full metric history of one run (for metrics.csv and the charts' reloads).
  virtual const std::vector<MetricPoint>& history(int run) const = 0;
  // Copies out what the views show, changing nothing: attention and picks for example
  // `probe` of `split` (the pool: an example the teacher picked), each run's metric points
  // from index since[run] on (all of them where `since` has no entry; the caller keeps the
  // cursor), and the one summary of every run (summarize()).
  Snapshot snapshot(Split split, int probe, const std::vector<std::size_t>& since) const;
  Snapshot snapshot(int probe) const { return snapshot(Split::HeldOut, probe, {}); }

  // Added by the teacher layer (compatible extensions, defaults keep old implementations valid):
  // the step after which run `run` stopped on a NaN/Inf, if it did.
  virtual std::optional<long> divergedAt(int /*run*/) const { return std::nullopt; }
  // The run time-to-target compares against (the kind names it), or -1 for none.
  virtual int baselineRun() const { return -1; }
  // Examples run `run`'s teacher scored with no-grad forwards, and the compute seconds that took
  // (part of the run's compute seconds).
  virtual std::pair<long, double> scoringCost(int /*run*/) const { return {0, 0.0}; }
  // A target eval loss the user set; empty: the baseline run's final eval loss.
  virtual std::optional<double> fixedTargetEvalLoss() const { return std::nullopt; }
  // Run `run`'s diagnostics at every evaluation since the experiment was built (a restored
  // experiment starts afresh); empty for a learner without diagnostics.
  virtual const std::vector<DiagnosticsPoint>& diagnosticsHistory(int /*run*/) const {
    static const std::vector<DiagnosticsPoint> none;
    return none;
  }
  // Every run has reached totalSteps() or diverged.
  bool finished() const { return currentStep() >= totalSteps(); }

  // Experiment files (engine/persist/checkpoint.h): everything carried from one step to the
  // next. restore() reads into an experiment freshly built from the same kind, settings and
  // seed, after which it continues bit-exactly; it throws InputError through `in` when the
  // bytes do not fit. A kind that keeps no such state throws std::invalid_argument.
  virtual void save(ByteWriter& /*w*/) const {
    throw std::invalid_argument("this experiment cannot be saved (its kind saves no state)");
  }
  virtual void restore(ByteReader& /*in*/) {
    throw std::invalid_argument("this experiment cannot be restored (its kind saves no state)");
  }
  // One entry per run for the file's metadata; empty for a kind that saves no state.
  virtual std::vector<RunStateInfo> runStates() const { return {}; }
  // The learner of run `run`, for the weights export; nullptr when out of range or the kind
  // has no learners.
  virtual Learner* learner(int /*run*/) { return nullptr; }

 protected:
  // The kind's part of snapshot(): everything but the summaries.
  virtual Snapshot copyOut(Split split, int probe, const std::vector<std::size_t>& since) const = 0;
  // The points of run `run`'s history that `since` says the caller lacks.
  std::vector<MetricPoint> pointsSince(int run, const std::vector<std::size_t>& since) const;
};

// Settings every experiment kind understands, with defaults, for `kind`
// (topic-words, scb, scb-transfer, mosaic, digits-vit, text-lm, text-lm-finetune, csv-classify).
// Throws SettingsError for an unknown kind.
Settings experimentSettings(const std::string& kind);
std::vector<std::string> experimentKinds();

// Refuses a combination of settings that cannot work, found from the settings alone (the
// kind's check): throws SettingsError saying why. buildExperiment runs it first.
void checkExperimentSettings(const std::string& kind, const Settings& settings);

// Builds a ready-to-step experiment; throws SettingsError (impossible settings) or
// InputError (a data file the user named is bad).
std::unique_ptr<Experiment> buildExperiment(const std::string& kind, const Settings& settings,
                                            std::uint64_t seed);

}  // namespace attent

#pragma once
// Everything an experiment carries from one step to the next, as bytes: each run's four
// parameter buffers (values, gradients, both optimiser moments) with the view table, its
// compute clock, examples seen, pending train-loss average, divergence and metric history,
// its teacher's RNG states, data order, subset and scores, and learner step counters. The
// optimiser's step counter is the experiment's step. Restoring into an experiment freshly
// built from the same kind, settings and seed continues bit-exactly as if never stopped.
// Layout: docs/FORMATS.md ("EXPT section").
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/teach/experiment.h"

namespace attent {

class Learner;

// Throws std::invalid_argument when `e` is not a LockstepExperiment (nothing else is savable).
std::vector<std::uint8_t> saveExperimentState(const Experiment& e);
// Throws InputError (reason only; callers prefix the file) when the bytes do not fit `e`:
// other runs, other parameter shapes, truncated data. `e` is then half-restored: restore
// into a fresh experiment and swap it in only on success.
void restoreExperimentState(Experiment& e, std::span<const std::uint8_t> bytes);

// What `info` and the window show about a run, without the bytes.
struct RunStateInfo {
  std::string name, learner, teacher;
  std::size_t parameters = 0, tensors = 0, historyPoints = 0;
  long examplesSeen = 0;
  double computeSeconds = 0;
  std::optional<long> divergedAt;
};
std::vector<RunStateInfo> describeRuns(const Experiment& e);

// The learner of run `run` (nullptr when `e` is not a LockstepExperiment or run is out of range).
Learner* runLearner(Experiment& e, int run);

}  // namespace attent

#pragma once
// Everything an experiment carries from one step to the next, as bytes: each run's four
// parameter buffers (values, gradients, both optimiser moments) with the view table, its
// compute clock, examples seen, pending train-loss average, divergence and metric history,
// its teacher's RNG states, data order, subset and scores, and learner step counters. The
// optimiser's step counter is the experiment's step. Restoring into an experiment freshly
// built from the same kind, settings and seed continues bit-exactly as if never stopped.
// Each class writes its own part (Experiment::save and what it calls); layout:
// docs/FORMATS.md ("EXPT section").
#include <cstdint>
#include <span>
#include <vector>

#include "engine/teach/experiment.h"

namespace attent {

// Throws std::invalid_argument when `e`'s kind saves no state.
std::vector<std::uint8_t> saveExperimentState(const Experiment& e);
// Throws InputError (reason only; callers prefix the file) when the bytes do not fit `e`:
// other runs, other parameter shapes, truncated data, bytes left over. `e` is then
// half-restored: restore into a fresh experiment and swap it in only on success.
void restoreExperimentState(Experiment& e, std::span<const std::uint8_t> bytes);

}  // namespace attent

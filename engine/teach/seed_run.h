#pragma once
// One seed of a multi-seed run, trained to its end: what `run` does per seed and what the
// window's verdict over seeds does in its own thread, so both give the same numbers.
#include <cstdint>
#include <functional>
#include <memory>

#include "engine/teach/experiment.h"

namespace attent {

// Builds the experiment for `seed` (the kind and settings are the caller's).
using SeedBuilder = std::function<std::unique_ptr<Experiment>(std::uint64_t seed)>;
// Called once the experiment is built (step 0) and after every step; false stops training.
using SeedObserver = std::function<bool(const Experiment&)>;

// The finished experiment of `seed`, or nullptr when `observe` stopped it. Throws what the
// build or a step throws.
std::unique_ptr<Experiment> trainSeed(const SeedBuilder& build, std::uint64_t seed,
                                      const SeedObserver& observe);

}  // namespace attent

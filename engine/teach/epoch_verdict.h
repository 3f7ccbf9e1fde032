#pragma once
// The verdict of the epoch-budget protocol over paired seeds (docs/SCIENCE.md section 1):
// the compute saving of attent against full, and the held-out accuracy and loss differences
// attent - full, attent - random-subset, attent - short-full, each with a paired bootstrap 95%
// interval over seeds (resampling whole seeds, so every arm of a seed stays together).
#include <cstdint>
#include <string>
#include <vector>

#include "engine/teach/experiment.h"
#include "engine/teach/statistics.h"

namespace attent {

struct ArmOutcome {
  std::string name;
  double cpuSeconds = 0;      // the run's compute seconds, scoring included
  long trainedExamples = 0;   // examples trained on (forward + backward)
  long scoredExamples = 0;    // examples scored by no-grad forwards
  double scoringSeconds = 0;  // part of cpuSeconds
  double finalEvalLoss = 0, finalEvalAccuracy = 0;
};

struct SeedOutcome {
  long seed = 0;
  std::vector<ArmOutcome> arms;  // full, attent, random-subset, short-full
};

struct EpochVerdict {
  int seeds = 0;
  Interval cpuSaving;         // 1 - attent / full CPU seconds, median over seeds
  Interval equivalentSaving;  // 1 - attent / full example-equivalents
  double scoreCost = 0;       // a scored example's cost in trained examples (median, measured)
  Interval accuracyVsFull, accuracyVsRandom, accuracyVsShort;  // attent - arm, mean over seeds
  Interval lossVsFull, lossVsRandom, lossVsShort;
  // What the intervals summarise, one value per seed in the order given (the window's dots).
  std::vector<double> cpuSavings, accuracyDiffsVsFull, accuracyDiffsVsRandom, accuracyDiffsVsShort;
  std::string words;  // "saves 22% ... at equal accuracy; no better than a random subset; ..."
};

// Accuracy holds when the interval of attent - full lies above -kAccuracyTolerance.
constexpr double kAccuracyTolerance = 0.01;

// The four arms of one seed's finished epoch-budget experiment; throws std::invalid_argument
// if the experiment lacks one of them.
SeedOutcome epochOutcome(const Experiment& experiment, long seed);
EpochVerdict epochVerdict(const std::vector<SeedOutcome>& seeds);
// The table `run` prints: each arm's medians over seeds (CPU seconds, examples trained and
// scored, held-out accuracy and loss), the paired differences with intervals, the verdict.
std::string formatEpochVerdict(const EpochVerdict& verdict, const std::vector<SeedOutcome>& seeds);

}  // namespace attent

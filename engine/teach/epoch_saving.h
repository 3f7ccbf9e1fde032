#pragma once
// The attent arm's saving against full under the epoch budget (docs/SCIENCE.md section 1):
// what the plan predicts from its epochs alone, and what the two runs have measured so far.
// Costs are example-equivalents: trained examples plus scored examples at a scored example's
// cost in trained ones, and CPU seconds.
#include "engine/teach/experiment.h"

namespace attent {

// A scored example (a no-grad forward) against a trained one (forward and backward, the
// backward about two forwards): the plan's assumption; the runs measure their own.
constexpr double kNominalScoreCost = 1.0 / 3.0;

// 1 - the plan's example-equivalents over its first `upTo` epochs (fractional, at most the
// plan's length) / full's over as many epochs (poolSize examples each). A selecting epoch
// that has begun costs a scoring pass over the pool when the timeline's selections score.
double plannedSaving(const EpochTimeline& timeline, double upTo, double scoreCost);
// A scored example's cost in trained examples, from a run's clock: the seconds per scored
// example over the seconds per trained example (scoring excluded); 0 with nothing scored.
double measuredScoreCost(double cpuSeconds, double scoringSeconds, long trained, long scored);
// The saving of the runs named attent and full in `snapshot` (copied out of `experiment`),
// with its words; empty words when either run or the attent arm's plan is missing.
EpochSaving epochSaving(const Experiment& experiment, const Snapshot& snapshot);

}  // namespace attent

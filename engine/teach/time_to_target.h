#pragma once
// Time to target (docs/SCIENCE.md section 1, "fair accounting"): the target eval loss is the
// baseline (random) run's final eval loss, or a value the user sets; every run's steps and
// compute seconds to first reach it; reduction = 1 - t_run / t_baseline.
#include <optional>
#include <string>
#include <vector>

#include "engine/teach/experiment.h"
#include "engine/teach/snapshot.h"

namespace attent {

// The first history point with an eval loss <= target (empty if none).
TargetTime timeToTarget(const std::vector<MetricPoint>& history, double target);
// 1 - run / baseline; empty if either is missing or the baseline time is not positive.
std::optional<double> timeReduction(std::optional<double> runSeconds, std::optional<double> baselineSeconds);
// The last evaluated point's loss and accuracy (NaN if none).
std::pair<float, float> finalEvaluation(const std::vector<MetricPoint>& history);

// Every run's RunSummary (snapshot.h), the one computation behind the window, `run`, the
// exports and the files. The baseline's final loss is the target only once the experiment
// has finished; until then (without a fixed target) no run has a target.
std::vector<RunSummary> summarize(const Experiment& experiment);

}  // namespace attent

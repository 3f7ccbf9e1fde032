#pragma once
// Time to target (SCIENCE.md section 1, "fair accounting"): the target eval loss is the
// baseline (random) run's final eval loss, or a value the user sets; every run's steps and
// compute seconds to first reach it; reduction = 1 - t_run / t_baseline.
#include <optional>
#include <string>
#include <vector>

#include "engine/teach/experiment.h"
#include "engine/teach/snapshot.h"

namespace attent {

struct TargetTime {
  std::optional<long> steps;
  std::optional<double> seconds;
};

// The first history point with an eval loss <= target (empty if none).
TargetTime timeToTarget(const std::vector<MetricPoint>& history, double target);
// 1 - run / baseline; empty if either is missing or the baseline time is not positive.
std::optional<double> timeReduction(std::optional<double> runSeconds, std::optional<double> baselineSeconds);
// The last evaluated point's loss and accuracy (NaN if none).
std::pair<float, float> finalEvaluation(const std::vector<MetricPoint>& history);

struct RunSummary {
  std::string name;
  float finalEvalLoss = kNoValue, finalEvalAccuracy = kNoValue;
  std::optional<double> targetEvalLoss;
  TargetTime toTarget;
  std::optional<double> timeReduction;  // 0 for the baseline itself
  std::optional<long> divergedAt;
  double computeSeconds = 0;
};

std::vector<RunSummary> summarize(const Experiment& experiment);

}  // namespace attent

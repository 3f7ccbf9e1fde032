#include "engine/teach/time_to_target.h"

#include <algorithm>
#include <cmath>

#include "engine/teach/epoch_plan.h"
#include "engine/teach/epoch_saving.h"
#include "engine/teach/epoch_verdict.h"

namespace attent {

TargetTime timeToTarget(const std::vector<MetricPoint>& history, double target) {
  for (const auto& p : history)
    if (!std::isnan(p.evalLoss) && double(p.evalLoss) <= target) return {p.step, p.computeSeconds};
  return {};
}

std::optional<double> timeReduction(std::optional<double> runSeconds, std::optional<double> baselineSeconds) {
  if (!runSeconds || !baselineSeconds || *baselineSeconds <= 0) return std::nullopt;
  return 1.0 - *runSeconds / *baselineSeconds;
}

std::pair<float, float> finalEvaluation(const std::vector<MetricPoint>& history) {
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    if (!std::isnan(it->evalLoss)) return {it->evalLoss, it->evalAccuracy};
  return {kNoValue, kNoValue};
}

std::vector<RunSummary> summarize(const Experiment& e) {
  std::vector<RunSummary> out;
  const int baseline = e.baselineRun();
  std::optional<double> target = e.fixedTargetEvalLoss();
  // A diverged baseline has no final quality to match: its last finite loss (often
  // step 0's) would make every run "reach" it at once. Nor has an unfinished one.
  if (!target && baseline >= 0 && e.finished() && !e.divergedAt(baseline)) {
    const float f = finalEvaluation(e.history(baseline)).first;
    if (std::isfinite(f)) target = f;
  }
  TargetTime baseTime;
  if (target && baseline >= 0) baseTime = timeToTarget(e.history(baseline), *target);
  for (int r = 0; r < e.runCount(); ++r) {
    RunSummary s;
    s.name = e.runName(r);
    s.role = e.runRole(r);
    const auto& h = e.history(r);
    std::tie(s.finalEvalLoss, s.finalEvalAccuracy) = finalEvaluation(h);
    s.divergedAt = e.divergedAt(r);
    s.computeSeconds = h.empty() ? 0 : h.back().computeSeconds;
    s.targetEvalLoss = target;
    if (target) {
      s.toTarget = timeToTarget(h, *target);
      s.timeReduction =
          r == baseline ? std::optional<double>(0.0) : timeReduction(s.toTarget.seconds, baseTime.seconds);
      if (r == baseline && !s.toTarget.seconds) s.timeReduction.reset();
    }
    out.push_back(std::move(s));
  }
  return out;
}

Snapshot Experiment::snapshot(Split split, int probe, const std::vector<std::size_t>& since) const {
  Snapshot s = copyOut(split, probe, since);
  s.summaries = summarize(*this);
  s.baselineRun = baselineRun();
  s.targetEvalLoss = s.summaries.empty() ? std::nullopt : s.summaries.front().targetEvalLoss;
  if (!epochProtocol(settings())) return s;
  s.epochSaving = epochSaving(*this, s);
  if (finished()) s.epochVerdict = epochVerdict({epochOutcome(*this, 0)}).words;
  return s;
}

std::vector<MetricPoint> Experiment::pointsSince(int run, const std::vector<std::size_t>& since) const {
  const auto& h = history(run);
  const std::size_t from = std::size_t(run) < since.size() ? std::min(since[run], h.size()) : 0;
  return {h.begin() + long(from), h.end()};
}

}  // namespace attent

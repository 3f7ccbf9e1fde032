#include "engine/teach/epoch_saving.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/teach/epoch_plan.h"

namespace attent {

double plannedSaving(const EpochTimeline& t, double upTo, double scoreCost) {
  const int n = t.poolSize;
  upTo = std::min(upTo, double(t.plan.size()));
  if (n <= 0 || !(upTo > 0)) return kNoValue;
  double cost = 0;
  for (std::size_t k = 0; k < t.plan.size() && double(k) < upTo; ++k) {
    const EpochPhase& p = t.plan[k];
    const double done = std::min(1.0, upTo - double(k));
    cost += done * (p.subset ? subsetExamples(p.ratio, n) : n);
    if (p.select && t.scoringPasses) cost += scoreCost * n;
  }
  return 1.0 - cost / (double(n) * upTo);
}

double measuredScoreCost(double cpuSeconds, double scoringSeconds, long trained, long scored) {
  const double perTrained = (cpuSeconds - scoringSeconds) / double(std::max(1L, trained));
  const double perScored = scored > 0 ? scoringSeconds / double(scored) : 0.0;
  return perTrained > 0 ? perScored / perTrained : 0.0;
}

namespace {

int runNamed(const Snapshot& s, const char* name) {
  for (std::size_t r = 0; r < s.runs.size(); ++r)
    if (s.runs[r].name == name) return int(r);
  return -1;
}

std::string percent(double fraction, const char* more, const char* less) {
  char b[64];
  std::snprintf(b, sizeof b, "%.0f%% %s", std::abs(100 * fraction), fraction >= 0 ? more : less);
  return b;
}

std::string words(const EpochSaving& v, double scoreCost, bool scoring) {
  char b[160];
  std::string w = "Planned: " + percent(v.planned, "fewer", "more") + " example-equivalents than full over " +
                  std::to_string(v.epochs) + " epochs";
  if (!v.ended && std::isfinite(v.plannedSoFar) && v.epoch < v.epochs - 1e-9) {
    std::snprintf(b, sizeof b, " (%s by epoch %.1f)", percent(v.plannedSoFar, "fewer", "more").c_str(),
                  v.epoch);
    w += b;
  }
  if (!std::isfinite(v.equivalents) || !std::isfinite(v.cpu)) return w + ". Nothing measured yet.";
  w += v.ended ? ". Measured at the end: " : ". So far: ";
  w += percent(v.equivalents, "fewer", "more") + " example-equivalents, " + percent(v.cpu, "less", "more") +
       " CPU time" + (v.ended ? "." : " than full at its pace.");
  if (scoring) {
    std::snprintf(b, sizeof b,
                  " A scored example counts as 1/3 of a trained one in the plan; measured: %.2f.", scoreCost);
    w += b;
  }
  return w;
}

}  // namespace

EpochSaving epochSaving(const Experiment& e, const Snapshot& s) {
  EpochSaving v;
  const int a = runNamed(s, "attent"), f = runNamed(s, "full");
  if (a < 0 || f < 0 || s.runs[std::size_t(a)].teacher.timeline.plan.empty()) return v;
  const RunSnapshot &attent = s.runs[std::size_t(a)], &full = s.runs[std::size_t(f)];
  const EpochTimeline& t = attent.teacher.timeline;
  const double n = t.poolSize, epochs = double(t.plan.size());
  const double eA = t.epoch, eF = full.teacher.timeline.epoch;
  v.epochs = int(t.plan.size());
  v.epoch = eA;
  v.planned = plannedSaving(t, epochs, kNominalScoreCost);
  v.plannedSoFar = plannedSaving(t, eA, kNominalScoreCost);
  v.ended = eA >= epochs - 1e-9 && eF >= epochs - 1e-9;
  const auto [scored, scoringSeconds] = e.scoringCost(a);
  const double c = measuredScoreCost(attent.computeSeconds, scoringSeconds, attent.examplesSeen, scored);
  if (eA > 0 && eF > 0 && full.computeSeconds > 0 && n > 0) {
    v.equivalents = 1.0 - (double(attent.examplesSeen) + c * double(scored)) / (n * eA);
    v.cpu = 1.0 - attent.computeSeconds / (full.computeSeconds / eF * eA);
  }
  v.words = words(v, c, t.scoringPasses);
  return v;
}

}  // namespace attent

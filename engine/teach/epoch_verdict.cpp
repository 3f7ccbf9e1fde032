#include "engine/teach/epoch_verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "engine/teach/epoch_saving.h"
#include "engine/teach/time_to_target.h"

namespace attent {

namespace {

const ArmOutcome& arm(const SeedOutcome& s, const std::string& name) {
  for (const ArmOutcome& a : s.arms)
    if (a.name == name) return a;
  throw std::invalid_argument("seed " + std::to_string(s.seed) + " has no '" + name + "' arm");
}

std::vector<double> differences(const std::vector<SeedOutcome>& seeds, const std::string& other,
                                bool accuracy) {
  std::vector<double> d;
  for (const SeedOutcome& s : seeds) {
    const ArmOutcome &a = arm(s, "attent"), &b = arm(s, other);
    d.push_back(accuracy ? a.finalEvalAccuracy - b.finalEvalAccuracy : a.finalEvalLoss - b.finalEvalLoss);
  }
  return d;
}

std::string points(const Interval& i) {
  char b[96];
  std::snprintf(b, sizeof b, "%+.1f pts, 95%% CI %+.1f..%+.1f", 100 * i.estimate, 100 * i.low, 100 * i.high);
  return b;
}

std::string words(const EpochVerdict& v) {
  char b[160];
  std::snprintf(b, sizeof b, "saves %.0f%% of full's CPU time (95%% CI %.0f..%.0f%%)",
                100 * v.cpuSaving.estimate, 100 * v.cpuSaving.low, 100 * v.cpuSaving.high);
  std::string w;
  if (v.accuracyVsFull.high < 0 && v.accuracyVsFull.low < -kAccuracyTolerance)
    w = "loses accuracy (" + points(v.accuracyVsFull) + " against full); " + b;
  else if (v.accuracyVsFull.low >= -kAccuracyTolerance)
    w = std::string(b) + " at equal accuracy (" + points(v.accuracyVsFull) + ")";
  else
    w = std::string(b) + "; accuracy against full unresolved (" + points(v.accuracyVsFull) + ")";
  w += v.accuracyVsRandom.low > 0 ? "; better than a random subset (" : "; no better than a random subset (";
  w += points(v.accuracyVsRandom) + ")";
  w += v.accuracyVsShort.low > 0 ? "; better than full-pool training of the same length ("
                                 : "; no better than full-pool training of the same length (";
  w += points(v.accuracyVsShort) + ")";
  if (v.seeds < 2) w += "; one seed: the intervals are points, run more seeds";
  return w;
}

}  // namespace

std::string formatEpochVerdict(const EpochVerdict& v, const std::vector<SeedOutcome>& seeds) {
  std::string out = "epoch budget, " + std::to_string(v.seeds) + " paired seed(s); medians over seeds:\n";
  char line[200];
  std::snprintf(line, sizeof line, "%-14s %9s %10s %9s %9s %9s\n", "arm", "cpu_s", "trained", "scored",
                "accuracy", "eval_loss");
  out += line;
  for (const char* name : {"full", "attent", "random-subset", "short-full"}) {
    std::vector<double> cpu, trained, scored, acc, loss;
    for (const SeedOutcome& s : seeds) {
      const ArmOutcome& a = arm(s, name);
      cpu.push_back(a.cpuSeconds);
      trained.push_back(double(a.trainedExamples));
      scored.push_back(double(a.scoredExamples));
      acc.push_back(a.finalEvalAccuracy);
      loss.push_back(a.finalEvalLoss);
    }
    std::snprintf(line, sizeof line, "%-14s %9.2f %10.0f %9.0f %9.4f %9.4f\n", name, median(cpu),
                  median(trained), median(scored), median(acc), median(loss));
    out += line;
  }
  std::snprintf(line, sizeof line,
                "saving of attent vs full: %.1f%% CPU s (95%% CI %.1f..%.1f), %.1f%% example-equivalents "
                "(a scored example costs %.2f of a trained one)\n",
                100 * v.cpuSaving.estimate, 100 * v.cpuSaving.low, 100 * v.cpuSaving.high,
                100 * v.equivalentSaving.estimate, v.scoreCost);
  out += line;
  const std::pair<const char*, const Interval*> rows[] = {{"full", &v.accuracyVsFull},
                                                          {"random-subset", &v.accuracyVsRandom},
                                                          {"short-full", &v.accuracyVsShort}};
  const Interval* losses[] = {&v.lossVsFull, &v.lossVsRandom, &v.lossVsShort};
  for (int i = 0; i < 3; ++i) {
    std::snprintf(line, sizeof line, "attent - %-13s accuracy %s; eval loss %+.4f (95%% CI %+.4f..%+.4f)\n",
                  rows[i].first, points(*rows[i].second).c_str(), losses[i]->estimate, losses[i]->low,
                  losses[i]->high);
    out += line;
  }
  return out + "verdict: " + v.words + "\n";
}

SeedOutcome epochOutcome(const Experiment& e, long seed) {
  SeedOutcome out;
  out.seed = seed;
  for (int r = 0; r < e.runCount(); ++r) {
    const auto& h = e.history(r);
    ArmOutcome a;
    a.name = e.runName(r);
    if (!h.empty()) {
      a.cpuSeconds = h.back().computeSeconds;
      a.trainedExamples = h.back().examplesSeen;
    }
    std::tie(a.scoredExamples, a.scoringSeconds) = e.scoringCost(r);
    const auto [loss, accuracy] = finalEvaluation(h);
    a.finalEvalLoss = loss;
    a.finalEvalAccuracy = accuracy;
    out.arms.push_back(a);
  }
  for (const char* name : {"full", "attent", "random-subset", "short-full"}) arm(out, name);
  return out;
}

EpochVerdict epochVerdict(const std::vector<SeedOutcome>& seeds) {
  if (seeds.empty()) throw std::invalid_argument("a verdict needs at least one seed");
  EpochVerdict v;
  v.seeds = int(seeds.size());
  std::vector<double> cpu, eqv, cost;
  for (const SeedOutcome& s : seeds) {
    const ArmOutcome &a = arm(s, "attent"), &f = arm(s, "full");
    cpu.push_back(1.0 - a.cpuSeconds / f.cpuSeconds);
    // A scored example's cost in trained examples, measured on this seed's attent arm.
    const double c = measuredScoreCost(a.cpuSeconds, a.scoringSeconds, a.trainedExamples, a.scoredExamples);
    cost.push_back(c);
    eqv.push_back(1.0 -
                  (double(a.trainedExamples) + c * double(a.scoredExamples)) / double(f.trainedExamples));
  }
  v.cpuSavings = cpu;
  v.accuracyDiffsVsFull = differences(seeds, "full", true);
  v.accuracyDiffsVsRandom = differences(seeds, "random-subset", true);
  v.accuracyDiffsVsShort = differences(seeds, "short-full", true);
  v.cpuSaving = bootstrapMedian(cpu);
  v.equivalentSaving = bootstrapMedian(eqv);
  v.scoreCost = median(cost);
  v.accuracyVsFull = bootstrapMean(v.accuracyDiffsVsFull);
  v.accuracyVsRandom = bootstrapMean(v.accuracyDiffsVsRandom);
  v.accuracyVsShort = bootstrapMean(v.accuracyDiffsVsShort);
  v.lossVsFull = bootstrapMean(differences(seeds, "full", false));
  v.lossVsRandom = bootstrapMean(differences(seeds, "random-subset", false));
  v.lossVsShort = bootstrapMean(differences(seeds, "short-full", false));
  v.words = words(v);
  return v;
}

}  // namespace attent

#pragma once
// A paper's claim as numbers (docs/SCIENCE.md sections 2-4): each experiment kind measures its
// claims once from the diagnostics its runs recorded over training, and the verdict over seeds
// takes each claim's median with a bootstrap 95% interval. The series helpers here are the
// measurements the claims share; docs/FORMATS.md lists every key.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/teach/experiment.h"
#include "engine/teach/statistics.h"

namespace attent {

// What a claim asserts about its number: nothing (a measurement), or that it lies above or
// below `bound`.
enum class ClaimTest { Measure, Above, Below };

// When in training a claim is measured: claims sharing a key and differing in phase pair up.
enum class Phase { Whole, Early, Late };
// "", "early" or "late": the words `run` prints and summary.json holds.
const char* words(Phase phase);

// A claim's verdict over seeds, or an early/late pair's.
enum class Verdict { Measured, Holds, DoesNotHold, Undecided, HoldsOnlyEarly, HoldsOnlyLate };
// "measured", "holds", "does not hold", "undecided", "holds only early", "holds only late".
const char* words(Verdict verdict);

struct Claim {
  Claim() = default;
  Claim(std::string key, std::string statement, double value = 0, ClaimTest test = ClaimTest::Measure,
        double bound = 0, Phase phase = Phase::Whole)
      : key(std::move(key)),
        statement(std::move(statement)),
        value(value),
        test(test),
        bound(bound),
        phase(phase) {}
  std::string key;        // "scb.proximal_over_sgd.a_error", "mosaic.hybrid_minus_best.focus"
  std::string statement;  // the claim in the paper's words
  double value = 0;       // NaN: not measurable in this seed (the event never happened)
  ClaimTest test = ClaimTest::Measure;
  double bound = 0;
  Phase phase = Phase::Whole;
};

// One claim over seeds: the median with its interval and the verdict (holds, does not hold,
// undecided; measured for a measurement). NaN values count against a test and are left out of
// the interval.
struct ClaimVerdict {
  Claim claim;  // value: the median
  Interval median;
  std::vector<double> values;  // per seed, in seed order
  int missing = 0;             // seeds where the value was NaN
  Verdict verdict = Verdict::Undecided;
};

// One early/late pair's verdict: holds, holds only early, holds only late, does not hold or
// undecided.
struct PhaseVerdict {
  std::string key;
  Verdict verdict = Verdict::Undecided;
};

struct ClaimsSummary {
  std::vector<ClaimVerdict> claims;  // in the first seed's order
  std::vector<PhaseVerdict> phases;
};

// `perSeed[i]`: seed i's claims, every seed measuring the same keys (throws
// std::invalid_argument otherwise).
ClaimsSummary summarizeClaims(const std::vector<std::vector<Claim>>& perSeed);
Verdict verdictOf(const Claim& claim, const Interval& median, int missing, int seeds);

// The claims of experiment kind `kind` for its finished experiment (empty for a kind without
// any); throws SettingsError for an unknown kind.
std::vector<Claim> experimentClaims(const std::string& kind, const Experiment& experiment);

// ---- measurements on series of (step, value) ----
using Series = std::vector<std::pair<double, double>>;

// Scalar diagnostic `name` of run `run` at every evaluation that has it.
Series diagnosticSeries(const Experiment& e, int run, const std::string& name);
// The run index called `name`, or -1.
int runIndex(const Experiment& e, const std::string& name);
// The value at the first point with step >= `step` (the last point when none), NaN if empty.
double valueAt(const Series& s, double step);
// The first step where `s` has moved from its first value by at least `threshold` (either way),
// linearly interpolated between points; nullopt if it never does.
std::optional<double> departureStep(const Series& s, double threshold);
// The first step where `s` falls to `target` or below, interpolated; nullopt if it never does.
std::optional<double> stepReaching(const Series& s, double target);
// The first time `follower` overtakes `leader` after `leader` led (by more than `margin`),
// interpolated between the samples; both sampled at the same times. nullopt: never.
std::optional<double> crossingTime(const std::vector<double>& t, const std::vector<double>& leader,
                                   const std::vector<double>& follower, double margin = 1e-9);

}  // namespace attent

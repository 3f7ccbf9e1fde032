#include "engine/teach/claims.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace attent {

namespace {

// A test's outcome on one number: +1 holds, -1 does not. Diagnostics come from float weights,
// so a value within float rounding of the bound (uniform attention exactly) is on the bound.
int side(const Claim& c, double v) {
  const double margin = 1e-6 * std::max(1.0, std::abs(c.bound));
  if (c.test == ClaimTest::Above) return v > c.bound + margin ? 1 : -1;
  return v < c.bound - margin ? 1 : -1;
}

Verdict combinePhases(Verdict early, Verdict late) {
  const auto decided = [](Verdict v) { return v == Verdict::Holds || v == Verdict::DoesNotHold; };
  if (!decided(early) || !decided(late)) return Verdict::Undecided;
  if (early == late) return early;
  return early == Verdict::Holds ? Verdict::HoldsOnlyEarly : Verdict::HoldsOnlyLate;
}

}  // namespace

const char* words(Phase phase) {
  switch (phase) {
    case Phase::Early:
      return "early";
    case Phase::Late:
      return "late";
    case Phase::Whole:
      break;
  }
  return "";
}

const char* words(Verdict verdict) {
  switch (verdict) {
    case Verdict::Measured:
      return "measured";
    case Verdict::Holds:
      return "holds";
    case Verdict::DoesNotHold:
      return "does not hold";
    case Verdict::HoldsOnlyEarly:
      return "holds only early";
    case Verdict::HoldsOnlyLate:
      return "holds only late";
    case Verdict::Undecided:
      break;
  }
  return "undecided";
}

Verdict verdictOf(const Claim& c, const Interval& m, int missing, int seeds) {
  if (c.test == ClaimTest::Measure) return Verdict::Measured;
  // A claim whose event never happened in half the seeds or more fails there.
  if (2 * missing >= seeds) return Verdict::DoesNotHold;
  // The whole interval on the claimed side holds; a median on the wrong side does not.
  if (side(c, m.low) > 0 && side(c, m.high) > 0) return Verdict::Holds;
  if (side(c, m.estimate) < 0) return Verdict::DoesNotHold;
  return Verdict::Undecided;
}

ClaimsSummary summarizeClaims(const std::vector<std::vector<Claim>>& perSeed) {
  ClaimsSummary out;
  if (perSeed.empty()) return out;
  const std::size_t n = perSeed[0].size();
  for (std::size_t k = 0; k < n; ++k) {
    ClaimVerdict v;
    v.claim = perSeed[0][k];
    std::vector<double> finite;
    for (const auto& seed : perSeed) {
      if (seed.size() != n || seed[k].key != v.claim.key || seed[k].phase != v.claim.phase)
        throw std::invalid_argument("seeds measured different claims (" + v.claim.key + ")");
      v.values.push_back(seed[k].value);
      if (std::isfinite(seed[k].value)) finite.push_back(seed[k].value);
    }
    v.missing = int(perSeed.size() - finite.size());
    v.median = bootstrapMedian(finite);
    v.claim.value = v.median.estimate;
    v.verdict = verdictOf(v.claim, v.median, v.missing, int(perSeed.size()));
    out.claims.push_back(std::move(v));
  }
  std::map<std::string, Verdict> early;
  for (const auto& v : out.claims)
    if (v.claim.phase == Phase::Early && v.claim.test != ClaimTest::Measure) early[v.claim.key] = v.verdict;
  for (const auto& v : out.claims)
    if (v.claim.phase == Phase::Late && early.count(v.claim.key))
      out.phases.push_back({v.claim.key, combinePhases(early[v.claim.key], v.verdict)});
  return out;
}

Series diagnosticSeries(const Experiment& e, int run, const std::string& name) {
  Series s;
  if (run < 0 || run >= e.runCount()) return s;
  for (const DiagnosticsPoint& p : e.diagnosticsHistory(run)) {
    auto it = p.diagnostics.scalars.find(name);
    if (it != p.diagnostics.scalars.end()) s.emplace_back(double(p.step), it->second);
  }
  return s;
}

int runIndex(const Experiment& e, const std::string& name) {
  for (int r = 0; r < e.runCount(); ++r)
    if (e.runName(r) == name) return r;
  return -1;
}

double valueAt(const Series& s, double step) {
  if (s.empty()) return NAN;
  for (const auto& [t, v] : s)
    if (t >= step) return v;
  return s.back().second;
}

namespace {
// The first crossing of `level` by f(point) - level going from below to at-or-above.
template <class F>
std::optional<double> firstReach(const Series& s, F reached) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double now = reached(s[i].second);
    if (now < 0) continue;
    if (i == 0) return s[0].first;
    const double before = reached(s[i - 1].second);
    const double f = before / (before - now);  // where the linear interpolant reaches 0
    return s[i - 1].first + f * (s[i].first - s[i - 1].first);
  }
  return std::nullopt;
}
}  // namespace

std::optional<double> departureStep(const Series& s, double threshold) {
  if (s.empty()) return std::nullopt;
  const double start = s[0].second;
  return firstReach(s, [&](double v) { return std::abs(v - start) - threshold; });
}

std::optional<double> stepReaching(const Series& s, double target) {
  return firstReach(s, [&](double v) { return target - v; });
}

std::optional<double> crossingTime(const std::vector<double>& t, const std::vector<double>& leader,
                                   const std::vector<double>& follower, double margin) {
  bool led = false;
  const std::size_t n = std::min({t.size(), leader.size(), follower.size()});
  for (std::size_t i = 0; i < n; ++i) {
    const double gap = follower[i] - leader[i];
    if (led && gap > 0) {
      const double before = follower[i - 1] - leader[i - 1];  // <= 0
      return t[i - 1] + (t[i] - t[i - 1]) * (-before) / (gap - before);
    }
    if (gap < -margin) led = true;
  }
  return std::nullopt;
}

}  // namespace attent

#include "engine/research/mosaic/mosaic_claims.h"

#include <algorithm>
#include <cmath>

#include "engine/research/mosaic/mosaic.h"

namespace attent {

std::optional<double> toyCrossingTime(int m, int C) {
  constexpr int kSteps = 4000;
  for (double horizon = 100; horizon <= 1e5; horizon *= 4) {
    const ToyTrajectory sa = mosaicToy(ToyParadigm::SA, m, C, horizon, kSteps),
                        ha = mosaicToy(ToyParadigm::HA, m, C, horizon, kSteps);
    if (auto t = crossingTime(sa.t, sa.alpha, ha.alpha)) return t;
  }
  return std::nullopt;
}

namespace {

const char* const kMeasures[] = {"focus_on_true", "ftpt", "ffpt", "ftpf", "ffpf"};

struct Checkpoints {
  double early, late;
};

// In % of the held-out mosaics; focus_on_true, a mean weight in [0, 1], as % too, so every
// difference is in points.
double at(const Experiment& e, int run, const std::string& name, double step) {
  if (run < 0) return NAN;
  const double v = valueAt(diagnosticSeries(e, run, "mosaic." + name), step);
  return name == "focus_on_true" ? 100 * v : v;
}

std::string meaning(const std::string& m) {
  return m == "focus_on_true" ? "mean focus weight on the true segment, %" : m + ", % of held-out mosaics";
}

void paradigmClaims(const Experiment& e, int r, Checkpoints cp, std::vector<Claim>& out) {
  for (const char* m : kMeasures)
    for (auto [phase, step] : {std::pair{Phase::Early, cp.early}, std::pair{Phase::Late, cp.late}})
      out.push_back(
          {"mosaic." + e.runName(r) + "." + m, meaning(m), at(e, r, m, step), ClaimTest::Measure, 0, phase});
}

void comparisonClaims(const Experiment& e, Checkpoints cp, std::vector<Claim>& out) {
  const int sa = runIndex(e, "SA"), ha = runIndex(e, "HA"), hy = runIndex(e, "hybrid");
  const auto diff = [&](int a, int b, const char* m, double step) {
    return at(e, a, m, step) - at(e, b, m, step);
  };
  out.push_back({"mosaic.ha_minus_sa.focus_on_true", "SA's focus improves faster early (HA - SA < 0, points)",
                 diff(ha, sa, "focus_on_true", cp.early), ClaimTest::Below, 0, Phase::Early});
  out.push_back({"mosaic.ha_minus_sa.focus_on_true", "HA's focus ends higher (HA - SA > 0, points)",
                 diff(ha, sa, "focus_on_true", cp.late), ClaimTest::Above, 0, Phase::Late});
  for (const char* m : {"focus_on_true", "ftpt"})
    for (auto [phase, step] : {std::pair{Phase::Early, cp.early}, std::pair{Phase::Late, cp.late}}) {
      const double best = std::max(at(e, sa, m, step), at(e, ha, m, step));
      out.push_back(
          {std::string("mosaic.hybrid_minus_best.") + m,
           std::string("the hybrid gets both: its ") + m + " within 1 point of the better of SA and HA",
           at(e, hy, m, step) - best, ClaimTest::Above, -kHybridTolerance, phase});
    }
}

}  // namespace

std::vector<Claim> mosaicClaims(const Experiment& e) {
  std::vector<Claim> out;
  if (e.runCount() == 0) return out;
  const Series mSeries = diagnosticSeries(e, 0, "mosaic.m"), cSeries = diagnosticSeries(e, 0, "mosaic.C");
  if (!mSeries.empty() && !cSeries.empty()) {
    const auto t = toyCrossingTime(int(mSeries[0].second), int(cSeries[0].second));
    out.push_back({"mosaic.toy_crossing_time", "in the toy, HA's focus overtakes SA's (at this time)",
                   t ? *t : NAN, ClaimTest::Above, 0});
  }
  const Series any = diagnosticSeries(e, 0, "mosaic.focus_on_true");
  const Checkpoints cp{kEarlyFraction * double(e.totalSteps()), any.empty() ? 0.0 : any.back().first};
  for (int r = 0; r < e.runCount(); ++r) paradigmClaims(e, r, cp, out);
  comparisonClaims(e, cp, out);
  return out;
}

}  // namespace attent

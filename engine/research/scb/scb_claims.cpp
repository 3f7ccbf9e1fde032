#include "engine/research/scb/scb_claims.h"

#include <cmath>

namespace attent {

namespace {

// Per-run errors and stages, under "scb.<run>.".
void runClaims(const Experiment& e, int r, std::vector<Claim>& out) {
  const std::string prefix = "scb." + e.runName(r) + ".";
  const Series v = diagnosticSeries(e, r, "scb.v_error"), a = diagnosticSeries(e, r, "scb.a_error");
  out.push_back({prefix + "v_error", "||V - P||_F at the end", v.empty() ? NAN : v.back().second});
  out.push_back({prefix + "a_error", "||A - Q*||_F at the end", a.empty() ? NAN : a.back().second});
  const auto corr = departureStep(diagnosticSeries(e, r, "scb.a_correlation"), kCorrelationDeparture);
  out.push_back({prefix + "correlation_departure_steps",
                 "steps until the A-correlation moves 0.1 from its start", corr ? *corr : NAN});
  const TwoStages st = twoStages(a);
  out.push_back({prefix + "plateau_steps", "the plateau: steps until ||A - Q*|| is 10% below its start",
                 st.plateauEnd ? *st.plateauEnd : NAN});
  out.push_back(
      {prefix + "first_stage_rate", "e-folds of ||A - Q*|| per 1000 steps on the plateau", st.firstRate});
  out.push_back({prefix + "second_stage_rate", "the fastest e-folding rate between evaluations after it",
                 st.secondRate});
  out.push_back({prefix + "stage_speedup",
                 "two stages: the A error falls faster after the plateau than on it",
                 st.secondRate / st.firstRate, ClaimTest::Above, 1});
}

// ratio of run `b`'s error to run `a`'s at the early checkpoint and at the end.
void ratioClaims(const Experiment& e, int a, int b, const std::string& name, std::vector<Claim>& out) {
  const double early = 0.25 * double(e.totalSteps());
  for (const char* err : {"v_error", "a_error"}) {
    const Series sa = diagnosticSeries(e, a, std::string("scb.") + err),
                 sb = diagnosticSeries(e, b, std::string("scb.") + err);
    const std::string key = "scb." + name + "." + err;
    const std::string what = std::string(err) == "v_error" ? "||V - P||_F" : "||A - Q*||_F";
    out.push_back({key, "proximal's " + what + " below SGD's at a quarter of the steps (ratio < 1)",
                   valueAt(sb, early) / valueAt(sa, early), ClaimTest::Below, 1, Phase::Early});
    out.push_back({key, "proximal's " + what + " below SGD's at the end (ratio < 1)",
                   sb.empty() || sa.empty() ? NAN : sb.back().second / sa.back().second, ClaimTest::Below, 1,
                   Phase::Late});
  }
}

}  // namespace

TwoStages twoStages(const Series& aError, double fall) {
  TwoStages st;
  if (aError.size() < 2) return st;
  st.plateauEnd = stepReaching(aError, (1 - fall) * aError.front().second);
  if (!st.plateauEnd) return st;
  const double p = *st.plateauEnd, start = aError.front().first;
  if (p > start) st.firstRate = 1000 * -std::log(1 - fall) / (p - start);
  for (std::size_t i = 0; i + 1 < aError.size(); ++i) {
    const auto [t0, e0] = aError[i];
    const auto [t1, e1] = aError[i + 1];
    if (t1 <= p || t1 <= t0) continue;
    const double rate = 1000 * std::log(e0 / e1) / (t1 - t0);
    if (!(rate <= st.secondRate)) st.secondRate = rate, st.fastestFrom = t0;  // NaN at first
  }
  return st;
}

DiagnosticMarkers scbStageMarkers(const std::vector<DiagnosticsPoint>& history) {
  Series aError;
  for (const DiagnosticsPoint& p : history)
    if (auto it = p.diagnostics.scalars.find("scb.a_error"); it != p.diagnostics.scalars.end())
      aError.push_back({double(p.step), it->second});
  const TwoStages st = twoStages(aError);
  std::vector<DiagnosticMarker> marks;
  if (st.plateauEnd) marks.push_back({*st.plateauEnd, "plateau ends"});
  if (st.fastestFrom) marks.push_back({*st.fastestFrom, "second stage"});
  DiagnosticMarkers out;
  if (!marks.empty())
    for (const char* key : {"scb.a_error", "scb.v_error", "scb.excess_loss"}) out[key] = marks;
  return out;
}

std::vector<Claim> scbClaims(const Experiment& e) {
  std::vector<Claim> out;
  for (int r = 0; r < e.runCount(); ++r) runClaims(e, r, out);
  const int sgd = runIndex(e, "SGD"), prox = runIndex(e, "proximal");
  if (sgd >= 0 && prox >= 0) ratioClaims(e, sgd, prox, "proximal_over_sgd", out);
  return out;
}

std::vector<Claim> scbTransferClaims(const Experiment& e) {
  std::vector<Claim> out;
  for (int r = 0; r < e.runCount(); ++r) runClaims(e, r, out);
  const Series scratch = diagnosticSeries(e, runIndex(e, "scratch"), "scb.a_error"),
               pre = diagnosticSeries(e, runIndex(e, "pretrained"), "scb.a_error");
  if (scratch.empty() || pre.empty()) return out;
  const double target = scratch.back().second;
  const auto byScratch = stepReaching(scratch, target), byPre = stepReaching(pre, target);
  const double saved = byScratch && byPre ? *byScratch - *byPre : NAN;
  out.push_back({"scb.transfer.steps_saved",
                 "transfer skips the plateau: steps saved reaching scratch's final ||A - Q*||", saved,
                 ClaimTest::Above, 0});
  out.push_back({"scb.transfer.fraction_saved", "those steps as a fraction of scratch's",
                 byScratch && *byScratch > 0 ? saved / *byScratch : NAN});
  return out;
}

}  // namespace attent

#include "engine/teach/lockstep_experiment.h"

#include <algorithm>
#include <cmath>

namespace attent {

LockstepExperiment::LockstepExperiment(Settings settings, LockstepOptions options,
                                       std::vector<std::unique_ptr<Run>> runs,
                                       std::shared_ptr<const void> keepAlive)
    : settings_(std::move(settings)),
      options_(options),
      runs_(std::move(runs)),
      diagnostics_(runs_.size()),
      keepAlive_(std::move(keepAlive)) {
  if (options_.stopStep > 0) options_.totalSteps = std::min(options_.totalSteps, options_.stopStep);
  options_.totalSteps = std::max(1L, options_.totalSteps);
  options_.evalEvery = std::max(1L, options_.evalEvery);
  options_.logEvery = std::max(1L, options_.logEvery);
  // Identical initial weights: every learner starts from run 0's values where shapes match.
  for (std::size_t i = 1; options_.shareInitialWeights && i < runs_.size(); ++i)
    copyWeights(runs_[0]->learner().parameters(), runs_[i]->learner().parameters());
  for (auto& r : runs_) measure(*r);  // the step-0 evaluation
}

void LockstepExperiment::measure(Run& run) {
  // A run whose teacher's plan ended (a shorter epoch budget) is evaluated once at its end.
  const bool ended = run.teacher().finished();
  if (ended && !run.history().empty() && run.history().back().examplesSeen == run.examplesSeen()) return;
  const bool last = step_ >= options_.totalSteps || ended;
  const bool eval = step_ % options_.evalEvery == 0 || last;
  if (!eval && step_ % options_.logEvery != 0) return;
  float loss = kNoValue, accuracy = kNoValue;
  if (eval) std::tie(loss, accuracy) = run.evaluate(options_.evalExamples, 256, options_.evalSplit);
  run.record(step_, loss, accuracy);
  if (eval) recordDiagnostics(run);
}

void LockstepExperiment::recordDiagnostics(Run& run) {
  Diagnostics d = run.learner().diagnostics();
  if (d.scalars.empty() && d.matrices.empty() && d.points.empty()) return;
  for (std::size_t i = 0; i < runs_.size(); ++i)
    if (runs_[i].get() == &run) diagnostics_[i].push_back({step_, std::move(d)});
}

void LockstepExperiment::step() {
  if (step_ >= options_.totalSteps) return;
  for (auto& r : runs_) r->trainStep(step_);
  ++step_;
  for (auto& r : runs_) {
    if (r->divergedAt() && *r->divergedAt() < step_) continue;
    if (r->divergedAt()) {
      r->record(step_, kNoValue, kNoValue);  // marks where the curve stops
      continue;
    }
    measure(*r);
  }
}

namespace {
// The scalars of a run's diagnostics history as series (RunSnapshot::diagnosticSeries).
std::map<std::string, std::vector<std::pair<long, double>>> scalarSeries(
    const std::vector<DiagnosticsPoint>& h) {
  std::map<std::string, std::vector<std::pair<long, double>>> series;
  const std::size_t n = h.size(),
                    stride = (n + RunSnapshot::kMaxSeriesPoints - 1) / RunSnapshot::kMaxSeriesPoints;
  for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, stride)) {
    const std::size_t at = i + stride >= n ? n - 1 : i;  // the last stride ends on the latest point
    for (const auto& [key, value] : h[at].diagnostics.scalars) series[key].push_back({h[at].step, value});
  }
  return series;
}
}  // namespace

Snapshot LockstepExperiment::copyOut(Split split, int probe, const std::vector<std::size_t>& since) const {
  Snapshot s;
  s.step = step_;
  s.totalSteps = options_.totalSteps;
  if (runs_.empty()) return s;
  const Task& task = runs_[0]->learner().task();
  if (task.size(split) == 0) split = Split::HeldOut;
  const int available = task.size(split);
  s.probeSplit = split;
  s.probe = available > 0 ? std::clamp(probe, 0, available - 1) : 0;
  if (available > 0) s.probeExample = task.render(split, s.probe);
  // The probe's forwards run in the learners' evaluation scratch: no weight, history,
  // teacher or clock changes, so the next step and a save see the same experiment.
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    Run& r = *runs_[i];
    RunSnapshot rs;
    rs.name = r.name();
    rs.role = r.config().role;
    rs.newPoints = pointsSince(int(i), since);
    rs.step = step_;
    rs.examplesSeen = r.examplesSeen();
    rs.computeSeconds = r.computeSeconds();
    rs.divergedAt = r.divergedAt();
    if (available > 0) rs.probeAttention = r.learner().attention(split, s.probe);
    if (s.probeExample.patchSize > 0) rs.probeReadout = readoutAttention(rs.probeAttention);
    rs.teacher = r.teacher().view(r.learner(), options_.maxPicks);
    rs.diagnostics = r.learner().diagnostics();
    rs.diagnosticSeries = scalarSeries(diagnostics_[i]);
    if (options_.detectMarkers) rs.diagnosticMarkers = options_.detectMarkers(diagnostics_[i]);
    s.runs.push_back(std::move(rs));
  }
  return s;
}

void LockstepExperiment::save(ByteWriter& w) const {
  w.put<std::int64_t>(step_);
  w.put<std::uint32_t>(std::uint32_t(runs_.size()));
  for (const auto& r : runs_) r->save(w);
}

void LockstepExperiment::restore(ByteReader& in) {
  const auto step = in.get<std::int64_t>("step");
  if (step < 0 || step > options_.totalSteps)
    in.fail("step " + std::to_string(step) + " is outside [0, " + std::to_string(options_.totalSteps) + "]");
  const auto runs = in.get<std::uint32_t>("run count");
  if (runs != runs_.size())
    in.fail("holds " + std::to_string(runs) + " runs, the settings build " + std::to_string(runs_.size()));
  for (auto& r : runs_) r->restore(in);
  step_ = long(step);
}

std::vector<RunStateInfo> LockstepExperiment::runStates() const {
  std::vector<RunStateInfo> out;
  for (const auto& r : runs_) {
    RunStateInfo i;
    i.name = r->name();
    i.learner = r->learner().kind();
    i.teacher = r->teacher().kind();
    i.parameters = r->learner().parameters().parameterCount();
    i.tensors = std::size_t(r->learner().parameters().count());
    i.historyPoints = r->history().size();
    i.examplesSeen = r->examplesSeen();
    i.computeSeconds = r->computeSeconds();
    i.divergedAt = r->divergedAt();
    out.push_back(i);
  }
  return out;
}

Learner* LockstepExperiment::learner(int run) {
  if (run < 0 || run >= runCount()) return nullptr;
  return &runs_[std::size_t(run)]->learner();
}

}  // namespace attent

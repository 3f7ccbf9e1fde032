#pragma once
// An immutable value copied out of an Experiment for the UI (docs/ARCHITECTURE.md): metric
// deltas, attention maps of the probe example, the teacher's current picks. Views read
// snapshots only; they never touch engine objects.
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/learners/attention_rollout.h"
#include "engine/learners/learner.h"
#include "engine/tasks/task.h"
#include "engine/teach/epoch_phase.h"
#include "engine/teach/run_role.h"

namespace attent {

constexpr float kNoValue = std::numeric_limits<float>::quiet_NaN();
constexpr double kOverlapUnknown = -1;

// One row of a run's history (metrics.csv minus seed and run).
struct MetricPoint {
  long step = 0;
  long examplesSeen = 0;
  double computeSeconds = 0;
  float trainLoss = kNoValue;
  float evalLoss = kNoValue;      // NaN on steps without an evaluation
  float evalAccuracy = kNoValue;  // NaN without evaluation or where accuracy has no meaning
  double epoch = kNoValue;        // epochs done, fractional (epoch-budget protocol), else NaN
};

struct TargetTime {
  std::optional<long> steps;
  std::optional<double> seconds;
};

// What a run reached, computed once by summarize() (time_to_target.h) for every reader.
struct RunSummary {
  std::string name;
  RunRole role = RunRole::Other;
  float finalEvalLoss = kNoValue, finalEvalAccuracy = kNoValue;
  std::optional<double> targetEvalLoss;
  TargetTime toTarget;
  std::optional<double> timeReduction;  // 0 for the baseline itself
  std::optional<long> divergedAt;
  double computeSeconds = 0;
};

struct TeacherPick {
  int index = 0;  // pool index
  int rank = 0;   // 0 = highest score
  float score = 0, loss = 0;
  int timesPicked = 0;
  ExampleView example;
  std::vector<float> tokenLosses;
};

// An epoch-budget teacher's plan and where it is now (the picks view's cycle timeline).
struct EpochTimeline {
  std::vector<EpochPhase> plan;  // one per epoch; empty for teachers without an epoch plan
  double epoch = kNoValue;       // epochs done, fractional
  int poolSize = 0;
  // Each selection scores the pool by a no-grad forward (ViT form); otherwise (LLM form)
  // epoch 1's training losses choose the subset with no extra pass.
  bool scoringPasses = false;
};

// The current subset's classes against the pool's, and how much of it the previous
// selection already held (subset_stats.h computes both).
struct SubsetClasses {
  std::vector<std::string> names;              // empty: the task has no classes
  std::vector<double> subsetShare, poolShare;  // per class, fractions that sum to 1
  int subsetSize = 0;
  // Fraction of this subset in the previous one; NaN: none yet; kOverlapUnknown: restored from a
  // file, which does not hold it, until the next selection.
  double overlapWithPrevious = kNoValue;
};

struct TeacherView {
  std::string kind;                                    // "random", "random-subset", "attent"
  double ratio = 1.0;                                  // fraction of the pool currently selected
  double threshold = kNoValue;                         // lowest selected score (hard selection)
  std::vector<float> poolScores;                       // last scoring of the whole pool (empty for random)
  std::vector<TeacherPick> picks;                      // top of the current subset
  std::vector<std::pair<long, double>> ratioSchedule;  // (step, ratio) over the whole run
  long lastSelectionStep = -1;
  EpochTimeline timeline;  // epoch-budget teachers only
  SubsetClasses classes;   // teachers that keep a subset
};

// The attent arm's saving against full under the epoch budget (epoch_saving.h): what the
// plan predicts and what the runs have measured, as fractions of full's cost.
struct EpochSaving {
  double planned = kNoValue;       // example-equivalents, the whole plan
  double plannedSoFar = kNoValue;  // example-equivalents, the plan up to `epoch`
  double epoch = kNoValue;         // the attent arm's epochs done
  int epochs = 0;                  // the plan's
  double equivalents = kNoValue;   // measured example-equivalents up to `epoch`
  double cpu = kNoValue;           // measured CPU seconds up to `epoch`
  bool ended = false;              // both arms finished: the measured figures are the whole run's
  std::string words;               // empty outside the epoch budget
};

struct RunSnapshot {
  std::string name;  // "attent", "random", "SA", "FC", ...
  RunRole role = RunRole::Other;
  std::vector<MetricPoint> newPoints;  // since the previous snapshot
  long step = 0;
  long examplesSeen = 0;
  double computeSeconds = 0;
  std::optional<long> divergedAt;
  AttentionMaps probeAttention;
  ReadoutAttention probeReadout;  // over an image probe's patches; empty for other probes
  TeacherView teacher;
  Diagnostics diagnostics;  // the learner's, now
  // Its scalars at every evaluation so far (Experiment::diagnosticsHistory): key -> (step,
  // value), evenly thinned to at most kMaxSeriesPoints, the latest kept.
  static constexpr std::size_t kMaxSeriesPoints = 512;
  std::map<std::string, std::vector<std::pair<long, double>>> diagnosticSeries;
  DiagnosticMarkers diagnosticMarkers;  // steps its kind detected in them (LockstepOptions::detectMarkers)
};

struct Snapshot {
  long step = 0;
  long totalSteps = 0;
  double stepsPerSecond = 0;  // the worker's smoothed rate; the engine leaves it 0
  int probe = 0;              // index of the probe example in probeSplit
  // HeldOut normally; Pool when the user asked for an example the teacher picked.
  Split probeSplit = Split::HeldOut;
  ExampleView probeExample;
  std::vector<RunSnapshot> runs;
  std::vector<RunSummary> summaries;     // parallel to runs: what `run` prints
  int baselineRun = -1;                  // the run reductions compare against; -1: none
  std::optional<double> targetEvalLoss;  // the summaries' target (empty until known)
  // The epoch-budget protocol's verdict in words (EpochVerdict::words, epoch_verdict.h) over
  // this experiment's one seed, once every arm has finished; empty otherwise.
  std::string epochVerdict;
  EpochSaving epochSaving;  // under the epoch budget
};

}  // namespace attent

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

namespace attent {

constexpr float kNoValue = std::numeric_limits<float>::quiet_NaN();

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

struct TeacherView {
  std::string kind;                                    // "random", "random-subset", "attent"
  double ratio = 1.0;                                  // fraction of the pool currently selected
  double threshold = kNoValue;                         // lowest selected score (hard selection)
  std::vector<float> poolScores;                       // last scoring of the whole pool (empty for random)
  std::vector<TeacherPick> picks;                      // top of the current subset
  std::vector<std::pair<long, double>> ratioSchedule;  // (step, ratio) over the whole run
  long lastSelectionStep = -1;
};

struct RunSnapshot {
  std::string name;                    // "attent", "random", "SA", "FC", ...
  std::vector<MetricPoint> newPoints;  // since the previous snapshot
  long step = 0;
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
};

}  // namespace attent

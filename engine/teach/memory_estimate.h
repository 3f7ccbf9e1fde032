#pragma once
// How much memory an experiment takes, from its settings alone, before anything is built
// (docs/RELIABILITY.md, "Memory estimate"), and whether that fits the memory free now.
// Each experiment kind sizes its own terms (ExperimentKind::estimateMemory); the program
// itself, the metric history and the window's snapshots are added here for every kind.
#include <optional>
#include <string>
#include <vector>

#include "engine/core/input_error.h"
#include "engine/core/settings.h"

namespace attent {

namespace nn {
struct TransformerConfig;
}

struct MemoryTerm {
  std::string what;     // "attention maps"
  std::string drivers;  // the settings that size it: "train.batch=32 x model.heads=4 x ..."
  double bytes = 0;
};

struct MemoryEstimate {
  std::vector<MemoryTerm> terms;
  // Filled by the kind for the shared terms: runs trained side by side, and the bytes one
  // snapshot (attention maps of the probe, picks, diagnostics) carries for all of them.
  int runs = 0;
  double snapshotBytes = 0;
  long totalSteps = 0;          // the steps the runs train, where not experiment.steps (the epoch protocol)
  double diagnosticsBytes = 0;  // one run's diagnostics, kept at every evaluation (research kinds)

  void add(std::string what, std::string drivers, double bytes);
  double bytes() const;
  const MemoryTerm* dominant() const;  // the largest term; null when there is none
  // "1.4 GiB: attention maps 1.1 GiB (train.batch=... x ...), parameters ... ; ..."
  std::string describe() const;
};

// Where the experiment runs: the OpenMP threads a batch is split over, and whether the
// window's snapshots and attention timeline come on top of the training itself.
struct MemoryContext {
  int threads = 0;  // 0: omp_get_max_threads()
  bool window = false;
};

// The estimate for `kind` with `settings` over the kind's defaults. Never builds a task or a
// learner; a data file is only scanned (vocabulary, rows), once per path, size and date.
// Throws SettingsError for an unknown kind or a value outside its range.
MemoryEstimate estimateExperimentMemory(const std::string& kind, const Settings& settings,
                                        MemoryContext context = {});

// The memory the system can hand out now: MemAvailable of /proc/meminfo, in bytes.
// ATTENT_MEMORY_AVAILABLE_MB overrides it (tests of the refusal). nullopt when unknown.
std::optional<double> availableMemoryBytes();
// An experiment may take at most this fraction of the memory available (the margin is for
// the rest of the system and for the estimate's own error).
constexpr double kMemoryUsableFraction = 0.85;

// A refusal for memory: a SettingsError, so every caller treats it as bad input (exit 2).
class MemoryError : public SettingsError {
 public:
  using SettingsError::SettingsError;
};

// The refusal's text when `estimate` does not fit in `available` bytes: the memory needed,
// the memory free and the term and settings that dominate. nullopt when it fits.
std::optional<std::string> memoryRefusal(const MemoryEstimate& estimate, double available);
// Estimates, then throws MemoryError when the experiment does not fit the memory free now.
// Does nothing where the free memory is unknown.
void refuseIfTooLarge(const std::string& kind, const Settings& settings, MemoryContext context = {});

// "1.4 GiB", "820 MiB", "64 KiB".
std::string formatBytes(double bytes);

// For the kinds: the terms of `runs` transformer learners (TransformerLearner with
// maxBatch = batch), driven by the named settings; and the data and teacher terms.
void addTransformerTerms(MemoryEstimate& estimate, const nn::TransformerConfig& config, int batch, int runs,
                         int threads, const std::string& seqKey, const std::string& batchKey);
int memoryThreads(const MemoryContext& context);

// What a text or CSV file holds, for sizing before it is read: distinct characters (the
// vocabulary's upper bound), characters and lines. Unreadable: nullopt.
struct TextFileShape {
  long characters = 0, lines = 0;
  int distinct = 0;
};
std::optional<TextFileShape> scanTextFile(const std::string& path);

}  // namespace attent

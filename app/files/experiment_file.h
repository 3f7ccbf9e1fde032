#pragma once
// Experiment files (.attent): a whole experiment - kind, preset, seed, settings, and every
// run's weights, optimiser moments, counters, teacher and RNG state and metric history -
// so "save, reopen, train on" gives the same curves as training on. Layout and versions:
// docs/FORMATS.md. Saves are atomic (QSaveFile). Opening builds a new experiment and
// returns it; the caller swaps it in only on success, so a bad file never touches the
// experiment that is open.
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/teach/experiment.h"
#include "engine/teach/memory_estimate.h"

namespace attent::app {

constexpr std::uint32_t kExperimentFileVersion = 1;

// How to rebuild the experiment: buildExperiment(kind, settings, seed).
struct ExperimentSource {
  std::string kind;
  std::string preset;  // the preset's name, for display
  std::uint64_t seed = 1;
  // The preset's title and lesson, so whoever opens the file reads what to watch for
  // (optional in the file: empty when it has none).
  std::string title, lesson;
};

struct OpenedExperiment {
  ExperimentSource source;
  std::unique_ptr<Experiment> experiment;
};

// Throws InputError naming `path` (cannot write) or std::invalid_argument (the experiment's
// kind saves no state).
void saveExperiment(const Experiment& e, const ExperimentSource& source, const QString& path);
// Throws InputError naming `path` and what is wrong: unreadable, empty, not an experiment
// file, a newer format version, truncated, checksum mismatch, settings this build refuses,
// an experiment that does not fit the memory free now (estimated for `memory` before it is
// built), a data file the settings name that is missing, or state that does not fit.
OpenedExperiment openExperiment(const QString& path, const MemoryContext& memory = {});

// What a file holds without rebuilding it (`attent-studio info`). Checks structure and checksum.
struct ExperimentFileInfo {
  std::uint32_t version = 0;
  qint64 fileBytes = 0;
  ExperimentSource source;
  long step = 0, totalSteps = 0;
  QString savedAt;
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<std::pair<std::string, qint64>> sections;  // tag, bytes
  QByteArray runsJson;                                   // the META section's "runs" array
};
ExperimentFileInfo readExperimentInfo(const QString& path);

// CRC-32 (IEEE 802.3, as zlib's crc32) - the file's checksum.
std::uint32_t crc32(const char* data, std::size_t size);

}  // namespace attent::app

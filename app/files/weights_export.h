#pragma once
// Weights for other tools (docs/FORMATS.md, "Weights export"): every run's parameter
// tensors, one held-out batch as the learner sees it, the per-example losses on it and
// the gradients of their mean, as NumPy .npy files (little-endian float32 / int32), with
// manifest.json naming tensors, shapes, dtypes, model settings and how tensors map to layers.
//   DIR/manifest.json
//   DIR/batch/{indices,tokens,targets,labels,lengths,patches}.npy   (those the task has)
//   DIR/runs/<run>/params/<tensor>.npy, DIR/runs/<run>/grads/<tensor>.npy, DIR/runs/<run>/losses.npy
#include <QString>

#include "app/files/experiment_file.h"
#include "engine/teach/experiment.h"

namespace attent::app {

struct WeightsExportOptions {
  int batch = 32;  // held-out examples 0..batch-1 (fewer if the held-out set is smaller)
};

// Exports every run of `e` (the window's "Export weights" action and `attent-studio export`).
// Runs forward and backward on the held-out batch; parameter values, optimiser moments and
// the training state are untouched (gradients are restored afterwards), so training can go on.
// Throws InputError naming a file that cannot be written, std::invalid_argument when `e` has
// no learners.
void exportWeights(Experiment& e, const ExperimentSource& source, const QString& directory,
                   const WeightsExportOptions& options = {});

}  // namespace attent::app

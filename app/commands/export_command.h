#pragma once
// `attent-studio export --preset P [--data FILE] [--steps N] [--seed S] [--batch B]
//                      [--set key=value]... [--threads N] --out DIR`
// Builds and trains the preset like `run` (one seed), then writes every run's weights, one
// held-out batch, its per-example losses and the gradients of their mean as .npy files with
// DIR/manifest.json (app/files/weights_export.h, docs/FORMATS.md). Exit status: 0 done,
// 1 a data file, the experiment or a write failed, 2 a usage error (message on stderr).
// `args` are the arguments after the subcommand name.
#include <QStringList>

namespace attent::app {
int exportCommand(const QStringList& args);
}  // namespace attent::app

#pragma once
// `attent-studio run` and `attent-studio presets` (docs/ARCHITECTURE.md "Contracts").
//   run --preset P [--data FILE] [--steps N] [--seeds 1,2,3] [--set key=value]...
//       [--threads N] [--out DIR]
// Progress on stderr, a summary table on stdout, DIR/metrics.csv and DIR/summary.json
// (each written atomically). Exit status: 0 done, 1 a data file or experiment failed,
// 2 a usage error (unknown option, unknown --set key or bad value: lists valid keys).
// `args` are the arguments after the subcommand name.
#include <QStringList>

namespace attent::app {
int runCommand(const QStringList& args);
int presetsCommand(const QStringList& args);
}  // namespace attent::app

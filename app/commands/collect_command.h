#pragma once
// `attent-studio collect DIR... [--out DIR]`: merges the slices `run --shard I/N` wrote into
// one metrics.csv, diagnostics.csv and summary.json, and prints `run`'s table and verdict
// over all their seeds (docs/SWEEPS.md). A missing, duplicated or mismatched slice is
// refused, naming it, with exit status 2.
#include <QStringList>

namespace attent::app {
int collectCommand(const QStringList& args);
}  // namespace attent::app

#pragma once
// One slice of a seed list, for sweeps run by a batch scheduler (docs/SWEEPS.md):
// `run --shard I/N` trains slice I of N into its own folder; `collect` merges the slices.
#include <QJsonObject>
#include <optional>
#include <string>
#include <vector>

namespace attent::app {

struct Shard {
  int index = 1, count = 1;  // 1-based: slice `index` of `count`

  // Contiguous slices whose sizes differ by at most one, in seed-list order.
  std::vector<long> slice(const std::vector<long>& seeds) const;
  std::string folderName() const;  // "shard-2-of-4"
};

// "I/N" with 1 <= I <= N <= seedCount; nullopt with the reason in `error` otherwise.
std::optional<Shard> parseShard(const std::string& text, std::size_t seedCount, std::string& error);
// summary.json's "shard": {"index", "count", "all_seeds"}.
QJsonObject shardJson(const Shard& shard, const std::vector<long>& allSeeds);

}  // namespace attent::app

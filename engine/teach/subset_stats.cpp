#include "engine/teach/subset_stats.h"

#include <algorithm>

namespace attent {

double subsetOverlap(const std::vector<int>& current, const std::vector<int>& previous, int poolSize) {
  if (current.empty() || previous.empty()) return kNoValue;
  std::vector<char> before(std::size_t(std::max(0, poolSize)), 0);
  for (int i : previous)
    if (i >= 0 && i < poolSize) before[std::size_t(i)] = 1;
  long kept = 0;
  for (int i : current) kept += i >= 0 && i < poolSize && before[std::size_t(i)];
  return double(kept) / double(current.size());
}

SubsetClasses subsetClasses(const std::vector<int>& labels, const std::vector<int>& subset,
                            std::vector<std::string> names) {
  SubsetClasses out;
  out.subsetSize = int(subset.size());
  int classes = int(names.size());
  for (int l : labels) classes = std::max(classes, l + 1);
  std::vector<long> inPool(std::size_t(classes), 0), inSubset(std::size_t(classes), 0);
  long pool = 0, chosen = 0;
  for (int l : labels)
    if (l >= 0) ++inPool[std::size_t(l)], ++pool;
  for (int i : subset)
    if (i >= 0 && i < int(labels.size()) && labels[std::size_t(i)] >= 0)
      ++inSubset[std::size_t(labels[std::size_t(i)])], ++chosen;
  if (pool == 0) return out;
  for (int c = int(names.size()); c < classes; ++c) names.push_back("class " + std::to_string(c));
  out.names = std::move(names);
  for (int c = 0; c < classes; ++c) {
    out.poolShare.push_back(double(inPool[std::size_t(c)]) / double(pool));
    out.subsetShare.push_back(chosen > 0 ? double(inSubset[std::size_t(c)]) / double(chosen) : 0.0);
  }
  return out;
}

std::vector<int> poolLabels(const Task& task) {
  std::vector<int> labels(std::size_t(std::max(0, task.size(Split::Pool))));
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = task.classOf(Split::Pool, int(i));
  return labels;
}

}  // namespace attent

#pragma once
// What a teacher's subset holds, for the picks view: its classes against the pool's, and how
// much of it the previous selection already held.
#include <string>
#include <vector>

#include "engine/teach/snapshot.h"

namespace attent {

// Fraction of `current` that is also in `previous` (pool indices below poolSize); NaN when
// either is empty.
double subsetOverlap(const std::vector<int>& current, const std::vector<int>& previous, int poolSize);
// Each class's share of `subset` and of the pool; labels[i] is pool example i's class
// (-1: none, left out of both). Names empty (and no shares) when no example has a class.
// overlapWithPrevious is left NaN for the caller.
SubsetClasses subsetClasses(const std::vector<int>& labels, const std::vector<int>& subset,
                            std::vector<std::string> names);
// labels[i] = task.classOf(Split::Pool, i) for every pool example.
std::vector<int> poolLabels(const Task& task);

}  // namespace attent

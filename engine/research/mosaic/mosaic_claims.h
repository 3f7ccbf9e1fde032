#pragma once
// The mosaic paper's claims as numbers (docs/SCIENCE.md section 4; keys in docs/FORMATS.md):
// the closed-form toy's crossing time, and on data each paradigm's focus and FTPT/FFPT/FTPF/FFPF
// at an early and a late checkpoint, SA against HA and the hybrid against the best of both.
#include <optional>
#include <vector>

#include "engine/teach/claims.h"

namespace attent {

// The first toy time where HA's focus weight alpha overtakes SA's, both by gradient flow from
// mu = nu = 0 for m segments and C classes; searched over growing horizons up to 1e5 (nullopt:
// HA never overtakes there).
std::optional<double> toyCrossingTime(int m, int C);

// Early: the first evaluation at or after this fraction of the steps; late: the last one.
constexpr double kEarlyFraction = 0.25;
// The hybrid "gets both" when within this many percentage points of the better of SA and HA.
constexpr double kHybridTolerance = 1.0;

std::vector<Claim> mosaicClaims(const Experiment& experiment);

}  // namespace attent

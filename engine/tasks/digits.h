#pragma once
// The 8x8 UCI optdigits images (1,797; scikit-learn's copy), compiled into the engine
// from resources/data/ (see resources/data/README for attribution and licence).
#include <array>
#include <cstdint>
#include <vector>

namespace attent {

struct DigitImage {
  std::array<std::uint8_t, 64> pixels;  // row-major, values 0..16
  int label = 0;                        // 0..9
};

// All 1,797 images, in the data set's order. Decoded once, on first use (thread-safe).
const std::vector<DigitImage>& optdigits();

}  // namespace attent

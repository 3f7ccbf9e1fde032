#pragma once
// A small, fully specified generator (xoshiro256**, seeded by splitmix64) so the same
// seed gives the same numbers on every compiler and standard library.
#include <cmath>
#include <cstdint>

#include "engine/core/byte_io.h"

namespace attent {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 1) { reseed(seed); }
  void reseed(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
    hasSpare_ = false;
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double uniform() { return (next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  double normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * f;
    hasSpare_ = true;
    return u * f;
  }
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  // Gumbel(0, 1) noise for Gumbel-top-k selection.
  double gumbel() {
    double u;
    do u = uniform();
    while (u <= 0);
    return -std::log(-std::log(u));
  }

  // The whole state, Box-Muller spare included, so a restored generator continues exactly.
  void save(ByteWriter& w) const {
    for (auto s : s_) w.put<std::uint64_t>(s);
    w.put<double>(spare_);
    w.put<std::uint8_t>(hasSpare_);
  }
  void restore(ByteReader& in) {
    for (auto& s : s_) s = in.get<std::uint64_t>("RNG state");
    spare_ = in.get<double>("RNG state");
    hasSpare_ = in.get<std::uint8_t>("RNG state") != 0;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool hasSpare_ = false;
};

}  // namespace attent

#include "engine/teach/seed_run.h"

namespace attent {

std::unique_ptr<Experiment> trainSeed(const SeedBuilder& build, std::uint64_t seed,
                                      const SeedObserver& observe) {
  std::unique_ptr<Experiment> e = build(seed);
  if (!observe(*e)) return nullptr;
  while (!e->finished()) {
    e->step();
    if (!observe(*e)) return nullptr;
  }
  return e;
}

}  // namespace attent

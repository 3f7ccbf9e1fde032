#pragma once
// A test double: synthetic numbers behind the Experiment interface, fast and deterministic,
// for the tests of the worker thread and the window (none of it ships in attent-studio).
#include <memory>

#include "app/worker/catalog.h"

namespace attent::app {

// settings: "steps" (total), "work_us" (busy time per step), "runs"; "fail_at_step": that
// step throws std::bad_alloc (tests of failures).
std::unique_ptr<Experiment> makeFakeExperiment(const Settings& settings, std::uint64_t seed);
Settings fakeSettings();
Catalog fakeCatalog();  // one preset, "demo", over makeFakeExperiment
// Adds a copy of the catalog's first preset named `name` whose build always throws
// InputError(message), as a bad data file would (tests of failure paths).
void addBrokenPreset(Catalog& catalog, const std::string& name, const std::string& message);

}  // namespace attent::app

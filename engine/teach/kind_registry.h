#pragma once
// The kinds an experiment is made of, each one registered type: an experiment kind declares
// its settings and builds itself (its runs, their learners and teachers, the baseline run); a
// teacher kind builds its teacher from the teacher.* settings. Adding a kind is one new file
// (the class and a factory function) and one line in kind_registry.cpp; see
// docs/ARCHITECTURE.md, "Adding a kind".
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/teach/claims.h"
#include "engine/teach/experiment.h"
#include "engine/teach/memory_estimate.h"
#include "engine/teach/teacher.h"

namespace attent {

// Named kinds, looked up by name; an unknown name throws SettingsError listing the valid ones.
template <class Kind>
class KindRegistry {
 public:
  explicit KindRegistry(std::string what) : what_(std::move(what)) {}
  Kind& add(std::unique_ptr<Kind> kind) {
    if (find(kind->name())) throw std::logic_error(what_ + " '" + kind->name() + "' is registered twice");
    kinds_.push_back(std::move(kind));
    return *kinds_.back();
  }
  const Kind* find(const std::string& name) const {
    for (const auto& k : kinds_)
      if (k->name() == name) return k.get();
    return nullptr;
  }
  const Kind& get(const std::string& name) const {
    if (const Kind* k = find(name)) return *k;
    std::string valid;
    for (const auto& n : names()) valid += (valid.empty() ? "" : ", ") + n;
    throw SettingsError("unknown " + what_ + " '" + name + "'; valid " + what_ + "s: " + valid);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& k : kinds_) n.push_back(k->name());
    return n;
  }

 private:
  std::string what_;
  std::vector<std::unique_ptr<Kind>> kinds_;
};

// What an experiment of a kind teaches first, for a window to put in front: a teacher's run
// against random sampling (the loss curves; the teacher's picks beside them), or a paper's own
// figure (its diagnostics; no teacher). Unstated: every view, the loss curves in front.
enum class Lesson { Unstated, TeacherAgainstRandom, PaperFigure };

class ExperimentKind {
 public:
  virtual ~ExperimentKind() = default;
  virtual std::string name() const = 0;
  virtual Lesson lesson() const { return Lesson::Unstated; }
  // The kind's settings with their defaults, experiment.* included (teacher.* is added for all).
  virtual std::vector<SettingSpec> settingSpecs() const = 0;
  // `settings` holds every declared key (defaults filled in). Throws SettingsError or InputError.
  virtual std::unique_ptr<Experiment> build(const Settings& settings, std::uint64_t seed) const = 0;
  // The paper's claims measured on a finished experiment this kind built (engine/teach/claims.h);
  // none for a kind that reproduces no paper.
  virtual std::vector<Claim> claims(const Experiment& /*experiment*/) const { return {}; }
  // Combinations that cannot work, found from the settings alone (every declared key present):
  // throws SettingsError saying why. buildExperiment calls it before building, the settings
  // editor on every edit; what needs the data (a text shorter than one sequence, a teacher's
  // subset smaller than a batch) is refused when the task and teachers are built.
  virtual void check(const Settings& /*settings*/) const {}
  // The kind's terms of the memory estimate (memory_estimate.h), from the settings alone:
  // learners, data, teachers; and the runs and snapshot size the shared terms need.
  virtual MemoryEstimate estimateMemory(const Settings& /*settings*/,
                                        const MemoryContext& /*context*/) const {
    MemoryEstimate e;
    e.runs = 1;
    return e;
  }
};

struct TeacherSetup {
  const Settings& settings;  // the experiment's, teacher.* included
  int poolSize = 0;
  std::uint64_t dataSeed = 0;  // identical for every run of an experiment
  long totalSteps = 0;
  int batchSize = 0;  // the run's minibatch (0: the whole current subset)
};

class TeacherKind {
 public:
  virtual ~TeacherKind() = default;
  virtual std::string name() const = 0;
  virtual std::unique_ptr<Teacher> make(const TeacherSetup& setup) const = 0;
  // The teacher kind of the control run teacher.random_subset adds next to a run this kind
  // teaches (its subset sizes, examples picked at random); empty: it has none.
  virtual std::string randomSubsetControl() const { return {}; }
};

// The registries, with the built-in kinds registered on first use. Tests may add kinds.
KindRegistry<ExperimentKind>& experimentKindRegistry();
KindRegistry<TeacherKind>& teacherKindRegistry();

}  // namespace attent

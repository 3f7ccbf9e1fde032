// scb: SGD against the proximal method on sparse contextual bigrams; scb-transfer: a run
// pretrained on a correlated truth against one from scratch (docs/SCIENCE.md section 3).
#include "engine/research/common.h"
#include "engine/research/scb/scb.h"
#include "engine/research/scb/scb_claims.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

namespace attent {

namespace {

// Both scb kinds: the paper's impossible combinations (Q > T-1, a sparse P with more non-zeros
// than tokens) from the settings alone, and the memory of `tasks` tasks and `variants` runs.
void checkScb(const Settings& s) { ScbConfig::from(research::resolve(scbSettingSpecs(), s)); }

MemoryEstimate scbMemory(const Settings& given, int variants, int tasks) {
  const Settings s = research::resolve(scbSettingSpecs(), given);
  const double N = double(s.integer("scb.vocab")), T = double(s.integer("scb.context"));
  const double n = double(s.integer("scb.samples") + s.integer("scb.heldout")),
               B = double(s.integer("scb.batch"));
  MemoryEstimate e;
  e.runs = runsWith(given, variants, false);
  e.add("data",
        "(scb.samples + scb.heldout) x scb.context=" + std::to_string(long(T)) + ", " +
            std::to_string(tasks) + (tasks == 1 ? " task" : " tasks"),
        tasks * 4 * n * (T + 2));
  // V (N x N) and A (T x N) in four buffers each, and the step's residuals and gradients.
  e.add("parameters, gradients and optimiser moments", "scb.vocab x scb.context",
        (e.runs + tasks - 1) * (16 * (N * N + T * N) + 8 * (B * N + 2 * (N * N + T * N))));
  e.add("teacher scoring buffers", "scb.samples", e.runs * 20 * double(s.integer("scb.samples")));
  e.snapshotBytes = e.runs * (8 * (N * N + T * N) + 4096);
  e.diagnosticsBytes = 12 * (N * N + T * N) + 4096;  // V and A with their labels, the errors, the CSV row
  return e;
}

class ScbKind : public ExperimentKind {
 public:
  std::string name() const override { return "scb"; }
  Lesson lesson() const override { return Lesson::PaperFigure; }
  void check(const Settings& s) const override { checkScb(s); }
  MemoryEstimate estimateMemory(const Settings& s, const MemoryContext&) const override {
    return scbMemory(s, 2, 1);
  }
  std::vector<Claim> claims(const Experiment& e) const override { return scbClaims(e); }

  std::vector<SettingSpec> settingSpecs() const override {
    return concat(
        experimentSpecs(3000, 100, true),
        without(scbSettingSpecs(), {"scb.steps", "scb.method", "scb.correlation", "scb.pretrain_steps"}));
  }

  std::unique_ptr<Experiment> build(const Settings& s, std::uint64_t seed) const override {
    auto resolved = research::resolve(scbSettingSpecs(), s);
    auto task = std::make_shared<const ScbTask>(resolved, seed);
    const int batch = int(resolved.integer("scb.batch"));
    std::vector<Variant> variants;
    for (auto [name, method] :
         {std::pair{"SGD", ScbMethod::Sgd}, std::pair{"proximal", ScbMethod::Proximal}}) {
      LinearScbConfig lc = LinearScbConfig::from(resolved);
      lc.method = method;
      // Each method at its own tuned rate: SGD at the proximal method's rate would look slower than it is.
      const double lr = resolved.real(method == ScbMethod::Sgd ? "scb.sgd_lr" : "scb.lr");
      variants.push_back({name, [task, lc, seed] { return std::make_unique<LinearScb>(task, lc, seed); },
                          sgdConfig(lr, batch), "random"});
    }
    LockstepOptions options = lockstepOptions(s);
    options.baselineRun = 0;  // time to SGD's final loss
    options.detectMarkers = scbStageMarkers;
    return assembleExperiment(s, variants, seed, task, options);
  }
};

class ScbTransferKind : public ExperimentKind {
 public:
  std::string name() const override { return "scb-transfer"; }
  Lesson lesson() const override { return Lesson::PaperFigure; }
  void check(const Settings& s) const override { checkScb(s); }
  MemoryEstimate estimateMemory(const Settings& s, const MemoryContext&) const override {
    return scbMemory(s, 2, 2);  // the correlated pretraining task and its run
  }
  std::vector<Claim> claims(const Experiment& e) const override { return scbTransferClaims(e); }

  std::vector<SettingSpec> settingSpecs() const override {
    return concat(experimentSpecs(3000, 100, true), without(scbSettingSpecs(), {"scb.steps"}));
  }

  // Pretrain on a correlated truth (P', Q*'), then fine-tune next to a run from scratch.
  std::unique_ptr<Experiment> build(const Settings& s, std::uint64_t seed) const override {
    auto resolved = research::resolve(scbSettingSpecs(), s);
    auto task = std::make_shared<const ScbTask>(resolved, seed);
    const RunConfig config = sgdConfig(resolved.real("scb.lr"), int(resolved.integer("scb.batch")));
    const LinearScbConfig lc = LinearScbConfig::from(resolved);
    auto pretrainTask = task->correlatedTask(resolved.real("scb.correlation"), seed + 1000);
    auto pretrained = std::make_shared<LinearScb>(pretrainTask, lc, seed);
    {
      RunConfig pc = config;
      pc.name = "pretrain";
      Run pre(pc, std::make_unique<LinearScb>(pretrainTask, lc, seed),
              std::make_unique<RandomTeacher>(pretrainTask->size(Split::Pool), seed + 7));
      for (long t = 0; t < resolved.integer("scb.pretrain_steps"); ++t) pre.trainStep(t);
      pretrained->parameters().values() = pre.learner().parameters().values();
    }
    std::vector<Variant> variants;
    variants.push_back({"scratch", [task, lc, seed] { return std::make_unique<LinearScb>(task, lc, seed); },
                        config, "random"});
    variants.push_back({"pretrained",
                        [task, lc, seed, pretrained] {
                          auto l = std::make_unique<LinearScb>(task, lc, seed);
                          l->initializeFrom(*pretrained);
                          return l;
                        },
                        config, "random"});
    LockstepOptions options = lockstepOptions(s);
    options.baselineRun = 0;  // time to the scratch run's final loss
    options.shareInitialWeights = false;
    options.detectMarkers = scbStageMarkers;
    auto keep = std::make_shared<std::pair<std::shared_ptr<const ScbTask>, std::shared_ptr<const ScbTask>>>(
        task, pretrainTask);
    return assembleExperiment(s, variants, seed, keep, options);
  }
};

}  // namespace

std::unique_ptr<ExperimentKind> scbKind() { return std::make_unique<ScbKind>(); }
std::unique_ptr<ExperimentKind> scbTransferKind() { return std::make_unique<ScbTransferKind>(); }

}  // namespace attent

// The experiment kinds: which task, which learners, which teachers, with their settings.
// Every kind shares the experiment.* and teacher.* keys; research kinds add their paper's
// keys, transformer kinds add model.*, train.* and their task's data keys.
#include <algorithm>
#include <functional>

#include "engine/core/input_error.h"
#include "engine/research/common.h"
#include "engine/research/scb/scb.h"
#include "engine/research/topic_words/topic_words.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/lockstep_experiment.h"

namespace attent {

namespace {

using S = SettingSpec;

const std::vector<std::string> kKinds = {"topic-words", "scb",     "scb-transfer",     "mosaic",
                                         "digits-vit",  "text-lm", "text-lm-finetune", "csv-classify"};

// Keys of a paper's spec list this layer replaces (experiment.steps drives every kind).
std::vector<SettingSpec> without(std::vector<SettingSpec> specs, const std::vector<std::string>& drop) {
  specs.erase(std::remove_if(specs.begin(), specs.end(),
                             [&](const SettingSpec& s) {
                               return std::find(drop.begin(), drop.end(), s.key) != drop.end();
                             }),
              specs.end());
  return specs;
}

std::vector<SettingSpec> experimentSpecs(long steps, long evalEvery, bool compareSetting) {
  std::vector<SettingSpec> v = {
      S::integer("experiment.steps", steps, 1, 100000000, "Training steps of every run."),
      S::integer("experiment.eval_every", evalEvery, 1, 100000000,
                 "Held-out evaluation every this many steps."),
      S::integer("experiment.log_every", std::max(1L, evalEvery / 5), 1, 100000000,
                 "A history point (train loss averaged since the last) every this many steps."),
      S::integer("experiment.eval_examples", 0, 0, 100000000, "Held-out examples evaluated; 0 = all."),
      S::real("experiment.target_loss", 0.0, 0.0, 1e9,
              "Target eval loss for time-to-target; 0 = the random run's final eval loss."),
      S::choice(
          "experiment.eval_on", "heldout", {"heldout", "pool"},
          "Evaluate on the held-out set, or on the training pool (for tuning without touching held-out)."),
      S::choice(
          "experiment.clock", "cpu", {"cpu", "wall"},
          "Compute clock: CPU seconds of the process (robust to other programs) or wall-clock seconds."),
  };
  if (compareSetting)
    v.push_back(S::boolean("experiment.compare", false,
                           "Add an AtteNT run next to the first run (which becomes the random baseline)."));
  return v;
}

}  // namespace

// Defaults tuned on the digits training pool (docs/RESULTS.md): soft selection (tau 0.25) of
// half the pool, re-selected every 100 steps. The paper's ViT schedule is
// ratio_start 0.2, ratio_end 0.8, interval incremental, selection hard.
std::vector<SettingSpec> teacherSettingSpecs() {
  return {
      S::choice("teacher.score", "loss", {"loss", "gradnorm"},
                "AtteNT's score: per-example mean loss, or functional-gradient magnitude ||p - e_y||."),
      S::real("teacher.ratio_start", 0.5, 0.001, 1.0, "Fraction of the pool selected at the start."),
      S::real("teacher.ratio_end", 0.5, 0.001, 1.0, "Fraction of the pool selected at the end."),
      S::choice("teacher.schedule", "constant", {"constant", "linear", "cosine", "step"},
                "How the ratio goes from start to end (step: 10 stages; constant: stays at start)."),
      S::choice("teacher.interval", "fixed", {"dense", "fixed", "incremental"},
                "When to re-select: every step, every teacher.every steps, or every step for the first "
                "25% then widening to teacher.max_interval."),
      S::integer("teacher.every", 100, 1, 1000000, "Steps between selections (fixed interval)."),
      S::integer("teacher.max_interval", 50, 1, 1000000, "Widest gap between selections (incremental)."),
      S::choice("teacher.selection", "soft", {"hard", "soft"},
                "hard: the top-k scores; soft: Gumbel-top-k, sampling proportional to softmax(score / tau)."),
      S::real("teacher.tau", 0.25, 1e-6, 1e6, "Temperature of soft selection."),
      S::integer("teacher.chunk", 256, 1, 1000000, "Examples per scoring forward."),
      S::boolean("teacher.random_subset", false,
                 "Also run the random-subset baseline (a random subset of AtteNT's current size)."),
  };
}

AtteNTConfig atteNTConfig(const Settings& s, long totalSteps) {
  AtteNTConfig c;
  c.score = s.text("teacher.score") == "gradnorm" ? ScoreKind::GradNorm : ScoreKind::Loss;
  const std::string shape = s.text("teacher.schedule");
  c.ratio.shape = shape == "constant" ? RatioShape::Constant
                  : shape == "cosine" ? RatioShape::Cosine
                  : shape == "step"   ? RatioShape::Step
                                      : RatioShape::Linear;
  c.ratio.ratioStart = s.real("teacher.ratio_start");
  c.ratio.ratioEnd = s.real("teacher.ratio_end");
  c.ratio.totalSteps = totalSteps;
  const std::string interval = s.text("teacher.interval");
  c.selection.kind = interval == "dense"   ? IntervalKind::Dense
                     : interval == "fixed" ? IntervalKind::Fixed
                                           : IntervalKind::Incremental;
  c.selection.every = s.integer("teacher.every");
  c.selection.maxInterval = s.integer("teacher.max_interval");
  c.selection.totalSteps = totalSteps;
  c.soft = s.text("teacher.selection") == "soft";
  c.tau = s.real("teacher.tau");
  c.chunk = int(s.integer("teacher.chunk"));
  return c;
}

std::unique_ptr<Teacher> makeTeacher(const std::string& kind, const Settings& s, int poolSize,
                                     std::uint64_t dataSeed, long totalSteps) {
  if (kind == "attent")
    return std::make_unique<AtteNTTeacher>(poolSize, dataSeed, atteNTConfig(s, totalSteps));
  if (kind == "random-subset") {
    const AtteNTConfig c = atteNTConfig(s, totalSteps);
    return std::make_unique<RandomSubsetTeacher>(poolSize, dataSeed, c.ratio, c.selection);
  }
  return std::make_unique<RandomTeacher>(poolSize, dataSeed);
}

LockstepOptions lockstepOptions(const Settings& s) {
  LockstepOptions o;
  o.totalSteps = s.integer("experiment.steps");
  o.evalEvery = s.integer("experiment.eval_every");
  o.logEvery = s.integer("experiment.log_every");
  o.evalExamples = int(s.integer("experiment.eval_examples"));
  if (s.real("experiment.target_loss") > 0) o.targetEvalLoss = s.real("experiment.target_loss");
  if (s.text("experiment.eval_on") == "pool") o.evalSplit = Split::Pool;
  return o;
}

std::unique_ptr<Experiment> assembleExperiment(const Settings& s, std::vector<Variant> variants,
                                               std::uint64_t seed, std::shared_ptr<const void> keepAlive,
                                               LockstepOptions options) {
  if (variants.empty()) throw SettingsError("an experiment needs at least one run");
  // One setting turns any preset into AtteNT vs random: the first run is the baseline.
  if (s.has("experiment.compare") && s.boolean("experiment.compare")) {
    Variant a = variants[0];
    a.name += "+attent";
    a.teacher = "attent";
    variants.insert(variants.begin() + 1, a);
    if (options.baselineRun < 0) options.baselineRun = 0;
  }
  if (s.has("teacher.random_subset") && s.boolean("teacher.random_subset")) {
    auto it = std::find_if(variants.begin(), variants.end(),
                           [](const Variant& v) { return v.teacher == "attent"; });
    if (it != variants.end()) {
      Variant r = *it;
      r.name = it->name == "attent" ? "random-subset" : it->name + "+random-subset";
      r.teacher = "random-subset";
      variants.push_back(r);
    }
  }
  std::vector<std::unique_ptr<Run>> runs;
  // Identical data-order seeds for every run: the teachers differ, the coin flips do not.
  const std::uint64_t dataSeed = seed * 0x9e3779b97f4a7c15ULL + 17;
  for (auto& v : variants) {
    auto learner = v.makeLearner();
    const int pool = learner->task().size(Split::Pool);
    if (pool < 1) throw SettingsError("the task's training pool is empty");
    RunConfig config = v.config;
    config.name = v.name;
    config.wallClock = s.text("experiment.clock") == "wall";
    runs.push_back(std::make_unique<Run>(config, std::move(learner),
                                         makeTeacher(v.teacher, s, pool, dataSeed, options.totalSteps)));
  }
  return std::make_unique<LockstepExperiment>(s, options, std::move(runs), std::move(keepAlive));
}

// ---- the research kinds

namespace {

RunConfig sgdConfig(double lr, int batch) {
  RunConfig c;
  OptimizerSettings o;
  o.kind = OptimizerKind::Sgd;
  o.lr = lr;
  c.optimizers = {o};
  c.batchSize = batch;
  return c;
}

std::unique_ptr<Experiment> buildTopicWords(const Settings& s, std::uint64_t seed) {
  auto resolved = research::resolve(topicWordsSettingSpecs(), s);
  auto task = std::make_shared<const TopicWordsTask>(resolved, seed);
  const RunConfig config = sgdConfig(resolved.real("topic.lr"), int(resolved.integer("topic.batch")));
  std::vector<Variant> variants;
  for (auto [name, kind] : {std::pair{"FC", TopicClassifier::FC}, std::pair{"TC", TopicClassifier::TC},
                            std::pair{"TL", TopicClassifier::TL}}) {
    TopicAttentionConfig lc = TopicAttentionConfig::from(resolved, task->config());
    lc.classifier = kind;
    variants.push_back({name, [task, lc, seed] { return std::make_unique<TopicAttention>(task, lc, seed); },
                        config, "random"});
  }
  // The classifier named in topic.classifier leads (and is the baseline of experiment.compare).
  const std::string lead = resolved.text("topic.classifier");
  const int first = lead == "tc" ? 1 : lead == "tl" ? 2 : 0;
  std::rotate(variants.begin(), variants.begin() + first, variants.begin() + first + 1);
  return assembleExperiment(s, variants, seed, task, lockstepOptions(s));
}

std::unique_ptr<Experiment> buildScb(const Settings& s, std::uint64_t seed, bool transfer) {
  auto resolved = research::resolve(scbSettingSpecs(), s);
  auto task = std::make_shared<const ScbTask>(resolved, seed);
  const RunConfig config = sgdConfig(resolved.real("scb.lr"), int(resolved.integer("scb.batch")));
  std::vector<Variant> variants;
  LockstepOptions options = lockstepOptions(s);
  options.baselineRun = 0;  // time to SGD's (scb) or the scratch run's (transfer) final loss
  if (!transfer) {
    for (auto [name, method] :
         {std::pair{"SGD", ScbMethod::Sgd}, std::pair{"proximal", ScbMethod::Proximal}}) {
      LinearScbConfig lc = LinearScbConfig::from(resolved);
      lc.method = method;
      // Each method at its own tuned rate: SGD at the proximal method's rate would look slower than it is.
      const RunConfig methodConfig = method == ScbMethod::Sgd ? sgdConfig(resolved.real("scb.sgd_lr"),
                                                                          int(resolved.integer("scb.batch")))
                                                              : config;
      variants.push_back({name, [task, lc, seed] { return std::make_unique<LinearScb>(task, lc, seed); },
                          methodConfig, "random"});
    }
    return assembleExperiment(s, variants, seed, task, options);
  }
  // Transfer: pretrain on a correlated truth (P', Q*'), then fine-tune next to a run from scratch.
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
  variants.push_back({"scratch", [task, lc, seed] { return std::make_unique<LinearScb>(task, lc, seed); },
                      config, "random"});
  variants.push_back({"pretrained",
                      [task, lc, seed, pretrained] {
                        auto l = std::make_unique<LinearScb>(task, lc, seed);
                        l->initializeFrom(*pretrained);
                        return l;
                      },
                      config, "random"});
  options.shareInitialWeights = false;
  auto keep = std::make_shared<std::pair<std::shared_ptr<const ScbTask>, std::shared_ptr<const ScbTask>>>(
      task, pretrainTask);
  return assembleExperiment(s, variants, seed, keep, options);
}

}  // namespace

// ---- the public entry points

std::vector<std::string> experimentKinds() { return kKinds; }

Settings experimentSettings(const std::string& kind) {
  Settings s;
  if (kind == "topic-words") {
    s.declare(experimentSpecs(2000, 100, true));
    s.declare(without(topicWordsSettingSpecs(), {"topic.epochs"}));
  } else if (kind == "scb" || kind == "scb-transfer") {
    s.declare(experimentSpecs(3000, 100, true));
    auto specs = without(scbSettingSpecs(), {"scb.steps"});
    if (kind == "scb") specs = without(specs, {"scb.method", "scb.correlation", "scb.pretrain_steps"});
    s.declare(specs);
  } else if (transformerKind(kind)) {
    s.declare(experimentSpecs(1000, 50, false));
    s.declare(transformerKindSpecs(kind));
  } else if (kind == "mosaic") {
    s.declare(experimentSpecs(2000, 100, true));
    s.declare(mosaicKindSpecs());
  } else {
    std::string list;
    for (const auto& k : kKinds) list += (list.empty() ? "" : ", ") + k;
    throw SettingsError("unknown experiment kind '" + kind + "'; valid kinds: " + list);
  }
  s.declare(teacherSettingSpecs());
  return s;
}

std::unique_ptr<Experiment> buildExperiment(const std::string& kind, const Settings& settings,
                                            std::uint64_t seed) {
  // Start from the kind's defaults so callers may pass partial settings.
  Settings s = experimentSettings(kind);
  for (const auto& [key, value] : settings.values())
    if (s.has(key))
      if (auto err = s.set(key, value)) throw SettingsError(*err);
  if (kind == "topic-words") return buildTopicWords(s, seed);
  if (kind == "scb") return buildScb(s, seed, false);
  if (kind == "scb-transfer") return buildScb(s, seed, true);
  if (kind == "mosaic") return buildMosaic(s, seed);
  return buildTransformerKind(kind, s, seed);
}

}  // namespace attent

#include "engine/persist/checkpoint.h"

#include <stdexcept>

#include "engine/persist/byte_io.h"
#include "engine/research/mosaic/mosaic.h"
#include "engine/teach/lockstep_experiment.h"

namespace attent {

// Friend of Rng, the teachers, Run, LockstepExperiment and FocusMosaic: reads and writes
// the private state those carry between steps. Transient workspaces are not saved; each
// step overwrites them before reading.
struct StateAccess {
  static void put(ByteWriter& w, const Rng& r) {
    for (auto s : r.s_) w.put<std::uint64_t>(s);
    w.put<double>(r.spare_);
    w.put<std::uint8_t>(r.hasSpare_);
  }
  static void get(ByteReader& in, Rng& r) {
    for (auto& s : r.s_) s = in.get<std::uint64_t>("RNG state");
    r.spare_ = in.get<double>("RNG state");
    r.hasSpare_ = in.get<std::uint8_t>("RNG state") != 0;
  }

  static void put(ByteWriter& w, const Teacher& t) {
    w.putString(t.kind());
    put(w, t.rng_);
    w.putArray<std::int32_t>(t.order_);
    w.put<std::uint64_t>(t.cursor_);
    w.putArray<std::int32_t>(t.timesPicked_);
    w.put<std::int64_t>(t.scored_);
    if (auto* s = dynamic_cast<const RandomSubsetTeacher*>(&t)) {
      put(w, s->subsetRng_);
      w.putArray<std::int32_t>(s->subset_);
      w.putArray<std::int32_t>(s->all_);
      w.put<std::int64_t>(s->nextSelection_);
      w.put<std::int64_t>(s->lastSelection_);
      w.put<double>(s->ratioNow_);
    } else if (auto* a = dynamic_cast<const AtteNTTeacher*>(&t)) {
      put(w, a->gumbelRng_);
      w.putFloats(a->scores_);
      w.putFloats(a->losses_);
      w.putArray<std::int32_t>(a->subset_);
      w.put<std::int64_t>(a->nextSelection_);
      w.put<std::int64_t>(a->lastSelection_);
      w.put<double>(a->ratioNow_);
    }
  }
  static void checkIndices(ByteReader& in, const std::vector<int>& v, int pool, const char* field) {
    for (int i : v)
      if (i < 0 || i >= pool)
        in.fail(std::string(field) + " holds pool index " + std::to_string(i) + " outside [0, " +
                std::to_string(pool) + ")");
  }
  static void get(ByteReader& in, Teacher& t) {
    const std::string kind = in.getString("teacher kind");
    if (kind != t.kind()) in.fail("teacher is '" + kind + "' but the settings build '" + t.kind() + "'");
    const int pool = t.poolSize_;
    get(in, t.rng_);
    t.order_ = in.getArray<std::int32_t, int>("teacher order");
    checkIndices(in, t.order_, pool, "teacher order");
    t.cursor_ = std::size_t(in.get<std::uint64_t>("teacher cursor"));
    if (t.cursor_ > t.order_.size()) in.fail("teacher cursor past its order");
    auto picked = in.getArray<std::int32_t, int>("times picked");
    if (picked.size() != t.timesPicked_.size())
      in.fail("times picked has " + std::to_string(picked.size()) + " entries, pool has " +
              std::to_string(t.timesPicked_.size()));
    t.timesPicked_ = std::move(picked);
    t.scored_ = long(in.get<std::int64_t>("scored examples"));
    if (auto* s = dynamic_cast<RandomSubsetTeacher*>(&t)) {
      get(in, s->subsetRng_);
      s->subset_ = in.getArray<std::int32_t, int>("subset");
      checkIndices(in, s->subset_, pool, "subset");
      auto all = in.getArray<std::int32_t, int>("subset permutation");
      if (all.size() != s->all_.size()) in.fail("subset permutation does not match the pool");
      checkIndices(in, all, pool, "subset permutation");
      s->all_ = std::move(all);
      s->nextSelection_ = long(in.get<std::int64_t>("next selection"));
      s->lastSelection_ = long(in.get<std::int64_t>("last selection"));
      s->ratioNow_ = in.get<double>("ratio");
    } else if (auto* a = dynamic_cast<AtteNTTeacher*>(&t)) {
      get(in, a->gumbelRng_);
      auto scores = in.getFloats("pool scores");
      auto losses = in.getFloats("pool losses");
      if (scores.size() != a->scores_.size() || losses.size() != a->losses_.size())
        in.fail("pool scores do not match the pool size");
      a->scores_ = std::move(scores);
      a->losses_ = std::move(losses);
      a->subset_ = in.getArray<std::int32_t, int>("subset");
      checkIndices(in, a->subset_, pool, "subset");
      a->nextSelection_ = long(in.get<std::int64_t>("next selection"));
      a->lastSelection_ = long(in.get<std::int64_t>("last selection"));
      a->ratioNow_ = in.get<double>("ratio");
    }
  }

  static void put(ByteWriter& w, const Parameters<float>& p) {
    w.put<std::uint32_t>(std::uint32_t(p.count()));
    for (const auto& v : p.views()) {
      w.putString(v.name);
      w.putArray<std::int32_t>(v.shape);
      w.put<std::uint64_t>(v.offset);
      w.put<std::uint8_t>(v.trainable);
    }
    w.putFloats(p.values());
    w.putFloats(p.grads());
    w.putFloats(p.moments1());
    w.putFloats(p.moments2());
  }
  static void get(ByteReader& in, Parameters<float>& p) {
    const auto n = in.get<std::uint32_t>("tensor count");
    if (int(n) != p.count())
      in.fail("has " + std::to_string(n) + " parameter tensors, the settings build " +
              std::to_string(p.count()));
    for (int i = 0; i < p.count(); ++i) {
      ParamView& v = p.view(i);
      const std::string name = in.getString("tensor name");
      const auto shape = in.getArray<std::int32_t, int>("tensor shape");
      const auto offset = in.get<std::uint64_t>("tensor offset");
      const bool trainable = in.get<std::uint8_t>("tensor flags") != 0;
      if (name != v.name || shape != v.shape || offset != v.offset)
        in.fail("tensor " + std::to_string(i) + " is '" + name + "', the settings build '" + v.name +
                "' of another shape or place");
      v.trainable = trainable;
    }
    auto buffer = [&](auto& dst, const char* field) {
      auto src = in.getFloats(field);
      if (src.size() != dst.size())
        in.fail(std::string(field) + " holds " + std::to_string(src.size()) + " floats, expected " +
                std::to_string(dst.size()));
      dst.assign(src.begin(), src.end());
    };
    buffer(p.values(), "parameter values");
    buffer(p.grads(), "parameter gradients");
    buffer(p.moments1(), "first moments");
    buffer(p.moments2(), "second moments");
  }

  static void put(ByteWriter& w, const Run& r) {
    w.putString(r.config_.name);
    w.put<std::int64_t>(r.divergedAt_ ? *r.divergedAt_ : -1);
    w.put<double>(r.computeSeconds_);
    w.put<std::int64_t>(r.examplesSeen_);
    w.put<double>(r.trainLossSum_);
    w.put<std::int64_t>(r.trainLossCount_);
    w.put<float>(r.lastTrainLoss_);
    w.put<std::uint64_t>(r.history_.size());
    for (const MetricPoint& m : r.history_) {
      w.put<std::int64_t>(m.step);
      w.put<std::int64_t>(m.examplesSeen);
      w.put<double>(m.computeSeconds);
      w.put<float>(m.trainLoss);
      w.put<float>(m.evalLoss);
      w.put<float>(m.evalAccuracy);
    }
    const Learner& l = *r.learner_;
    w.putString(l.kind());
    put(w, l.parameters());
    // Learner counters: FocusMosaic counts updates for the hybrid's switch.
    auto* mosaic = dynamic_cast<const FocusMosaic*>(&l);
    w.put<std::int64_t>(mosaic ? mosaic->stepsDone_ : 0);
    put(w, *r.teacher_);
  }
  static void get(ByteReader& in, Run& r) {
    const std::string name = in.getString("run name");
    if (name != r.config_.name)
      in.fail("run is '" + name + "' but the settings build '" + r.config_.name + "'");
    const auto diverged = in.get<std::int64_t>("divergence step");
    r.divergedAt_ = diverged >= 0 ? std::optional<long>(long(diverged)) : std::nullopt;
    r.computeSeconds_ = in.get<double>("compute seconds");
    r.examplesSeen_ = long(in.get<std::int64_t>("examples seen"));
    r.trainLossSum_ = in.get<double>("train loss sum");
    r.trainLossCount_ = long(in.get<std::int64_t>("train loss count"));
    r.lastTrainLoss_ = in.get<float>("last train loss");
    const auto points = in.get<std::uint64_t>("history length");
    constexpr std::size_t kPointBytes = 8 + 8 + 8 + 4 + 4 + 4;
    if (points > in.remaining() / kPointBytes) in.fail("history length exceeds the data left");
    r.history_.resize(std::size_t(points));
    for (MetricPoint& m : r.history_) {
      m.step = long(in.get<std::int64_t>("history"));
      m.examplesSeen = long(in.get<std::int64_t>("history"));
      m.computeSeconds = in.get<double>("history");
      m.trainLoss = in.get<float>("history");
      m.evalLoss = in.get<float>("history");
      m.evalAccuracy = in.get<float>("history");
    }
    Learner& l = *r.learner_;
    const std::string kind = in.getString("learner kind");
    if (kind != l.kind()) in.fail("learner is '" + kind + "' but the settings build '" + l.kind() + "'");
    get(in, l.parameters());
    const auto counter = in.get<std::int64_t>("learner counter");
    if (auto* mosaic = dynamic_cast<FocusMosaic*>(&l)) mosaic->stepsDone_ = long(counter);
    get(in, *r.teacher_);
  }

  static const LockstepExperiment& lockstep(const Experiment& e) {
    auto* l = dynamic_cast<const LockstepExperiment*>(&e);
    if (!l) throw std::invalid_argument("this experiment cannot be saved (not a lockstep experiment)");
    return *l;
  }

  static std::vector<std::uint8_t> save(const Experiment& e) {
    const LockstepExperiment& x = lockstep(e);
    ByteWriter w;
    w.put<std::int64_t>(x.step_);
    w.put<std::uint32_t>(std::uint32_t(x.runs_.size()));
    for (const auto& r : x.runs_) put(w, *r);
    return std::move(w.bytes());
  }
  static void restore(Experiment& e, std::span<const std::uint8_t> bytes) {
    auto* x = dynamic_cast<LockstepExperiment*>(&e);
    if (!x) throw std::invalid_argument("this experiment cannot be restored (not a lockstep experiment)");
    ByteReader in(bytes, "experiment state");
    const auto step = in.get<std::int64_t>("step");
    if (step < 0 || step > x->options_.totalSteps)
      in.fail("step " + std::to_string(step) + " is outside [0, " + std::to_string(x->options_.totalSteps) +
              "]");
    const auto runs = in.get<std::uint32_t>("run count");
    if (runs != x->runs_.size())
      in.fail("holds " + std::to_string(runs) + " runs, the settings build " +
              std::to_string(x->runs_.size()));
    for (auto& r : x->runs_) {
      ByteReader& rin = in;
      get(rin, *r);
    }
    if (in.remaining() != 0) in.fail(std::to_string(in.remaining()) + " unexpected bytes after the last run");
    x->step_ = long(step);
  }

  static std::vector<RunStateInfo> describe(const Experiment& e) {
    std::vector<RunStateInfo> out;
    auto* x = dynamic_cast<const LockstepExperiment*>(&e);
    if (!x) return out;
    for (const auto& r : x->runs_) {
      RunStateInfo i;
      i.name = r->name();
      i.learner = r->learner_->kind();
      i.teacher = r->teacher_->kind();
      i.parameters = r->learner_->parameters().parameterCount();
      i.tensors = std::size_t(r->learner_->parameters().count());
      i.historyPoints = r->history_.size();
      i.examplesSeen = r->examplesSeen_;
      i.computeSeconds = r->computeSeconds_;
      i.divergedAt = r->divergedAt_;
      out.push_back(i);
    }
    return out;
  }
};

std::vector<std::uint8_t> saveExperimentState(const Experiment& e) { return StateAccess::save(e); }

void restoreExperimentState(Experiment& e, std::span<const std::uint8_t> bytes) {
  StateAccess::restore(e, bytes);
}

std::vector<RunStateInfo> describeRuns(const Experiment& e) { return StateAccess::describe(e); }

Learner* runLearner(Experiment& e, int run) {
  auto* x = dynamic_cast<LockstepExperiment*>(&e);
  if (!x || run < 0 || run >= x->runCount()) return nullptr;
  return &x->run(run).learner();
}

}  // namespace attent

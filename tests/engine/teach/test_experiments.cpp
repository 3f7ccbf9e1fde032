#include <QtTest>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "engine/core/input_error.h"
#include "engine/teach/experiment.h"
#include "engine/teach/lockstep_experiment.h"
#include "engine/teach/time_to_target.h"

using namespace attent;

namespace {
// Each kind's settings with small sizes so every experiment builds and steps in well under a second.
Settings small(const std::string& kind) {
  Settings s = experimentSettings(kind);
  auto set = [&](const char* k, const char* v) {
    if (s.has(k)) QVERIFY2(!s.set(k, v).has_value(), k);
  };
  set("experiment.steps", "6");
  set("experiment.eval_every", "3");
  set("experiment.eval_examples", "64");
  set("model.d_model", "16");
  set("model.heads", "2");
  set("model.layers", "1");
  set("model.d_ff", "32");
  set("train.batch", "8");
  set("data.seq_len", "16");
  set("lang.sentences", "300");
  set("pretrain.sentences", "300");
  set("pretrain.steps", "3");
  set("topic.samples", "200");
  set("topic.non_topic_words", "50");
  set("scb.samples", "200");
  set("scb.heldout", "50");
  set("scb.pretrain_steps", "3");
  set("mosaic.samples", "200");
  set("mosaic.heldout", "50");
  set("mosaic.batch", "16");
  return s;
}
}  // namespace

class TestExperiments : public QObject {
  Q_OBJECT
 private slots:
  void everyKindBuildsAndStepsInLockstep() {
    const QString csv = QDir::temp().filePath("attent_test_experiments.csv");
    {
      std::ofstream f(csv.toStdString());
      f << "text,label\n";
      for (int i = 0; i < 60; ++i)
        f << (i % 2 ? "a fine good day number " : "a bad awful day number ") << i << ","
          << (i % 2 ? "pos" : "neg") << "\n";
    }
    for (const auto& kind : experimentKinds()) {
      Settings s = small(kind);
      if (kind == "csv-classify") QVERIFY(!s.set("data.path", csv.toStdString()).has_value());
      std::unique_ptr<Experiment> e;
      try {
        e = buildExperiment(kind, s, 3);
      } catch (const std::exception& ex) {
        QFAIL(qPrintable(QString::fromStdString(kind + ": " + ex.what())));
      }
      QVERIFY(e->runCount() >= 2);
      while (!e->finished()) e->step();
      QCOMPARE(e->currentStep(), 6L);
      for (int r = 0; r < e->runCount(); ++r) {
        QCOMPARE(e->history(r).back().step, 6L);
        QVERIFY2(std::isfinite(e->history(r).back().evalLoss), kind.c_str());
      }
      const Snapshot snap = e->snapshot(0);
      QCOMPARE(int(snap.runs.size()), e->runCount());
      checkPoolProbe(kind, *e);
    }
  }

  // A click on a teacher's pick asks for that pool example's attention maps: the snapshot
  // must carry the pool example itself, not the held-out one with the same index.
  static void checkPoolProbe(const std::string& kind, Experiment& e) {
    auto same = [](const ExampleView& a, const ExampleView& b) {
      return a.tokens == b.tokens && a.text == b.text && a.image == b.image && a.label == b.label;
    };
    int examplesDiffer = 0, mapsDiffer = 0;
    for (int i = 0; i < 10; ++i) {
      const Snapshot held = e.snapshot(Split::HeldOut, i, {}), pool = e.snapshot(Split::Pool, i, {});
      QVERIFY2(held.probeSplit == Split::HeldOut && pool.probeSplit == Split::Pool, kind.c_str());
      QCOMPARE(pool.probe, i);
      examplesDiffer += !same(held.probeExample, pool.probeExample);
      for (std::size_t r = 0; r < pool.runs.size(); ++r) {
        const AttentionMaps &h = held.runs[r].probeAttention, &p = pool.runs[r].probeAttention;
        QCOMPARE(p.weights.size(), std::size_t(p.layers) * p.heads * p.queries * p.keys);
        QVERIFY2(h.weights.empty() == p.weights.empty(), kind.c_str());
        mapsDiffer += p.weights.empty() || p.weights != h.weights || p.keyLabels != h.keyLabels;
      }
    }
    // Two examples can agree where the model looks (a CSV's first characters), not all ten.
    QVERIFY2(examplesDiffer >= 5, kind.c_str());
    QVERIFY2(mapsDiffer >= 5, kind.c_str());
    // An index beyond the pool is clamped, never read out of range.
    QVERIFY(e.snapshot(Split::Pool, 1 << 30, {}).probe < 1 << 30);
  }

  void attentVsRandomRunsStartFromIdenticalWeights() {
    for (const char* kind : {"digits-vit", "text-lm"}) {
      auto e = buildExperiment(kind, small(kind), 5);
      auto* l = dynamic_cast<LockstepExperiment*>(e.get());
      QVERIFY(l);
      QCOMPARE(e->runName(0), std::string("random"));
      QCOMPARE(e->runName(1), std::string("attent"));
      QCOMPARE(e->baselineRun(), 0);
      QCOMPARE(l->run(0).learner().parameters().values(), l->run(1).learner().parameters().values());
      QCOMPARE(e->history(0)[0].evalLoss, e->history(1)[0].evalLoss);
      // Different seeds give different starts.
      auto other = buildExperiment(kind, small(kind), 6);
      QVERIFY(dynamic_cast<LockstepExperiment*>(other.get())->run(0).learner().parameters().values() !=
              l->run(0).learner().parameters().values());
    }
  }

  void oneSettingAddsAnAtteNTPair() {
    Settings s = small("scb");
    QVERIFY(!s.set("experiment.compare", "true").has_value());
    auto e = buildExperiment("scb", s, 1);
    QCOMPARE(e->runCount(), 3);
    QCOMPARE(e->runName(1), std::string("SGD+attent"));
    QCOMPARE(e->baselineRun(), 0);
    Settings m = small("digits-vit");
    QVERIFY(!m.set("teacher.random_subset", "true").has_value());
    auto d = buildExperiment("digits-vit", m, 1);
    QCOMPARE(d->runCount(), 3);
    QCOMPARE(d->runName(2), std::string("random-subset"));
  }

  // Each run's part in the comparison comes from the kind and the settings that add runs; the
  // window colours and picks runs by it.
  void runsCarryTheirRoles() {
    const auto roles = [](const Experiment& e) {
      std::vector<RunRole> out;
      for (int r = 0; r < e.runCount(); ++r) out.push_back(e.runRole(r));
      return out;
    };
    Settings m = small("digits-vit");
    QVERIFY(!m.set("teacher.random_subset", "true").has_value());
    auto d = buildExperiment("digits-vit", m, 1);
    QCOMPARE(roles(*d), (std::vector<RunRole>{RunRole::Baseline, RunRole::AtteNT, RunRole::RandomSubset}));
    d->step();
    const Snapshot snap = d->snapshot(Split::HeldOut, 0, {});
    QCOMPARE(snap.runs[2].role, RunRole::RandomSubset);
    QCOMPARE(snap.summaries[1].role, RunRole::AtteNT);

    Settings epochs = small("digits-vit");
    QVERIFY(!epochs.set("experiment.protocol", "epochs").has_value());
    QCOMPARE(roles(*buildExperiment("digits-vit", epochs, 1)),
             (std::vector<RunRole>{RunRole::Baseline, RunRole::AtteNT, RunRole::RandomSubset, RunRole::ShortFull}));

    // experiment.compare makes the first run the baseline of an AtteNT run it adds, and its
    // random-subset control is named after that run.
    Settings s = small("scb");
    QVERIFY(!s.set("experiment.compare", "true").has_value());
    QVERIFY(!s.set("teacher.random_subset", "true").has_value());
    auto scb = buildExperiment("scb", s, 1);
    QCOMPARE(roles(*scb),
             (std::vector<RunRole>{RunRole::Baseline, RunRole::AtteNT, RunRole::Other, RunRole::RandomSubset}));
    QCOMPARE(scb->runName(3), std::string("SGD+attent+random-subset"));
    QCOMPARE(roles(*buildExperiment("scb", small("scb"), 1)), (std::vector<RunRole>{RunRole::Other, RunRole::Other}));
  }

  void sameSeedSameNumbers() {
    auto a = buildExperiment("digits-vit", small("digits-vit"), 2);
    auto b = buildExperiment("digits-vit", small("digits-vit"), 2);
    while (!a->finished()) a->step();
    while (!b->finished()) b->step();
    for (int r = 0; r < a->runCount(); ++r)
      QCOMPARE(a->history(r).back().evalLoss, b->history(r).back().evalLoss);
  }

  void unknownKindAndMissingCsvAreRefused() {
    QVERIFY_THROWS_EXCEPTION(SettingsError, experimentSettings("nope"));
    QVERIFY_THROWS_EXCEPTION(SettingsError, buildExperiment("csv-classify", small("csv-classify"), 1));
    Settings s = small("csv-classify");
    s.set("data.path", "/nonexistent/file.csv");
    QVERIFY_THROWS_EXCEPTION(InputError, buildExperiment("csv-classify", s, 1));
  }
};

QTEST_APPLESS_MAIN(TestExperiments)
#include "test_experiments.moc"

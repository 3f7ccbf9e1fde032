// Experiment state as bytes (engine/persist/checkpoint.h), without Qt: restoring into a
// freshly built experiment continues bit-exactly, and damaged or mismatched bytes throw
// InputError - at every truncation point - instead of crashing.
#include <QtTest>
#include <cstring>

#include "engine/core/input_error.h"
#include "engine/learners/learner.h"
#include "engine/persist/checkpoint.h"

using namespace attent;

namespace {

std::unique_ptr<Experiment> build(std::uint64_t seed = 4, const char* steps = "30") {
  Settings s = experimentSettings("scb");
  for (auto [k, v] : {std::pair{"experiment.steps", steps}, std::pair{"experiment.eval_every", "3"},
                      std::pair{"experiment.compare", "true"}, std::pair{"teacher.random_subset", "true"},
                      std::pair{"teacher.interval", "fixed"}, std::pair{"teacher.every", "4"}})
    if (auto err = s.set(k, v)) qFatal("%s", err->c_str());
  return buildExperiment("scb", s, seed);
}

bool sameLosses(const Experiment& a, const Experiment& b) {
  for (int r = 0; r < a.runCount(); ++r) {
    const auto &ha = a.history(r), &hb = b.history(r);
    if (ha.size() != hb.size()) return false;
    for (std::size_t i = 0; i < ha.size(); ++i)
      if (std::memcmp(&ha[i].trainLoss, &hb[i].trainLoss, 4) ||
          std::memcmp(&ha[i].evalLoss, &hb[i].evalLoss, 4))
        return false;
  }
  return true;
}

}  // namespace

class TestCheckpoint : public QObject {
  Q_OBJECT

 private slots:
  void restoredExperimentTrainsOnIdentically() {
    auto straight = build();
    for (int i = 0; i < 9; ++i) straight->step();
    const auto bytes = saveExperimentState(*straight);
    auto resumed = build();
    restoreExperimentState(*resumed, bytes);
    QCOMPARE(resumed->currentStep(), 9L);
    QVERIFY(sameLosses(*straight, *resumed));
    while (!straight->finished()) straight->step();
    while (!resumed->finished()) resumed->step();
    QVERIFY(sameLosses(*straight, *resumed));
    for (int r = 0; r < straight->runCount(); ++r)
      QVERIFY(straight->learner(r)->parameters().values() == resumed->learner(r)->parameters().values());
    // And the state is really restored: without it, the continuation differs.
    auto other = build(5);
    while (!other->finished()) other->step();
    QVERIFY(!sameLosses(*straight, *other));
  }

  void everyTruncationThrows() {
    auto e = build();
    for (int i = 0; i < 5; ++i) e->step();
    const auto bytes = saveExperimentState(*e);
    // Each cut lands in a different field; a stride keeps the suite fast on large states.
    const std::size_t stride = std::max<std::size_t>(1, bytes.size() / 3000);
    int refused = 0;
    auto target = build();  // a failed restore may leave it half-restored; the next one overwrites
    for (std::size_t n = 0; n < bytes.size(); n += stride) {
      try {
        restoreExperimentState(*target, std::span(bytes.data(), n));
      } catch (const InputError&) {
        ++refused;
        continue;
      }
      QFAIL(qPrintable(QString("accepted %1 of %2 bytes").arg(n).arg(bytes.size())));
    }
    QVERIFY(refused > 100);
  }

  void stateOfAnotherShapeThrows() {
    auto e = build();
    const auto bytes = saveExperimentState(*e);
    Settings s = experimentSettings("topic-words");
    s.set("experiment.steps", "5");
    auto other = buildExperiment("topic-words", s, 1);
    QVERIFY_THROWS_EXCEPTION(InputError, restoreExperimentState(*other, bytes));
    // A step beyond the rebuilt experiment's total is refused too.
    auto longer = build(4, "200");
    for (int i = 0; i < 40; ++i) longer->step();
    QVERIFY_THROWS_EXCEPTION(InputError, restoreExperimentState(*build(), saveExperimentState(*longer)));
  }
};

QTEST_APPLESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"

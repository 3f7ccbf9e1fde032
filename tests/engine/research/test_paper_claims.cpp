// The papers' claims: the identity's residual, the two stages and the toy's crossing time
// against hand computations on small cases, then each kind's claims on a tiny experiment.
#include <QtTest>
#include <cmath>

#include "engine/research/mosaic/mosaic.h"
#include "engine/research/mosaic/mosaic_claims.h"
#include "engine/research/scb/scb_claims.h"
#include "engine/research/topic_words/topic_words_claims.h"
#include "engine/teach/experiment.h"

using namespace attent;

namespace {
Matrix words(std::vector<float> rows) {  // columns s_t, ||q|| ||v_t||, theory, attention
  Matrix m;
  m.cols = 4;
  m.rows = int(rows.size() / 4);
  m.data = std::move(rows);
  return m;
}

Settings small(const std::string& kind) {
  Settings s = experimentSettings(kind);
  for (auto [k, v] : {std::pair{"experiment.steps", "40"},
                      {"experiment.eval_every", "10"},
                      {"topic.samples", "200"},
                      {"topic.non_topic_words", "50"},
                      {"scb.samples", "200"},
                      {"scb.heldout", "50"},
                      {"scb.pretrain_steps", "20"},
                      {"mosaic.samples", "200"},
                      {"mosaic.heldout", "50"},
                      {"mosaic.batch", "16"},
                      {"mosaic.hybrid_epochs", "1"}})
    if (s.has(k)) s.set(k, v);
  return s;
}

std::unique_ptr<Experiment> trained(const std::string& kind) {
  auto e = buildExperiment(kind, small(kind), 3);
  while (!e->finished()) e->step();
  return e;
}

const Claim* find(const std::vector<Claim>& claims, const std::string& key, Phase phase = Phase::Whole) {
  for (const Claim& c : claims)
    if (c.key == key && c.phase == phase) return &c;
  return nullptr;
}
}  // namespace

class TestPaperClaims : public QObject {
  Q_OBJECT
 private slots:
  void residualIsTheLargestGapOverTrainingAndWords() {
    // Gaps |n - theory|: 0.1 and 0.1 at the first evaluation, 0.3 at the second; the largest
    // norm product is 2.0, so relative = 0.3 / 2.0.
    const IdentityResidual r = identityResidual(
        {words({0.5f, 1.0f, 0.9f, 0.1f, 0.2f, 0.5f, 0.6f, 0.1f}), words({1.0f, 2.0f, 1.7f, 0.3f})});
    QVERIFY(std::abs(r.absolute - 0.3) < 1e-6);
    QVERIFY(std::abs(r.relative - 0.15) < 1e-6);
    QCOMPARE(identityResidual({}).relative, 0.0);
  }

  void twoStagesFromHandSeries() {
    // ln A error is 0, -0.1, -0.2, -0.5, -2.0 at steps 0..400. It is 10% below its start (0.9)
    // between steps 100 and 200, interpolated linearly in the error.
    Series err;
    for (auto [t, l] : {std::pair{0.0, 0.0}, {100.0, -0.1}, {200.0, -0.2}, {300.0, -0.5}, {400.0, -2.0}})
      err.emplace_back(t, std::exp(l));
    const double p = 100 + 100 * (std::exp(-0.1) - 0.9) / (std::exp(-0.1) - std::exp(-0.2));
    const TwoStages st = twoStages(err);
    QVERIFY(st.plateauEnd.has_value());
    QVERIFY(std::abs(*st.plateauEnd - p) < 1e-9);
    QVERIFY(std::abs(st.firstRate - 1000 * -std::log(0.9) / p) < 1e-9);
    // The segments after the plateau fall 1, 3 and 15 e-folds per 1000 steps: the fastest is 15.
    QVERIFY(std::abs(st.secondRate - 15) < 1e-9);
    QCOMPARE(*st.fastestFrom, 300.0);
    const TwoStages flat = twoStages({{0, 1.0}, {100, 0.95}});
    QVERIFY(!flat.plateauEnd.has_value());
    QVERIFY(std::isnan(flat.secondRate));
    QVERIFY(!flat.fastestFrom.has_value());
  }

  // The window's marks on the errors are the claims' stages, found in the run's history.
  void stageMarkersAreTheTwoStages() {
    std::vector<DiagnosticsPoint> history;
    for (auto [t, l] : {std::pair{0L, 0.0}, {100L, -0.1}, {200L, -0.2}, {300L, -0.5}, {400L, -2.0}}) {
      DiagnosticsPoint p{t, {}};
      p.diagnostics.scalars["scb.a_error"] = std::exp(l);
      history.push_back(p);
    }
    const DiagnosticMarkers marks = scbStageMarkers(history);
    for (const char* key : {"scb.a_error", "scb.v_error", "scb.excess_loss"}) {
      QVERIFY(marks.count(key));
      QCOMPARE(marks.at(key).size(), std::size_t(2));
    }
    const auto& a = marks.at("scb.a_error");
    QVERIFY(std::abs(a[0].x - 100 - 100 * (std::exp(-0.1) - 0.9) / (std::exp(-0.1) - std::exp(-0.2))) < 1e-9);
    QCOMPARE(a[1].x, 300.0);
    QVERIFY(!a[0].label.empty() && !a[1].label.empty());
    history.resize(2);  // still on the plateau: nothing to mark
    QVERIFY(scbStageMarkers(history).empty());
  }

  void toyCrossingIsWhereTheFocusWeightsMeet() {
    const auto t = toyCrossingTime(20, 20);
    QVERIFY(t.has_value());
    // Before it SA's alpha leads, after it HA's does.
    const auto sa = mosaicToy(ToyParadigm::SA, 20, 20, 2 * *t, 4000),
               ha = mosaicToy(ToyParadigm::HA, 20, 20, 2 * *t, 4000);
    const std::size_t mid = 2000;  // t * (1 +- 2%) lie at 1960 and 2040
    QVERIFY(sa.alpha[1960] > ha.alpha[1960]);
    QVERIFY(sa.alpha[2040] < ha.alpha[2040]);
    QVERIFY(std::abs(sa.alpha[mid] - ha.alpha[mid]) < 0.02 * sa.alpha[mid]);
  }

  void scbClaimsReadTheRecordedDiagnostics() {
    const auto e = trained("scb");
    const int sgd = runIndex(*e, "SGD"), prox = runIndex(*e, "proximal");
    QCOMPARE(e->diagnosticsHistory(sgd).size(), std::size_t(5));  // steps 0, 10, 20, 30, 40
    const auto claims = experimentClaims("scb", *e);
    const auto last = [&](int run, const char* name) {
      return e->diagnosticsHistory(run).back().diagnostics.scalars.at(name);
    };
    QVERIFY(find(claims, "scb.SGD.v_error"));
    QCOMPARE(find(claims, "scb.SGD.v_error")->value, last(sgd, "scb.v_error"));
    QCOMPARE(find(claims, "scb.proximal.a_error")->value, last(prox, "scb.a_error"));
    const Claim* ratio = find(claims, "scb.proximal_over_sgd.a_error", Phase::Late);
    QVERIFY(ratio);
    QVERIFY(std::abs(ratio->value - last(prox, "scb.a_error") / last(sgd, "scb.a_error")) < 1e-12);
    QCOMPARE(ratio->test, ClaimTest::Below);
    QVERIFY(find(claims, "scb.proximal_over_sgd.v_error", Phase::Early));
    QVERIFY(find(claims, "scb.SGD.stage_speedup"));
  }

  void transferClaimsCountTheStepsSaved() {
    const auto e = trained("scb-transfer");
    const auto claims = experimentClaims("scb-transfer", *e);
    QVERIFY(find(claims, "scb.transfer.steps_saved"));
    QVERIFY(find(claims, "scb.pretrained.plateau_steps"));
  }

  void topicWordsClaimsTestAgainstUniformAttention() {
    const auto e = trained("topic-words");
    const auto claims = experimentClaims("topic-words", *e);
    const Claim* att = find(claims, "topic.FC.attention_on_topic");
    QVERIFY(att);
    QCOMPARE(att->bound, 1.0 / 21);  // m = 20 non-topic words
    QCOMPARE(att->value, e->diagnosticsHistory(0).back().diagnostics.scalars.at("topic.attention_on_topic"));
    const Claim* res = find(claims, "topic.TL.identity_residual_max");
    QVERIFY(res && res->value >= 0);
  }

  void mosaicClaimsCompareAtTheEarlyCheckpoint() {
    const auto e = trained("mosaic");
    const auto claims = experimentClaims("mosaic", *e);
    QVERIFY(find(claims, "mosaic.toy_crossing_time"));
    QVERIFY(find(claims, "mosaic.LVML.ffpf", Phase::Late));
    // Early is the evaluation at a quarter of 40 steps: step 10, the second point.
    const auto focus = [&](const char* run) {
      return 100 * e->diagnosticsHistory(runIndex(*e, run))[1].diagnostics.scalars.at("mosaic.focus_on_true");
    };
    const Claim* hybrid = find(claims, "mosaic.hybrid_minus_best.focus_on_true", Phase::Early);
    QVERIFY(hybrid);
    QVERIFY(std::abs(hybrid->value - (focus("hybrid") - std::max(focus("SA"), focus("HA")))) < 1e-9);
    QVERIFY(std::abs(find(claims, "mosaic.ha_minus_sa.focus_on_true", Phase::Early)->value -
                     (focus("HA") - focus("SA"))) < 1e-9);
  }

  void kindsWithoutAPaperHaveNoClaims() {
    const auto e = buildExperiment("digits-vit", small("digits-vit"), 1);
    QVERIFY(experimentClaims("digits-vit", *e).empty());
  }
};

QTEST_APPLESS_MAIN(TestPaperClaims)
#include "test_paper_claims.moc"

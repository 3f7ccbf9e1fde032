// The research learners describe their diagnostics: every panel of every research preset's
// kind has a title in words and a unit (no key on screen), names keys the learner sends, and
// every key sent is in a panel. The mosaic toy's curves come from the engine, once per size,
// and agree with the toy's closed form at small t.
#include <QtTest>
#include <cmath>
#include <regex>
#include <set>

#include "engine/research/mosaic/mosaic.h"
#include "engine/teach/experiment.h"

using namespace attent;

namespace {
// A small experiment of each research preset's kind (sizes only: the panels do not depend on them).
std::unique_ptr<Experiment> smallExperiment(const std::string& kind) {
  Settings s = experimentSettings(kind);
  auto set = [&](const char* key, const char* value) {
    if (auto err = s.set(key, value)) qFatal("%s", err->c_str());
  };
  set("experiment.steps", "2");
  if (kind == "topic-words") set("topic.samples", "200"), set("topic.non_topic_words", "50");
  if (kind == "scb" || kind == "scb-transfer") set("scb.samples", "200"), set("scb.heldout", "50");
  if (kind == "scb-transfer") set("scb.pretrain_steps", "2");
  if (kind == "mosaic") set("mosaic.samples", "40"), set("mosaic.heldout", "20");
  auto e = buildExperiment(kind, s, 1);
  e->step();
  return e;
}

// A setting or diagnostic key ("scb.v_error", "mosaic.toy.nu.SA"): letters, a dot, letters.
bool looksLikeKey(const std::string& text) {
  static const std::regex key("[A-Za-z_]+\\.[A-Za-z_]");
  return std::regex_search(text, key);
}
bool inWords(const std::string& text) { return text.find(' ') != std::string::npos && !looksLikeKey(text); }

std::size_t nearest(const std::vector<std::pair<float, float>>& curve, double t) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < curve.size(); ++i)
    if (std::abs(curve[i].first - t) < std::abs(curve[best].first - t)) best = i;
  return best;
}
}  // namespace

class TestDiagnosticPanels : public QObject {
  Q_OBJECT
 private slots:
  void everyPanelIsDescribedInWords_data() {
    QTest::addColumn<QString>("kind");
    for (const char* kind : {"topic-words", "scb", "scb-transfer", "mosaic"}) QTest::newRow(kind) << kind;
  }
  void everyPanelIsDescribedInWords() {
    QFETCH(QString, kind);
    const auto experiment = smallExperiment(kind.toStdString());
    const Snapshot s = experiment->snapshot(0);
    QVERIFY(!s.runs.empty());
    for (const RunSnapshot& run : s.runs) {
      const Diagnostics& d = run.diagnostics;
      QVERIFY2(d.panels && !d.panels->empty(), run.name.c_str());
      std::set<std::string> described;
      for (const DiagnosticPanel& p : *d.panels) {
        const std::string where = run.name + ": " + p.title;
        QVERIFY2(inWords(p.title), where.c_str());
        QVERIFY2(!p.unit.empty() && !looksLikeKey(p.unit), where.c_str());
        for (const std::string* text : {&p.xAxis, &p.yAxis, &p.note})
          QVERIFY2(!looksLikeKey(*text), where.c_str());
        QVERIFY2(!p.series.empty(), where.c_str());
        std::vector<DiagnosticSeries> all = p.series;
        all.insert(all.end(), p.parameters.begin(), p.parameters.end());
        if (p.theory) all.push_back(*p.theory);
        for (const DiagnosticSeries& series : all) {
          QVERIFY2(!series.title.empty() && !looksLikeKey(series.title),
                   (where + " / " + series.key).c_str());
          described.insert(series.key);
        }
        // Each key is in the map its panel kind draws from.
        for (const DiagnosticSeries& series : p.parameters) QVERIFY(d.scalars.count(series.key));
        if (p.theory) QVERIFY(d.points.count(p.theory->key));
        for (const DiagnosticSeries& series : p.series) {
          const bool sent = p.kind == PanelKind::Lines     ? d.scalars.count(series.key) > 0
                            : p.kind == PanelKind::Heatmap ? d.matrices.count(series.key) > 0
                                                           : d.points.count(series.key) > 0;
          QVERIFY2(sent, (where + " / " + series.key).c_str());
        }
      }
      // And no key goes undescribed.
      for (const auto& [key, v] : d.scalars) QVERIFY2(described.count(key), key.c_str());
      for (const auto& [key, v] : d.matrices) QVERIFY2(described.count(key), key.c_str());
      for (const auto& [key, v] : d.points) QVERIFY2(described.count(key), key.c_str());
    }
  }

  // Series over steps travel in the snapshot: the scalars at every evaluation (at most 512 of
  // them, evenly thinned, the first and the latest kept).
  void snapshotsCarryTheSeriesOverSteps() {
    Settings s = experimentSettings("scb");
    for (auto [key, value] : {std::pair{"experiment.steps", "700"}, std::pair{"experiment.eval_every", "1"},
                              std::pair{"scb.samples", "100"}, std::pair{"scb.heldout", "20"}})
      QVERIFY(!s.set(key, value));
    auto e = buildExperiment("scb", s, 1);
    for (int i = 0; i < 6; ++i) e->step();
    const auto early = e->snapshot(0).runs[0].diagnosticSeries.at("scb.v_error");
    QCOMPARE(early.size(), std::size_t(7));  // steps 0..6
    QCOMPARE(early.back().first, 6L);
    while (!e->finished()) e->step();
    const Snapshot last = e->snapshot(0);
    const auto& series = last.runs[1].diagnosticSeries.at("scb.v_error");
    QVERIFY(series.size() <= RunSnapshot::kMaxSeriesPoints && series.size() > 300);
    QCOMPARE(series.front().first, 0L);
    QCOMPARE(series.back().first, 700L);
    QCOMPARE(series.back().second, last.runs[1].diagnostics.scalars.at("scb.v_error"));
    for (std::size_t i = 1; i < series.size(); ++i) QVERIFY(series[i].first > series[i - 1].first);
  }

  // m = C = 20 (the linear mosaics): the curves the snapshot carries are the engine's toy for
  // the preset's sizes, integrated once for the whole experiment.
  void mosaicSnapshotsCarryTheToy() {
    const auto experiment = smallExperiment("mosaic");
    const Snapshot s = experiment->snapshot(0);
    QCOMPARE(s.runs.size(), std::size_t(4));
    const Diagnostics& d = s.runs[0].diagnostics;
    QCOMPARE(d.scalars.at("mosaic.m"), 20.0);
    QCOMPARE(d.scalars.at("mosaic.C"), 20.0);
    for (const RunSnapshot& run : s.runs) QCOMPARE(run.diagnostics.panels.get(), d.panels.get());  // shared
    const MosaicToyCurves toy = mosaicToyCurves(20, 20);
    // The hybrid switches where HA's focus overtakes SA's (t ~ 35 for m = C = 20).
    QVERIFY2(toy.switchTime > 30 && toy.switchTime < 40, qPrintable(QString::number(toy.switchTime)));
    QVERIFY(toy.horizon >= 3 * toy.switchTime);
    const DiagnosticPanel* nuPanel = nullptr;
    for (const DiagnosticPanel& p : *d.panels)
      if (p.kind == PanelKind::Curves && !nuPanel) nuPanel = &p;
    QVERIFY(nuPanel);
    QCOMPARE(nuPanel->series.size(), std::size_t(4));
    QCOMPARE(nuPanel->markers.size(), std::size_t(1));
    QCOMPARE(nuPanel->markers[0].x, toy.switchTime);
    for (int k = 0; k < 4; ++k) {
      const auto& curve = d.points.at(nuPanel->series[k].key);
      const ToyTrajectory& ref = toy.paradigms[k];
      QCOMPARE(curve.size(), std::size_t(MosaicToyCurves::kSteps / 5 + 1));
      QCOMPARE(double(curve.back().first), double(float(ref.t.back())));
      QCOMPARE(double(curve[10].second), double(float(ref.nu[50])));
    }
    // The paper's point: SA focuses first, HA later, the hybrid gets both.
    const auto &sa = d.points.at(nuPanel->series[0].key), &ha = d.points.at(nuPanel->series[1].key),
               &hybrid = d.points.at(nuPanel->series[3].key);
    const std::size_t t30 = nearest(sa, 30);
    QVERIFY(sa[t30].second > ha[t30].second + 0.5);
    QVERIFY(ha.back().second > sa.back().second + 1);
    QVERIFY(hybrid.back().second > sa.back().second + 1);
    for (std::size_t i = 0; sa[i].first < toy.switchTime - 1e-3; ++i)
      QCOMPARE(hybrid[i].second, sa[i].second);
  }

  // Near mu = nu = 0 (alpha = 1/m, beta = 1/C) every paradigm's flow starts alike:
  // dmu/dt = (1 - 1/C) / m and dnu/dt = 0, then nu grows like t^2 / 2 * (1 - 1/m)(1 - 1/C)^2 / m^2.
  // The integrated curves approach both with a remainder linear in t (measured: at most 0.022 t).
  void theToyMatchesItsClosedFormAtSmallT() {
    for (auto [m, C] : {std::pair{20, 20}, std::pair{5, 3}}) {
      const MosaicToyCurves toy = mosaicToyCurves(m, C);
      const double muRate = (1 - 1.0 / C) / m,
                   nuCurve = (1 - 1.0 / m) * (1 - 1.0 / C) * (1 - 1.0 / C) / (m * m);
      for (int k = 0; k < 4; ++k) {
        const ToyTrajectory& tr = toy.paradigms[k];
        QCOMPARE(tr.mu[0], 0.0);
        QCOMPARE(tr.nu[0], 0.0);
        for (int i : {1, 5, 10}) {
          const double t = tr.t[i], mu = tr.mu[i] / (muRate * t), nu = tr.nu[i] / (0.5 * nuCurve * t * t);
          const QString at =
              QString("m %1 C %2 paradigm %3 t %4: %5 %6").arg(m).arg(C).arg(k).arg(t).arg(mu).arg(nu);
          QVERIFY2(std::abs(mu - 1) < 0.05 * t && std::abs(nu - 1) < 0.05 * t, qPrintable(at));
        }
      }
    }
  }

  // With larger sizes the crossover moves out and the horizon follows it.
  void theToysWindowFollowsTheCrossover() {
    const MosaicToyCurves small = mosaicToyCurves(5, 3), paper = mosaicToyCurves(100, 1000);
    QVERIFY(paper.switchTime > 100);
    QVERIFY(paper.horizon >= 3 * paper.switchTime && small.horizon >= 3 * small.switchTime);
    const ToyTrajectory &sa = paper.paradigms[0], &ha = paper.paradigms[1];
    const std::size_t at = std::size_t(paper.switchTime / paper.horizon * MosaicToyCurves::kSteps);
    QVERIFY(ha.nu[at + 20] > sa.nu[at + 20]);  // HA ahead just after the switch, behind before
    QVERIFY(ha.nu[at - 20] < sa.nu[at - 20]);
    QVERIFY_THROWS_EXCEPTION(SettingsError, mosaicToyCurves(1, 10));
  }
};

QTEST_MAIN(TestDiagnosticPanels)
#include "test_diagnostic_panels.moc"

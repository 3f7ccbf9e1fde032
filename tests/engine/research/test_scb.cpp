#include <QtTest>
#include <cmath>

#include "engine/core/input_error.h"
#include "engine/research/scb/scb.h"
#include "engine/research/train_loop.h"

using namespace attent;
using namespace attent::testing;

namespace {
struct Curve {
  std::vector<double> aError, vError;
};
// Trains with minibatches drawn by a fixed RNG; records errors every `every` steps.
Curve train(LinearScb& learner, const ScbTask& task, double lr, long steps, bool decay, int every,
            std::uint64_t seed = 9) {
  OptimizerSettings opt;
  opt.kind = OptimizerKind::Sgd;
  opt.lr = lr;
  LrSchedule schedule{LrScheduleKind::WarmupCosine, 0, steps, 0.02};
  Rng rng(seed);
  std::vector<int> batch(64);
  Curve c;
  c.aError.push_back(learner.aError());
  c.vError.push_back(learner.vError());
  for (long t = 1; t <= steps; ++t) {
    for (int& b : batch) b = int(rng.below(task.size(Split::Pool)));
    trainStep(learner, batch, opt, t, decay ? schedule.factor(t - 1) : 1.0);
    if (t % every == 0) {
      c.aError.push_back(learner.aError());
      c.vError.push_back(learner.vError());
    }
  }
  return c;
}
Settings method(const std::string& m) {
  Settings s(scbSettingSpecs());
  s.set("scb.method", m);
  return s;
}
}  // namespace

class TestScb : public QObject {
  Q_OBJECT
 private slots:
  void generatorHasTheDeclaredStructure() {
    Settings s(scbSettingSpecs());
    ScbTask task(s, 1);
    const auto& t = task.truth();
    for (int j = 0; j < t.N; ++j) {
      double col = 0;
      for (int i = 0; i < t.N; ++i) col += t.P[i * t.N + j];
      QVERIFY(std::abs(col - 1) < 1e-12);  // column-stochastic
    }
    for (int k = 0; k < t.N; ++k) {
      QCOMPARE(int(task.truePositions(k).size()), 2);  // Q non-zeros
      QCOMPARE(t.Qstar[(t.T - 1) * t.N + k], 0.0);     // never the last position
    }
    for (int e = 0; e < 100; ++e) {  // the copied-from position is one of q^(x_T)'s
      const int* x = task.tokens(Split::Pool, e);
      const auto pos = task.truePositions(x[t.T - 1]);
      QVERIFY(std::find(pos.begin(), pos.end(), task.source(Split::Pool, e)) != pos.end());
    }
    ScbTokenTask tokens(std::make_shared<ScbTask>(s, 1));
    const TokenExample e = tokens.example(Split::Pool, 3);
    QCOMPARE(e.targets[t.T - 1], tokens.scb().next(Split::Pool, 3));
    QCOMPARE(e.targets[0], -1);
    QCOMPARE(tokens.render(Split::Pool, 3).highlight, tokens.scb().truePositions(e.tokens[t.T - 1]));
  }

  // V = P, A = Q* is an exact solution: no excess loss, zero errors (float rounding only).
  void truthIsAnExactSolution() {
    Settings s(scbSettingSpecs());
    s.set("scb.input", "stationary");
    auto task = std::make_shared<ScbTask>(s, 4);
    LinearScb learner(task, s, 1);
    auto& p = learner.parameters();
    const auto& t = task->truth();
    for (std::size_t i = 0; i < t.P.size(); ++i) p.value(p.find("V"))[i] = float(t.P[i]);
    for (std::size_t i = 0; i < t.Qstar.size(); ++i) p.value(p.find("A"))[i] = float(t.Qstar[i]);
    QVERIFY(learner.excessLoss(Split::HeldOut) < 1e-12);
    QVERIFY(learner.vError() < 1e-6 && learner.aError() < 1e-6);
    double sum = 0;
    for (double pi : task->inputLaw()) sum += pi;
    QVERIFY(std::abs(sum - 1) < 1e-9);
  }

  // Double activations, exact float steps: see test_topic_words. SGD's gradient is the true
  // one; the proximal method's A gradient is the true one divided by Pr[x_T = k] = 1/N.
  void backwardMatchesFiniteDifferences() {
    for (const char* m : {"sgd", "proximal"}) {
      Settings s = method(m);
      s.set("scb.v_init", "0.3");
      auto task = std::make_shared<ScbTask>(s, 2);
      LinearScb learner(task, s, 3);
      Rng rng(4);
      auto& p = learner.parameters();
      for (std::size_t i = 0; i < p.view(1).size; ++i) p.value(1)[i] = float(rng.uniform());
      std::vector<int> batch = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};
      ForwardOutputs out;
      p.zeroGrad();
      learner.forward(Split::Pool, batch, out, true);
      learner.backward();
      QVERIFY(std::isnan(out.correct[0]));
      QVERIFY(std::abs(out.gradNorm[0] - std::sqrt(2 * out.loss[0])) < 1e-5);
      if (std::string(m) == "proximal")
        for (std::size_t i = 0; i < p.view(1).size; ++i) p.grad(1)[i] /= float(task->config().vocab);
      const double err = maxGradientError(
          p, [&] { return learner.meanLoss(Split::Pool, batch); }, 1e-3, 60, rng);
      QVERIFY2(err < 1e-3, qPrintable(QString("%1: relative gradient error %2").arg(m).arg(err)));
    }
  }

  // Default sizes (N=8, T=16, Q=2), 6000 steps of batch 64, cosine decay. Measured: V and A
  // errors 0.031 / 0.031 (plain SGD with its own best lr: 0.029 / 0.058).
  void proximalRecoversPAndQ() {
    Settings s = method("proximal");
    auto task = std::make_shared<ScbTask>(s, 1);
    LinearScb learner(task, s, 2);
    const Curve c = train(learner, *task, s.real("scb.lr"), 6000, true, 6000);
    qInfo("proximal: V error %.4f, A error %.4f", c.vError.back(), c.aError.back());
    QVERIFY2(c.vError.back() < 0.1, qPrintable(QString::number(c.vError.back())));
    QVERIFY2(c.aError.back() < 0.1, qPrintable(QString::number(c.aError.back())));
    const Diagnostics d = learner.diagnostics();
    QCOMPARE(d.matrices.at("scb.A").rows, 16);
    QVERIFY(d.scalars.at("scb.a_nonzeros") < 16 * 8);  // the threshold zeroes entries
    LinearScb fresh(task, s, 2);
    QVERIFY(d.scalars.at("scb.excess_loss") < 0.01 * fresh.excessLoss(Split::HeldOut));
  }

  // From uniform A and V = 0, A's error first hardly moves (V must correlate with P before A
  // gets a signal), then falls fast. Measured (lr 0.1, constant): 0.97 -> 0.89 over the first
  // 300 steps, -> 0.31 by step 1200, 0.08 at 3000.
  void sgdFromScratchPlateausThenDrops() {
    Settings s = method("sgd");
    auto task = std::make_shared<ScbTask>(s, 1);
    LinearScb learner(task, s, 2);
    const Curve c = train(learner, *task, 0.1, 3000, false, 300);
    qInfo("A error at 0, 300, 1200, 3000: %.3f %.3f %.3f %.3f", c.aError[0], c.aError[1], c.aError[4],
          c.aError.back());
    const double firstDrop = c.aError[0] - c.aError[1];   // steps 0..300
    const double secondDrop = c.aError[1] - c.aError[4];  // steps 300..1200, 3x as long
    QVERIFY2(firstDrop < 0.15, qPrintable(QString::number(firstDrop)));
    QVERIFY2(secondDrop / 3 > 2 * firstDrop, qPrintable(QString("%1 %2").arg(firstDrop).arg(secondDrop)));
    QVERIFY(c.aError.back() < 0.15);
  }

  // Pretrain on a correlated truth (rho = 0.8), fine-tune on the target: the fine-tuned run
  // reaches the from-scratch run's final error in under half its steps.
  void transferSkipsThePlateau() {
    Settings s = method("sgd");
    auto task = std::make_shared<ScbTask>(s, 1);
    LinearScb scratch(task, s, 2);
    const Curve c = train(scratch, *task, 0.1, 3000, false, 100);
    const double target = c.aError.back() + c.vError.back();

    auto source = task->correlatedTask(s.real("scb.correlation"), 5);
    LinearScb pretrained(source, s, 2);
    train(pretrained, *source, 0.1, 3000, false, 3000, 11);
    LinearScb tuned(task, s, 2);
    tuned.initializeFrom(pretrained);
    const Curve f = train(tuned, *task, 0.1, 1500, false, 100);
    int reached = -1;
    for (std::size_t i = 0; i < f.aError.size(); ++i)
      if (f.aError[i] + f.vError[i] <= target) {
        reached = int(i) * 100;
        break;
      }
    qInfo("scratch error (A + V) after 3000 steps %.4f; fine-tuned reaches it at step %d", target, reached);
    QVERIFY2(reached >= 0 && reached < 1500,
             qPrintable(QString("target %1 reached at %2").arg(target).arg(reached)));
  }

  void impossibleSettingsAreRefusedWithTheRange() {
    Settings s(scbSettingSpecs());
    s.set("scb.context", "4");
    s.set("scb.sparsity", "4");  // Q > T - 1
    try {
      ScbTask task(s, 1);
      QFAIL("Q > T-1 accepted");
    } catch (const SettingsError& e) {
      QVERIFY(std::string(e.what()).find("[1, 3]") != std::string::npos);
    }
    Settings huge(scbSettingSpecs());
    huge.set("scb.samples", "10000000");
    huge.set("scb.context", "512");
    QVERIFY_THROWS_EXCEPTION(SettingsError, ScbTask(huge, 1));
    auto err = s.set("scb.vocab", "1");
    QVERIFY(err && err->find("[2, 256]") != std::string::npos);
    Settings a(scbSettingSpecs()), b(scbSettingSpecs());
    b.set("scb.vocab", "9");
    LinearScb small(std::make_shared<ScbTask>(a, 1), a, 1);
    LinearScb big(std::make_shared<ScbTask>(b, 1), b, 1);
    QVERIFY_THROWS_EXCEPTION(SettingsError, big.initializeFrom(small));
  }
};

QTEST_APPLESS_MAIN(TestScb)
#include "test_scb.moc"

// Every layer and the whole transformer against central finite differences, in double.
// Relative error per entry: |analytic - numeric| / max(|analytic|, |numeric|, 1e-4).
// The floor keeps entries whose true gradient is ~0 (the key bias, exactly 0 by softmax
// shift invariance) from dividing rounding noise (~1e-11) by ~0: such entries must
// then match to 1e-10 absolute.
#include <omp.h>

#include <QtTest>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"
#include "engine/nn/layers.h"
#include "engine/nn/transformer.h"

using namespace attent;
using namespace attent::nn;
using Vec = std::vector<double>;

namespace {

Vec randomVec(Rng& rng, std::size_t n, double sd = 1.0) {
  Vec v(n);
  for (auto& x : v) x = rng.normal(0, sd);
  return v;
}
double dot(const Vec& a, const Vec& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Largest relative error of `analytic` (d f / d x) against central differences of f.
double maxRelError(const std::function<double()>& f, double* x, std::size_t n, const double* analytic,
                   std::size_t stride = 1) {
  // Five-point central stencil: truncation error O(h^4) ~ 1e-12 at h = 1e-3, while
  // rounding noise stays ~1e-14 / h ~ 1e-11 (plain central differences cannot get both).
  const double h = 1e-3;
  double worst = 0;
  for (std::size_t i = 0; i < n; i += stride) {
    const double keep = x[i];
    auto at = [&](double dx) {
      x[i] = keep + dx;
      return f();
    };
    const double numeric = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
    x[i] = keep;
    const double err =
        std::abs(analytic[i] - numeric) / std::max({std::abs(analytic[i]), std::abs(numeric), 1e-4});
    worst = std::max(worst, err);
  }
  return worst;
}

constexpr double kTolerance = 1e-6;

// Attention written out plainly (scores, softmax, weighted sums), in double: what the fused
// kernels of attention.h must reproduce.
struct ReferenceAttention {
  int B, P, C, H;
  bool causal;
  const int* lengths;
  Vec out, probs, dqkv;
  void run(const Vec& qkv, const Vec& dout) {
    const int hd = C / H;
    const double scale = 1 / std::sqrt(double(hd));
    out.assign(B * P * C, 0);
    probs.assign(B * H * P * P, 0);
    dqkv.assign(qkv.size(), 0);
    auto at = [&](int b, int i, int part, int h, int d) {
      return (b * P + i) * 3 * C + part * C + h * hd + d;
    };
    for (int b = 0; b < B; ++b)
      for (int h = 0; h < H; ++h) {
        const int len = lengths ? lengths[b] : P;
        double* pr = probs.data() + (b * H + h) * P * P;
        Vec dS(P * P, 0);
        for (int i = 0; i < P; ++i) {
          const int nk = visibleKeys(i, len, causal);
          double m = -1e300, sum = 0, dot = 0;
          for (int j = 0; j < nk; ++j) {
            double s = 0;
            for (int d = 0; d < hd; ++d) s += qkv[at(b, i, 0, h, d)] * qkv[at(b, j, 1, h, d)];
            pr[i * P + j] = s * scale;
            m = std::max(m, s * scale);
          }
          for (int j = 0; j < nk; ++j) sum += pr[i * P + j] = std::exp(pr[i * P + j] - m);
          for (int j = 0; j < nk; ++j) pr[i * P + j] /= sum;
          for (int j = 0; j < nk; ++j) {
            double dp = 0;
            for (int d = 0; d < hd; ++d) {
              const double dy = dout[(b * P + i) * C + h * hd + d];
              out[(b * P + i) * C + h * hd + d] += pr[i * P + j] * qkv[at(b, j, 2, h, d)];
              dp += dy * qkv[at(b, j, 2, h, d)];
              dqkv[at(b, j, 2, h, d)] += pr[i * P + j] * dy;
            }
            dS[i * P + j] = dp;
            dot += pr[i * P + j] * dp;
          }
          for (int j = 0; j < nk; ++j) dS[i * P + j] = pr[i * P + j] * (dS[i * P + j] - dot);
        }
        for (int i = 0; i < P; ++i)
          for (int j = 0; j < P; ++j)
            for (int d = 0; d < hd; ++d) {
              dqkv[at(b, i, 0, h, d)] += scale * dS[i * P + j] * qkv[at(b, j, 1, h, d)];
              dqkv[at(b, j, 1, h, d)] += scale * dS[i * P + j] * qkv[at(b, i, 0, h, d)];
            }
      }
  }
};

// Largest |a - b| over the largest |b|.
template <class A>
double relativeGap(const A& a, const Vec& b) {
  double gap = 0, scale = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    gap = std::max(gap, std::abs(double(a[i]) - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return gap / std::max(scale, 1e-300);
}

// The fused kernels in scalar T against the reference, with scratch full of NaN beforehand
// (padding must be written, not assumed).
template <class T>
double fusedAttentionGap(const ReferenceAttention& ref, const Vec& qkv, const Vec& dout) {
  const int B = ref.B, P = ref.P, C = ref.C, H = ref.H;
  std::vector<T> x(qkv.begin(), qkv.end()), dy(dout.begin(), dout.end()), out(B * P * C),
      probs(B * H * P * P), dx(qkv.size()),
      scratch(attentionScratchSize(P, C, H), std::numeric_limits<T>::quiet_NaN());
  attentionForward(out.data(), probs.data(), x.data(), ref.lengths, scratch.data(), B, P, C, H, ref.causal);
  attentionBackward(dx.data(), dy.data(), x.data(), probs.data(), ref.lengths, scratch.data(), B, P, C, H,
                    ref.causal);
  return std::max({relativeGap(out, ref.out), relativeGap(probs, ref.probs), relativeGap(dx, ref.dqkv)});
}

}  // namespace

class TestGradients : public QObject {
  Q_OBJECT

 private slots:
  void embedding() {
    Rng rng(1);
    const int V = 5, N = 7, C = 3;
    Vec table = randomVec(rng, V * C), R = randomVec(rng, N * C), out(N * C), dtable(V * C, 0);
    std::vector<int> ids = {0, 3, 3, 1, 4, 0, 2};
    auto f = [&] {
      embeddingForward(out.data(), ids.data(), table.data(), N, C);
      return dot(out, R);
    };
    f();
    embeddingBackward(dtable.data(), R.data(), ids.data(), N, C);
    QVERIFY(maxRelError(f, table.data(), table.size(), dtable.data()) < kTolerance);
  }

  void linear() {
    Rng rng(2);
    for (const auto& dims : {std::tuple{5, 3, 4}, std::tuple{37, 19, 23}}) {
      // Plain ints, not structured bindings: clang 14 cannot capture those in a lambda.
      const int N = std::get<0>(dims), C = std::get<1>(dims), OC = std::get<2>(dims);
      Vec in = randomVec(rng, N * C), W = randomVec(rng, OC * C), b = randomVec(rng, OC),
          R = randomVec(rng, N * OC), out(N * OC);
      Vec din(N * C), dW(OC * C, 0), db(OC, 0);
      auto f = [&] {
        linearForward(out.data(), in.data(), W.data(), b.data(), N, C, OC);
        return dot(out, R);
      };
      f();
      linearBackward(din.data(), dW.data(), db.data(), R.data(), in.data(), W.data(), N, C, OC);
      QVERIFY(maxRelError(f, in.data(), in.size(), din.data()) < kTolerance);
      QVERIFY(maxRelError(f, W.data(), W.size(), dW.data()) < kTolerance);
      QVERIFY(maxRelError(f, b.data(), b.size(), db.data()) < kTolerance);
    }
  }

  void layerNorm() {
    Rng rng(3);
    const int N = 6, C = 11;
    Vec in = randomVec(rng, N * C, 2.0), gamma = randomVec(rng, C), beta = randomVec(rng, C),
        R = randomVec(rng, N * C), out(N * C), mean(N), rstd(N);
    Vec din(N * C, 0), dg(C, 0), db(C, 0);
    auto f = [&] {
      layerNormForward(out.data(), mean.data(), rstd.data(), in.data(), gamma.data(), beta.data(), N, C);
      return dot(out, R);
    };
    f();
    layerNormBackward(din.data(), dg.data(), db.data(), R.data(), in.data(), gamma.data(), mean.data(),
                      rstd.data(), N, C);
    QVERIFY(maxRelError(f, in.data(), in.size(), din.data()) < kTolerance);
    QVERIFY(maxRelError(f, gamma.data(), C, dg.data()) < kTolerance);
    QVERIFY(maxRelError(f, beta.data(), C, db.data()) < kTolerance);
  }

  void gelu() {
    Rng rng(4);
    const std::size_t n = 200;
    Vec in = randomVec(rng, n, 2.0), R = randomVec(rng, n), out(n), slope(n), din(n);
    auto f = [&] {
      geluForward(out.data(), in.data(), n);
      return dot(out, R);
    };
    f();
    geluForward(out.data(), in.data(), n, slope.data());
    geluBackward(din.data(), R.data(), slope.data(), n);
    QVERIFY(maxRelError(f, in.data(), n, din.data()) < kTolerance);
    // The slope written over the input itself (as the model does), over arrays longer than
    // one chunk, gives what element-wise calls give; the output is the same with or without it.
    const std::size_t big = 9000;
    Vec x = randomVec(rng, big, 2.0), g = randomVec(rng, big), y(big), plain(big), s = x, dx(big);
    geluForward(plain.data(), x.data(), big);
    geluForward(y.data(), s.data(), big, s.data());
    geluBackward(dx.data(), g.data(), s.data(), big);
    for (std::size_t i = 0; i < big; i += 97) {
      double yi, si, di;
      geluForward(&yi, &x[i], 1, &si);
      geluBackward(&di, &g[i], &si, 1);
      QCOMPARE(y[i], yi);
      QCOMPARE(plain[i], yi);
      QCOMPARE(dx[i], di);
    }
    // Exact (erf) GELU: gelu(1) = Phi(1) = 0.8413447460685429.
    double one = 1, atOne = 0;
    geluForward(&atOne, &one, 1);
    QCOMPARE(atOne, 0.8413447460685429);
  }

  void attention_data() {
    QTest::addColumn<bool>("causal");
    QTest::addColumn<bool>("padded");
    QTest::newRow("bidirectional") << false << false;
    QTest::newRow("causal") << true << false;
    QTest::newRow("key-padding") << false << true;
    QTest::newRow("causal+padding") << true << true;
  }
  void attention() {
    QFETCH(bool, causal);
    QFETCH(bool, padded);
    Rng rng(5);
    const int B = 3, P = 6, C = 8, H = 2;
    std::vector<int> lengths = {6, 2, 4};
    const int* lens = padded ? lengths.data() : nullptr;
    Vec qkv = randomVec(rng, B * P * 3 * C), R = randomVec(rng, B * P * C), out(B * P * C),
        probs(B * H * P * P), dqkv(qkv.size()), scratch(attentionScratchSize(P, C, H));
    auto f = [&] {
      attentionForward(out.data(), probs.data(), qkv.data(), lens, scratch.data(), B, P, C, H, causal);
      return dot(out, R);
    };
    f();
    attentionBackward(dqkv.data(), R.data(), qkv.data(), probs.data(), lens, scratch.data(), B, P, C, H,
                      causal);
    QVERIFY(maxRelError(f, qkv.data(), qkv.size(), dqkv.data()) < kTolerance);
    // Rows are distributions over the visible keys only.
    for (int b = 0; b < B; ++b)
      for (int h = 0; h < H; ++h)
        for (int i = 0; i < P; ++i) {
          const double* row = probs.data() + ((b * H + h) * P + i) * P;
          double sum = 0;
          for (int j = 0; j < P; ++j) {
            const bool visible = (!causal || j <= i) && (!padded || j < lengths[b]);
            if (!visible) QCOMPARE(row[j], 0.0);
            sum += row[j];
          }
          QVERIFY(std::abs(sum - 1) < 1e-12);
        }
  }

  // Shapes the finite-difference test does not reach: head widths that are not a multiple
  // of the vector blocks, more positions than one block of keys, single positions.
  void fusedAttentionMatchesReference_data() {
    QTest::addColumn<bool>("causal");
    QTest::addColumn<bool>("padded");
    QTest::newRow("bidirectional") << false << false;
    QTest::newRow("causal") << true << false;
    QTest::newRow("key-padding") << false << true;
    QTest::newRow("causal+padding") << true << true;
  }
  void fusedAttentionMatchesReference() {
    QFETCH(bool, causal);
    QFETCH(bool, padded);
    Rng rng(6);
    for (const int P : {1, 5, 17, 33})
      for (const int hd : {3, 8, 16, 24, 32}) {
        const int B = 3, H = 2, C = H * hd;
        std::vector<int> lengths = {P, std::max(1, P / 3), std::max(1, P - 2)};
        ReferenceAttention ref{B, P, C, H, causal, padded ? lengths.data() : nullptr, {}, {}, {}};
        const Vec qkv = randomVec(rng, B * P * 3 * C), dout = randomVec(rng, B * P * C);
        ref.run(qkv, dout);
        const double inDouble = fusedAttentionGap<double>(ref, qkv, dout);
        const double inFloat = fusedAttentionGap<float>(ref, qkv, dout);
        if (inDouble > 1e-12 || inFloat > 1e-5)
          QFAIL(qPrintable(QString("P %1, hd %2: relative gap %3 (double), %4 (float)")
                               .arg(P)
                               .arg(hd)
                               .arg(inDouble)
                               .arg(inFloat)));
      }
  }

  void model_data() {
    QTest::addColumn<int>("head");
    QTest::addColumn<int>("pooling");
    QTest::addColumn<int>("input");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<bool>("padded");
    QTest::newRow("lm-causal") << 0 << 0 << 0 << true << false;
    QTest::newRow("lm-causal-padded") << 0 << 0 << 0 << true << true;
    QTest::newRow("classify-mean") << 1 << 0 << 0 << false << true;
    QTest::newRow("classify-mean-causal") << 1 << 0 << 0 << true << false;
    QTest::newRow("classify-cls") << 1 << 1 << 0 << false << true;
    QTest::newRow("vit-patches-cls") << 1 << 1 << 1 << false << false;
    QTest::newRow("vit-patches-mean") << 1 << 0 << 1 << false << false;
  }
  void model() {
    QFETCH(int, head);
    QFETCH(int, pooling);
    QFETCH(int, input);
    QFETCH(bool, causal);
    QFETCH(bool, padded);
    TransformerConfig c;
    c.vocab = 7;
    c.seq = 5;
    c.dModel = 8;
    c.heads = 2;
    c.layers = 2;
    c.dFF = 12;
    c.head = head ? HeadKind::Classify : HeadKind::CausalLM;
    c.pooling = pooling ? Pooling::ClassToken : Pooling::Mean;
    c.input = input ? InputKind::Patches : InputKind::Tokens;
    c.patchDim = 6;
    c.classes = 3;
    c.causal = causal;
    Transformer<double> m(c, 11);
    // Larger weights than the 0.02 initialisation so every path carries gradient.
    Rng rng(12);
    for (auto& v : m.parameters().values()) v += rng.normal(0, 0.3);
    const int B = 3;
    std::vector<int> tokens(B * c.seq), targets(B * c.seq), labels = {0, 2, 1}, lengths = {5, 3, 1};
    for (auto& t : tokens) t = int(rng.below(c.vocab));
    for (auto& t : targets) t = rng.uniform() < 0.2 ? -1 : int(rng.below(c.vocab));
    Vec patches = randomVec(rng, B * c.seq * c.patchDim);
    TransformerBatch<double> batch;
    batch.size = B;
    batch.tokens = tokens.data();
    batch.patches = patches.data();
    batch.targets = targets.data();
    batch.labels = labels.data();
    batch.lengths = padded ? lengths.data() : nullptr;
    TransformerWorkspace<double> ws;
    m.reserve(ws, B, true);
    Vec loss(B), norm(B), hit(B);
    auto f = [&] { return m.forward(ws, batch, loss.data(), norm.data(), hit.data()); };
    f();
    m.parameters().zeroGrad();
    m.backward(ws);  // with every thread: batch shards and their gradient reduction
    // The many finite-difference passes run on one thread: on a busy machine thousands
    // of tiny parallel regions would dominate the suite's time.
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    auto& p = m.parameters();
    double worst = 0;
    for (int i = 0; i < p.count(); ++i) {
      const double err = maxRelError(f, p.value(i), p.view(i).size, p.grad(i));
      worst = std::max(worst, err);
      if (err >= kTolerance) {
        omp_set_num_threads(threads);
        QFAIL(qPrintable(QString("%1: relative error %2").arg(p.view(i).name.c_str()).arg(err)));
      }
    }
    omp_set_num_threads(threads);
    qInfo("worst relative error %g over %zu parameters", worst, p.parameterCount());
  }

  // Closed form: with a zero head every class is equally likely, so each example's
  // loss is log(classes) and ||p - e_y|| = sqrt(1 - 1/classes).
  void uniformHead() {
    TransformerConfig c;
    c.vocab = 9;
    c.seq = 4;
    c.dModel = 8;
    c.heads = 2;
    c.layers = 1;
    c.dFF = 8;
    Transformer<double> m(c, 3);
    auto& p = m.parameters();
    std::fill_n(p.value(p.find("head.weight")), p.view(p.find("head.weight")).size, 0.0);
    std::vector<int> tokens = {1, 2, 3, 4, 5, 6, 7, 8}, targets = {2, 3, -1, 5, 6, 7, 8, 0};
    TransformerBatch<double> b;
    b.size = 2;
    b.tokens = tokens.data();
    b.targets = targets.data();
    TransformerWorkspace<double> ws;
    m.reserve(ws, 2, false);
    Vec loss(2), norm(2), hit(2);
    m.forward(ws, b, loss.data(), norm.data(), hit.data());
    for (int i = 0; i < 2; ++i) {
      QVERIFY(std::abs(loss[i] - std::log(9.0)) < 1e-12);
      QVERIFY(std::abs(norm[i] - std::sqrt(1 - 1 / 9.0)) < 1e-12);
    }
  }

  void impossibleConfigs() {
    TransformerConfig c;
    c.vocab = 10;
    c.dModel = 10;
    c.heads = 3;
    auto make = [&] { Transformer<float> m(c, 1); };
    QVERIFY_THROWS_EXCEPTION(SettingsError, make());
    c.heads = 2;
    c.seq = 0;
    QVERIFY_THROWS_EXCEPTION(SettingsError, make());
    c.seq = 4;
    c.head = HeadKind::Classify;
    c.classes = 1;
    QVERIFY_THROWS_EXCEPTION(SettingsError, make());
    try {
      c.classes = 2;
      c.heads = 3;
      Transformer<float> m(c, 1);
      QFAIL("no exception");
    } catch (const attent::SettingsError& e) {
      QVERIFY(std::string(e.what()).find("divide") != std::string::npos);
    }
  }
};

QTEST_APPLESS_MAIN(TestGradients)
#include "test_gradients.moc"

// The transformer learner end to end: it learns copying, it is bit-reproducible, a
// steady-state training step allocates nothing, and no-grad passes agree with training ones.
#include <QtTest>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>

#include "engine/core/input_error.h"
#include "engine/core/optimizer.h"
#include "engine/core/rng.h"
#include "engine/learners/transformer_learner.h"
#include "engine/tasks/copy_task.h"
#include "engine/tasks/csv_task.h"

// Every heap allocation in this executable is counted, so a test can assert that a
// region allocated nothing: operator new here, and malloc itself (Eigen, OpenBLAS and
// the OpenMP runtime call it directly) through glibc's interposable malloc.
static std::atomic<long> gAllocations{0};
static std::atomic<long> gMallocs{0};
// Under a sanitizer its own allocator must own malloc and operator new (replacing them
// crashes ASan's start-up); the counting tests are then skipped, the rest still run.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ATTENT_COUNTS_ALLOCATIONS 0
#else
#define ATTENT_COUNTS_ALLOCATIONS 1
extern "C" void* __libc_malloc(std::size_t);
extern "C" void* malloc(std::size_t n) {
  gMallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* operator new(std::size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  const std::size_t al = static_cast<std::size_t>(a);
  if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
#endif
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace attent;

namespace {

nn::TransformerConfig smallConfig() {
  nn::TransformerConfig c;
  c.dModel = 32;
  c.heads = 2;
  c.layers = 2;
  c.dFF = 64;
  return c;
}

struct Trainer {
  TransformerLearner& learner;
  OptimizerSettings opt;
  Rng rng{7};
  std::vector<int> batch;
  ForwardOutputs out;
  long step = 0;
  explicit Trainer(TransformerLearner& l, int batchSize, double lr) : learner(l), batch(batchSize) {
    opt.lr = lr;
  }
  float trainStep() {
    for (auto& i : batch) i = int(rng.below(learner.task().size(Split::Pool)));
    learner.parameters().zeroGrad();
    learner.forward(Split::Pool, batch, out, true);
    learner.backward();
    optimizerStep(learner.parameters(), opt, ++step);
    float mean = 0;
    for (float l : out.loss) mean += l;
    return mean / out.loss.size();
  }
};

double heldOutLoss(TransformerLearner& l, double* accuracy = nullptr) {
  std::vector<int> all(l.task().size(Split::HeldOut));
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = int(i);
  ForwardOutputs out;
  l.forward(Split::HeldOut, all, out, false);
  double loss = 0, acc = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    loss += out.loss[i];
    acc += out.correct[i];
  }
  if (accuracy) *accuracy = acc / all.size();
  return loss / all.size();
}

}  // namespace

class TestTransformerLearner : public QObject {
  Q_OBJECT

 private slots:
  // Copying needs attention (position n+t must look up position t): if attention or
  // its gradient were broken the held-out loss would stay near log(symbols).
  void learnsCopy() {
    CopyTask task(5, 8, false, 2000, 100, 3);
    TransformerLearner learner(task, smallConfig(), 1, 32);
    const double before = heldOutLoss(learner);
    QVERIFY(before > 1.5);  // ~log 9 at initialisation
    Trainer t(learner, 32, 3e-3);
    double acc = 0, after = before;
    for (int s = 0; s < 3000 && after > 0.01; ++s) {
      t.trainStep();
      if (s % 100 == 99) after = heldOutLoss(learner, &acc);
    }
    qInfo("copy: held-out loss %.3f -> %.4f after %ld steps, accuracy %.3f", before, after, t.step, acc);
    QVERIFY(after < 0.05);
    QVERIFY(acc > 0.99);
  }

  void sameSeedSameLosses() {
    CopyTask task(4, 6, true, 500, 10, 5);
    std::vector<float> a, b;
    for (auto* losses : {&a, &b}) {
      TransformerLearner learner(task, smallConfig(), 42, 16);
      Trainer t(learner, 16, 1e-3);
      for (int s = 0; s < 6; ++s) {
        t.trainStep();
        losses->insert(losses->end(), t.out.loss.begin(), t.out.loss.end());
      }
    }
    QCOMPARE(a.size(), b.size());
    QVERIFY(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
    // And the seed matters.
    TransformerLearner other(task, smallConfig(), 43, 16);
    TransformerLearner same(task, smallConfig(), 42, 16);
    QVERIFY(other.parameters().values() != same.parameters().values());
  }

  // Vectorised sums peel scalars by where a buffer starts, so learners whose buffers
  // land at different addresses (other allocations in between) must still agree bit
  // for bit: every buffer is 64-byte aligned. Several junk sizes make it very likely
  // that, without that alignment, at least one learner's buffers start elsewhere mod 64.
  void sameSeedAcrossAllocations() {
    CopyTask task(5, 7, false, 300, 10, 4);
    nn::TransformerConfig c = smallConfig();
    c.dModel = 40;  // rows of 40 floats: row starts are not all 64-byte aligned either
    c.heads = 4;
    c.dFF = 72;
    std::vector<std::vector<float>> runs;
    std::vector<void*> junk;
    for (std::size_t extra : {0, 24, 40, 56, 8, 100, 4000}) {
      junk.push_back(std::malloc(extra * 3 + 8));
      std::vector<char> filler(extra + 1);  // moves the heap's top by an odd amount
      TransformerLearner learner(task, c, 11, 12);
      junk.push_back(std::malloc(extra + 16));
      Trainer t(learner, 12, 2e-3);
      std::vector<float> record;
      for (int s = 0; s < 5; ++s) {
        for (auto& i : t.batch) i = int(t.rng.below(task.size(Split::Pool)));
        learner.parameters().zeroGrad();
        learner.forward(Split::Pool, t.batch, t.out, true);
        learner.backward();
        record.insert(record.end(), t.out.loss.begin(), t.out.loss.end());
        const auto& g = learner.parameters().grads();
        record.insert(record.end(), g.begin(), g.end());
        optimizerStep(learner.parameters(), t.opt, ++t.step);
      }
      QCOMPARE(reinterpret_cast<std::uintptr_t>(learner.parameters().values().data()) % 64,
               std::uintptr_t(0));
      runs.push_back(std::move(record));
    }
    for (void* p : junk) std::free(p);
    for (std::size_t r = 1; r < runs.size(); ++r) {
      QCOMPARE(runs[r].size(), runs[0].size());
      QVERIFY2(std::memcmp(runs[r].data(), runs[0].data(), runs[0].size() * sizeof(float)) == 0,
               qPrintable(QString("run %1 differs from run 0").arg(r)));
    }
  }

  void steadyStateStepAllocatesNothing() {
    if (!ATTENT_COUNTS_ALLOCATIONS) QSKIP("a sanitizer owns malloc; the Release run counts allocations");
    CopyTask task(6, 10, false, 300, 40, 9);
    TransformerLearner learner(task, smallConfig(), 1, 24);
    Trainer t(learner, 24, 1e-3);
    std::vector<int> probe(40);
    for (int i = 0; i < 40; ++i) probe[i] = i;
    ForwardOutputs evalOut;
    for (int s = 0; s < 3; ++s) {  // warm-up: OpenMP team, output vectors
      t.trainStep();
      learner.forward(Split::HeldOut, probe, evalOut, false);
    }
    const long before = gAllocations.load(), mallocsBefore = gMallocs.load();
    for (int s = 0; s < 5; ++s) {
      t.trainStep();
      learner.forward(Split::HeldOut, probe, evalOut, false);  // no-grad scoring too
    }
    const long allocated = gAllocations.load() - before, mallocs = gMallocs.load() - mallocsBefore;
    QCOMPARE(allocated, 0L);
    QCOMPARE(mallocs, 0L);
  }

  // The counter must see allocations, or the test above proves nothing.
  void allocationCounterWorks() {
    if (!ATTENT_COUNTS_ALLOCATIONS) QSKIP("a sanitizer owns malloc; the Release run counts allocations");
    const long before = gAllocations.load();
    static std::vector<int>* volatile sink;  // volatile: the pair cannot be elided
    sink = new std::vector<int>(100);
    delete sink;
    QVERIFY(gAllocations.load() - before >= 2);
    const long mallocsBefore = gMallocs.load();
    static void* volatile raw;
    raw = std::malloc(64);
    std::free(raw);
    QVERIFY(gMallocs.load() - mallocsBefore >= 1);
  }

  void noGradMatchesTraining() {
    CopyTask task(4, 6, false, 200, 10, 2);
    TransformerLearner learner(task, smallConfig(), 3, 8);
    std::vector<int> many(70);  // several evaluation chunks of 8
    for (int i = 0; i < 70; ++i) many[i] = (i * 37) % 200;
    ForwardOutputs all, part;
    learner.forward(Split::Pool, many, all, false);
    for (int begin = 0; begin < 70; begin += 7) {
      learner.forward(Split::Pool, std::span<const int>(many).subspan(begin, 7), part, true);
      for (int i = 0; i < 7; ++i) {
        QVERIFY(std::abs(part.loss[i] - all.loss[begin + i]) < 1e-5);
        QVERIFY(std::abs(part.gradNorm[i] - all.gradNorm[begin + i]) < 1e-5);
        QCOMPARE(part.correct[i], all.correct[begin + i]);
      }
    }
  }

  void attentionMaps() {
    CopyTask task(3, 5, false, 20, 5, 2);
    TransformerLearner learner(task, smallConfig(), 3, 8);
    const AttentionMaps m = learner.attention(Split::HeldOut, 1);
    QCOMPARE(m.layers, 2);
    QCOMPARE(m.heads, 2);
    QCOMPARE(m.queries, 6);
    QCOMPARE(int(m.queryLabels.size()), 6);
    QCOMPARE(m.queryLabels[3], std::string("|"));
    for (int l = 0; l < 2; ++l)
      for (int h = 0; h < 2; ++h)
        for (int q = 0; q < 6; ++q) {
          float sum = 0;
          for (int k = 0; k < 6; ++k) {
            if (k > q) QCOMPARE(m.at(l, h, q, k), 0.f);  // causal
            sum += m.at(l, h, q, k);
          }
          QVERIFY(std::abs(sum - 1) < 1e-5);
        }
    const auto tl = learner.tokenLosses(Split::HeldOut, 1);
    QCOMPARE(int(tl.size()), 6);
    QCOMPARE(tl[0], 0.f);  // first half is not scored
    QVERIFY(tl[4] > 0);
  }

  // A short row of a classifier's CSV: the maps cover its own characters, not the padding
  // (masked, weight 0), and each query still spreads its whole weight over them.
  void attentionMapsStopAtTheExamplesLength() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("r.csv").toStdString();
    {
      std::ofstream out(path);
      out << "text,label\n";
      for (int i = 0; i < 10; ++i) out << "good,pos\nbad,neg\n";
    }
    CsvClassifyTask::Config config;
    config.sequenceLength = 16;
    CsvClassifyTask task(path, config);
    TransformerLearner learner(task, smallConfig(), 3, 8);
    const AttentionMaps m = learner.attention(Split::HeldOut, 0);
    const int off = m.classToken >= 0 ? 1 : 0;
    const std::size_t real = task.render(Split::HeldOut, 0).tokens.size();
    QVERIFY(real == 3 || real == 4);  // "bad" or "good"
    QCOMPARE(m.keys, int(real) + off);
    QCOMPARE(m.queries, m.keys);
    QCOMPARE(m.keyLabels.size(), std::size_t(m.keys));
    QCOMPARE(m.weights.size(), std::size_t(m.layers) * m.heads * m.keys * m.keys);
    for (int l = 0; l < m.layers; ++l)
      for (int q = 0; q < m.queries; ++q) {
        float sum = 0;
        for (int k = 0; k < m.keys; ++k) sum += m.at(l, 0, q, k);
        QVERIFY(std::abs(sum - 1) < 1e-5);
      }
  }

  void settings() {
    CopyTask task(3, 5, false, 20, 5, 2);
    Settings s(TransformerLearner::settingSpecs());
    QVERIFY(!s.set("model.d_model", "48"));
    QVERIFY(!s.set("model.heads", "3"));
    auto l = TransformerLearner::create(task, s, 8);
    QCOMPARE(l->config().heads, 3);
    QCOMPARE(l->config().dModel, 48);
    QVERIFY(l->parameters().find("block1.attn.qkv.weight") >= 0);
    QVERIFY(!s.set("model.heads", "5"));
    try {
      TransformerLearner::create(task, s, 8);
      QFAIL("heads not dividing d_model was accepted");
    } catch (const SettingsError& e) {
      QVERIFY(std::string(e.what()).find("model.heads") != std::string::npos);
    }
    QVERIFY(s.set("model.layers", "0"));  // outside the declared range
  }

  // A combination that cannot learn is refused, saying why.
  void classTokenUnderACausalMaskIsRefused() {
    nn::TransformerConfig c;
    c.vocab = 5;
    c.seq = 4;
    c.dModel = 8;
    c.heads = 2;
    c.layers = 1;
    c.dFF = 8;
    c.head = nn::HeadKind::Classify;
    c.classes = 2;
    c.pooling = nn::Pooling::ClassToken;
    c.causal = true;
    try {
      c.validate();
      QFAIL("a class token under a causal mask was accepted");
    } catch (const SettingsError& e) {
      QVERIFY2(
          std::string(e.what()).find("model.pooling=class-token cannot be used with model.causal=on") == 0,
          e.what());
    }
    c.causal = false;
    c.validate();
    c.causal = true;
    c.pooling = nn::Pooling::Mean;
    c.validate();
  }
};

QTEST_APPLESS_MAIN(TestTransformerLearner)
#include "test_transformer_learner.moc"

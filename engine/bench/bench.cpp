#include "engine/bench/bench.h"

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "engine/core/optimizer.h"
#include "engine/core/rng.h"
#include "engine/nn/gemm.h"
#include "engine/nn/transformer.h"

namespace attent {

namespace {
struct BenchSpec {
  const char* name;
  int vocab, seq, d, heads, layers, ff, batch;
};
constexpr BenchSpec kSpecs[] = {
    {"tiny", 64, 32, 64, 4, 2, 256, 32},
    {"small", 256, 64, 128, 4, 4, 512, 32},
    {"medium", 512, 128, 256, 8, 6, 1024, 16},
};
}  // namespace

std::vector<std::string> benchModelNames() {
  std::vector<std::string> n;
  for (const auto& s : kSpecs) n.push_back(s.name);
  return n;
}

BenchResult benchModel(const std::string& name, int threads, int steps) {
  const BenchSpec* spec = nullptr;
  for (const auto& s : kSpecs)
    if (name == s.name) spec = &s;
  if (!spec) throw std::invalid_argument("unknown bench model '" + name + "' (valid: tiny, small, medium)");
  if (threads < 1 || steps < 1) throw std::invalid_argument("threads and steps must be at least 1");

  const int previousThreads = omp_get_max_threads();
  omp_set_num_threads(threads);
  nn::TransformerConfig c;
  c.vocab = spec->vocab;
  c.seq = spec->seq;
  c.dModel = spec->d;
  c.heads = spec->heads;
  c.layers = spec->layers;
  c.dFF = spec->ff;
  c.head = nn::HeadKind::CausalLM;
  c.causal = true;
  nn::Transformer<float> model(c, 0);
  nn::TransformerWorkspace<float> ws;
  model.reserve(ws, spec->batch, true);

  // Random sequences of seq+1 tokens: inputs are the first seq, targets the last seq.
  const int B = spec->batch, S = spec->seq;
  Rng rng(0);
  std::vector<int> tokens(std::size_t(B) * S), targets(std::size_t(B) * S);
  for (int b = 0; b < B; ++b) {
    std::vector<int> x(S + 1);
    for (auto& t : x) t = int(rng.below(c.vocab));
    for (int t = 0; t < S; ++t) {
      tokens[std::size_t(b) * S + t] = x[t];
      targets[std::size_t(b) * S + t] = x[t + 1];
    }
  }
  nn::TransformerBatch<float> batch;
  batch.size = B;
  batch.tokens = tokens.data();
  batch.targets = targets.data();
  std::vector<float> loss(B), norm(B), hit(B);
  OptimizerSettings opt;
  opt.kind = OptimizerKind::AdamW;
  opt.lr = 1e-3;
  opt.weightDecay = 0.01;  // PyTorch's AdamW default
  long step = 0;
  auto trainStep = [&] {
    model.parameters().zeroGrad();
    model.forward(ws, batch, loss.data(), norm.data(), hit.data());
    model.backward(ws);
    optimizerStep(model.parameters(), opt, ++step);
  };
  for (int i = 0; i < 5; ++i) trainStep();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) trainStep();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / steps;
  omp_set_num_threads(previousThreads);

  BenchResult r;
  r.model = name;
  r.msPerStep = seconds * 1e3;
  r.seqPerSec = B / seconds;
  r.gflops = r.seqPerSec * model.flopsPerSequence() / 1e9;
  return r;
}

BenchResult benchSgemm(int threads, int n, int repeats) {
  if (threads < 1 || n < 1 || repeats < 1)
    throw std::invalid_argument("threads, n and repeats must be at least 1");
  std::vector<float> a(std::size_t(n) * n), b(a.size()), c(a.size());
  Rng rng(0);
  for (auto* v : {&a, &b})
    for (auto& x : *v) x = float(rng.uniform() - 0.5);
  // Each thread owns a block of C's rows, as the model's shards own blocks of the batch.
  auto product = [&] {
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (int t = 0; t < threads; ++t) {
      const int r0 = int(long(n) * t / threads), r1 = int(long(n) * (t + 1) / threads);
      nn::gemmLarge<float>(false, false, r1 - r0, n, n, 1.f, a.data() + std::size_t(r0) * n, n, b.data(), n,
                           false, c.data() + std::size_t(r0) * n, n);
    }
  };
  product();  // warm-up: pages touched, BLAS buffers allocated
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) product();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / repeats;
  BenchResult r;
  r.model = "sgemm" + std::to_string(n);
  r.msPerStep = seconds * 1e3;
  r.gflops = 2.0 * n * n * double(n) / seconds / 1e9;
  return r;
}

std::string formatBenchResult(const BenchResult& r) {
  char line[160];
  if (r.seqPerSec == 0) {  // a bare product (benchSgemm)
    std::snprintf(line, sizeof line, "%s  %.2f ms/product  %.1f GFLOP/s", r.model.c_str(), r.msPerStep,
                  r.gflops);
    return line;
  }
  std::snprintf(line, sizeof line, "%s  %.2f ms/step  %.1f seq/s  %.1f GFLOP/s", r.model.c_str(), r.msPerStep,
                r.seqPerSec, r.gflops);
  return line;
}

}  // namespace attent

#pragma once
// Training throughput of the three benchmark models of docs/ARCHITECTURE.md (causal LM on
// random tokens, pre-LN, GELU MLP, learned positions, AdamW), counted like
// bench/peers/torch_peer.py so the two can be compared in one sitting.
#include <string>
#include <vector>

namespace attent {

struct BenchResult {
  std::string model;
  double msPerStep = 0, seqPerSec = 0, gflops = 0;
};

std::vector<std::string> benchModelNames();  // tiny, small, medium
// Times `steps` training steps after 5 warm-up steps with `threads` OpenMP threads.
// Throws std::invalid_argument for an unknown name or steps/threads < 1.
BenchResult benchModel(const std::string& name, int threads, int steps);
// The ceiling the models' products run against: `threads` threads each multiplying its block of
// rows of one n x n x n single-precision product with the engine's single-threaded GEMM.
BenchResult benchSgemm(int threads, int n = 2048, int repeats = 10);
// "tiny  4.10 ms/step  7804.9 seq/s  165.2 GFLOP/s"
std::string formatBenchResult(const BenchResult& r);

}  // namespace attent

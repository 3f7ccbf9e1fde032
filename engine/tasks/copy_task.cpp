#include "engine/tasks/copy_task.h"

#include <stdexcept>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"

namespace attent {

namespace {
// Fills one example: inputs x | sep | y[0..n-2], targets -1 .. -1 | y (next-token).
void makeExample(Rng& rng, int n, int symbols, bool reverse, int* out) {
  std::vector<int> x(n);
  for (auto& v : x) v = int(rng.below(symbols));
  int* in = out;
  int* tgt = out + 2 * n;
  for (int t = 0; t < n; ++t) in[t] = x[t];
  in[n] = symbols;  // separator
  for (int t = 0; t < n; ++t) {
    const int y = reverse ? x[n - 1 - t] : x[t];
    if (n + 1 + t < 2 * n) in[n + 1 + t] = y;
    tgt[n + t] = y;  // position n+t (separator or y[t-1]) predicts y[t]
  }
  for (int t = 0; t < n; ++t) tgt[t] = -1;
}
}  // namespace

CopyTask::CopyTask(int length, int symbols, bool reverse, int poolSize, int heldOutSize, std::uint64_t seed)
    : length_(length), symbols_(symbols), pool_(poolSize), heldOut_(heldOutSize), reverse_(reverse) {
  if (length < 1 || length > 512) throw SettingsError("task.length must be in [1, 512]");
  if (symbols < 2 || symbols > 1000) throw SettingsError("task.symbols must be in [2, 1000]");
  if (poolSize < 1 || heldOutSize < 0) throw SettingsError("task: pool size must be >= 1, held-out >= 0");
  Rng rng(seed);
  const int w = 4 * length;
  poolData_.resize(std::size_t(pool_) * w);
  heldData_.resize(std::size_t(heldOut_) * w);
  for (int i = 0; i < pool_; ++i) makeExample(rng, length, symbols, reverse, &poolData_[std::size_t(i) * w]);
  for (int i = 0; i < heldOut_; ++i)
    makeExample(rng, length, symbols, reverse, &heldData_[std::size_t(i) * w]);
}

TokenExample CopyTask::example(Split split, int index) const {
  if (index < 0 || index >= size(split)) throw std::out_of_range("CopyTask: example index out of range");
  const int* r =
      (split == Split::Pool ? poolData_.data() : heldData_.data()) + std::size_t(index) * 4 * length_;
  TokenExample e;
  e.tokens = r;
  e.targets = r + 2 * length_;
  e.length = 2 * length_;
  return e;
}

std::string CopyTask::tokenText(int token) const {
  if (token == symbols_) return "|";
  if (token >= 0 && token < 26) return std::string(1, char('a' + token));
  return std::to_string(token);
}

ExampleView CopyTask::render(Split split, int index) const {
  const TokenExample e = example(split, index);
  ExampleView v;
  for (int t = 0; t < 2 * length_; ++t) {
    v.tokens.push_back(tokenText(e.tokens[t]));
    v.text += v.tokens.back();
  }
  v.label = tokenText(e.targets[2 * length_ - 1]);
  return v;
}

}  // namespace attent

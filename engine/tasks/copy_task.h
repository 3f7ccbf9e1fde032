#pragma once
// Copy / reversal: a sequence of `length` random symbols, a separator, then the same
// symbols again (or reversed). As causal language modelling the learner predicts the
// second half; it can only do so by attending back to the first half, which makes it
// the smallest task that needs attention to work (and a good learning test).
#include <cstdint>
#include <vector>

#include "engine/tasks/task.h"

namespace attent {

class CopyTask : public TokenTask {
 public:
  // Examples are drawn once from `seed`; held-out sequences are disjoint draws.
  CopyTask(int length, int symbols, bool reverse, int poolSize, int heldOutSize, std::uint64_t seed);

  std::string name() const override { return reverse_ ? "reversal" : "copy"; }
  int size(Split split) const override { return split == Split::Pool ? pool_ : heldOut_; }
  ExampleView render(Split split, int index) const override;
  int vocabSize() const override { return symbols_ + 1; }
  int sequenceLength() const override { return 2 * length_; }
  TokenExample example(Split split, int index) const override;
  std::string tokenText(int token) const override;
  int separator() const { return symbols_; }

 private:
  const int* row(Split split, int index, const std::vector<int>& pool, const std::vector<int>& held) const;
  int length_, symbols_, pool_, heldOut_;
  bool reverse_;
  // Per example: 2*length input tokens, then 2*length targets.
  std::vector<int> poolData_, heldData_;
};

}  // namespace attent

#pragma once
// A Task is a pool of training examples, a held-out set, and how to show an example.
// Learners read examples through the typed interfaces below; the teacher only ever
// sees pool indices, so it works with every task.
#include <string>
#include <vector>

namespace attent {

enum class Split { Pool, HeldOut };

// How the UI renders one example, with ground truth for overlays.
struct ExampleView {
  std::vector<std::string> tokens;  // one label per sequence position (patch "r0c1", word, character)
  std::string text;                 // the whole example as text, where that means something
  int imageWidth = 0, imageHeight = 0;
  std::vector<float> image;    // grayscale in [0, 1], row-major (digits, mosaics of digits)
  int patchSize = 0;           // ViT: tokens are patchSize x patchSize tiles of `image`, row by row
  std::string label;           // the true label or next token, as text
  std::vector<int> highlight;  // ground-truth positions: topic words, true SCB positions, foreground segment
  std::string highlightTitle;  // what they are, in words: "the topic word", "the true positions"
};

class Task {
 public:
  virtual ~Task() = default;
  virtual std::string name() const = 0;
  virtual int size(Split split) const = 0;
  virtual ExampleView render(Split split, int index) const = 0;
  // Held-out examples the attention views show by default (a few, deterministic).
  virtual std::vector<int> probes() const { return {0, 1, 2, 3}; }
  // Class names for classification tasks (empty for regression / language modelling).
  virtual std::vector<std::string> classNames() const { return {}; }
  // The class an example is trained with, an index into classNames(); -1 where there are none.
  virtual int classOf(Split /*split*/, int /*index*/) const { return -1; }
};

// Sequences of token ids: causal language modelling (targets at every position),
// sequence classification (a label), or next-token prediction at chosen positions.
struct TokenExample {
  const int* tokens = nullptr;   // sequenceLength() ids in [0, vocabSize())
  const int* targets = nullptr;  // LM: sequenceLength() ids, -1 = no loss at that position
  int label = -1;                // classification: class in [0, classCount())
  int length = 0;                // real tokens; positions >= length are padding
};

class TokenTask : public Task {
 public:
  virtual int vocabSize() const = 0;
  virtual int sequenceLength() const = 0;
  virtual int classCount() const { return 0; }  // 0: language modelling (targets)
  virtual int padToken() const { return -1; }   // -1: no padding in this task
  virtual TokenExample example(Split split, int index) const = 0;
  virtual std::string tokenText(int token) const = 0;
  int classOf(Split split, int index) const override {
    return classCount() > 0 ? example(split, index).label : -1;
  }
};

// Fixed-size real vectors per position: ViT image patches, mosaic segments.
struct PatchExample {
  const float* patches = nullptr;  // patchCount() x patchDim(), row-major
  int label = -1;
  int foreground = -1;  // mosaics: the segment that carries the class
};

class PatchTask : public Task {
 public:
  virtual int patchCount() const = 0;
  virtual int patchDim() const = 0;
  virtual int classCount() const = 0;
  virtual PatchExample example(Split split, int index) const = 0;
  int classOf(Split split, int index) const override { return example(split, index).label; }
};

}  // namespace attent

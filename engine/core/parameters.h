#pragma once
// All of a learner's parameters in one flat buffer (values, gradients, optimiser
// moments), with named views, as in llm.c. Optimisers, clipping and checkpoints
// then work on any learner without knowing its layers.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/aligned.h"
#include "engine/core/byte_io.h"

namespace attent {

struct ParamView {
  std::string name;        // e.g. "block0.attn.qkv.weight"
  std::vector<int> shape;  // row-major
  std::size_t offset = 0;  // into the flat buffers
  std::size_t size = 0;
  int group = 0;          // optimiser group (FocusMosaic: 0 focus, 1 classifier)
  bool trainable = true;  // frozen views get no update (topic-word query, FC classifier)
  bool decay = true;      // AdamW weight decay applies (not to biases, LayerNorm, embeddings)
};

template <class T>
class Parameters {
 public:
  // Declares a tensor; call before finalize(). Returns its id.
  int add(std::string name, std::vector<int> shape, int group = 0, bool decay = true) {
    if (finalized_) throw std::logic_error("Parameters::add after finalize: " + name);
    ParamView v;
    v.name = std::move(name);
    v.shape = std::move(shape);
    v.size = 1;
    for (int d : v.shape) v.size *= static_cast<std::size_t>(d);
    v.offset = total_;
    v.group = group;
    v.decay = decay;
    // Keep each tensor 16-float aligned so SIMD loads of a row start on a cache line.
    total_ += (v.size + 15) / 16 * 16;
    views_.push_back(std::move(v));
    return static_cast<int>(views_.size()) - 1;
  }
  void finalize() {
    values_.assign(total_, T(0));
    grads_.assign(total_, T(0));
    moment1_.assign(total_, T(0));
    moment2_.assign(total_, T(0));
    finalized_ = true;
  }
  bool finalized() const { return finalized_; }

  T* value(int id) { return values_.data() + views_[id].offset; }
  const T* value(int id) const { return values_.data() + views_[id].offset; }
  T* grad(int id) { return grads_.data() + views_[id].offset; }
  const T* grad(int id) const { return grads_.data() + views_[id].offset; }
  T* moment1(int id) { return moment1_.data() + views_[id].offset; }
  T* moment2(int id) { return moment2_.data() + views_[id].offset; }

  const ParamView& view(int id) const { return views_[id]; }
  ParamView& view(int id) { return views_[id]; }
  const std::vector<ParamView>& views() const { return views_; }
  int count() const { return static_cast<int>(views_.size()); }
  int find(const std::string& name) const {
    for (int i = 0; i < count(); ++i)
      if (views_[i].name == name) return i;
    return -1;
  }
  void setTrainable(int id, bool on) { views_[id].trainable = on; }

  AlignedVector<T>& values() { return values_; }
  const AlignedVector<T>& values() const { return values_; }
  AlignedVector<T>& grads() { return grads_; }
  const AlignedVector<T>& grads() const { return grads_; }
  AlignedVector<T>& moments1() { return moment1_; }
  AlignedVector<T>& moments2() { return moment2_; }
  const AlignedVector<T>& moments1() const { return moment1_; }
  const AlignedVector<T>& moments2() const { return moment2_; }

  std::size_t size() const { return total_; }
  // Number of real parameters (without alignment padding).
  std::size_t parameterCount() const {
    std::size_t n = 0;
    for (const auto& v : views_) n += v.size;
    return n;
  }
  void zeroGrad() { std::fill(grads_.begin(), grads_.end(), T(0)); }

  // The view table and all four buffers (float parameters only). restore() takes trainable
  // flags from the bytes and refuses another layout: a file must fit the learner the
  // settings build.
  void save(ByteWriter& w) const {
    w.put<std::uint32_t>(std::uint32_t(count()));
    for (const auto& v : views_) {
      w.putString(v.name);
      w.putArray<std::int32_t>(v.shape);
      w.put<std::uint64_t>(v.offset);
      w.put<std::uint8_t>(v.trainable);
    }
    w.putFloats(values_);
    w.putFloats(grads_);
    w.putFloats(moment1_);
    w.putFloats(moment2_);
  }
  void restore(ByteReader& in) {
    const auto n = in.get<std::uint32_t>("tensor count");
    if (int(n) != count())
      in.fail("has " + std::to_string(n) + " parameter tensors, the settings build " +
              std::to_string(count()));
    for (int i = 0; i < count(); ++i) {
      ParamView& v = views_[i];
      const std::string name = in.getString("tensor name");
      const auto shape = in.getArray<std::int32_t, int>("tensor shape");
      const auto offset = in.get<std::uint64_t>("tensor offset");
      const bool trainable = in.get<std::uint8_t>("tensor flags") != 0;
      if (name != v.name || shape != v.shape || offset != v.offset)
        in.fail("tensor " + std::to_string(i) + " is '" + name + "', the settings build '" + v.name +
                "' of another shape or place");
      v.trainable = trainable;
    }
    restoreBuffer(in, values_, "parameter values");
    restoreBuffer(in, grads_, "parameter gradients");
    restoreBuffer(in, moment1_, "first moments");
    restoreBuffer(in, moment2_, "second moments");
  }

 private:
  static void restoreBuffer(ByteReader& in, AlignedVector<T>& dst, const char* field) {
    auto src = in.getFloats(field);
    if (src.size() != dst.size())
      in.fail(std::string(field) + " holds " + std::to_string(src.size()) + " floats, expected " +
              std::to_string(dst.size()));
    dst.assign(src.begin(), src.end());
  }
  std::vector<ParamView> views_;
  // 64-byte aligned: vectorised sums then round the same wherever the buffers land.
  AlignedVector<T> values_, grads_, moment1_, moment2_;
  std::size_t total_ = 0;
  bool finalized_ = false;
};

}  // namespace attent

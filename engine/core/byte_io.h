#pragma once
// Little-endian byte streams for experiment files. The reader checks every length against
// what is left, so a truncated or corrupted file gives an InputError naming what it was
// reading, never an out-of-bounds read or a huge allocation.
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/core/input_error.h"

namespace attent {

static_assert(std::endian::native == std::endian::little, "experiment files assume a little-endian host");

class ByteWriter {
 public:
  template <class T>
  void put(T v) {
    static_assert(std::is_arithmetic_v<T>);
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  void putString(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  // Stored as <u64 count><count * Stored>, e.g. vector<int> as int32.
  template <class Stored, class T>
  void putArray(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    for (const T& x : v) put<Stored>(Stored(x));
  }
  template <class Alloc>  // any allocator: parameter buffers are 64-byte aligned vectors
  void putFloats(const std::vector<float, Alloc>& v) {
    put<std::uint64_t>(v.size());
    const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
    bytes_.insert(bytes_.end(), p, p + v.size() * sizeof(float));
  }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

class ByteReader {
 public:
  // `what` names the stream in error messages ("run 'attent'").
  ByteReader(std::span<const std::uint8_t> bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}
  template <class T>
  T get(const char* field) {
    static_assert(std::is_arithmetic_v<T>);
    need(sizeof(T), field);
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string getString(const char* field) {
    const auto n = count(1, field);
    std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  template <class Stored, class T>
  std::vector<T> getArray(const char* field) {
    const auto n = count(sizeof(Stored), field);
    std::vector<T> v(n);
    for (auto& x : v) x = T(get<Stored>(field));
    return v;
  }
  std::vector<float> getFloats(const char* field) {
    const auto n = count(sizeof(float), field);
    std::vector<float> v(n);
    std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(float));
    pos_ += n * sizeof(float);
    return v;
  }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  const std::string& what() const { return what_; }
  [[noreturn]] void fail(const std::string& reason) const { throw InputError(what_ + ": " + reason); }

 private:
  void need(std::size_t n, const char* field) const {
    if (n > remaining())
      fail(std::string("ends early while reading ") + field + " (needs " + std::to_string(n) + " bytes, " +
           std::to_string(remaining()) + " left)");
  }
  // A u64 element count, checked against the bytes left before anything is allocated.
  std::size_t count(std::size_t elementSize, const char* field) {
    const auto n = get<std::uint64_t>(field);
    if (n > remaining() / elementSize)
      fail(std::string("length of ") + field + " (" + std::to_string(n) + ") exceeds the data left");
    return std::size_t(n);
  }
  std::span<const std::uint8_t> bytes_;
  std::string what_;
  std::size_t pos_ = 0;
};

}  // namespace attent

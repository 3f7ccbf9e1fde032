#pragma once
// Vectors whose data start on a 64-byte boundary. Vectorised reductions (Eigen, BLAS)
// peel a different number of scalar elements depending on where an array starts, so
// the same numbers summed from differently aligned buffers round differently. Aligning
// every parameter and workspace buffer keeps results bit-identical across allocations
// (and across save / reopen of an experiment).
#include <cstddef>
#include <new>
#include <vector>

namespace attent {

template <class T, std::size_t Alignment = 64>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() noexcept = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U, Alignment>&) noexcept {}
  template <class U>
  struct rebind {
    using other = AlignedAllocator<U, Alignment>;
  };
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(Alignment)));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t(Alignment)); }
  template <class U>
  bool operator==(const AlignedAllocator<U, Alignment>&) const noexcept {
    return true;
  }
};

template <class T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

}  // namespace attent

#pragma once
// The BLAS the engine's large products run on, chosen from the CPU's feature flags rather
// than from the library's recognition of the CPU model (Debian's OpenBLAS 0.3.21 takes a
// 2023 Xeon for a 2004 "Prescott" and runs SSE3 kernels). OpenBLAS is loaded at run time,
// after OPENBLAS_CORETYPE is set to the best kernel set the CPU supports (a value the user
// set is kept). A start-up self-check compares its products with a reference; on a wrong
// product, or without OpenBLAS, the engine uses Eigen's kernels and says why.
#include <optional>
#include <string>

namespace attent::nn {

// Row-major C = alpha * op(A) * op(B) + beta * C, with CBLAS's enum values (101 = row-major,
// 111 = no transpose, 112 = transpose): the signature of cblas_sgemm / cblas_dgemm.
using SgemmFn = void (*)(int order, int transA, int transB, int M, int N, int K, float alpha, const float* A,
                         int lda, const float* B, int ldb, float beta, float* C, int ldc);
using DgemmFn = void (*)(int order, int transA, int transB, int M, int N, int K, double alpha,
                         const double* A, int lda, const double* B, int ldb, double beta, double* C, int ldc);

struct BlasBackend {
  SgemmFn sgemm = nullptr;  // null: Eigen's kernels
  DgemmFn dgemm = nullptr;
  std::string library;  // "OpenBLAS 0.3.21" or "Eigen 3.4.0"
  std::string kernels;  // "SkylakeX (AVX-512)", "Eigen, AVX-512"
  std::string choice;   // why these kernels: "chosen from the CPU's flags", "OPENBLAS_CORETYPE=..."
  std::string warning;  // non-empty when a fallback happened (also printed to stderr once)
};

// Loaded on first call (thread-safe); the same value afterwards.
const BlasBackend& blasBackend();

// The best OpenBLAS kernel set for this CPU's features: SkylakeX (AVX-512 F/BW/DQ/VL),
// Haswell (AVX2 + FMA; Zen on AMD), Sandybridge (AVX), Nehalem (SSE4.2), else Prescott.
std::string bestOpenBlasCore();
// The SIMD level the CPU supports and Eigen was compiled for, e.g. "AVX-512" / "AVX2+FMA".
std::string cpuSimdLevel();
std::string eigenSimdLevel();

// Products of awkward shapes and both transposes against a double-precision reference.
// Empty when all agree; otherwise what was wrong (shape and error).
std::optional<std::string> checkProducts(SgemmFn sgemm, DgemmFn dgemm);

// The candidate if its products pass checkProducts; otherwise Eigen's kernels with a warning
// that names the library, its kernels and the wrong product.
BlasBackend verifiedBackend(const BlasBackend& candidate);

// One line for `bench`, `--version` and the About box:
// "matrix products: OpenBLAS 0.3.21, SkylakeX (AVX-512) kernels (chosen from the CPU's flags)"
std::string describeBlas(const BlasBackend& backend);
// describeBlas(blasBackend()) and a second line: "threads: 2 (OpenMP)".
std::string describeEngine();

}  // namespace attent::nn

#include "engine/nn/blas.h"

#include <dlfcn.h>
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace attent::nn {

namespace {

constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

bool cpuHas(const char* feature) {
  __builtin_cpu_init();
  if (!std::strcmp(feature, "avx512")) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  }
  if (!std::strcmp(feature, "avx2fma"))
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (!std::strcmp(feature, "avx")) return __builtin_cpu_supports("avx");
  return __builtin_cpu_supports("sse4.2");
}

std::string simdOfCore(const std::string& core) {
  std::string c = core;
  std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
  if (c == "skylakex" || c == "cooperlake" || c == "sapphirerapids") return "AVX-512";
  if (c == "haswell" || c.rfind("zen", 0) == 0) return "AVX2+FMA";
  if (c == "sandybridge") return "AVX";
  if (c == "nehalem") return "SSE4.2";
  if (c == "prescott" || c == "core2") return "SSE3";
  return "unknown SIMD";
}

// Reference C = alpha op(A) op(B) + beta C in double; the bound is sum_k |a||b| per entry.
template <class T>
void reference(bool ta, bool tb, int M, int N, int K, const std::vector<T>& A, const std::vector<T>& B,
               std::vector<double>& C, std::vector<double>& bound, T alpha, T beta,
               const std::vector<T>& C0) {
  const int lda = ta ? M : K, ldb = tb ? K : N;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0, b = 0;
      for (int k = 0; k < K; ++k) {
        const double a = ta ? A[std::size_t(k) * lda + i] : A[std::size_t(i) * lda + k];
        const double x = tb ? B[std::size_t(j) * ldb + k] : B[std::size_t(k) * ldb + j];
        s += a * x;
        b += std::abs(a * x);
      }
      C[std::size_t(i) * N + j] = alpha * s + beta * C0[std::size_t(i) * N + j];
      bound[std::size_t(i) * N + j] = std::abs(alpha) * b + std::abs(beta * C0[std::size_t(i) * N + j]);
    }
}

template <class T, class Fn>
std::optional<std::string> checkOne(Fn gemm, const char* type, double tolerance) {
  struct Shape {
    int M, N, K;
  };
  const Shape shapes[] = {{67, 45, 83}, {1, 33, 7}, {160, 96, 130}, {17, 129, 1}};
  unsigned state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return T(int(state >> 9) % 2001 - 1000) / T(1000);
  };
  for (const Shape& s : shapes)
    for (int t = 0; t < 4; ++t) {
      const bool ta = t & 1, tb = t & 2;
      std::vector<T> A(std::size_t(s.M) * s.K), B(std::size_t(s.K) * s.N), C(std::size_t(s.M) * s.N);
      for (auto& x : A) x = next();
      for (auto& x : B) x = next();
      for (auto& x : C) x = next();
      const std::vector<T> C0 = C;
      const T alpha = T(0.75), beta = (t == 3) ? T(1) : T(0);
      std::vector<double> ref(C.size()), bound(C.size());
      reference(ta, tb, s.M, s.N, s.K, A, B, ref, bound, alpha, beta, C0);
      gemm(kRowMajor, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, s.M, s.N, s.K, alpha, A.data(),
           ta ? s.M : s.K, B.data(), tb ? s.K : s.N, beta, C.data(), s.N);
      for (std::size_t i = 0; i < C.size(); ++i) {
        const double err = std::abs(double(C[i]) - ref[i]);
        if (!(err <= tolerance * (bound[i] + 1))) {
          char why[200];
          std::snprintf(why, sizeof why, "%s %dx%dx%d%s%s: entry %zu is %.6g, expected %.6g", type, s.M, s.N,
                        s.K, ta ? " A^T" : "", tb ? " B^T" : "", i, double(C[i]), ref[i]);
          return std::string(why);
        }
      }
    }
  return std::nullopt;
}

BlasBackend eigenBackend(const std::string& why) {
  BlasBackend b;
  b.library = "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
              "." + std::to_string(EIGEN_MINOR_VERSION);
  b.kernels = "Eigen, " + eigenSimdLevel();
  b.choice = why;
  return b;
}

template <class F>
F symbol(void* lib, const char* name) {
  return reinterpret_cast<F>(dlsym(lib, name));
}

BlasBackend loadOpenBlas() {
  const char* asked = std::getenv("ATTENT_BLAS");
  if (asked && std::string(asked) == "eigen") return eigenBackend("ATTENT_BLAS=eigen");
  const char* userCore = std::getenv("OPENBLAS_CORETYPE");
  const std::string core = userCore ? std::string(userCore) : bestOpenBlasCore();
  // Before the library initialises: its constructor reads these once.
  if (!userCore) setenv("OPENBLAS_CORETYPE", core.c_str(), 0);
  setenv("OPENBLAS_NUM_THREADS", "1", 0);
  void* lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!lib) lib = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
  if (!lib) return eigenBackend("OpenBLAS is not installed (libopenblas.so.0 not found)");
  BlasBackend b;
  b.sgemm = symbol<SgemmFn>(lib, "cblas_sgemm");
  b.dgemm = symbol<DgemmFn>(lib, "cblas_dgemm");
  auto setThreads = symbol<void (*)(int)>(lib, "openblas_set_num_threads");
  auto coreName = symbol<char* (*)()>(lib, "openblas_get_corename");
  auto config = symbol<char* (*)()>(lib, "openblas_get_config");
  if (!b.sgemm || !b.dgemm) return eigenBackend("the OpenBLAS found has no cblas_sgemm/cblas_dgemm");
  // The engine splits work across threads itself; one BLAS thread keeps results reproducible.
  if (setThreads) setThreads(1);
  const std::string running = coreName ? coreName() : core;
  std::string version = "OpenBLAS";
  if (config) {
    const std::string c = config();
    const auto at = c.find("OpenBLAS ");
    version = at == std::string::npos ? "OpenBLAS" : c.substr(at, c.find(' ', at + 9) - at);
  }
  b.library = version;
  b.kernels = running + " (" + simdOfCore(running) + ")";
  b.choice = userCore ? "OPENBLAS_CORETYPE=" + core + ", as set" : "chosen from the CPU's flags";
  return verifiedBackend(b);
}

}  // namespace

BlasBackend verifiedBackend(const BlasBackend& candidate) {
  const auto wrong = checkProducts(candidate.sgemm, candidate.dgemm);
  if (!wrong) return candidate;
  BlasBackend e = eigenBackend(candidate.library + " failed the start-up check");
  e.warning = candidate.library + "'s " + candidate.kernels + " kernels computed a wrong product (" + *wrong +
              "); the engine uses Eigen's kernels instead.";
  return e;
}

std::string bestOpenBlasCore() {
  if (cpuHas("avx512")) return "SkylakeX";
  // OpenBLAS's Zen set is its AVX2 kernels with blockings tuned for AMD's caches.
  if (cpuHas("avx2fma")) return __builtin_cpu_is("amd") ? "Zen" : "Haswell";
  if (cpuHas("avx")) return "Sandybridge";
  if (cpuHas("sse4.2")) return "Nehalem";
  return "Prescott";
}

std::string cpuSimdLevel() {
  if (cpuHas("avx512")) return "AVX-512";
  if (cpuHas("avx2fma")) return "AVX2+FMA";
  if (cpuHas("avx")) return "AVX";
  if (cpuHas("sse4.2")) return "SSE4.2";
  return "SSE2";
}

std::string eigenSimdLevel() {
#if defined(EIGEN_VECTORIZE_AVX512)
  return "AVX-512";
#elif defined(EIGEN_VECTORIZE_AVX2) && defined(EIGEN_VECTORIZE_FMA)
  return "AVX2+FMA";
#elif defined(EIGEN_VECTORIZE_AVX)
  return "AVX";
#elif defined(EIGEN_VECTORIZE_SSE4_2)
  return "SSE4.2";
#else
  return "SSE2";
#endif
}

std::optional<std::string> checkProducts(SgemmFn sgemm, DgemmFn dgemm) {
  if (auto wrong = checkOne<float>(sgemm, "sgemm", 1e-4)) return wrong;
  return checkOne<double>(dgemm, "dgemm", 1e-12);
}

const BlasBackend& blasBackend() {
  static const BlasBackend backend = [] {
    BlasBackend b = loadOpenBlas();
    if (!b.warning.empty()) std::fprintf(stderr, "attent-studio: %s\n", b.warning.c_str());
    return b;
  }();
  return backend;
}

std::string describeBlas(const BlasBackend& b) {
  std::string line = "matrix products: " + b.library + ", " + b.kernels + " kernels (" + b.choice + ")";
  if (!b.warning.empty()) line += "; " + b.warning;
  return line;
}

std::string describeEngine() {
  return describeBlas(blasBackend()) + "\nthreads: " + std::to_string(omp_get_max_threads()) + " (OpenMP)";
}

}  // namespace attent::nn

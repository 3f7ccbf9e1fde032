// The BLAS the engine runs on: the start-up check catches a wrong product and falls back to
// Eigen; on a CPU the library misdetects, the kernels come from the CPU's flags.
#include <QtTest>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/nn/blas.h"
#include "engine/nn/gemm.h"

using namespace attent::nn;

namespace {

// A plain row-major reference with CBLAS's arguments.
template <class T>
void naiveGemm(int, int ta, int tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb,
               T beta, T* C, int ldc) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      T s = 0;
      for (int k = 0; k < K; ++k)
        s += (ta == 112 ? A[k * lda + i] : A[i * lda + k]) * (tb == 112 ? B[j * ldb + k] : B[k * ldb + j]);
      C[i * ldc + j] = alpha * s + (beta == T(0) ? T(0) : beta * C[i * ldc + j]);
    }
}
void goodSgemm(int o, int ta, int tb, int M, int N, int K, float al, const float* A, int lda, const float* B,
               int ldb, float be, float* C, int ldc) {
  naiveGemm(o, ta, tb, M, N, K, al, A, lda, B, ldb, be, C, ldc);
}
void goodDgemm(int o, int ta, int tb, int M, int N, int K, double al, const double* A, int lda,
               const double* B, int ldb, double be, double* C, int ldc) {
  naiveGemm(o, ta, tb, M, N, K, al, A, lda, B, ldb, be, C, ldc);
}
// Right except in the last row when M is large: the kind of edge-kernel bug old builds had.
void edgeBugSgemm(int o, int ta, int tb, int M, int N, int K, float al, const float* A, int lda,
                  const float* B, int ldb, float be, float* C, int ldc) {
  naiveGemm(o, ta, tb, M, N, K, al, A, lda, B, ldb, be, C, ldc);
  if (M > 64) C[(M - 1) * ldc] += 0.01f;
}
// Ignores the transpose of B.
void noTransposeDgemm(int o, int ta, int, int M, int N, int K, double al, const double* A, int lda,
                      const double* B, int, double be, double* C, int ldc) {
  naiveGemm(o, ta, 111, M, N, K, al, A, lda, B, N, be, C, ldc);
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

class TestBlas : public QObject {
  Q_OBJECT
 private slots:
  void correctProductsPass() { QVERIFY(!checkProducts(goodSgemm, goodDgemm)); }

  void wrongProductsAreNamed() {
    const auto edge = checkProducts(edgeBugSgemm, goodDgemm);
    QVERIFY(edge);
    QVERIFY2(edge->find("sgemm") == 0, edge->c_str());
    const auto trans = checkProducts(goodSgemm, noTransposeDgemm);
    QVERIFY(trans);
    QVERIFY2(trans->find("dgemm") == 0 && trans->find("B^T") != std::string::npos, trans->c_str());
  }

  void wrongKernelsFallBackToEigen() {
    BlasBackend broken;
    broken.sgemm = edgeBugSgemm;
    broken.dgemm = goodDgemm;
    broken.library = "OpenBLAS 9.9";
    broken.kernels = "Broken (AVX-512)";
    const BlasBackend chosen = verifiedBackend(broken);
    QVERIFY(!chosen.sgemm && !chosen.dgemm);  // gemmLarge then runs Eigen's product
    QVERIFY2(chosen.library.rfind("Eigen", 0) == 0, chosen.library.c_str());
    QVERIFY2(chosen.warning.find("OpenBLAS 9.9's Broken (AVX-512) kernels computed a wrong product") == 0,
             chosen.warning.c_str());
    QVERIFY(describeBlas(chosen).find("Eigen") != std::string::npos);
  }

  void goodKernelsAreKept() {
    BlasBackend fine;
    fine.sgemm = goodSgemm;
    fine.dgemm = goodDgemm;
    fine.library = "Reference";
    const BlasBackend chosen = verifiedBackend(fine);
    QVERIFY(chosen.sgemm == goodSgemm && chosen.warning.empty());
  }

  // Without a user's OPENBLAS_CORETYPE the running kernels are the CPU's best, whatever the
  // library makes of the model name.
  void kernelsFollowTheCpuFlags() {
    const bool userSet = std::getenv("OPENBLAS_CORETYPE") != nullptr;
    const BlasBackend& b = blasBackend();
    if (b.library.rfind("OpenBLAS", 0) != 0) QSKIP("OpenBLAS is not installed here");
    QVERIFY(b.sgemm && b.warning.empty());
    if (userSet) QSKIP("OPENBLAS_CORETYPE is set by the user; it is kept");
    QCOMPARE(lower(b.kernels.substr(0, b.kernels.find(' '))), lower(bestOpenBlasCore()));
    QCOMPARE(b.choice, std::string("chosen from the CPU's flags"));
  }

  // Whatever backend runs, gemmLarge computes what Eigen's gemm does.
  void gemmLargeAgreesWithEigen() {
    const int M = 70, N = 50, K = 90;
    std::vector<float> A(M * K), B(K * N), C1(M * N, 1.f), C2(M * N, 1.f);
    for (int i = 0; i < M * K; ++i) A[i] = float((i * 37) % 101 - 50) / 50.f;
    for (int i = 0; i < K * N; ++i) B[i] = float((i * 53) % 97 - 48) / 48.f;
    gemm<float>(false, false, M, N, K, 0.5f, A.data(), K, B.data(), N, true, C1.data(), N);
    gemmLarge<float>(false, false, M, N, K, 0.5f, A.data(), K, B.data(), N, true, C2.data(), N);
    for (int i = 0; i < M * N; ++i) QVERIFY(std::abs(C1[i] - C2[i]) <= 1e-4f * (1 + std::abs(C1[i])));
  }
};

QTEST_APPLESS_MAIN(TestBlas)
#include "test_blas.moc"

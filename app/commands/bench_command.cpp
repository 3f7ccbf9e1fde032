#include "app/commands/bench_command.h"

#include <cstdio>
#include <stdexcept>

#include "engine/bench/bench.h"
#include "engine/nn/blas.h"

namespace attent {

namespace {
int usage(const QString& why) {
  std::fprintf(stderr,
               "attent-studio bench: %s\n"
               "usage: attent-studio bench [--model tiny|small|medium]... [--threads N] [--steps N]\n",
               qPrintable(why));
  return 2;
}
}  // namespace

int benchCommand(const QStringList& args) {
  QStringList models;
  int threads = 2, steps = 30;
  for (int i = 0; i < args.size(); ++i) {
    const QString& a = args[i];
    if (a == "--model" || a == "--threads" || a == "--steps") {
      if (i + 1 >= args.size()) return usage(a + " needs a value");
      const QString v = args[++i];
      if (a == "--model") {
        if (v != "tiny" && v != "small" && v != "medium")
          return usage("unknown model '" + v + "' (valid: tiny, small, medium)");
        models << v;
      } else {
        bool ok = false;
        const int n = v.toInt(&ok);
        if (!ok || n < 1 || n > (a == "--threads" ? 256 : 1000000))
          return usage(a + " must be a positive integer, got '" + v + "'");
        (a == "--threads" ? threads : steps) = n;
      }
    } else {
      return usage("unknown argument '" + a + "'");
    }
  }
  if (models.isEmpty()) models = {"tiny", "small", "medium"};
  std::printf("%s\nthreads: %d (OpenMP)\n", nn::describeBlas(nn::blasBackend()).c_str(), threads);
  for (const QString& m : models) {
    const BenchResult r = benchModel(m.toStdString(), threads, steps);
    std::printf("%s\n", formatBenchResult(r).c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace attent

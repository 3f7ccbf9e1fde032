#include "app/commands/bench_command.h"

#include <cstdio>
#include <stdexcept>
#include <tuple>

#include "app/commands/subcommand.h"
#include "engine/bench/bench.h"
#include "engine/nn/blas.h"

namespace attent {

namespace {
const char* kUsage =
    "usage: attent-studio bench [--model tiny|small|medium]... [--threads N] [--steps N] [--sgemm]\n"
    "  --sgemm: the GEMM ceiling first, a 2048 x 2048 x 2048 float product split over the threads\n"
    "           (alone unless models are named)\n";
}  // namespace

int benchCommand(const QStringList& args) {
  app::Subcommand cli("attent-studio bench", kUsage);
  cli.option("model", "--model needs a value");
  cli.option("threads", "--threads needs a value");
  cli.option("steps", "--steps needs a value");
  cli.flag("sgemm");
  if (auto status = cli.parse(args)) return *status;
  const QStringList known = {"tiny", "small", "medium"};
  QStringList models = cli.values("model");
  for (const QString& m : models)
    if (!known.contains(m)) return cli.usageError("unknown model '" + m + "' (valid: tiny, small, medium)");
  if (models.isEmpty() && !cli.isSet("sgemm")) models = known;
  int threads = 2, steps = 30;
  for (auto [name, to, max] :
       {std::tuple{"threads", &threads, 256L}, std::tuple{"steps", &steps, 1000000L}}) {
    if (!cli.isSet(name)) continue;
    const auto n = app::integerIn(cli.value(name), 1, max);
    if (!n)
      return cli.usageError(
          QStringLiteral("--%1 must be a positive integer, got '%2'").arg(name, cli.value(name)));
    *to = int(*n);
  }

  std::printf("%s\nthreads: %d (OpenMP)\n", nn::describeBlas(nn::blasBackend()).c_str(), threads);
  if (cli.isSet("sgemm")) std::printf("%s\n", formatBenchResult(benchSgemm(threads)).c_str());
  for (const QString& m : models) {
    const BenchResult r = benchModel(m.toStdString(), threads, steps);
    std::printf("%s\n", formatBenchResult(r).c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace attent

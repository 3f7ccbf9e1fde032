#include "engine/teach/memory_estimate.h"

#include <omp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "engine/nn/attention.h"
#include "engine/nn/transformer.h"
#include "engine/tasks/generated_language.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

namespace attent {

namespace {

// Peak resident memory of the program before an experiment: Qt Core, OpenMP, OpenBLAS and the
// engine (a headless `run` of a tiny experiment peaks at ~25 MiB), and the window (Qt Widgets,
// fonts, the views and their pixmaps).
constexpr double kHeadlessBase = 26.0 * 1048576, kWindowBase = 80.0 * 1048576;
// One history point: the MetricPoint kept per run, plus its share of metrics.csv (headless)
// or the chart series (window), measured at ~140 bytes (docs/RELIABILITY.md, Bounded memory).
constexpr double kHistoryPointBytes = 140;
// The window's attention timeline keeps frames up to 32 MiB (ui/timeline.h) and at least two.
constexpr double kTimelineBytes = 32.0 * 1048576;

std::string num(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace

void MemoryEstimate::add(std::string what, std::string drivers, double b) {
  if (b <= 0) return;
  for (MemoryTerm& t : terms)
    if (t.what == what) {
      t.bytes += b;
      return;
    }
  terms.push_back({std::move(what), std::move(drivers), b});
}

double MemoryEstimate::bytes() const {
  double total = 0;
  for (const MemoryTerm& t : terms) total += t.bytes;
  return total;
}

const MemoryTerm* MemoryEstimate::dominant() const {
  const MemoryTerm* best = nullptr;
  for (const MemoryTerm& t : terms)
    if (!best || t.bytes > best->bytes) best = &t;
  return best;
}

std::string MemoryEstimate::describe() const {
  std::string out = formatBytes(bytes()) + ":";
  std::vector<const MemoryTerm*> sorted;
  for (const MemoryTerm& t : terms) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->bytes > b->bytes; });
  for (const MemoryTerm* t : sorted) {
    out += "\n  " + formatBytes(t->bytes) + "  " + t->what;
    if (!t->drivers.empty()) out += " (" + t->drivers + ")";
  }
  return out;
}

std::string formatBytes(double b) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int u = 0;
  while (b >= 1024 && u < 5) {
    b /= 1024;
    ++u;
  }
  char text[32];
  if (u == 0)
    std::snprintf(text, sizeof text, "%.0f bytes", b);
  else
    std::snprintf(text, sizeof text, b < 10 ? "%.1f %s" : "%.0f %s", b, units[u]);
  return text;
}

int memoryThreads(const MemoryContext& context) {
  return std::max(1, context.threads > 0 ? context.threads : omp_get_max_threads());
}

void addTransformerTerms(MemoryEstimate& e, const nn::TransformerConfig& c, int batch, int runs, int threads,
                         const std::string& seqKey, const std::string& batchKey) {
  using Model = nn::Transformer<float>;
  const double B = std::max(1, batch), S = c.seq, P = c.positions(), R = runs, T = threads;
  const double params = double(Model::parameterCount(c));
  const double probs = 4.0 * c.layers * B * c.heads * P * P;
  const double scratch = 4.0 * T * double(nn::attentionScratchSize(c.positions(), c.dModel, c.heads));
  const double shardGrads = 4.0 * (T - 1) * params;
  const double train = double(Model::workspaceBytes(c, batch, true, threads));
  const double eval = double(Model::workspaceBytes(c, batch, false, threads));
  // The learner's staged inputs (tokens, targets, labels, lengths; patches) and the run's outputs.
  const double staging = 8.0 * B * S + 8.0 * B + 4.0 * B * S * c.patchDim + 12.0 * B;
  const std::string runsText = runs == 1 ? "1 run" : std::to_string(runs) + " runs";
  const std::string shape = batchKey + "=" + num(B) + " x " + seqKey + "=" + num(S) +
                            " x (model.d_model=" + num(c.dModel) + ", model.d_ff=" + num(c.dFF) +
                            ") x model.layers=" + num(c.layers) + ", " + runsText;
  e.add("attention maps",
        batchKey + "=" + num(B) + " x model.heads=" + num(c.heads) + " x " + seqKey + "=" + num(S) +
            " squared x model.layers=" + num(c.layers) + ", for training and for scoring, " + runsText,
        2 * probs * R);
  e.add("activations kept for backward", shape, (train - probs - scratch - shardGrads + staging) * R);
  e.add("evaluation and teacher-scoring activations", shape, (eval - probs - scratch) * R);
  e.add("parameters, gradients and optimiser moments",
        "model.d_model=" + num(c.dModel) + " x model.d_ff=" + num(c.dFF) +
            " x model.layers=" + num(c.layers) + ", vocabulary " +
            num(c.input == nn::InputKind::Tokens ? c.vocab : c.patchDim) + ", " + runsText,
        16 * params * R);
  e.add("per-thread scratch", std::to_string(threads) + " threads, " + runsText,
        (2 * scratch + shardGrads) * R);
  // The probe's attention maps of every run in each snapshot, with labels and picks.
  e.snapshotBytes += R * (4.0 * c.layers * c.heads * P * P + 80 * P + 12 * (4 * S + 80 * S));
}

std::optional<double> availableMemoryBytes() {
  if (const char* v = std::getenv("ATTENT_MEMORY_AVAILABLE_MB"); v && *v) {
    char* end = nullptr;
    const double mb = std::strtod(v, &end);
    if (end && *end == '\0' && mb > 0) return mb * 1048576;
  }
  std::ifstream in("/proc/meminfo");
  std::string key;
  double kb = 0;
  std::string unit;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kb * 1024;
  }
  return std::nullopt;
}

std::optional<std::string> memoryRefusal(const MemoryEstimate& e, double available) {
  const double need = e.bytes();
  if (need <= kMemoryUsableFraction * available) return std::nullopt;
  std::string text = "this experiment needs ~" + formatBytes(need) + " of memory but only " +
                     formatBytes(available) + " is free (it may take at most " +
                     num(std::round(kMemoryUsableFraction * 100)) + "% of that)";
  if (const MemoryTerm* d = e.dominant()) {
    text += "; most of it is " + d->what + ": " + formatBytes(d->bytes);
    if (!d->drivers.empty()) text += " (" + d->drivers + ")";
    text += ". Lower the settings named there, or free memory, and try again";
  }
  return text;
}

void refuseIfTooLarge(const std::string& kind, const Settings& settings, MemoryContext context) {
  const auto available = availableMemoryBytes();
  if (!available) return;
  const MemoryEstimate e = estimateExperimentMemory(kind, settings, context);
  if (auto refusal = memoryRefusal(e, *available)) throw MemoryError(*refusal);
}

MemoryEstimate estimateExperimentMemory(const std::string& kind, const Settings& given,
                                        MemoryContext context) {
  const ExperimentKind& k = experimentKindRegistry().get(kind);
  const Settings s = resolveSettings(experimentSettings(kind).specs(), given);
  context.threads = memoryThreads(context);
  MemoryEstimate e = k.estimateMemory(s, context);
  e.add("the program itself", context.window ? "the window" : "",
        context.window ? kWindowBase : kHeadlessBase);
  const int runs = std::max(1, e.runs);
  const LockstepOptions options = lockstepOptions(s);
  const double steps = e.totalSteps > 0 ? double(e.totalSteps) : double(options.totalSteps);
  const double logEvery = double(options.logEvery);
  e.add("metric history",
        (e.totalSteps > 0 ? num(steps) + " steps" : "experiment.steps=" + num(steps)) +
            " / experiment.log_every=" + num(logEvery) + " x " + std::to_string(runs) + " runs",
        (std::floor(steps / logEvery) + 2) * runs * kHistoryPointBytes);
  if (e.diagnosticsBytes > 0) {  // LockstepExperiment keeps every run's diagnostics at each evaluation
    const double evalEvery = double(options.evalEvery);
    e.add("diagnostics history",
          "experiment.steps=" + num(steps) + " / experiment.eval_every=" + num(evalEvery) + " x " +
              std::to_string(runs) + " runs",
          (std::floor(steps / evalEvery) + 2) * runs * e.diagnosticsBytes);
  }
  if (context.window && e.snapshotBytes > 0)
    // The snapshot being copied out, the one in flight, the views' latest and the timeline.
    e.add("snapshots and the attention timeline", "the probe's attention maps of every run",
          3 * e.snapshotBytes + std::max(kTimelineBytes, 2 * e.snapshotBytes));
  return e;
}

std::optional<TextFileShape> scanTextFile(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  struct Cached {
    off_t size;
    time_t mtime;
    TextFileShape shape;
  };
  static std::mutex mutex;
  static std::map<std::string, Cached> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(path);
    if (it != cache.end() && it->second.size == st.st_size && it->second.mtime == st.st_mtime)
      return it->second.shape;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  TextFileShape shape;
  std::vector<bool> seen(0x110000, false);
  std::vector<char> buf(1 << 20);
  char32_t code = 0;
  int pending = 0;  // continuation bytes still expected
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    const std::streamsize n = in.gcount();
    for (std::streamsize i = 0; i < n; ++i) {
      const unsigned char b = static_cast<unsigned char>(buf[std::size_t(i)]);
      if (pending > 0 && (b & 0xC0) == 0x80) {
        code = (code << 6) | (b & 0x3F);
        if (--pending > 0) continue;
      } else if (b < 0x80) {
        code = b;
        pending = 0;
      } else {
        pending = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
        code = b & (0x3F >> pending);
        continue;
      }
      ++shape.characters;
      if (code == U'\n') ++shape.lines;
      if (code < seen.size() && !seen[code]) {
        seen[code] = true;
        ++shape.distinct;
      }
    }
  }
  std::lock_guard<std::mutex> lock(mutex);
  cache[path] = {st.st_size, st.st_mtime, shape};
  return shape;
}

}  // namespace attent

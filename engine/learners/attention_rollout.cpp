#include "engine/learners/attention_rollout.h"

namespace attent {

namespace {
bool squareAndComplete(const AttentionMaps& a) {
  return a.layers > 0 && a.heads > 0 && a.queries > 0 && a.queries == a.keys &&
         a.weights.size() >= std::size_t(a.layers) * a.heads * a.queries * a.keys;
}

// One layer's mean of heads plus the identity, rows renormalised: n x n.
std::vector<double> residualLayer(const AttentionMaps& a, int layer) {
  const int n = a.keys;
  std::vector<double> m(std::size_t(n) * n, 0.0);
  for (int q = 0; q < n; ++q) {
    double sum = 0;
    for (int k = 0; k < n; ++k) {
      double v = q == k ? 1.0 : 0.0;
      for (int h = 0; h < a.heads; ++h) v += double(a.at(layer, h, q, k)) / a.heads;
      m[std::size_t(q) * n + k] = v;
      sum += v;
    }
    for (int k = 0; k < n; ++k) m[std::size_t(q) * n + k] /= sum;
  }
  return m;
}

// The read-out row of an n x n matrix: the class token's row, else the mean of rows.
std::vector<double> readoutRow(const AttentionMaps& a, const std::vector<double>& m) {
  const int n = a.keys;
  std::vector<double> row(n, 0.0);
  for (int q = 0; q < n; ++q) {
    if (a.classToken >= 0 && q != a.classToken) continue;
    const double share = a.classToken >= 0 ? 1.0 : 1.0 / n;
    for (int k = 0; k < n; ++k) row[k] += share * m[std::size_t(q) * n + k];
  }
  return row;
}
}  // namespace

std::vector<float> attentionRollout(const AttentionMaps& a) {
  if (!squareAndComplete(a)) return {};
  const int n = a.keys;
  std::vector<double> r = residualLayer(a, 0);
  for (int l = 1; l < a.layers; ++l) {
    const std::vector<double> m = residualLayer(a, l);
    std::vector<double> next(std::size_t(n) * n, 0.0);
    for (int q = 0; q < n; ++q)
      for (int j = 0; j < n; ++j)
        for (int k = 0; k < n; ++k)
          next[std::size_t(q) * n + k] += m[std::size_t(q) * n + j] * r[std::size_t(j) * n + k];
    r = std::move(next);
  }
  return std::vector<float>(r.begin(), r.end());
}

ReadoutAttention readoutAttention(const AttentionMaps& a) {
  ReadoutAttention out;
  if (!squareAndComplete(a) || a.classToken >= a.keys) return out;
  const int n = a.keys, skip = a.classToken >= 0 ? 1 : 0;
  out.layers = a.layers;
  out.heads = a.heads;
  out.inputs = n - skip;
  for (int k = 0; k < n; ++k)
    if (k != a.classToken)
      out.inputLabels.push_back(k < int(a.keyLabels.size()) ? a.keyLabels[k] : std::to_string(k));
  auto keep = [&](const std::vector<double>& row, std::vector<float>& into) {
    for (int k = 0; k < n; ++k)
      if (k != a.classToken) into.push_back(float(row[k]));
  };
  for (int l = 0; l < a.layers; ++l) {
    std::vector<double> mean(std::size_t(n) * n, 0.0);
    for (int h = 0; h < a.heads; ++h) {
      std::vector<double> m(std::size_t(n) * n);
      for (int q = 0; q < n; ++q)
        for (int k = 0; k < n; ++k) {
          m[std::size_t(q) * n + k] = a.at(l, h, q, k);
          mean[std::size_t(q) * n + k] += double(a.at(l, h, q, k)) / a.heads;
        }
      keep(readoutRow(a, m), out.weights);
    }
    keep(readoutRow(a, mean), out.weights);
  }
  const std::vector<float> r = attentionRollout(a);
  const std::vector<double> rolled = readoutRow(a, std::vector<double>(r.begin(), r.end()));
  keep(rolled, out.rollout);
  return out;
}

}  // namespace attent

#include "engine/research/topic_words/topic_words_claims.h"

#include <algorithm>
#include <cmath>

#include "engine/research/common.h"
#include "engine/research/topic_words/topic_words.h"

namespace attent {

// The identity is checked where it says something: relative to the largest norm product the
// run reaches, since at the start both sides are ~0 and a ratio per point would be noise.
constexpr double kRelativeResidualBound = 0.1;

IdentityResidual identityResidual(const std::vector<Matrix>& words) {
  IdentityResidual r;
  double largestNorm = 0;
  for (const Matrix& m : words)
    for (int i = 0; i < m.rows && m.cols >= 3; ++i) {
      const double norm = m.data[std::size_t(i * m.cols + 1)], theory = m.data[std::size_t(i * m.cols + 2)];
      r.absolute = std::max(r.absolute, std::abs(norm - theory));
      largestNorm = std::max(largestNorm, norm);
    }
  r.relative = largestNorm > 0 ? r.absolute / largestNorm : 0;
  return r;
}

namespace {

std::vector<Matrix> wordsOverTraining(const Experiment& e, int run) {
  std::vector<Matrix> out;
  for (const DiagnosticsPoint& p : e.diagnosticsHistory(run)) {
    auto it = p.diagnostics.matrices.find("topic.words");
    if (it != p.diagnostics.matrices.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace

std::vector<Claim> topicWordsClaims(const Experiment& e) {
  const Settings s = research::resolve(topicWordsSettingSpecs(), e.settings());
  const double uniform = 1.0 / double(s.integer("topic.words_per_sentence") + 1);
  std::vector<Claim> out;
  for (int r = 0; r < e.runCount(); ++r) {
    const std::string prefix = "topic." + e.runName(r) + ".";
    const IdentityResidual res = identityResidual(wordsOverTraining(e, r));
    out.push_back({prefix + "identity_residual_max",
                   "largest | ||q|| ||v_t|| - theory | over training and topic words", res.absolute});
    out.push_back({prefix + "identity_residual_relative",
                   "the persisting identity holds: that residual under 10% of the largest ||q|| ||v_t||",
                   res.relative, ClaimTest::Below, kRelativeResidualBound});
    const Series att = diagnosticSeries(e, r, "topic.attention_on_topic");
    out.push_back({prefix + "attention_on_topic",
                   "attention ends on the topic words: their mean weight above uniform 1/(m+1)",
                   att.empty() ? NAN : att.back().second, ClaimTest::Above, uniform});
  }
  return out;
}

}  // namespace attent

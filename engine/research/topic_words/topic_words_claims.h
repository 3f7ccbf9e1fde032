#pragma once
// The topic-words paper's claims as numbers (docs/SCIENCE.md section 2; keys in
// docs/FORMATS.md): the persisting identity's residual over training and the attention mass the
// topic words end with, per classifier.
#include <vector>

#include "engine/learners/learner.h"
#include "engine/teach/claims.h"

namespace attent {

struct IdentityResidual {
  double absolute = 0;  // max over matrices and rows of | ||q|| ||v_t|| - theory |
  double relative = 0;  // absolute / the largest ||q|| ||v_t|| in the same matrices (0 if none)
};
// Over "topic.words" matrices (columns s_t, ||q|| ||v_t||, theory, attention), one per evaluation.
IdentityResidual identityResidual(const std::vector<Matrix>& words);

std::vector<Claim> topicWordsClaims(const Experiment& experiment);

}  // namespace attent

#include "engine/teach/claims.h"
#include "engine/teach/kind_registry.h"

namespace attent {

std::vector<Claim> experimentClaims(const std::string& kind, const Experiment& experiment) {
  return experimentKindRegistry().get(kind).claims(experiment);
}

}  // namespace attent

#include "engine/persist/checkpoint.h"

#include <string>

#include "engine/core/byte_io.h"

namespace attent {

std::vector<std::uint8_t> saveExperimentState(const Experiment& e) {
  ByteWriter w;
  e.save(w);
  return std::move(w.bytes());
}

void restoreExperimentState(Experiment& e, std::span<const std::uint8_t> bytes) {
  ByteReader in(bytes, "experiment state");
  e.restore(in);
  // Every kind ends with its last run; anything after it means the bytes are not this file's.
  if (in.remaining() != 0) in.fail(std::to_string(in.remaining()) + " unexpected bytes after the last run");
}

}  // namespace attent

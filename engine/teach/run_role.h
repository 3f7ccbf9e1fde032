#pragma once
// The part a run plays in a teacher comparison, set by the kind that builds it (Variant::role):
// the window colours runs and picks the AtteNT run by it, never by a run's name.

namespace attent {

enum class RunRole {
  Other,         // one of several runs compared otherwise (SCB's optimisers, the mosaic's losses)
  Baseline,      // random sampling, or the whole pool every epoch under the epoch budget
  AtteNT,        // trained on the AtteNT teacher's picks
  RandomSubset,  // the control: AtteNT's subset sizes, examples picked at random
  ShortFull,     // the control: the whole pool, for as many examples as AtteNT trains on
};

}  // namespace attent

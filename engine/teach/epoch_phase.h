#pragma once
// One epoch of the epoch-budget plan (epoch_plan.h makes them; the snapshot carries them to
// the picks view's cycle timeline).

namespace attent {

struct EpochPhase {
  bool subset = false;  // over the selected subset (else the whole pool)
  double ratio = 1.0;   // fraction of the pool this epoch covers
  bool select = false;  // a new subset is chosen before this epoch (scoring the pool, ViT form)
  int cycle = -1;       // ViT form: the cycle it belongs to; -1 for epoch 1 and the LLM form
};

}  // namespace attent

#pragma once
// A digits ViT small enough that a whole epoch-budget seed trains in a fraction of a second:
// the model's and the data's sizes, to which each test adds its plan of epochs and its batch.
#include <utility>
#include <vector>

namespace attent::test {

inline const std::vector<std::pair<const char*, const char*>> kTinyDigitsVit = {
    {"experiment.protocol", "epochs"},
    {"model.d_model", "16"},
    {"model.heads", "2"},
    {"model.layers", "1"},
    {"model.d_ff", "32"},
    {"experiment.eval_examples", "50"},
    {"data.heldout_fraction", "0.5"},
    {"vit.patch_size", "8"}};

}  // namespace attent::test

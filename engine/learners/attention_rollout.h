#pragma once
// What a classifier's read-out attends to over its input, per layer and head and through all
// layers by attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in
// Transformers"). The read-out is the class token's query, or with mean pooling the mean of
// all queries, since the head then reads the mean of the last layer's outputs.
#include <vector>

#include "engine/learners/learner.h"

namespace attent {

// Rollout of square maps: per layer the mean of heads plus the identity (the residual path),
// rows renormalised, multiplied through the layers (last layer on the left). Row q says how
// much of position q's last output comes from each input position. queries x keys; empty
// unless queries == keys.
std::vector<float> attentionRollout(const AttentionMaps& maps);

struct ReadoutAttention {
  int layers = 0, heads = 0, inputs = 0;  // inputs: the keys after the class token
  std::vector<std::string> inputLabels;   // "r0c1": the patches
  std::vector<float> weights;             // [layer][head + 1][input]; head index `heads`: their mean
  std::vector<float> rollout;             // [input]
  // head -1: the mean of heads.
  float at(int layer, int head, int input) const {
    const int h = head < 0 ? heads : head;
    return weights[(std::size_t(layer) * (heads + 1) + h) * inputs + input];
  }
  bool empty() const { return inputs == 0; }
};

// Empty unless the maps are square and complete.
ReadoutAttention readoutAttention(const AttentionMaps& maps);

}  // namespace attent

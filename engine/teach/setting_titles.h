#pragma once
// The words for every built-in setting (SettingSpec::title, unit, group, advanced), kept in
// one table so the same key reads the same in every kind that declares it. experimentSettings()
// applies it to every kind's specs.
#include <map>
#include <string>
#include <vector>

#include "engine/core/settings.h"

namespace attent {

namespace setting_words {

struct Words {
  const char* title;
  const char* unit;
  const char* group;
  bool advanced = false;
};

struct KeyWords {
  const char* key;
  Words words;
};

constexpr bool kAdvanced = true;

inline constexpr KeyWords kTable[] = {
    // experiment
    {"experiment.steps", {"Training steps", "steps", "experiment"}},
    {"experiment.eval_every", {"Evaluate every", "steps", "experiment"}},
    {"experiment.log_every", {"Record a history point every", "steps", "experiment", kAdvanced}},
    {"experiment.eval_examples", {"Held-out examples evaluated (0 = all)", "examples", "experiment"}},
    {"experiment.target_loss", {"Target held-out loss (0 = the baseline's final)", "", "experiment"}},
    {"experiment.eval_on", {"Evaluate on", "", "experiment", kAdvanced}},
    {"experiment.clock", {"Compute clock", "", "experiment", kAdvanced}},
    {"experiment.compare", {"Add an AtteNT run to compare", "", "experiment"}},
    {"experiment.protocol", {"Comparison protocol", "", "experiment"}},
    // data
    {"data.path", {"Data file", "", "data"}},
    {"data.seq_len", {"Sequence length", "characters", "data"}},
    {"data.stride", {"Window stride (0 = sequence length)", "characters", "data", kAdvanced}},
    {"data.heldout_fraction", {"Held-out share", "fraction", "data"}},
    {"data.seed", {"Data seed", "", "data", kAdvanced}},
    {"csv.stratified", {"Hold out every class equally", "", "data", kAdvanced}},
    {"csv.max_labels", {"Most distinct labels", "labels", "data", kAdvanced}},
    {"text.source", {"Text source", "", "data"}},
    {"text.max_file_mb", {"Largest file accepted", "MB", "data", kAdvanced}},
    {"text.max_line_bytes", {"Longest line accepted", "bytes", "data", kAdvanced}},
    {"lang.sentences", {"Generated sentences", "sentences", "data"}},
    {"lang.max_depth", {"Deepest relative-clause nesting", "levels", "data", kAdvanced}},
    {"lang.clause_probability", {"Chance of a relative clause", "probability", "data", kAdvanced}},
    {"vit.patch_size", {"Patch side", "pixels", "data"}},
    {"data.copies", {"Extra copies of the easiest quarter", "copies", "data", kAdvanced}},
    {"data.label_noise", {"Share of pool labels made wrong", "fraction", "data", kAdvanced}},
    {"pretrain.source", {"Pretraining text source", "", "data"}},
    {"pretrain.path", {"Pretraining text file", "", "data"}},
    {"pretrain.sentences", {"Generated pretraining sentences", "sentences", "data", kAdvanced}},
    {"pretrain.max_depth", {"Pretraining clause nesting", "levels", "data", kAdvanced}},
    {"pretrain.steps", {"Pretraining steps", "steps", "training"}},
    // model
    {"model.d_model", {"Model width", "dimensions", "model"}},
    {"model.heads", {"Attention heads per layer", "heads", "model"}},
    {"model.layers", {"Transformer blocks", "layers", "model"}},
    {"model.d_ff", {"MLP hidden width", "dimensions", "model"}},
    {"model.pooling", {"Classification read-out", "", "model"}},
    {"model.causal", {"Causal attention mask", "", "model", kAdvanced}},
    {"model.init_seed", {"Initial-weights seed", "", "model", kAdvanced}},
    // training
    {"train.optimizer", {"Optimiser", "", "training"}},
    {"train.lr", {"Learning rate", "", "training"}},
    {"train.batch", {"Batch size", "examples", "training"}},
    {"train.momentum", {"Momentum", "", "training", kAdvanced}},
    {"train.weight_decay", {"Weight decay", "", "training", kAdvanced}},
    {"train.clip", {"Gradient-norm clip (0 = off)", "", "training", kAdvanced}},
    {"train.lr_schedule", {"Learning-rate schedule", "", "training"}},
    {"train.warmup", {"Warm-up", "steps", "training", kAdvanced}},
    // teacher
    {"teacher.score", {"What the teacher scores", "", "teacher"}},
    {"teacher.ratio_start", {"Share of the pool kept at the start", "fraction", "teacher"}},
    {"teacher.ratio_end", {"Share of the pool kept at the end", "fraction", "teacher"}},
    {"teacher.schedule", {"How the kept share changes", "", "teacher"}},
    {"teacher.interval", {"When the teacher re-selects", "", "teacher"}},
    {"teacher.every", {"Steps between selections", "steps", "teacher"}},
    {"teacher.max_interval", {"Widest gap between selections", "steps", "teacher", kAdvanced}},
    {"teacher.selection", {"Selection rule", "", "teacher"}},
    {"teacher.tau", {"Soft-selection temperature", "", "teacher", kAdvanced}},
    {"teacher.chunk", {"Examples per scoring pass", "examples", "teacher", kAdvanced}},
    {"teacher.random_subset", {"Also run a random subset of the same size", "", "teacher"}},
    // the epoch-budget protocol
    {"epochs.form", {"Epoch plan", "", "teacher"}},
    {"epochs.count", {"Epochs of every arm", "epochs", "training"}},
    {"epochs.cycles", {"Cycles of the plan", "cycles", "teacher"}},
    {"epochs.ratio_start", {"Share of the pool kept in the first cycle", "fraction", "teacher"}},
    {"epochs.ratio_end", {"Share of the pool kept in the last cycle", "fraction", "teacher"}},
    {"epochs.ratio_shape", {"How the kept share rises", "", "teacher", kAdvanced}},
    {"epochs.interval", {"Subset epochs per cycle", "epochs", "teacher"}},
    {"epochs.interval_kind", {"Subset epochs per cycle: fixed or rising", "", "teacher", kAdvanced}},
    {"epochs.max_interval", {"Subset epochs of the last cycle", "epochs", "teacher", kAdvanced}},
    {"epochs.keep", {"Share kept after the first epoch", "fraction", "teacher"}},
    {"epochs.stop_step", {"Stop every arm early, at step", "steps", "experiment", kAdvanced}},
    {"epochs.selection", {"Subset selection rule", "", "teacher", kAdvanced}},
    // topic words (docs/SCIENCE.md section 2)
    {"topic.topics", {"Topics", "topics", "data"}},
    {"topic.words_per_topic", {"Topic words per topic", "words", "data"}},
    {"topic.non_topic_words", {"Non-topic vocabulary", "words", "data", kAdvanced}},
    {"topic.words_per_sentence", {"Non-topic words per sentence", "words", "data"}},
    {"topic.samples", {"Sentences generated", "sentences", "data"}},
    {"topic.train_fraction", {"Training share", "fraction", "data", kAdvanced}},
    {"topic.validation_fraction", {"Validation share", "fraction", "data", kAdvanced}},
    {"topic.dim", {"Embedding dimension", "dimensions", "model"}},
    {"topic.classifier", {"Leading classifier", "", "model"}},
    {"topic.hidden", {"Two-layer classifier's hidden width", "units", "model", kAdvanced}},
    {"topic.embedding_init", {"Initial embedding scale", "std", "model", kAdvanced}},
    {"topic.query_init", {"Fixed query scale", "std", "model", kAdvanced}},
    {"topic.fc_offdiag", {"Fixed classifier's off-diagonal scale", "std", "model", kAdvanced}},
    {"topic.freeze_keys", {"Freeze the keys (ablation)", "", "model", kAdvanced}},
    {"topic.freeze_embeddings", {"Freeze the embeddings (ablation)", "", "model", kAdvanced}},
    {"topic.lr", {"Learning rate", "", "training"}},
    {"topic.epochs", {"Training epochs", "epochs", "training"}},
    {"topic.batch", {"Batch size (0 = the whole pool)", "examples", "training"}},
    // sparse contextual bigrams
    {"scb.vocab", {"Vocabulary size N", "tokens", "data"}},
    {"scb.context", {"Context length T", "tokens", "data"}},
    {"scb.sparsity", {"Positions each token reads Q", "positions", "data"}},
    {"scb.transition", {"How the transition matrix is drawn", "", "data", kAdvanced}},
    {"scb.dirichlet_alpha", {"Dirichlet concentration", "", "data", kAdvanced}},
    {"scb.transition_nonzeros", {"Non-zeros per transition column", "", "data", kAdvanced}},
    {"scb.position_weights", {"Weights of the read positions", "", "data", kAdvanced}},
    {"scb.input", {"Law of the input tokens", "", "data", kAdvanced}},
    {"scb.samples", {"Training samples", "samples", "data"}},
    {"scb.heldout", {"Held-out samples", "samples", "data"}},
    {"scb.method", {"Training method", "", "training"}},
    {"scb.l1", {"l1 threshold on A", "", "training", kAdvanced}},
    {"scb.simplex", {"Threshold A's columns onto the simplex", "", "training", kAdvanced}},
    {"scb.v_init", {"Initial scale of V", "std", "model", kAdvanced}},
    {"scb.lr", {"Learning rate (proximal)", "", "training"}},
    {"scb.sgd_lr", {"Learning rate (SGD)", "", "training"}},
    {"scb.batch", {"Batch size", "examples", "training"}},
    {"scb.steps", {"Training steps", "steps", "training"}},
    {"scb.correlation", {"Pretraining truth shared with the task", "fraction", "data"}},
    {"scb.pretrain_steps", {"Pretraining steps", "steps", "training"}},
    // mosaics
    {"mosaic.data", {"Mosaic data", "", "data"}},
    {"mosaic.classes", {"Classes", "classes", "data"}},
    {"mosaic.segments", {"Segments per mosaic", "segments", "data"}},
    {"mosaic.digit_segments", {"Images per digit mosaic", "images", "data"}},
    {"mosaic.samples", {"Training mosaics", "mosaics", "data"}},
    {"mosaic.heldout", {"Held-out mosaics", "mosaics", "data"}},
    {"mosaic.foreground_noise", {"Foreground noise", "std", "data", kAdvanced}},
    {"mosaic.background_std", {"Background spread", "std", "data", kAdvanced}},
    {"mosaic.focus", {"Focus model", "", "model"}},
    {"mosaic.focus_hidden", {"Focus model's hidden width", "units", "model", kAdvanced}},
    {"mosaic.classifier", {"Classifier", "", "model"}},
    {"mosaic.classifier_hidden", {"Classifier's hidden width", "units", "model", kAdvanced}},
    {"mosaic.loss", {"Training paradigm", "", "training"}},
    {"mosaic.hybrid_epochs", {"Hybrid: epochs before the switch", "epochs", "training", kAdvanced}},
    {"mosaic.batch", {"Batch size", "examples", "training"}},
    {"mosaic.lr", {"Learning rate", "", "training"}},
    {"mosaic.lr_ha", {"Learning rate (hard attention)", "", "training"}},
    {"mosaic.momentum", {"Momentum", "", "training", kAdvanced}},
    {"mosaic.epochs", {"Training epochs", "epochs", "training"}},
};

inline const std::map<std::string, Words>& settingWordsTable() {
  static const std::map<std::string, Words> t = [] {
    std::map<std::string, Words> m;
    for (const KeyWords& k : kTable) m.emplace(k.key, k.words);
    return m;
  }();
  return t;
}

}  // namespace setting_words

inline std::vector<SettingSpec> withSettingTitles(std::vector<SettingSpec> specs) {
  for (SettingSpec& s : specs) {
    auto it = setting_words::settingWordsTable().find(s.key);
    if (it == setting_words::settingWordsTable().end()) continue;
    s.title = it->second.title;
    s.unit = it->second.unit;
    s.group = it->second.group;
    s.advanced = it->second.advanced;
  }
  return specs;
}

}  // namespace attent

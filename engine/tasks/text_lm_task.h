#pragma once
// Character-level causal language modelling on a long text: the built-in generated
// language (generated_language.h) or a UTF-8 text file. The text is split once - the
// first (1 - heldout_fraction) of its characters are the pool, the rest held out - and
// each part is cut into windows of seq_len + 1 characters every `stride` characters:
// tokens are the first seq_len, targets the next-character shift.
#include <memory>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/tasks/generated_language.h"
#include "engine/tasks/task.h"
#include "engine/tasks/text_file.h"
#include "engine/tasks/vocabulary.h"

namespace attent {

// Reads a whole UTF-8 text file through TextFileReader ("\r\n" becomes "\n").
// Throws InputError for every bad-input case, including a file with no text.
std::string loadTextFile(const std::string& path, FileLimits limits);

// Where a text comes from, read once from its settings: a file, or the generated language.
// `fromSettings` reads text.source, data.path and lang.*; `pretrainingFrom` the pretrain.* keys
// (the clause probability is lang.clause_probability for both). The keys are kept for messages.
struct TextSource {
  bool file = false;  // the source key is "file"; else the generated language
  std::string path;
  long sentences = 0;
  int maxDepth = 0;
  double clauseProbability = 0;
  std::string sourceKey, pathKey, sentencesKey;
  static TextSource fromSettings(const Settings& settings);
  static TextSource pretrainingFrom(const Settings& settings);
};

class TextLmTask : public TokenTask {
 public:
  struct Config {
    int sequenceLength = 64;
    int stride = 0;  // 0: = sequenceLength (windows do not overlap)
    double heldoutFraction = 0.1;
    static Config from(const Settings& settings);  // data.seq_len, data.stride, data.heldout_fraction
  };
  // `source` names the text in messages ("generated language", a file path). `vocabulary`:
  // use it as is (characters it lacks become <unk>); null: built from the pool part.
  // `agreements` (generated language): ground truth shown as highlights.
  // Throws SettingsError for impossible settings, InputError when the text is too short.
  TextLmTask(std::string name, std::string source, const std::string& utf8Text, Config config,
             const Vocabulary* vocabulary = nullptr, std::vector<Agreement> agreements = {});

  // data.seq_len, data.stride, data.heldout_fraction, data.seed, text.source, data.path,
  // text.max_file_mb, text.max_line_bytes, lang.sentences, lang.max_depth, lang.clause_probability
  static std::vector<SettingSpec> settingSpecs();
  static std::unique_ptr<TextLmTask> fromSettings(const Settings& settings,
                                                  const Vocabulary* vocabulary = nullptr);

  std::string name() const override { return name_; }
  int size(Split split) const override;
  ExampleView render(Split split, int index) const override;
  std::vector<int> probes() const override;

  int vocabSize() const override { return vocab_.size(); }
  int sequenceLength() const override { return config_.sequenceLength; }
  TokenExample example(Split split, int index) const override;
  std::string tokenText(int token) const override { return vocab_.display(token); }

  const Vocabulary& vocabulary() const { return vocab_; }
  const std::string& source() const { return source_; }
  long characters(Split split) const;  // length of that part of the text
  // Fraction of held-out characters that are <unk> (not in the vocabulary).
  double unknownRate() const;

 private:
  std::string name_, source_;
  Config config_;
  Vocabulary vocab_;
  std::vector<int> stream_[2];         // pool, held-out token ids
  long offset_[2] = {0, 0};            // text offset (characters) of each part, for agreements
  std::vector<Agreement> agreements_;  // character offsets; the generated text is ASCII
};

// Pretrain on one text, fine-tune on another, with one shared vocabulary (the union of
// both pool parts' characters, so token ids mean the same in both tasks).
struct TextLmPair {
  std::unique_ptr<TextLmTask> pretrain, finetune;
};
// settingSpecs() plus pretrain.source, pretrain.path, pretrain.sentences, pretrain.max_depth.
// The fine-tune task reads the usual keys (text.source, data.path, lang.*).
std::vector<SettingSpec> textLmFinetuneSettingSpecs();
TextLmPair makeTextLmFinetune(const Settings& settings);

}  // namespace attent

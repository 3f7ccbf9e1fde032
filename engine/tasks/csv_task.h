#pragma once
// Sequence classification from the user's CSV: a header row, then `text,label` rows
// (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks). The file is
// streamed; each text becomes character tokens, truncated or padded with <pad> to
// data.seq_len. Labels become class ids in sorted order (numerically when all labels are
// integers). The pool/held-out split is seeded, and stratified by label by default.
#include <memory>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/tasks/task.h"
#include "engine/tasks/text_file.h"
#include "engine/tasks/vocabulary.h"

namespace attent {

struct CsvRow {
  std::string text, label;
  long line = 0;  // where the row starts
};

// Parses the file; throws InputError (file, line, column, reason) on: missing / empty /
// binary / non-UTF-8 file, lines or file over the limits, a header or row without exactly
// two fields, an unterminated quote, stray quotes, an empty text or label, more than
// maxLabels distinct labels, a single class.
std::vector<CsvRow> readLabelledCsv(const std::string& path, FileLimits limits, int maxLabels);

class CsvClassifyTask : public TokenTask {
 public:
  struct Config {
    int sequenceLength = 128;
    double heldoutFraction = 0.2;
    std::uint64_t seed = 1;
    bool stratified = true;
    int maxLabels = 100;
    FileLimits limits;
  };
  CsvClassifyTask(const std::string& path, Config config, const Vocabulary* vocabulary = nullptr);
  // data.path, data.seq_len, data.heldout_fraction, data.seed, csv.stratified, csv.max_labels,
  // text.max_file_mb, text.max_line_bytes
  static std::vector<SettingSpec> settingSpecs();
  static std::unique_ptr<CsvClassifyTask> fromSettings(const Settings& settings,
                                                       const Vocabulary* vocabulary = nullptr);

  std::string name() const override { return "csv: " + path_; }
  int size(Split split) const override {
    return static_cast<int>(rows_[split == Split::Pool ? 0 : 1].size());
  }
  ExampleView render(Split split, int index) const override;
  std::vector<int> probes() const override;  // the first held-out row of each class, up to 4
  std::vector<std::string> classNames() const override { return classes_; }

  int vocabSize() const override { return vocab_.size(); }
  int sequenceLength() const override { return config_.sequenceLength; }
  int classCount() const override { return static_cast<int>(classes_.size()); }
  int padToken() const override { return Vocabulary::kPad; }
  TokenExample example(Split split, int index) const override;
  std::string tokenText(int token) const override { return vocab_.display(token); }

  const Vocabulary& vocabulary() const { return vocab_; }
  long sourceLine(Split split, int index) const;  // the file line the example came from

 private:
  struct Example {
    int label = 0, length = 0;
    long line = 0;
    std::string text;
  };
  std::string path_;
  Config config_;
  Vocabulary vocab_;
  std::vector<std::string> classes_;
  std::vector<Example> rows_[2];  // pool, held-out
  std::vector<int> tokens_[2];    // size() x seq_len, padded
};

}  // namespace attent

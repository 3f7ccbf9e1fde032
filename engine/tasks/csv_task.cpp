#include "engine/tasks/csv_task.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"
#include "engine/tasks/task_settings.h"

namespace attent {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One RFC 4180 record at a time, over the lines of a TextFileReader.
class CsvReader {
 public:
  struct Field {
    std::string value;
    long line, column;  // where it starts
  };
  explicit CsvReader(TextFileReader& in) : in_(in) {}

  // False at the end of the file; skips blank (empty or whitespace) lines between records.
  bool next(std::vector<Field>& fields, long& startLine) {
    fields.clear();
    std::string line;
    do {
      if (!in_.next(line)) return false;
    } while (line.find_first_not_of(" \t") == std::string::npos);
    startLine = in_.lineNumber();
    enum { Start, Unquoted, Quoted, AfterQuote } state = Start;
    Field cur{"", startLine, 1};
    long quoteLine = 0, quoteColumn = 0;
    for (;;) {
      const long lineNo = in_.lineNumber();
      for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        const long col = static_cast<long>(i) + 1;
        switch (state) {
          case Start:
            cur.line = lineNo, cur.column = col;
            if (c == '"')
              state = Quoted, quoteLine = lineNo, quoteColumn = col;
            else if (c == ',')
              fields.push_back(cur), cur.value.clear(), cur.column = col + 1;
            else
              cur.value += c, state = Unquoted;
            break;
          case Unquoted:
            if (c == ',')
              fields.push_back(cur), cur.value.clear(), cur.column = col + 1, state = Start;
            else if (c == '"')
              throw InputError(
                  in_.path(), lineNo, col,
                  "quote inside an unquoted field; quote the whole field and double inner quotes (\"\")");
            else
              cur.value += c;
            break;
          case Quoted:
            if (c != '"')
              cur.value += c;
            else if (i + 1 < line.size() && line[i + 1] == '"')
              cur.value += '"', ++i;
            else
              state = AfterQuote;
            break;
          case AfterQuote:
            if (c == ',')
              fields.push_back(cur), cur.value.clear(), cur.column = col + 1, state = Start;
            else
              throw InputError(in_.path(), lineNo, col, "unexpected character after a closing quote");
            break;
        }
      }
      if (state != Quoted) break;
      // A line break inside quotes belongs to the field.
      if (!in_.next(line))
        throw InputError(in_.path(), quoteLine, quoteColumn,
                         "unterminated quoted field (the quote opened here)");
      cur.value += '\n';
    }
    if (state == Start) cur.line = in_.lineNumber(), cur.column = static_cast<long>(line.size()) + 1;
    fields.push_back(cur);
    return true;
  }

 private:
  TextFileReader& in_;
};

bool allIntegers(const std::vector<std::string>& labels) {
  for (const auto& l : labels) {
    long v;
    auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), v);
    if (ec != std::errc() || p != l.data() + l.size()) return false;
  }
  return true;
}

std::vector<std::string> sortedLabels(const std::set<std::string>& seen) {
  std::vector<std::string> labels(seen.begin(), seen.end());
  if (allIntegers(labels))
    std::sort(labels.begin(), labels.end(),
              [](const std::string& a, const std::string& b) { return std::stol(a) < std::stol(b); });
  return labels;
}

}  // namespace

std::vector<CsvRow> readLabelledCsv(const std::string& path, FileLimits limits, int maxLabels) {
  TextFileReader in(path, limits);
  CsvReader csv(in);
  std::vector<CsvReader::Field> fields;
  long line = 0;
  if (!csv.next(fields, line)) throw InputError(path, 0, 0, "empty file (expected a header row: text,label)");
  if (fields.size() != 2)
    throw InputError(path, line, 0,
                     "header has " + std::to_string(fields.size()) + " field" +
                         (fields.size() == 1 ? "" : "s") + "; expected 2: text,label");
  // Columns by name when the header says label,text; otherwise text first.
  const bool swapped = lower(trim(fields[0].value)) == "label" && lower(trim(fields[1].value)) == "text";
  const std::vector<CsvReader::Field> header = fields;
  std::vector<CsvRow> rows;
  std::set<std::string> labels;
  while (csv.next(fields, line)) {
    if (fields.size() != 2)
      throw InputError(path, line, fields.size() > 2 ? fields[2].column - 1 : 0,
                       "row has " + std::to_string(fields.size()) + " field" +
                           (fields.size() == 1 ? "" : "s") +
                           "; expected 2 (text,label) - quote a text that contains commas");
    const CsvReader::Field& text = fields[swapped ? 1 : 0];
    const CsvReader::Field& label = fields[swapped ? 0 : 1];
    CsvRow row{text.value, trim(label.value), line};
    if (row.label.empty()) throw InputError(path, label.line, label.column, "empty label");
    if (row.text.empty()) throw InputError(path, text.line, text.column, "empty text");
    if (labels.insert(row.label).second && static_cast<int>(labels.size()) > maxLabels)
      throw InputError(path, label.line, label.column,
                       "more than " + std::to_string(maxLabels) +
                           " distinct labels (setting csv.max_labels); is '" + row.label +
                           "' really a class?");
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw InputError(path, line, 0, "no rows after the header");
  // A file without a header would silently lose its first row: a "header" whose label
  // column is one of the data's labels is a data row.
  const std::string headerLabel = trim(header[swapped ? 0 : 1].value);
  if (labels.count(headerLabel))
    throw InputError(path, header[0].line, header[0].column,
                     "the first row looks like data, not a header: '" + headerLabel +
                         "' is a label of the rows below; add a header row such as text,label");
  if (labels.size() < 2)
    throw InputError(path, 0, 0,
                     "only one class ('" + *labels.begin() + "') in " + std::to_string(rows.size()) +
                         " rows; classification needs at least 2");
  return rows;
}

CsvClassifyTask::CsvClassifyTask(const std::string& path, Config config, const Vocabulary* vocabulary)
    : path_(path), config_(config) {
  if (config_.sequenceLength < 1 || config_.sequenceLength > 4096)
    throw SettingsError("data.seq_len must be an integer in [1, 4096], got " +
                        std::to_string(config_.sequenceLength));
  if (!(config_.heldoutFraction >= 0.01 && config_.heldoutFraction <= 0.5))
    throw SettingsError("data.heldout_fraction must be a number in [0.01, 0.5]");
  if (config_.maxLabels < 2 || config_.maxLabels > 10000)
    throw SettingsError("csv.max_labels must be an integer in [2, 10000]");
  const std::vector<CsvRow> rows = readLabelledCsv(path, config_.limits, config_.maxLabels);

  std::set<std::string> seen;
  for (const auto& r : rows) seen.insert(r.label);
  classes_ = sortedLabels(seen);
  std::map<std::string, int> classOf;
  for (int c = 0; c < static_cast<int>(classes_.size()); ++c) classOf[classes_[c]] = c;

  // Seeded split; stratified: the held-out fraction is taken from each class separately.
  Rng rng(config_.seed);
  auto shuffle = [&rng](std::vector<int>& v) {
    for (int i = static_cast<int>(v.size()) - 1; i > 0; --i) std::swap(v[i], v[rng.below(i + 1)]);
  };
  std::vector<char> heldOut(rows.size(), 0);
  std::vector<std::vector<int>> groups(config_.stratified ? classes_.size() : 1);
  for (int i = 0; i < static_cast<int>(rows.size()); ++i)
    groups[config_.stratified ? classOf[rows[i].label] : 0].push_back(i);
  int held = 0;
  for (auto& g : groups) {
    shuffle(g);
    const int k = static_cast<int>(std::lround(g.size() * config_.heldoutFraction));
    for (int j = 0; j < k && j < static_cast<int>(g.size()) - 1; ++j) heldOut[g[j]] = 1, ++held;
  }
  const int n = static_cast<int>(rows.size());
  if (held < 1 || n - held < 1)
    throw InputError(path, 0, 0,
                     "too few rows to split: " + std::to_string(n) + " rows; with data.heldout_fraction=" +
                         std::to_string(config_.heldoutFraction) + " it needs at least " +
                         std::to_string(static_cast<long>(std::ceil(0.5 / config_.heldoutFraction)) + 1) +
                         (config_.stratified ? " rows in one class" : " rows"));

  // The vocabulary comes from pool texts only, so held-out characters can be unknown.
  if (vocabulary) {
    vocab_ = *vocabulary;
  } else {
    for (int i = 0; i < n; ++i)
      if (!heldOut[i]) vocab_ = vocab_.extendedWith(decodeUtf8(rows[i].text));
  }
  const int seq = config_.sequenceLength;
  for (int i = 0; i < n; ++i) {
    const int part = heldOut[i];
    const std::u32string chars = decodeUtf8(rows[i].text);
    Example e;
    e.label = classOf[rows[i].label];
    e.length = std::min(seq, static_cast<int>(chars.size()));
    e.line = rows[i].line;
    e.text = rows[i].text;
    std::vector<int> ids = vocab_.encode(chars.substr(0, e.length));
    ids.resize(seq, Vocabulary::kPad);
    tokens_[part].insert(tokens_[part].end(), ids.begin(), ids.end());
    rows_[part].push_back(std::move(e));
  }
}

TokenExample CsvClassifyTask::example(Split split, int index) const {
  const int part = split == Split::Pool ? 0 : 1;
  TokenExample e;
  e.tokens = tokens_[part].data() + static_cast<std::size_t>(index) * config_.sequenceLength;
  e.label = rows_[part][index].label;
  e.length = rows_[part][index].length;
  return e;
}

ExampleView CsvClassifyTask::render(Split split, int index) const {
  const TokenExample e = example(split, index);
  ExampleView v;
  for (int i = 0; i < e.length; ++i) v.tokens.push_back(tokenText(e.tokens[i]));
  v.text = rows_[split == Split::Pool ? 0 : 1][index].text;
  v.label = classes_[e.label];
  return v;
}

std::vector<int> CsvClassifyTask::probes() const {
  std::vector<int> p;
  std::vector<char> seen(classes_.size(), 0);
  const auto& held = rows_[1];
  for (int i = 0; i < static_cast<int>(held.size()) && p.size() < 4; ++i)
    if (!seen[held[i].label]) seen[held[i].label] = 1, p.push_back(i);
  for (int i = 0; i < static_cast<int>(held.size()) && p.size() < 4; ++i)
    if (std::find(p.begin(), p.end(), i) == p.end()) p.push_back(i);
  return p;
}

long CsvClassifyTask::sourceLine(Split split, int index) const {
  return rows_[split == Split::Pool ? 0 : 1][index].line;
}

std::vector<SettingSpec> CsvClassifyTask::settingSpecs() {
  return {
      SettingSpec::text("data.path", "", "the CSV file: a header row, then text,label rows"),
      SettingSpec::integer("data.seq_len", 128, 1, 4096, "characters per text; longer texts are truncated"),
      SettingSpec::real("data.heldout_fraction", 0.2, 0.01, 0.5, "fraction of rows held out for evaluation"),
      SettingSpec::integer("data.seed", 1, 0, 2147483647, "seed of the pool/held-out split"),
      SettingSpec::boolean("csv.stratified", true, "hold out the same fraction of every class"),
      SettingSpec::integer("csv.max_labels", 100, 2, 10000, "most distinct labels accepted"),
      SettingSpec::real("text.max_file_mb", 16, 0.001, 1024, "largest file accepted, in MB"),
      SettingSpec::integer("text.max_line_bytes", 65536, 16, 1 << 30, "longest line accepted, in bytes"),
  };
}

std::unique_ptr<CsvClassifyTask> CsvClassifyTask::fromSettings(const Settings& s,
                                                               const Vocabulary* vocabulary) {
  const Settings all = taskSettings(settingSpecs(), s);
  if (all.text("data.path").empty())
    throw SettingsError("data.path is empty: choose a CSV file (text,label)");
  Config c;
  c.sequenceLength = static_cast<int>(all.integer("data.seq_len"));
  c.heldoutFraction = all.real("data.heldout_fraction");
  c.seed = static_cast<std::uint64_t>(all.integer("data.seed"));
  c.stratified = all.boolean("csv.stratified");
  c.maxLabels = static_cast<int>(all.integer("csv.max_labels"));
  c.limits.maxFileBytes = static_cast<std::int64_t>(all.real("text.max_file_mb") * 1048576.0);
  c.limits.maxLineBytes = all.integer("text.max_line_bytes");
  return std::make_unique<CsvClassifyTask>(all.text("data.path"), c, vocabulary);
}

}  // namespace attent

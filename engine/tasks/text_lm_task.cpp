#include "engine/tasks/text_lm_task.h"

#include <algorithm>
#include <cmath>

#include "engine/core/input_error.h"
#include "engine/tasks/task_settings.h"

namespace attent {

std::string loadTextFile(const std::string& path, FileLimits limits) {
  TextFileReader reader(path, limits);
  std::string text, line;
  bool any = false;
  while (reader.next(line)) {
    text += line;
    text += '\n';
    any = any || line.find_first_not_of(" \t") != std::string::npos;
  }
  if (!any) throw InputError(path, 0, 0, "the file has no text (only blank lines)");
  return text;
}

namespace {

void checkConfig(const TextLmTask::Config& c) {
  if (c.sequenceLength < 2 || c.sequenceLength > 4096)
    throw SettingsError("data.seq_len must be an integer in [2, 4096], got " +
                        std::to_string(c.sequenceLength));
  if (c.stride < 0 || c.stride > 4096)
    throw SettingsError("data.stride must be an integer in [0, 4096] (0: = data.seq_len), got " +
                        std::to_string(c.stride));
  if (!(c.heldoutFraction >= 0.01 && c.heldoutFraction <= 0.5))
    throw SettingsError("data.heldout_fraction must be a number in [0.01, 0.5]");
}

// The nominal cut, moved to just after the next line break when one is near, so held-out
// text starts a line (a sentence, for the generated language).
long splitPoint(const std::u32string& text, const TextLmTask::Config& c) {
  const long n = static_cast<long>(text.size());
  const long nominal = static_cast<long>(std::floor(n * (1 - c.heldoutFraction)));
  for (long k = std::max(nominal, 1L); k < n && k - nominal < 4L * c.sequenceLength; ++k)
    if (text[k - 1] == U'\n') return k;
  return nominal;
}

int windows(long characters, int seqLen, int stride) {
  return characters < seqLen + 1 ? 0 : static_cast<int>((characters - seqLen - 1) / stride + 1);
}

}  // namespace

TextLmTask::TextLmTask(std::string name, std::string source, const std::string& utf8Text, Config config,
                       const Vocabulary* vocabulary, std::vector<Agreement> agreements)
    : name_(std::move(name)),
      source_(std::move(source)),
      config_(config),
      agreements_(std::move(agreements)) {
  checkConfig(config_);
  if (config_.stride == 0) config_.stride = config_.sequenceLength;
  if (invalidUtf8At(utf8Text.data(), utf8Text.size()) >= 0)
    throw InputError(source_, 0, 0, "text is not valid UTF-8");
  const std::u32string text = decodeUtf8(utf8Text);
  const long n = static_cast<long>(text.size());
  const long cut = splitPoint(text, config_);
  const int seq = config_.sequenceLength;
  if (windows(cut, seq, config_.stride) < 1 || windows(n - cut, seq, config_.stride) < 1) {
    const long need = static_cast<long>(std::ceil((seq + 1) / config_.heldoutFraction)) + 1;
    throw InputError(source_, 0, 0,
                     "too few characters to split: the text has " + std::to_string(n) +
                         "; with data.seq_len=" + std::to_string(seq) +
                         " and data.heldout_fraction=" + std::to_string(config_.heldoutFraction) +
                         " it needs at least " + std::to_string(std::max(need, 2L * (seq + 1))));
  }
  const std::u32string pool = text.substr(0, cut), held = text.substr(cut);
  vocab_ = vocabulary ? *vocabulary : Vocabulary::fromText(pool);
  stream_[0] = vocab_.encode(pool);
  stream_[1] = vocab_.encode(held);
  offset_[0] = 0;
  offset_[1] = cut;
}

int TextLmTask::size(Split split) const {
  const auto& s = stream_[split == Split::Pool ? 0 : 1];
  return windows(static_cast<long>(s.size()), config_.sequenceLength, config_.stride);
}

long TextLmTask::characters(Split split) const {
  return static_cast<long>(stream_[split == Split::Pool ? 0 : 1].size());
}

TokenExample TextLmTask::example(Split split, int index) const {
  const auto& s = stream_[split == Split::Pool ? 0 : 1];
  const std::size_t start = static_cast<std::size_t>(index) * config_.stride;
  TokenExample e;
  e.tokens = s.data() + start;
  e.targets = s.data() + start + 1;
  e.length = config_.sequenceLength;
  return e;
}

ExampleView TextLmTask::render(Split split, int index) const {
  const TokenExample e = example(split, index);
  const int seq = config_.sequenceLength;
  ExampleView v;
  v.tokens.reserve(seq);
  for (int i = 0; i < seq; ++i) v.tokens.push_back(tokenText(e.tokens[i]));
  v.text = vocab_.decode(e.tokens, seq);
  v.label = tokenText(e.targets[seq - 1]);
  // Ground truth: subject/verb pairs that both fall in the window.
  const int part = split == Split::Pool ? 0 : 1;
  const long begin = offset_[part] + static_cast<long>(index) * config_.stride, end = begin + seq;
  auto it = std::lower_bound(agreements_.begin(), agreements_.end(), begin,
                             [](const Agreement& a, long x) { return a.verb < x; });
  for (; it != agreements_.end() && it->verb < end; ++it)
    if (it->subject >= begin) {
      v.highlight.push_back(static_cast<int>(it->subject - begin));
      v.highlight.push_back(static_cast<int>(it->verb - begin));
    }
  return v;
}

std::vector<int> TextLmTask::probes() const {
  const int n = size(Split::HeldOut);
  std::vector<int> p;
  for (int i = 0; i < 4 && i < n; ++i) p.push_back(static_cast<int>(static_cast<long>(i) * n / 4));
  return p;
}

double TextLmTask::unknownRate() const {
  const auto& s = stream_[1];
  if (s.empty()) return 0;
  return static_cast<double>(std::count(s.begin(), s.end(), Vocabulary::kUnk)) / s.size();
}

std::vector<SettingSpec> TextLmTask::settingSpecs() {
  return {
      SettingSpec::choice("text.source", "generated", {"generated", "file"},
                          "the built-in generated language or the UTF-8 text file at data.path"),
      SettingSpec::text("data.path", "", "the text file to train on (text.source = file)"),
      SettingSpec::integer("data.seq_len", 64, 2, 4096, "characters per training sequence"),
      SettingSpec::integer("data.stride", 0, 0, 4096, "characters between window starts (0: = data.seq_len)"),
      SettingSpec::real("data.heldout_fraction", 0.1, 0.01, 0.5, "fraction of the text held out, at its end"),
      SettingSpec::integer("data.seed", 1, 0, 2147483647, "seed of the generated language"),
      SettingSpec::real("text.max_file_mb", 16, 0.001, 1024, "largest text file accepted, in MB"),
      SettingSpec::integer("text.max_line_bytes", 65536, 16, 1 << 30, "longest line accepted, in bytes"),
      SettingSpec::integer("lang.sentences", 3000, 1, 1000000, "sentences of generated language"),
      SettingSpec::integer("lang.max_depth", 2, 0, 8, "deepest nesting of relative clauses"),
      SettingSpec::real("lang.clause_probability", 0.4, 0, 0.9,
                        "chance a noun phrase gets a relative clause"),
  };
}

namespace {

struct Corpus {
  std::string name, source, text;
  std::vector<Agreement> agreements;
};

FileLimits limitsFrom(const Settings& s) {
  FileLimits l;
  l.maxFileBytes = static_cast<std::int64_t>(s.real("text.max_file_mb") * 1048576.0);
  l.maxLineBytes = s.integer("text.max_line_bytes");
  return l;
}

TextSource sourceFrom(const Settings& s, std::string sourceKey, std::string pathKey, std::string sentencesKey,
                      const std::string& depthKey) {
  TextSource t;
  t.file = choiceOf<bool>(s, sourceKey, {{"generated", false}, {"file", true}});
  t.path = s.text(pathKey);
  t.sentences = s.integer(sentencesKey);
  t.maxDepth = static_cast<int>(s.integer(depthKey));
  t.clauseProbability = s.real("lang.clause_probability");
  t.sourceKey = std::move(sourceKey);
  t.pathKey = std::move(pathKey);
  t.sentencesKey = std::move(sentencesKey);
  return t;
}

Corpus corpusFrom(const Settings& s, const TextSource& t, std::uint64_t seed) {
  Corpus c;
  if (t.file) {
    c.source = t.path;
    if (c.source.empty())
      throw SettingsError(t.pathKey + " is empty: choose a UTF-8 text file (" + t.sourceKey + " = file)");
    c.text = loadTextFile(c.source, limitsFrom(s));
    c.name = "text: " + c.source;
  } else {
    LanguageConfig lc;
    lc.sentences = static_cast<int>(t.sentences);
    lc.maxDepth = t.maxDepth;
    lc.clauseProbability = t.clauseProbability;
    lc.seed = seed;
    GeneratedText g = generateLanguage(lc);
    c.text = std::move(g.text);
    c.agreements = std::move(g.agreements);
    c.source = "generated language";
    c.name = "generated language (depth " + std::to_string(lc.maxDepth) + ")";
  }
  return c;
}

std::unique_ptr<TextLmTask> taskFrom(Corpus c, const Settings& s, const Vocabulary* v) {
  return std::make_unique<TextLmTask>(c.name, c.source, c.text, TextLmTask::Config::from(s), v,
                                      std::move(c.agreements));
}

}  // namespace

TextLmTask::Config TextLmTask::Config::from(const Settings& s) {
  Config c;
  c.sequenceLength = static_cast<int>(s.integer("data.seq_len"));
  c.stride = static_cast<int>(s.integer("data.stride"));
  c.heldoutFraction = s.real("data.heldout_fraction");
  return c;
}

TextSource TextSource::fromSettings(const Settings& s) {
  return sourceFrom(s, "text.source", "data.path", "lang.sentences", "lang.max_depth");
}

TextSource TextSource::pretrainingFrom(const Settings& s) {
  return sourceFrom(s, "pretrain.source", "pretrain.path", "pretrain.sentences", "pretrain.max_depth");
}

std::unique_ptr<TextLmTask> TextLmTask::fromSettings(const Settings& s, const Vocabulary* vocabulary) {
  const Settings all = taskSettings(settingSpecs(), s);
  Corpus c =
      corpusFrom(all, TextSource::fromSettings(all), static_cast<std::uint64_t>(all.integer("data.seed")));
  return taskFrom(std::move(c), all, vocabulary);
}

std::vector<SettingSpec> textLmFinetuneSettingSpecs() {
  auto specs = TextLmTask::settingSpecs();
  specs.push_back(
      SettingSpec::choice("pretrain.source", "generated", {"generated", "file"},
                          "pretraining text: the generated language or the file at pretrain.path"));
  specs.push_back(SettingSpec::text("pretrain.path", "", "pretraining text file (pretrain.source = file)"));
  specs.push_back(SettingSpec::integer("pretrain.sentences", 3000, 1, 1000000,
                                       "sentences of generated pretraining text"));
  specs.push_back(
      SettingSpec::integer("pretrain.max_depth", 1, 0, 8, "nesting depth of the generated pretraining text"));
  return specs;
}

TextLmPair makeTextLmFinetune(const Settings& s) {
  const Settings all = taskSettings(textLmFinetuneSettingSpecs(), s);
  const auto seed = static_cast<std::uint64_t>(all.integer("data.seed"));
  // Different seeds, so the fine-tune text is new sentences even when both are generated.
  Corpus pre = corpusFrom(all, TextSource::pretrainingFrom(all), seed + 7919);
  Corpus fine = corpusFrom(all, TextSource::fromSettings(all), seed);
  // The shared vocabulary: each task's pool characters (held-out parts stay unseen).
  TextLmTask::Config cfg = TextLmTask::Config::from(all);
  checkConfig(cfg);
  Vocabulary vocab;
  for (const Corpus* c : {&pre, &fine}) {
    const std::u32string t = decodeUtf8(c->text);
    vocab = vocab.extendedWith(t.substr(0, static_cast<std::size_t>(splitPoint(t, cfg))));
  }
  pre.name = "pretrain: " + pre.name;
  fine.name = "fine-tune: " + fine.name;
  TextLmPair pair;
  pair.pretrain = taskFrom(std::move(pre), all, &vocab);
  pair.finetune = taskFrom(std::move(fine), all, &vocab);
  return pair;
}

}  // namespace attent

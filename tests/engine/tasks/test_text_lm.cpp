#include <QtTest>
#include <set>
#include <sstream>

#include "engine/tasks/generated_language.h"
#include "engine/tasks/text_lm_task.h"
#include "task_test_util.h"

using namespace attent;

namespace {

// An independent recursive-descent reader of the generated language: checks determiner,
// subject-verb agreement (across relative clauses) and bracket nesting, knowing only the
// surface rules - plural nouns and singular verbs end in "s", a clause is "( that ... )".
class SentenceChecker {
 public:
  explicit SentenceChecker(const std::string& sentence) {
    std::string spaced;
    for (char c : sentence) {
      if (c == '(' || c == ')' || c == '.')
        spaced += std::string(" ") + c + " ";
      else
        spaced += c;
    }
    std::istringstream in(spaced);
    for (std::string w; in >> w;) words_.push_back(w);
  }
  // Empty when the sentence is well formed, else what is wrong.
  std::string check() {
    try {
      const bool plural = nounPhrase(0);
      verbPhrase(plural, 0);
      expect(".");
      if (i_ != words_.size()) fail("words after the full stop");
    } catch (const std::string& e) {
      return e;
    }
    return "";
  }
  int maxDepth() const { return maxDepth_; }

 private:
  static bool isDet(const std::string& w) {
    return w == "the" || w == "a" || w == "every" || w == "this" || w == "some" || w == "many" ||
           w == "these";
  }
  static bool endsInS(const std::string& w) { return !w.empty() && w.back() == 's'; }
  void fail(const std::string& why) { throw why + " at word " + std::to_string(i_); }
  const std::string& peek() {
    static const std::string end = "<end>";
    return i_ < words_.size() ? words_[i_] : end;
  }
  std::string take() {
    if (i_ >= words_.size()) fail("unexpected end");
    return words_[i_++];
  }
  void expect(const std::string& w) {
    if (take() != w) fail("expected '" + w + "'");
  }
  bool nounPhrase(int depth) {
    const std::string det = take();
    if (!isDet(det)) fail("expected a determiner, got '" + det + "'");
    const std::string noun = take();
    const bool plural = endsInS(noun);
    if ((det == "a" || det == "every" || det == "this") && plural) fail("singular determiner, plural noun");
    if ((det == "some" || det == "many" || det == "these") && !plural)
      fail("plural determiner, singular noun");
    if (peek() == "(") {
      take();
      maxDepth_ = std::max(maxDepth_, depth + 1);
      expect("that");
      if (isDet(peek())) {
        const bool inner = nounPhrase(depth + 1);
        verb(inner);
      } else {
        verbPhrase(plural, depth + 1);
      }
      expect(")");
    }
    return plural;
  }
  void verb(bool plural) {
    const std::string v = take();
    if (endsInS(v) == plural) fail("verb '" + v + "' does not agree with its subject");
  }
  void verbPhrase(bool plural, int depth) {
    verb(plural);
    if (isDet(peek())) nounPhrase(depth + 1);
  }
  std::vector<std::string> words_;
  std::size_t i_ = 0;
  int maxDepth_ = 0;
};

}  // namespace

class TestTextLm : public QObject {
  Q_OBJECT
 private slots:
  void generatedLanguageAgreesInEverySentence() {
    LanguageConfig c;
    c.sentences = 2000;
    c.maxDepth = 3;
    c.seed = 11;
    const GeneratedText g = generateLanguage(c);
    std::istringstream lines(g.text);
    int n = 0, deepest = 0;
    for (std::string s; std::getline(lines, s); ++n) {
      SentenceChecker checker(s);
      const std::string err = checker.check();
      QVERIFY2(err.empty(), (err + ": " + s).c_str());
      deepest = std::max(deepest, checker.maxDepth());
      QVERIFY(checker.maxDepth() <= c.maxDepth);
    }
    QCOMPARE(n, c.sentences);
    QCOMPARE(deepest, c.maxDepth);  // nesting really happens
    // Ground truth: each recorded pair is a noun and a verb that agree, and some are far apart.
    long far = 0;
    for (const Agreement& a : g.agreements) {
      QVERIFY(a.subject < a.verb);
      QVERIFY((g.text[a.subject] == 's') != (g.text[a.verb] == 's'));
      if (a.verb - a.subject > 30) ++far;
    }
    QVERIFY(g.agreements.size() >= std::size_t(c.sentences));
    QVERIFY(far > 100);
  }
  void generatedLanguageIsDeterministicPerSeed() {
    LanguageConfig c;
    c.sentences = 300;
    const std::string a = generateLanguage(c).text, b = generateLanguage(c).text;
    QCOMPARE(a, b);
    c.seed = 2;
    QVERIFY(generateLanguage(c).text != a);
    c.sentences = 0;
    QVERIFY_THROWS_EXCEPTION(SettingsError, generateLanguage(c));
  }
  void windowsShiftTargetsByOne() {
    Settings s(TextLmTask::settingSpecs());
    QVERIFY(!s.set("data.seq_len", "32").has_value());
    QVERIFY(!s.set("lang.sentences", "400").has_value());
    auto t = TextLmTask::fromSettings(s);
    QCOMPARE(t->sequenceLength(), 32);
    QVERIFY(t->size(Split::Pool) > 100);
    QVERIFY(t->size(Split::HeldOut) > 10);
    QCOMPARE(t->classCount(), 0);
    // Stride = seq_len: consecutive windows tile the text; targets are the next characters.
    const TokenExample e0 = t->example(Split::Pool, 0), e1 = t->example(Split::Pool, 1);
    for (int i = 0; i + 1 < 32; ++i) QCOMPARE(e0.targets[i], e0.tokens[i + 1]);
    QCOMPARE(e0.targets[31], e1.tokens[0]);
    for (int i = 0; i < 32; ++i) QVERIFY(e0.tokens[i] >= 2 && e0.tokens[i] < t->vocabSize());
    const ExampleView v = t->render(Split::Pool, 0);
    QCOMPARE(v.tokens.size(), std::size_t(32));
    QCOMPARE(v.text.size(), std::size_t(32));
    QVERIFY(!v.highlight.empty());  // the first sentence's subject and verb
    for (int h : v.highlight) QVERIFY(h >= 0 && h < 32);
    QCOMPARE(t->unknownRate(), 0.0);  // the generated language uses the same letters throughout
    QCOMPARE(t->probes().size(), std::size_t(4));
    // Overlapping windows with a stride.
    QVERIFY(!s.set("data.stride", "8").has_value());
    auto o = TextLmTask::fromSettings(s);
    QCOMPARE(o->example(Split::Pool, 1).tokens[0], o->example(Split::Pool, 0).tokens[8]);
  }
  void textFileRoundTripWithMultibyteUtf8() {
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 40; ++i)
      text += "Grüße, naïve café! 日本語のテキスト 🙂 line " + std::to_string(i) + "\r\n";
    text += "tail ☃ only here\n";  // the snowman is held out: unknown to the vocabulary
    const std::string path = writeFixture(dir, "multi.txt", text);
    Settings s(TextLmTask::settingSpecs());
    QVERIFY(!s.set("text.source", "file").has_value());
    QVERIFY(!s.set("data.path", path).has_value());
    QVERIFY(!s.set("data.seq_len", "16").has_value());
    auto t = TextLmTask::fromSettings(s);
    // One token per character: 日 is 3 bytes, 🙂 4, ü 2 - all single tokens.
    QCOMPARE(t->vocabulary().encode(U"日🙂ü").size(), std::size_t(3));
    QVERIFY(t->vocabulary().id(U'日') >= 2);
    QCOMPARE(t->vocabulary().text(t->vocabulary().id(U'🙂')), std::string("🙂"));
    QCOMPARE(t->vocabulary().id(U'☃'), Vocabulary::kUnk);
    QVERIFY(t->unknownRate() > 0);
    // Pool windows decode back to the file's text ("\r\n" read as "\n").
    std::string clean;
    for (char c : text)
      if (c != '\r') clean += c;
    std::string decoded;
    for (int i = 0; i < t->size(Split::Pool); ++i) decoded += t->render(Split::Pool, i).text;
    QVERIFY(decoded.size() > 500);
    QCOMPARE(decoded, clean.substr(0, decoded.size()));
    QCOMPARE(t->tokenText(t->vocabulary().id(U'\n')), std::string("\\n"));
  }
  void finetunePairSharesOneVocabulary() {
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 60; ++i)
      text += "ZZ the quick brown fox; QQ jumps over the lazy dog #" + std::to_string(i) + "\n";
    Settings s(textLmFinetuneSettingSpecs());
    QVERIFY(!s.set("text.source", "file").has_value());
    QVERIFY(!s.set("data.path", writeFixture(dir, "ft.txt", text)).has_value());
    QVERIFY(!s.set("pretrain.sentences", "300").has_value());
    const TextLmPair p = makeTextLmFinetune(s);
    QCOMPARE(p.pretrain->vocabSize(), p.finetune->vocabSize());
    const Vocabulary& v = p.pretrain->vocabulary();
    QVERIFY(v.id(U'Z') >= 2);  // from the fine-tune text
    QVERIFY(v.id(U'(') >= 2);  // from the generated pretraining text
    QCOMPARE(v.id(U'Z'), p.finetune->vocabulary().id(U'Z'));
    QCOMPARE(p.finetune->unknownRate(), 0.0);
    // Both generated: different sentences (seeds), different depth.
    Settings g(textLmFinetuneSettingSpecs());
    QVERIFY(!g.set("lang.sentences", "300").has_value());
    QVERIFY(!g.set("pretrain.sentences", "300").has_value());
    const TextLmPair q = makeTextLmFinetune(g);
    QVERIFY(q.pretrain->render(Split::Pool, 0).text != q.finetune->render(Split::Pool, 0).text);
  }
};

QTEST_APPLESS_MAIN(TestTextLm)
#include "test_text_lm.moc"

#include "engine/tasks/generated_language.h"

#include <algorithm>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"

namespace attent {
namespace {

const char* kNouns[] = {"cat",   "dog",    "bird", "child",  "teacher",
                        "robot", "farmer", "king", "friend", "horse"};
const char* kIntransitive[] = {"run", "sleep", "sing", "laugh", "wait", "smile", "swim", "dream"};
const char* kTransitive[] = {"see", "chase", "like", "help", "follow", "call", "find", "watch"};
const char* kSingularDet[] = {"the", "a", "every", "this"};
const char* kPluralDet[] = {"the", "some", "many", "these"};

template <std::size_t N>
const char* pick(Rng& rng, const char* (&words)[N]) {
  return words[rng.below(N)];
}

class Generator {
 public:
  Generator(const LanguageConfig& c, GeneratedText& out) : c_(c), rng_(c.seed), out_(out) {}

  void sentence() {
    const bool plural = rng_.below(2);
    const long subject = nounPhrase(plural, 0);
    out_.text += ' ';
    verbPhrase(plural, subject, 0);
    out_.text += ".\n";
  }

 private:
  void word(const char* w) { out_.text += w; }
  long lastLetter() const { return static_cast<long>(out_.text.size()) - 1; }

  // Returns the offset of the head noun's last letter (the subject its verb agrees with).
  long nounPhrase(bool plural, int depth) {
    word(plural ? pick(rng_, kPluralDet) : pick(rng_, kSingularDet));
    out_.text += ' ';
    word(pick(rng_, kNouns));
    if (plural) out_.text += 's';
    const long head = lastLetter();
    if (depth < c_.maxDepth && rng_.uniform() < c_.clauseProbability) {
      out_.text += " (that ";
      if (rng_.below(2)) {
        verbPhrase(plural, head, depth + 1);
      } else {
        const bool inner = rng_.below(2);
        const long innerSubject = nounPhrase(inner, depth + 1);
        out_.text += ' ';
        verb(pick(rng_, kTransitive), inner, innerSubject);
      }
      out_.text += ')';
    }
    return head;
  }

  void verbPhrase(bool plural, long subject, int depth) {
    if (rng_.below(2)) {
      verb(pick(rng_, kIntransitive), plural, subject);
    } else {
      verb(pick(rng_, kTransitive), plural, subject);
      out_.text += ' ';
      nounPhrase(rng_.below(2), depth + 1);
    }
  }

  void verb(const char* v, bool plural, long subject) {
    word(v);
    if (!plural) out_.text += (v[std::char_traits<char>::length(v) - 1] == 'h') ? "es" : "s";
    out_.agreements.push_back({subject, lastLetter()});
  }

  const LanguageConfig& c_;
  Rng rng_;
  GeneratedText& out_;
};

}  // namespace

GeneratedText generateLanguage(const LanguageConfig& c) {
  if (c.sentences < 1) throw SettingsError("lang.sentences must be an integer >= 1");
  if (c.maxDepth < 0 || c.maxDepth > 8) throw SettingsError("lang.max_depth must be an integer in [0, 8]");
  if (!(c.clauseProbability >= 0 && c.clauseProbability <= 0.9))
    throw SettingsError("lang.clause_probability must be a number in [0, 0.9]");
  GeneratedText out;
  Generator g(c, out);
  for (int i = 0; i < c.sentences; ++i) g.sentence();
  std::sort(out.agreements.begin(), out.agreements.end(),
            [](const Agreement& a, const Agreement& b) { return a.verb < b.verb; });
  return out;
}

}  // namespace attent

#pragma once
// A small generated English-like language with structure attention has to find.
//
//   S      -> NP(n) VP(n) "."                 n = singular or plural, drawn 50/50
//   NP(n)  -> Det(n) Noun(n) [ "(" REL(n) ")" ]   the clause with probability p while depth < D
//   REL(n) -> "that" VP(n)                     subject relative: its verb agrees with the head
//           | "that" NP(k) TVerb(k)            object relative: a new subject k, its own verb
//   VP(n)  -> IVerb(n) | TVerb(n) NP(any)
//
// Number agreement: plural nouns end in "s", singular verbs end in "s", determiners
// agree ("a"/"every"/"this" singular, "some"/"many"/"these" plural, "the" both). A verb
// agrees with a subject that may sit a whole bracketed clause (nested up to D deep)
// earlier, and brackets always balance - long-range, nested dependencies in plain ASCII.
// Sentences are separated by "\n". Deterministic from the seed.
#include <cstdint>
#include <string>
#include <vector>

namespace attent {

struct LanguageConfig {
  int sentences = 3000;
  int maxDepth = 2;                // nesting of relative clauses
  double clauseProbability = 0.4;  // p: chance a noun phrase gets a relative clause
  std::uint64_t seed = 1;
};

// One agreement: character offsets (in the text) of the last letter of a subject noun and
// of the last letter of the verb that must agree with it.
struct Agreement {
  long subject = 0, verb = 0;
};

struct GeneratedText {
  std::string text;
  std::vector<Agreement> agreements;  // sorted by verb offset
};

// Throws SettingsError for sentences < 1, maxDepth outside [0, 8], p outside [0, 0.9].
GeneratedText generateLanguage(const LanguageConfig& config);

}  // namespace attent

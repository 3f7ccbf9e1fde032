#pragma once
// Character vocabulary: one token per Unicode code point (a multibyte UTF-8 character is
// one token), plus <pad> = 0 and <unk> = 1. Characters are numbered in code-point order,
// so the same text always gives the same ids; extending keeps every existing id.
#include <string>
#include <unordered_map>
#include <vector>

namespace attent {

class Vocabulary {
 public:
  static constexpr int kPad = 0, kUnk = 1;

  Vocabulary() = default;
  static Vocabulary fromText(const std::u32string& text) { return Vocabulary().extendedWith(text); }
  // This vocabulary plus the characters of `text` it lacks, appended in code-point order.
  Vocabulary extendedWith(const std::u32string& text) const;

  int size() const { return 2 + static_cast<int>(symbols_.size()); }
  int id(char32_t c) const {
    auto it = ids_.find(c);
    return it == ids_.end() ? kUnk : it->second;
  }
  std::vector<int> encode(const std::u32string& text) const;
  // The character as UTF-8 ("<pad>", "<unk>" for the specials, "" out of range).
  std::string text(int id) const;
  // For display: like text(), but control characters are escaped ("\n" -> "\\n").
  std::string display(int id) const;
  std::string decode(const int* ids, int n) const;  // specials are skipped

 private:
  std::vector<char32_t> symbols_;  // id - 2 -> character
  std::unordered_map<char32_t, int> ids_;
};

}  // namespace attent

#include "engine/tasks/vocabulary.h"

#include <algorithm>
#include <set>

#include "engine/tasks/text_file.h"

namespace attent {

Vocabulary Vocabulary::extendedWith(const std::u32string& text) const {
  Vocabulary v = *this;
  std::set<char32_t> fresh;
  for (char32_t c : text)
    if (!ids_.count(c)) fresh.insert(c);
  for (char32_t c : fresh) {
    v.ids_[c] = v.size();
    v.symbols_.push_back(c);
  }
  return v;
}

std::vector<int> Vocabulary::encode(const std::u32string& text) const {
  std::vector<int> out(text.size());
  std::transform(text.begin(), text.end(), out.begin(), [this](char32_t c) { return id(c); });
  return out;
}

std::string Vocabulary::text(int id) const {
  if (id == kPad) return "<pad>";
  if (id == kUnk) return "<unk>";
  if (id < 2 || id >= size()) return "";
  std::string s;
  appendUtf8(s, symbols_[id - 2]);
  return s;
}

std::string Vocabulary::display(int id) const {
  if (id < 2 || id >= size()) return text(id);
  const char32_t c = symbols_[id - 2];
  if (c == '\n') return "\\n";
  if (c == '\t') return "\\t";
  if (c < 0x20 || c == 0x7F) {
    const char* hex = "0123456789ABCDEF";
    return std::string("\\x") + hex[(c >> 4) & 15] + hex[c & 15];
  }
  return text(id);
}

std::string Vocabulary::decode(const int* ids, int n) const {
  std::string s;
  for (int i = 0; i < n; ++i)
    if (ids[i] >= 2 && ids[i] < size()) appendUtf8(s, symbols_[ids[i] - 2]);
  return s;
}

}  // namespace attent

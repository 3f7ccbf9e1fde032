#include "engine/tasks/text_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "engine/core/input_error.h"

namespace attent {

long invalidUtf8At(const char* s, std::size_t n) {
  const auto* u = reinterpret_cast<const unsigned char*>(s);
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = u[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c == 0xE0)
      len = 3, lo = 0xA0;  // no overlongs
    else if (c == 0xED)
      len = 3, hi = 0x9F;  // no UTF-16 surrogates
    else if (c >= 0xE1 && c <= 0xEF)
      len = 3;
    else if (c == 0xF0)
      len = 4, lo = 0x90;
    else if (c == 0xF4)
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    else if (c >= 0xF1 && c <= 0xF3)
      len = 4;
    else
      return static_cast<long>(i);
    if (i + len > n) return static_cast<long>(i);
    if (u[i + 1] < lo || u[i + 1] > hi) return static_cast<long>(i);
    for (int k = 2; k < len; ++k)
      if ((u[i + k] & 0xC0) != 0x80) return static_cast<long>(i);
    i += len;
  }
  return -1;
}

std::u32string decodeUtf8(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned c = u[i];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (u[i + k] & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

namespace {
std::string megabytes(std::int64_t bytes) {
  if (bytes < (1 << 20)) return std::to_string(bytes) + " bytes";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1048576.0);
  return buf;
}
}  // namespace

TextFileReader::TextFileReader(std::string path, FileLimits limits)
    : path_(std::move(path)), limits_(limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(path_);
  if (path_.empty()) throw InputError("no file given");
  if (!fs::exists(p, ec)) throw InputError(path_, 0, 0, "no such file");
  if (fs::is_directory(p, ec)) throw InputError(path_, 0, 0, "is a directory, not a file");
  const auto size = fs::file_size(p, ec);
  if (!ec && static_cast<std::int64_t>(size) > limits_.maxFileBytes)
    throw InputError(path_, 0, 0,
                     "file is " + megabytes(size) + ", over the limit of " + megabytes(limits_.maxFileBytes) +
                         " (setting text.max_file_mb)");
  in_.open(p, std::ios::binary);
  if (!in_) throw InputError(path_, 0, 0, "cannot open the file for reading");
  if (!fill()) throw InputError(path_, 0, 0, "empty file");
  // Windows "Unicode" saves are UTF-16 with a byte-order mark: say so, rather than "binary".
  if (buf_.compare(0, 2, "\xFF\xFE") == 0 || buf_.compare(0, 2, "\xFE\xFF") == 0)
    throw InputError(path_, 1, 1, "UTF-16 text (byte-order mark at the start); save the file as UTF-8");
  // A binary file is named as such before any parsing complains about its first line.
  const std::size_t nul = buf_.find('\0');
  if (nul != std::string::npos) {
    const long line = 1 + static_cast<long>(std::count(buf_.begin(), buf_.begin() + nul, '\n'));
    const std::size_t lineStart = nul == 0 ? 0 : buf_.rfind('\n', nul - 1) + 1;  // npos + 1 == 0
    throw InputError(path_, line, static_cast<long>(nul - lineStart) + 1,
                     "binary file: NUL byte at byte offset " + std::to_string(nul));
  }
  if (buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // byte-order mark
  if (pos_ >= buf_.size() && !fill()) throw InputError(path_, 0, 0, "empty file");
}

bool TextFileReader::fill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  offset_ += static_cast<std::int64_t>(pos_);
  pos_ = 0;
  char chunk[1 << 16];
  in_.read(chunk, sizeof chunk);
  const auto got = in_.gcount();
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  if (offset_ + static_cast<std::int64_t>(buf_.size() + got) > limits_.maxFileBytes)
    throw InputError(
        path_, line_ + 1, 0,
        "file is over the limit of " + megabytes(limits_.maxFileBytes) + " (setting text.max_file_mb)");
  buf_.append(chunk, static_cast<std::size_t>(got));
  return true;
}

bool TextFileReader::next(std::string& line) {
  line.clear();
  std::size_t from = 0;  // bytes of the current line, from pos_, already searched
  std::size_t nl;
  for (;;) {
    nl = buf_.find('\n', pos_ + from);
    const std::size_t end = nl == std::string::npos ? buf_.size() : nl;
    // NUL first: a binary file usually has no newlines and would otherwise read as one long line.
    const std::size_t nul = buf_.find('\0', pos_ + from);
    if (nul < end)
      throw InputError(path_, line_ + 1, static_cast<long>(nul - pos_) + 1,
                       "binary file: NUL byte at byte offset " + std::to_string(offset_ + nul));
    if (static_cast<std::int64_t>(end - pos_) > limits_.maxLineBytes)
      throw InputError(path_, line_ + 1, 0,
                       "line is longer than " + std::to_string(limits_.maxLineBytes) +
                           " bytes (setting text.max_line_bytes)");
    if (nl != std::string::npos) break;
    from = buf_.size() - pos_;
    if (!fill()) break;  // fill() drops bytes before pos_ and sets pos_ = 0
  }
  const std::size_t end = nl == std::string::npos ? buf_.size() : nl;
  if (end == pos_ && nl == std::string::npos) return false;  // nothing left
  ++line_;
  line.assign(buf_, pos_, end - pos_);
  const std::int64_t lineOffset = offset_ + static_cast<std::int64_t>(pos_);
  pos_ = nl == std::string::npos ? end : end + 1;
  const long bad = invalidUtf8At(line.data(), line.size());
  if (bad >= 0)
    throw InputError(
        path_, line_, bad + 1, "not UTF-8 text: invalid byte 0x" + [&] {
          const char* hex = "0123456789ABCDEF";
          const auto b = static_cast<unsigned char>(line[bad]);
          return std::string{hex[b >> 4], hex[b & 15]};
        }() + " at byte offset " + std::to_string(lineOffset + bad));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

}  // namespace attent

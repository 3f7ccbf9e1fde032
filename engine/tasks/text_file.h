#pragma once
// Streaming, validating reader for the user's text files (plain text, CSV). Every problem
// is an InputError naming the file, line, column (bytes, 1-based) and reason, raised as
// soon as the bad byte is read - a huge or binary file is never loaded whole.
#include <cstdint>
#include <fstream>
#include <string>

namespace attent {

struct FileLimits {
  std::int64_t maxFileBytes = 16 << 20;
  std::int64_t maxLineBytes = 1 << 16;
};

// Offset of the first byte that is not well-formed UTF-8 (overlongs, surrogates and code
// points above U+10FFFF count as malformed), or -1 when all of `s` is valid.
long invalidUtf8At(const char* s, std::size_t n);
// Code points of valid UTF-8 text (call invalidUtf8At first on untrusted input).
std::u32string decodeUtf8(const std::string& s);
void appendUtf8(std::string& out, char32_t c);

class TextFileReader {
 public:
  // Throws InputError: missing file, a directory, over maxFileBytes, empty file.
  TextFileReader(std::string path, FileLimits limits);
  // The next line without its "\n" (a trailing "\r" and a leading UTF-8 byte-order mark
  // are dropped); false at the end of the file. Throws InputError on a NUL byte, bytes
  // that are not UTF-8, a line over maxLineBytes, or the file growing past maxFileBytes.
  bool next(std::string& line);
  long lineNumber() const { return line_; }  // of the line last returned, 1-based
  const std::string& path() const { return path_; }

 private:
  bool fill();
  std::string path_;
  FileLimits limits_;
  std::ifstream in_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::int64_t offset_ = 0;  // file offset of buf_[0]
  long line_ = 0;
  bool eof_ = false;
};

}  // namespace attent

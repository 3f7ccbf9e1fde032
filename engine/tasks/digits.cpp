#include "engine/tasks/digits.h"

#include <zlib.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace attent {
namespace embedded {
extern const unsigned char optdigits_csv_gz[];
extern const std::size_t optdigits_csv_gz_size;
}  // namespace embedded

namespace {

std::string gunzip(const unsigned char* data, std::size_t size) {
  z_stream z{};
  // 16 + MAX_WBITS: expect a gzip header, not a raw zlib stream.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("optdigits: zlib init failed");
  z.next_in = const_cast<unsigned char*>(data);
  z.avail_in = static_cast<uInt>(size);
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<unsigned char*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("optdigits: corrupt embedded data");
    }
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  return out;
}

std::vector<DigitImage> decode() {
  const std::string csv = gunzip(embedded::optdigits_csv_gz, embedded::optdigits_csv_gz_size);
  std::vector<DigitImage> images;
  images.reserve(1797);
  DigitImage img{};
  int field = 0, value = 0;
  bool inNumber = false;
  for (char c : csv) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      inNumber = true;
    } else if (c == ',' || c == '\n') {
      if (!inNumber) throw std::runtime_error("optdigits: malformed embedded data");
      if (field < 64)
        img.pixels[field] = static_cast<std::uint8_t>(value);
      else
        img.label = value;
      ++field;
      value = 0;
      inNumber = false;
      if (c == '\n') {
        if (field != 65) throw std::runtime_error("optdigits: malformed embedded data");
        images.push_back(img);
        field = 0;
      }
    }  // '\r' and other bytes: ignored (the shipped file has none)
  }
  return images;
}

}  // namespace

const std::vector<DigitImage>& optdigits() {
  static const std::vector<DigitImage> images = decode();  // C++11 magic static: thread-safe
  return images;
}

}  // namespace attent

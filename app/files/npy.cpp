#include "app/files/npy.h"

#include <QRegularExpression>
#include <cstring>

namespace attent::app {

namespace {

QByteArray npy(const void* data, std::size_t elementBytes, const char* descr, const std::vector<int>& shape) {
  std::string dims;
  std::size_t count = 1;
  for (int d : shape) {
    dims += std::to_string(d) + ", ";
    count *= std::size_t(d);
  }
  if (shape.size() > 1)
    dims.resize(dims.size() - 2);  // (2, 3); a 1-D shape keeps "(5, " -> "(5,"
  else if (shape.size() == 1)
    dims.resize(dims.size() - 1);
  std::string header =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // magic(6) + version(2) + length(2) + header + '\n' is a multiple of 64.
  const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  QByteArray out;
  out.reserve(qsizetype(total + count * elementBytes));
  out.append("\x93NUMPY\x01\x00", 8);
  const std::uint16_t len = std::uint16_t(header.size());
  out.append(char(len & 0xFF));
  out.append(char(len >> 8));
  out.append(header.data(), qsizetype(header.size()));
  out.append(static_cast<const char*>(data), qsizetype(count * elementBytes));
  return out;
}

}  // namespace

QByteArray npyBytes(const float* data, const std::vector<int>& shape) { return npy(data, 4, "<f4", shape); }
QByteArray npyBytes(const std::int32_t* data, const std::vector<int>& shape) {
  return npy(data, 4, "<i4", shape);
}

bool parseNpyHeader(const QByteArray& b, NpyHeader& h, std::string& error) {
  if (b.size() < 10 || std::memcmp(b.constData(), "\x93NUMPY", 6) != 0) {
    error = "no .npy magic";
    return false;
  }
  if (b[6] != 1 || b[7] != 0) {
    error = "not format version 1.0";
    return false;
  }
  const int len = std::uint8_t(b[8]) | (std::uint8_t(b[9]) << 8);
  if (10 + len > b.size() || (10 + len) % 64 != 0 || b[10 + len - 1] != '\n') {
    error = "header length or padding is wrong";
    return false;
  }
  const QString text = QString::fromLatin1(b.mid(10, len));
  static const QRegularExpression re(
      R"(^\{'descr': '([<>|][a-z][0-9]+)', 'fortran_order': (True|False), 'shape': \(([0-9, ]*)\), \} *\n$)");
  const auto m = re.match(text);
  if (!m.hasMatch()) {
    error = "header dict not understood: " + text.toStdString();
    return false;
  }
  h.descr = m.captured(1).toStdString();
  h.fortranOrder = m.captured(2) == "True";
  h.shape.clear();
  for (const QString& d : m.captured(3).split(',', Qt::SkipEmptyParts))
    h.shape.push_back(d.trimmed().toLong());
  h.dataOffset = 10 + len;
  return true;
}

}  // namespace attent::app

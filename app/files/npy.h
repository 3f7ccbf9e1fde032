#pragma once
// NumPy .npy files, format version 1.0: the 6-byte magic "\x93NUMPY", bytes 1 0, a
// little-endian u16 header length, a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with spaces to a
// multiple of 64 bytes and ended by '\n', then the C-order data. numpy.load reads them.
#include <QByteArray>
#include <cstdint>
#include <string>
#include <vector>

namespace attent::app {

QByteArray npyBytes(const float* data, const std::vector<int>& shape);
QByteArray npyBytes(const std::int32_t* data, const std::vector<int>& shape);

// The header of an .npy file: dtype ("<f4", "<i4"), shape, where the data starts.
// Returns false (with `error`) when `bytes` is not a version 1.0 .npy file.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<long> shape;
  qsizetype dataOffset = 0;
};
bool parseNpyHeader(const QByteArray& bytes, NpyHeader& header, std::string& error);

}  // namespace attent::app

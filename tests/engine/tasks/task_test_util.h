#pragma once
// Shared by the task suites: fixtures written to a temporary directory, and a check that
// a loader refuses bad input with a message naming the file, the line and the reason.
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <string>

#include "engine/core/input_error.h"

inline std::string writeFixture(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
  const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return path;
}

// `line` < 0: any line; `column` < 0: any column. The message (what()) must name file, line and reason.
#define EXPECT_INPUT_ERROR_AT(expr, FILE_, LINE_, COLUMN_, REASON_)                            \
  do {                                                                                         \
    try {                                                                                      \
      expr;                                                                                    \
      QFAIL("expected an InputError: " REASON_);                                               \
    } catch (const attent::InputError& e) {                                                    \
      const std::string what = e.what();                                                       \
      QVERIFY2(e.file() == (FILE_), what.c_str());                                             \
      QVERIFY2(what.find(FILE_) != std::string::npos, what.c_str());                           \
      if ((LINE_) >= 0) {                                                                      \
        QVERIFY2(e.line() == (LINE_), what.c_str());                                           \
        if ((LINE_) > 0)                                                                       \
          QVERIFY2(what.find(":" + std::to_string(LINE_)) != std::string::npos, what.c_str()); \
      }                                                                                        \
      if ((COLUMN_) >= 0) QVERIFY2(e.column() == (COLUMN_), what.c_str());                     \
      QVERIFY2(e.reason().find(REASON_) != std::string::npos, what.c_str());                   \
      QVERIFY2(what.find(REASON_) != std::string::npos, what.c_str());                         \
    }                                                                                          \
  } while (0)
#define EXPECT_INPUT_ERROR(expr, FILE_, LINE_, REASON_) EXPECT_INPUT_ERROR_AT(expr, FILE_, LINE_, -1, REASON_)

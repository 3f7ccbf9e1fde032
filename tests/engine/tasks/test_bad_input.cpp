// Every loader refuses bad input with an InputError naming the file, the line (and column
// where it helps) and the reason; impossible settings are a SettingsError naming the range.
#include <QtTest>

#include "engine/tasks/csv_task.h"
#include "engine/tasks/digits_task.h"
#include "engine/tasks/text_lm_task.h"
#include "task_test_util.h"

using namespace attent;

namespace {

std::unique_ptr<TextLmTask> textTask(const std::string& path, const std::string& seqLen = "16",
                                     const std::string& maxMb = "16") {
  Settings s(TextLmTask::settingSpecs());
  s.set("text.source", "file");
  s.set("data.path", path);
  s.set("data.seq_len", seqLen);
  s.set("text.max_file_mb", maxMb);
  s.set("text.max_line_bytes", "200");
  return TextLmTask::fromSettings(s);
}

std::unique_ptr<CsvClassifyTask> csvTask(const std::string& path, const std::string& maxLabels = "100") {
  Settings s(CsvClassifyTask::settingSpecs());
  s.set("data.path", path);
  s.set("csv.max_labels", maxLabels);
  s.set("text.max_line_bytes", "200");
  return CsvClassifyTask::fromSettings(s);
}

std::string lines(int n, const std::string& line) {
  std::string s;
  for (int i = 0; i < n; ++i) s += line + "\n";
  return s;
}

}  // namespace

class TestBadInput : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  std::string file(const std::string& name, const std::string& bytes) {
    return writeFixture(dir_, name, bytes);
  }

 private slots:
  // --- any text file (text LM and CSV share the reader) ---
  void missingFile() {
    const std::string p = dir_.filePath("nope.txt").toStdString();
    EXPECT_INPUT_ERROR(textTask(p), p, 0, "no such file");
    EXPECT_INPUT_ERROR(csvTask(p), p, 0, "no such file");
  }
  void directory() {
    const std::string p = dir_.path().toStdString();
    EXPECT_INPUT_ERROR(textTask(p), p, 0, "is a directory");
  }
  void emptyFile() {
    const std::string p = file("empty.txt", "");
    EXPECT_INPUT_ERROR(textTask(p), p, 0, "empty file");
    EXPECT_INPUT_ERROR(csvTask(p), p, 0, "empty file");
  }
  void onlyBlankLines() {
    const std::string p = file("blank.txt", "\n  \n\n");
    EXPECT_INPUT_ERROR(textTask(p), p, 0, "no text");
    EXPECT_INPUT_ERROR(csvTask(p), p, 0, "empty file");
  }
  void binaryFile() {
    const std::string p = file("bin.txt", std::string("hello\nwor\0ld\n", 13) + lines(50, "more"));
    EXPECT_INPUT_ERROR_AT(textTask(p), p, 2, 4, "binary file: NUL byte at byte offset 9");
    EXPECT_INPUT_ERROR_AT(csvTask(p), p, 2, 4, "NUL byte");
    // Past the first block read, the NUL is found while streaming.
    const std::string far =
        file("far.csv", "text,label\n" + lines(5000, "row,a") + std::string("x\0y,b\n", 6));
    EXPECT_INPUT_ERROR_AT(csvTask(far), far, 5002, 2, "binary file: NUL byte at byte offset 30012");
  }
  void utf16File() {
    // "text,label" saved as UTF-16LE and UTF-16BE, each with its byte-order mark.
    const std::string le = file("le.csv", std::string("\xFF\xFEt\0e\0x\0t\0\n\0", 12));
    EXPECT_INPUT_ERROR_AT(csvTask(le), le, 1, 1, "UTF-16 text");
    const std::string be = file("be.txt", std::string("\xFE\xFF\0t\0e\0x\0t\0\n", 12));
    EXPECT_INPUT_ERROR_AT(textTask(be), be, 1, 1, "save the file as UTF-8");
  }
  void nonUtf8Bytes() {
    // Latin-1 "café" on line 3: 0xE9 followed by a newline is not UTF-8.
    const std::string p = file("latin1.txt", "ok\nfine\ncaf\xE9\n" + lines(50, "more"));
    EXPECT_INPUT_ERROR_AT(textTask(p), p, 3, 4, "not UTF-8 text: invalid byte 0xE9 at byte offset 11");
    const std::string c = file("latin1.csv", "text,label\nok,a\ncaf\xE9,b\n");
    EXPECT_INPUT_ERROR_AT(csvTask(c), c, 3, 4, "not UTF-8");
    // Overlong encodings and surrogates are not UTF-8 either.
    const std::string o = file("overlong.txt", "x\xC0\xAF\n");
    EXPECT_INPUT_ERROR_AT(textTask(o), o, 1, 2, "not UTF-8");
    const std::string s = file("surrogate.txt", "\xED\xA0\x80\n");
    EXPECT_INPUT_ERROR_AT(textTask(s), s, 1, 1, "not UTF-8");
  }
  void lineOverLimit() {
    const std::string p = file("long.txt", "short\n" + std::string(300, 'x') + "\n");
    EXPECT_INPUT_ERROR(textTask(p), p, 2, "longer than 200 bytes (setting text.max_line_bytes)");
    const std::string c = file("long.csv", "text,label\nok,a\n" + std::string(300, 'x') + ",b\n");
    EXPECT_INPUT_ERROR(csvTask(c), c, 3, "longer than 200 bytes");
  }
  void fileOverLimit() {
    const std::string p = file("big.txt", lines(200, "twenty bytes a line"));  // 4,000 bytes
    EXPECT_INPUT_ERROR(textTask(p, "16", "0.001"), p, 0,
                       "file is 4000 bytes, over the limit of 1048 bytes (setting text.max_file_mb)");
  }
  void tooShortToSplit() {
    const std::string p = file("short.txt", "just a few characters here\n");
    EXPECT_INPUT_ERROR(textTask(p), p, 0, "too few characters to split: the text has 27");
  }

  // --- CSV ---
  void headerWithWrongFieldCount() {
    const std::string p = file("h.csv", "text,label,extra\nhi,a\n");
    EXPECT_INPUT_ERROR(csvTask(p), p, 1, "header has 3 fields; expected 2: text,label");
    const std::string q = file("h1.csv", "text\nhi\n");
    EXPECT_INPUT_ERROR(csvTask(q), q, 1, "header has 1 field;");
  }
  void rowWithWrongFieldCount() {
    const std::string p = file("r.csv", "text,label\nfine,a\nhello, world,b\n");
    EXPECT_INPUT_ERROR_AT(csvTask(p), p, 3, 13, "row has 3 fields; expected 2");
    const std::string q = file("r1.csv", "text,label\nfine,a\n\"two\nlines\",b\nno label here\n");
    EXPECT_INPUT_ERROR(csvTask(q), q, 5, "row has 1 field;");
  }
  void unterminatedQuote() {
    const std::string p = file("u.csv", "text,label\nfine,a\nx,b\n\"never closed,a\nmore,b\n");
    EXPECT_INPUT_ERROR_AT(csvTask(p), p, 4, 1, "unterminated quoted field");
  }
  void characterAfterClosingQuote() {
    const std::string p = file("a.csv", "text,label\n\"quoted\"x,a\n");
    EXPECT_INPUT_ERROR_AT(csvTask(p), p, 2, 9, "unexpected character after a closing quote");
  }
  void emptyLabelAndEmptyText() {
    const std::string p = file("el.csv", "text,label\nfine,a\nno label,  \n");
    EXPECT_INPUT_ERROR_AT(csvTask(p), p, 3, 10, "empty label");
    const std::string q = file("et.csv", "text,label\nfine,a\n\"\",b\n");
    EXPECT_INPUT_ERROR(csvTask(q), q, 3, "empty text");
  }
  void noRowsAfterHeader() {
    const std::string p = file("nr.csv", "text,label\n");
    EXPECT_INPUT_ERROR(csvTask(p), p, 1, "no rows after the header");
  }
  void singleClass() {
    const std::string p = file("one.csv", "text,label\n" + lines(10, "same,yes"));
    EXPECT_INPUT_ERROR(csvTask(p), p, 0, "only one class ('yes') in 10 rows");
  }
  void tooManyLabels() {
    const std::string p = file("many.csv", "text,label\na,1\nb,2\nc,3\nd,4\ne,5\n");
    EXPECT_INPUT_ERROR_AT(csvTask(p, "3"), p, 5, 3, "more than 3 distinct labels (setting csv.max_labels)");
  }
  void tooFewRowsToSplit() {
    const std::string p = file("few.csv", "text,label\na,x\nb,y\n");
    EXPECT_INPUT_ERROR(csvTask(p), p, 0, "too few rows to split: 2 rows");
  }

  // --- impossible settings ---
  void impossibleSettingsNameTheRange() {
    try {
      TextLmTask t("t", "x", std::string(1000, 'a'), {1, 0, 0.1});
      QFAIL("seq_len 1 accepted");
    } catch (const SettingsError& e) {
      QVERIFY2(
          std::string(e.what()).find("data.seq_len must be an integer in [2, 4096]") != std::string::npos,
          e.what());
    }
    QVERIFY_THROWS_EXCEPTION(SettingsError, TextLmTask("t", "x", std::string(1000, 'a'), {16, 0, 0.9}));
    CsvClassifyTask::Config noLength;
    noLength.sequenceLength = 0;
    QVERIFY_THROWS_EXCEPTION(SettingsError, CsvClassifyTask("whatever.csv", noLength));
    // A caller's wider range does not let an impossible value through the task's own.
    Settings wide({SettingSpec::integer("csv.max_labels", 1, 0, 1000000, "labels"),
                   SettingSpec::text("data.path", "x.csv", "file")});
    try {
      CsvClassifyTask::fromSettings(wide);
      QFAIL("csv.max_labels = 1 accepted");
    } catch (const SettingsError& e) {
      QVERIFY2(std::string(e.what()).find("[2, 10000]") != std::string::npos, e.what());
    }
    Settings noFile(TextLmTask::settingSpecs());
    noFile.set("text.source", "file");
    try {
      TextLmTask::fromSettings(noFile);
      QFAIL("empty data.path accepted");
    } catch (const SettingsError& e) {
      QVERIFY2(std::string(e.what()).find("data.path") != std::string::npos, e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestBadInput)
#include "test_bad_input.moc"

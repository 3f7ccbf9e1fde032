#include <QtTest>
#include <map>

#include "engine/tasks/csv_task.h"
#include "task_test_util.h"

using namespace attent;

class TestCsv : public QObject {
  Q_OBJECT
 private slots:
  void rfc4180Quoting() {
    QTemporaryDir dir;
    const std::string path = writeFixture(dir, "q.csv",
                                          "text,label\r\n"
                                          "plain text,pos\r\n"
                                          "\"with, a comma\",neg\n"
                                          "\"she said \"\"hi\"\"\",pos\n"
                                          "\"two\nlines, \"\"quoted\"\"\",neg\n"
                                          "\n"  // blank lines between rows are skipped
                                          "\"after the multi-line row\",  spaced label  \n"
                                          "last row without newline,neg");
    const auto rows = readLabelledCsv(path, FileLimits{}, 10);
    QCOMPARE(rows.size(), std::size_t(6));
    QCOMPARE(rows[0].text, std::string("plain text"));
    QCOMPARE(rows[1].text, std::string("with, a comma"));
    QCOMPARE(rows[2].text, std::string("she said \"hi\""));
    QCOMPARE(rows[3].text, std::string("two\nlines, \"quoted\""));
    QCOMPARE(rows[3].line, 5L);
    QCOMPARE(rows[4].line, 8L);  // line numbers count the line inside the quoted field
    QCOMPARE(rows[4].label, std::string("spaced label"));
    QCOMPARE(rows[5].text, std::string("last row without newline"));
    QCOMPARE(rows[5].line, 9L);
    QCOMPARE(rows[1].label, std::string("neg"));
  }
  void quoteInsideUnquotedFieldIsRefused() {
    QTemporaryDir dir;
    const std::string path = writeFixture(dir, "s.csv", "text,label\nok,a\nbad \"quote\" here,b\n");
    EXPECT_INPUT_ERROR(readLabelledCsv(path, FileLimits{}, 10), path, 3, "quote inside an unquoted field");
  }
  // Without a header the first row would be taken for one and lost without a word.
  void aFirstRowThatIsDataIsRefused() {
    QTemporaryDir dir;
    const std::string path = writeFixture(dir, "n.csv", "a fine film,pos\na dull film,neg\ngreat,pos\n");
    EXPECT_INPUT_ERROR(readLabelledCsv(path, FileLimits{}, 10), path, 1, "looks like data, not a header");
    // A real header whose names are not labels is fine, whatever it calls the columns.
    const std::string named =
        writeFixture(dir, "h.csv", "review,sentiment\na fine film,pos\na dull film,neg\n");
    QCOMPARE(readLabelledCsv(named, FileLimits{}, 10).size(), std::size_t(2));
  }
  void tokensArePaddedAndTruncated() {
    QTemporaryDir dir;
    std::string csv = "label,text\n";  // columns found by name
    for (int i = 0; i < 20; ++i)
      csv += "b,short\nc,\"a much longer text, with commas: ünïcödé\"\na,mid length\n";
    CsvClassifyTask::Config c;
    c.sequenceLength = 12;
    c.heldoutFraction = 0.25;
    CsvClassifyTask t(writeFixture(dir, "p.csv", csv), c);
    QCOMPARE(t.classCount(), 3);
    QCOMPARE(t.classNames(), (std::vector<std::string>{"a", "b", "c"}));
    QCOMPARE(t.padToken(), Vocabulary::kPad);
    QCOMPARE(t.size(Split::Pool) + t.size(Split::HeldOut), 60);
    // Stratified: 5 of each class's 20 rows held out.
    std::map<int, int> held;
    for (int i = 0; i < t.size(Split::HeldOut); ++i) ++held[t.example(Split::HeldOut, i).label];
    QCOMPARE(held, (std::map<int, int>{{0, 5}, {1, 5}, {2, 5}}));
    for (int i = 0; i < t.size(Split::Pool); ++i) {
      const TokenExample e = t.example(Split::Pool, i);
      const ExampleView v = t.render(Split::Pool, i);
      if (v.label == "b") {
        QCOMPARE(e.length, 5);  // "short"
        QCOMPARE(v.tokens, (std::vector<std::string>{"s", "h", "o", "r", "t"}));
        for (int k = 5; k < 12; ++k) QCOMPARE(e.tokens[k], Vocabulary::kPad);
      } else if (v.label == "c") {
        QCOMPARE(e.length, 12);  // truncated
        QCOMPARE(v.text, std::string("a much longer text, with commas: ünïcödé"));
      }
      QCOMPARE(t.classNames()[e.label], v.label);
    }
    QCOMPARE(t.probes().size(), std::size_t(4));
  }
  void numericLabelsSortNumericallyAndSplitIsSeeded() {
    QTemporaryDir dir;
    std::string csv = "text,label\n";
    for (int i = 0; i < 30; ++i)
      csv += "row " + std::to_string(i) + "," + std::to_string(i % 3 == 0 ? 10 : i % 3) + "\n";
    const std::string path = writeFixture(dir, "n.csv", csv);
    Settings s(CsvClassifyTask::settingSpecs());
    QVERIFY(!s.set("data.path", path).has_value());
    QVERIFY(!s.set("csv.stratified", "false").has_value());
    auto a = CsvClassifyTask::fromSettings(s), b = CsvClassifyTask::fromSettings(s);
    QCOMPARE(a->classNames(), (std::vector<std::string>{"1", "2", "10"}));
    QCOMPARE(a->size(Split::HeldOut), 6);
    QVERIFY(!s.set("data.seed", "2").has_value());
    auto c = CsvClassifyTask::fromSettings(s);
    bool sameB = true, sameC = true;
    for (int i = 0; i < 6; ++i) {
      sameB = sameB && a->sourceLine(Split::HeldOut, i) == b->sourceLine(Split::HeldOut, i);
      sameC = sameC && a->sourceLine(Split::HeldOut, i) == c->sourceLine(Split::HeldOut, i);
    }
    QVERIFY(sameB);
    QVERIFY(!sameC);
  }
  void heldOutCharactersCanBeUnknown() {
    QTemporaryDir dir;
    std::string csv = "text,label\n";
    for (int i = 0; i < 10; ++i) csv += "aaa,x\nbbb,y\n";
    CsvClassifyTask::Config c;
    c.sequenceLength = 4;
    const Vocabulary only = Vocabulary::fromText(U"ab");
    CsvClassifyTask t(writeFixture(dir, "u.csv", csv + "zzz,x\n"), c, &only);
    QCOMPARE(t.vocabSize(), 4);
    bool sawUnk = false;
    for (Split s : {Split::Pool, Split::HeldOut})
      for (int i = 0; i < t.size(s); ++i) sawUnk = sawUnk || t.example(s, i).tokens[0] == Vocabulary::kUnk;
    QVERIFY(sawUnk);
  }
};

QTEST_APPLESS_MAIN(TestCsv)
#include "test_csv.moc"

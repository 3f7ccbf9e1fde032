#include <QTemporaryDir>
#include <QtTest>

#include "app/presets/presets.h"
#include "engine/core/input_error.h"

using namespace attent;
using namespace attent::app;

namespace {
QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
  QFile f(dir.filePath(name));
  f.open(QIODevice::WriteOnly);
  f.write(bytes);
  return f.fileName();
}
// The message loadPreset throws for `path`, or empty if it loads.
QString failure(const QString& path) {
  try {
    loadPreset(path);
  } catch (const InputError& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}
}  // namespace

class TestPresets : public QObject {
  Q_OBJECT
 private slots:
  void everyBuiltinLoadsWithTitleLessonAndKind() {
    const auto names = builtinPresetNames();
    QCOMPARE(int(names.size()), 13);
    for (const auto& n : names) {
      const Preset p = loadPreset(QString::fromStdString(n));
      QCOMPARE(p.name, n);
      QVERIFY(!p.title.empty());
      // two to four sentences
      const auto sentences = std::count(p.lesson.begin(), p.lesson.end(), '.');
      QVERIFY2(sentences >= 2 && sentences <= 6, n.c_str());
      const Settings s = presetSettings(p);
      QVERIFY(s.integer("experiment.steps") > 0);
    }
  }

  void loadsAFileByPathWithTypedValues() {
    QTemporaryDir dir;
    const QString path = writeFile(dir, "mine.json", R"({"name": "mine", "title": "t", "lesson": "l.",
      "kind": "scb", "settings": {"experiment.steps": 12, "scb.lr": 0.25, "experiment.compare": true,
      "scb.transition": "sparse"}})");
    const Preset p = loadPreset(path);
    QCOMPARE(p.name, std::string("mine"));
    const Settings s = presetSettings(p);
    QCOMPARE(s.integer("experiment.steps"), 12L);
    QCOMPARE(s.real("scb.lr"), 0.25);
    QCOMPARE(s.boolean("experiment.compare"), true);
    QCOMPARE(QString::fromStdString(s.text("scb.transition")), QString("sparse"));
  }

  void badFilesSayWhichFileAndWhatIsWrong() {
    QTemporaryDir dir;
    const QString notJson = writeFile(dir, "a.json", "{\n  \"name\": \"x\",\n  oops\n}");
    QString m = failure(notJson);
    QVERIFY2(m.contains("a.json:3") && m.contains("JSON"), qPrintable(m));  // file and line

    m = failure(writeFile(dir, "b.json", R"({"name": "x", "title": "t", "lesson": "l."})"));
    QVERIFY2(m.contains("b.json") && m.contains("\"kind\""), qPrintable(m));

    m = failure(writeFile(dir, "c.json", R"({"name": "x", "title": "t", "lesson": "l.", "kind": "nope"})"));
    QVERIFY2(m.contains("c.json") && m.contains("unknown kind") && m.contains("digits-vit"), qPrintable(m));

    m = failure(writeFile(
        dir, "d.json",
        R"({"name": "x", "title": "t", "lesson": "l.", "kind": "scb", "settings": {"scb.nope": 1}})"));
    QVERIFY2(m.contains("d.json") && m.contains("scb.nope") && m.contains("scb.lr"),
             qPrintable(m));  // lists valid keys

    m = failure(writeFile(
        dir, "e.json",
        R"({"name": "x", "title": "t", "lesson": "l.", "kind": "scb", "settings": {"scb.lr": -3}})"));
    QVERIFY2(m.contains("e.json") && m.contains("scb.lr") && m.contains("["),
             qPrintable(m));  // names the range

    m = failure(writeFile(dir, "f.json", R"([1, 2])"));
    QVERIFY2(m.contains("f.json") && m.contains("object"), qPrintable(m));

    m = failure(dir.filePath("missing.json"));
    QVERIFY2(m.contains("missing.json") && m.contains("no such preset"), qPrintable(m));

    m = failure(writeFile(dir, "g.json", QByteArray("\x00\x01\x02garbage", 10)));
    QVERIFY2(m.contains("g.json"), qPrintable(m));
  }
};

QTEST_APPLESS_MAIN(TestPresets)
#include "test_presets.moc"

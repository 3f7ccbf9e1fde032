#include <QtTest>

#include "engine/core/settings.h"

using namespace attent;

class TestSettings : public QObject {
  Q_OBJECT
 private slots:
  void defaultsAreReadable() {
    Settings s({SettingSpec::integer("model.heads", 4, 1, 64, "attention heads"),
                SettingSpec::real("optim.lr", 0.001, 0, 10, "learning rate"),
                SettingSpec::boolean("keys.freeze", false, "freeze keys"),
                SettingSpec::choice("optim.kind", "adamw", {"sgd", "momentum", "adamw"}, "optimiser")});
    QCOMPARE(s.integer("model.heads"), 4L);
    QCOMPARE(s.real("optim.lr"), 0.001);
    QCOMPARE(s.boolean("keys.freeze"), false);
    QCOMPARE(QString::fromStdString(s.text("optim.kind")), QString("adamw"));
  }
  void refusesOutOfRangeAndNamesTheRange() {
    Settings s({SettingSpec::integer("model.heads", 4, 1, 64, "attention heads")});
    auto err = s.set("model.heads", "0");
    QVERIFY(err.has_value());
    QVERIFY(err->find("[1, 64]") != std::string::npos);
    QCOMPARE(s.integer("model.heads"), 4L);  // unchanged
    QVERIFY(s.set("model.heads", "4.5").has_value());
    QVERIFY(s.set("model.heads", "").has_value());
    QVERIFY(s.set("model.heads", "12abc").has_value());
    QVERIFY(!s.set("model.heads", "64").has_value());
    QCOMPARE(s.integer("model.heads"), 64L);
  }
  void refusesNonFiniteReals() {
    Settings s({SettingSpec::real("optim.lr", 0.1, 0, 10, "learning rate")});
    QVERIFY(s.set("optim.lr", "nan").has_value());
    QVERIFY(s.set("optim.lr", "inf").has_value());
    QVERIFY(s.set("optim.lr", "-1").has_value());
    QVERIFY(!s.set("optim.lr", "1e-2").has_value());
    QCOMPARE(s.real("optim.lr"), 0.01);
  }
  void unknownKeyListsValidKeys() {
    Settings s({SettingSpec::integer("model.heads", 4, 1, 64, "attention heads"),
                SettingSpec::choice("optim.kind", "adamw", {"sgd", "adamw"}, "optimiser")});
    auto err = s.setAssignment("model.head=3");
    QVERIFY(err.has_value());
    QVERIFY(err->find("model.heads") != std::string::npos);
    QVERIFY(err->find("optim.kind") != std::string::npos);
    QVERIFY(s.setAssignment("no-equals-sign").has_value());
    QVERIFY(s.setAssignment("optim.kind=rmsprop")->find("sgd") != std::string::npos);
  }
  void assignmentKeepsEqualsInValue() {
    Settings s({SettingSpec::text("data.path", "", "file")});
    QVERIFY(!s.setAssignment("data.path=a=b.txt").has_value());
    QCOMPARE(QString::fromStdString(s.text("data.path")), QString("a=b.txt"));
  }
};

QTEST_APPLESS_MAIN(TestSettings)
#include "test_settings.moc"

// Every built-in preset builds in the window, trains a few steps and renders a window
// that is not blank (offscreen). Data-driven: a failure names the preset.
#include <QTest>

#include "app/worker/catalog.h"
#include "tests/ui/view_test_util.h"
#include "ui/main_window.h"
#include "ui/screenshot.h"

using namespace attent;
using namespace attent::ui;

class TestPresetScreens : public QObject {
  Q_OBJECT
 private slots:
  void eachPreset_data() {
    QTest::addColumn<QString>("preset");
    const app::Catalog catalog = app::builtinCatalog();
    for (const auto& p : catalog.presets) QTest::newRow(p.name.c_str()) << QString::fromStdString(p.name);
  }
  void eachPreset() {
    QFETCH(QString, preset);
    WindowOptions options;
    options.persistent = false;
    options.preset = preset;
    MainWindow window(app::builtinCatalog(), options);
    QString error;
    QVERIFY2(trainFor(window, 3, &error), qPrintable(preset + ": " + error));
    QCOMPARE(window.lastStep(), 3L);
    const QImage image = renderView(window, "window", {1200, 800});
    QVERIFY(attent::test::distinctColours(image) > 50);
    // The attention view shows maps for presets whose learner has attention.
    const QImage attention = renderView(window, "attention", {600, 400});
    QVERIFY(attent::test::distinctColours(attention) > 5);
  }
};

QTEST_MAIN(TestPresetScreens)
#include "test_preset_screens.moc"

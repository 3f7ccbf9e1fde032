// Every built-in preset builds in the window, trains a few steps and renders a window
// that is not blank (offscreen). Data-driven: a failure names the preset.
#include <QDockWidget>
#include <QLabel>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

#include "app/worker/catalog.h"
#include "tests/ui/view_test_util.h"
#include "ui/main_window.h"
#include "ui/preset_panel.h"
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
    // Smaller where a setting allows it, so the suite stays short; the views are the same.
    app::Catalog catalog = app::builtinCatalog();
    QTemporaryDir dir;
    const std::string csv = (dir.path() + "/reviews.csv").toStdString();
    {
      std::ofstream out(csv);
      out << "text,label\n";
      for (int i = 0; i < 40; ++i) out << (i % 2 ? "a fine good film,pos\n" : "a dull bad film,neg\n");
    }
    for (auto& p : catalog.presets) {
      const std::pair<const char*, std::string> light[] = {
          {"pretrain.steps", "5"}, {"scb.pretrain_steps", "20"}, {"experiment.eval_examples", "64"},
          {"data.path", csv},      {"data.seq_len", "32"},       {"train.batch", "8"}};
      for (const auto& [key, value] : light)
        if (p.settings.has(key)) QVERIFY(!p.settings.set(key, value));
    }
    WindowOptions options;
    options.persistent = false;
    options.preset = preset;
    MainWindow window(std::move(catalog), options);
    QString error;
    QVERIFY2(trainFor(window, 3, &error), qPrintable(preset + ": " + error));
    QCOMPARE(window.lastStep(), 3L);
    const QImage image = renderView(window, "window", {1200, 800});
    QVERIFY(attent::test::distinctColours(image) > 50);
    // The teacher's picks have a dock only where a run has a teacher that picks (AtteNT).
    QVERIFY(!window.timeline().frames().empty());
    bool picking = false;
    for (const auto& run : window.timeline().frames().back()->runs)
      picking = picking || run.teacher.kind.find("attent") != std::string::npos;
    QCOMPARE(window.findChild<QDockWidget*>("picks")->isVisibleTo(&window), picking);
    // The paper's figure is the key figure of the dynamics presets, the loss curves elsewhere.
    const bool paper =
        preset == "topic-words" || preset == "scb" || preset == "scb-transfer" || preset.startsWith("mosaic");
    QWidget* key = window.viewWidget(paper ? "diagnostics" : "loss");
    QVERIFY(window.centralWidget()->isAncestorOf(key));
    // The attention view shows maps for presets whose learner has attention.
    const QImage attention = renderView(window, "attention", {600, 400});
    QVERIFY(attent::test::distinctColours(attention) > 5);
  }

  // Every setting of every built-in preset has a title in words; the editor shows those,
  // never a dotted key (the key stays in the tooltip).
  void settingsEditorShowsWords() {
    const app::Catalog catalog = app::builtinCatalog();
    const QRegularExpression dottedKey(QStringLiteral("[a-z_]+\\.[a-z_]+"));
    for (const auto& p : catalog.presets) {
      for (const SettingSpec& spec : p.settings.specs())
        QVERIFY2(!spec.title.empty() && !spec.group.empty(),
                 (p.name + ": " + spec.key + " has no title").c_str());
      PresetPanel panel(catalog);
      panel.selectPreset(QString::fromStdString(p.name));
      const QStringList titles = panel.settingTitles();
      QCOMPARE(titles.size(), int(p.settings.specs().size()));
      for (const QString& t : titles)
        QVERIFY2(!dottedKey.match(t).hasMatch(), qPrintable(QString::fromStdString(p.name) + ": " + t));
    }
  }

  // Under the epoch budget the step count has no effect: its field is shown disabled, saying why.
  void stepCountIsDisabledUnderTheEpochBudget() {
    const app::Catalog catalog = app::builtinCatalog();
    for (const auto& [preset, enabled] :
         {std::pair{"digits-vit", false}, std::pair{"digits-vit-steps", true}}) {
      PresetPanel panel(catalog);
      panel.selectPreset(preset);
      QWidget* editor = nullptr;
      for (QLabel* l : panel.findChildren<QLabel*>())
        if (l->text().startsWith("Training steps")) editor = l->buddy();
      QVERIFY2(editor, preset);
      QCOMPARE(editor->isEnabled(), enabled);
      QCOMPARE(editor->toolTip().contains("epoch budget"), !enabled);
    }
  }
};

QTEST_MAIN(TestPresetScreens)
#include "test_preset_screens.moc"

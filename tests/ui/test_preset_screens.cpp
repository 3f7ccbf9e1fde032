// Every built-in preset builds in the window, trains a few steps and renders a window
// that is not blank (offscreen). Data-driven: a failure names the preset.
#include <QAbstractButton>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <memory>

#include "app/worker/catalog.h"
#include "tests/ui/view_test_util.h"
#include "ui/main_window.h"
#include "ui/preset_panel.h"
#include "ui/screenshot.h"

using namespace attent;
using namespace attent::ui;

namespace {
// The window of `preset` with its data and sizes made small where a setting allows it, so the
// suite stays short; the views are the same.
std::unique_ptr<MainWindow> lightWindow(const QString& preset, const QString& dir,
                                        QString* problem = nullptr) {
  app::Catalog catalog = app::builtinCatalog();
  const std::string csv = (dir + "/reviews.csv").toStdString();
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
      if (auto bad = p.settings.has(key) ? p.settings.set(key, value) : std::nullopt; bad && problem)
        *problem = QString::fromStdString(*bad);
  }
  WindowOptions options;
  options.persistent = false;
  options.preset = preset;
  return std::make_unique<MainWindow>(std::move(catalog), options);
}

// The text of a one-line label or a button that is drawn narrower than it needs, else empty.
QString cutText(const QWidget* w) {
  const QFontMetrics fm(w->font());
  if (auto* label = qobject_cast<const QLabel*>(w)) {
    const QString t = label->text();
    if (label->wordWrap() || t.isEmpty() || Qt::mightBeRichText(t) || t.contains('\n')) return {};
    return fm.horizontalAdvance(t) > label->contentsRect().width() + 1 ? t : QString();
  }
  if (auto* button = qobject_cast<const QAbstractButton*>(w))
    return !button->text().isEmpty() && button->width() < button->minimumSizeHint().width() ? button->text()
                                                                                            : QString();
  return {};
}
}  // namespace

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
    QTemporaryDir dir;
    QString problem;
    std::unique_ptr<MainWindow> made = lightWindow(preset, dir.path(), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow& window = *made;
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

  // At the default sizes every preset's window shows words, not keys, and cuts no text: the
  // window exported as SVG (every painted word is text there) holds none of the preset's
  // setting keys and no elision mark, and every visible one-line label and button has room.
  void wordsFitAtDefaultSizes_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("presenting");
    for (const auto& p : app::builtinCatalog().presets)
      for (QSize size : {QSize(1920, 1080), QSize(1366, 768)})
        QTest::newRow(
            qPrintable(QString("%1 at %2x%3").arg(p.name.c_str()).arg(size.width()).arg(size.height())))
            << QString::fromStdString(p.name) << size << false;
    // Presentation mode (F11) on a projector of either size, one preset of each key figure.
    for (const char* p : {"digits-vit", "text-lm", "scb", "topic-words", "mosaic"})
      for (QSize size : {QSize(1920, 1080), QSize(1366, 768)})
        QTest::newRow(
            qPrintable(QString("%1 presenting at %2x%3").arg(p).arg(size.width()).arg(size.height())))
            << QString(p) << size << true;
  }
  void wordsFitAtDefaultSizes() {
    QFETCH(QString, preset);
    QFETCH(QSize, size);
    QFETCH(bool, presenting);
    QTemporaryDir dir;
    std::unique_ptr<MainWindow> window = lightWindow(preset, dir.path());
    QString error;
    QVERIFY2(trainFor(*window, 3, &error), qPrintable(preset + ": " + error));
    if (presenting) {
      window->setPresentationMode(true);
      window->showNormal();  // a projector's size, not the test screen's: the fonts follow it
    }
    const QString svg = dir.filePath("window.svg");
    QVERIFY2(writeView(*window, "window", size, svg, 1.0, &error), qPrintable(error));
    // The panes' least sizes add up to no more than the screen: the window is not pushed past
    // its edges.
    const QSize least = window->minimumSizeHint();
    QVERIFY2(
        least.width() <= size.width() && least.height() <= size.height(),
        qPrintable(QString("%1 needs at least %2x%3").arg(preset).arg(least.width()).arg(least.height())));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains("Preset and settings"));  // painted words are text in the file
    const app::Catalog catalog = app::builtinCatalog();
    const app::PresetInfo* info = catalog.find(preset.toStdString());
    QVERIFY(info);
    for (const auto& [key, value] : info->settings.values())
      QVERIFY2(!text.contains(">" + QString::fromStdString(key)) &&
                   !text.contains(QString::fromStdString(key) + "<"),
               qPrintable(preset + " shows the key " + QString::fromStdString(key)));
    // The file chooser's button is an ellipsis of its own; any other one is cut text.
    QVERIFY2(text.count(QChar(0x2026)) == text.count(QString(">") + QChar(0x2026) + "<"),
             qPrintable(preset + ": an elided text"));
    for (const QWidget* w : window->findChildren<QWidget*>()) {
      if (!w->isVisible() || w->width() <= 0) continue;
      const QString cut = cutText(w);
      QVERIFY2(cut.isEmpty(), qPrintable(preset + ": '" + cut + "' does not fit"));
    }
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

  // A kind whose teacher run is optional shows the teacher's settings only while it has one.
  void teacherSettingsOnlyWithATeacher() {
    const app::Catalog catalog = app::builtinCatalog();
    auto teacherShown = [](const PresetPanel& panel) {
      for (const QLabel* l : panel.findChildren<QLabel*>())
        if (l->text() == "Teacher") return l->isVisibleTo(&panel);
      return false;
    };
    for (const char* preset : {"topic-words", "scb", "scb-transfer", "mosaic", "digits-vit", "text-lm"}) {
      PresetPanel panel(catalog);
      panel.selectPreset(preset);
      const bool optional = catalog.find(preset)->settings.has("experiment.compare");
      QCOMPARE(teacherShown(panel), !optional);
      if (!optional) continue;
      QVERIFY(panel.setValueText("experiment.compare", "true"));
      QVERIFY2(teacherShown(panel), preset);
      QVERIFY(panel.setValueText("experiment.compare", "false"));
      QVERIFY(!teacherShown(panel));
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

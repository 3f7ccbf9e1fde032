// The bad-input corpus in the window (issue 7, item 3): every preset file opened with
// File > Open preset, every CSV and text file set as a preset's data file, and every damaged
// .attent opened with File > Open must end in a message box that names the file and what is
// wrong - and the window must go on working afterwards.
#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include "app/worker/catalog.h"
#include "reliability/corpus_cases.h"
#include "ui/main_window.h"
#include "ui/preset_panel.h"

using namespace attent;
using namespace attent::ui;

namespace {

std::unique_ptr<MainWindow> makeWindow() {
  app::Catalog catalog = app::builtinCatalog();
  catalog.files = app::experimentFiles();
  catalog.openPreset = app::presetFromFile;
  WindowOptions options;
  options.persistent = false;
  options.loadPreset = false;
  auto window = std::make_unique<MainWindow>(std::move(catalog), options);
  window->resize(1200, 800);
  window->show();
  return window;
}

// The message box the window shows (bounded wait); its whole text, or "no message box".
QString takeMessageBox(MainWindow& window) {
  QMessageBox* box = nullptr;
  for (int i = 0; i < 300 && !box; ++i) {
    box = window.findChild<QMessageBox*>();
    if (!box || !box->isVisible()) {
      box = nullptr;
      QTest::qWait(20);
    }
  }
  if (!box) return QStringLiteral("no message box");
  const QString text = box->text() + "\n" + box->informativeText();
  box->button(QMessageBox::Ok)->click();  // closes and deletes it (WA_DeleteOnClose)
  for (int i = 0; i < 250 && window.findChild<QMessageBox*>(); ++i) QTest::qWait(20);
  return window.findChild<QMessageBox*>() ? QStringLiteral("the message box did not close") : text;
}

void checkMessage(const QString& message, const QStringList& mustName, const QString& what) {
  QVERIFY2(message != "no message box", qPrintable(what + ": no message box within 6 s"));
  for (const QString& s : mustName)
    QVERIFY2(message.contains(s, Qt::CaseInsensitive),
             qPrintable(QStringLiteral("%1: the message does not name '%2':\n%3").arg(what, s, message)));
}

}  // namespace

class TestWindowBadInputs : public QObject {
  Q_OBJECT
 private slots:
  void presetAndDataFiles() {
    auto window = makeWindow();
    auto* panel = qobject_cast<PresetPanel*>(window->viewWidget("settings"));
    QVERIFY(panel);
    int cases = 0;
    for (const FileCase& c : kFileCases) {
      const QString file = QString::fromUtf8(c.file), preset = QString::fromUtf8(c.preset);
      QStringList mustName = {QString::fromUtf8(c.reason)};
      if (file != "preset_impossible_combination.json") mustName << file;
      if (preset.isEmpty()) {
        // A preset that loads but cannot be built is refused by the build, the rest at once.
        const bool loaded = window->openPresetFile(kCorpus + file);
        QVERIFY2(!loaded || file == "preset_impossible_combination.json", qPrintable(file));
      } else {
        window->loadPreset(preset);
        if (preset == "csv-classify") takeMessageBox(*window);  // it needs a data file first
        QVERIFY2(panel->setValueText("data.path", kCorpus + file), qPrintable(file));
        QVERIFY2(panel->applyButton()->isEnabled(), qPrintable(panel->errorFor("data.path")));
        panel->applyButton()->click();
      }
      checkMessage(takeMessageBox(*window), mustName, file);
      ++cases;
    }
    QVERIFY(cases >= 30);
    // Still working: a good preset builds and steps.
    QSignalSpy snapshots(&window->controller(), &app::TrainingController::snapshotReady);
    QVERIFY(window->loadPreset("topic-words"));
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty(), 30000);
    window->controller().step();
    QTRY_VERIFY_WITH_TIMEOUT(window->lastStep() == 1, 30000);
    QVERIFY(!window->findChild<QMessageBox*>());
  }

  void damagedExperimentFiles() {
    auto window = makeWindow();
    const QStringList files = QDir(kCorpus).entryList({"*.attent"}, QDir::Files);
    QVERIFY(files.size() >= 8);
    for (const QString& file : files) {
      QSignalSpy done(window.get(), &MainWindow::fileFinished);
      window->openExperimentFile(kCorpus + file);
      QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 30000);
      checkMessage(takeMessageBox(*window), {file}, file);
    }
  }
};

QTEST_MAIN(TestWindowBadInputs)
#include "test_window_bad_inputs.moc"

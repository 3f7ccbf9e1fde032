// Window stress (issue 7, item 4): 1,000 random commands through the offscreen window's
// own controls - Play/Pause, Step, Reset, the speed cap, Apply with edited settings, a
// switch of preset (including one whose build fails) - with confirmation boxes answered
// at random, as a restless user would. Afterwards the window must still train (bounded
// waits: no deadlock). Leaks are LeakSanitizer's job, races ThreadSanitizer's
// (scripts/sanitize.sh runs this suite under both).
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>
#include <QTimer>

#include "doubles/fake_experiment.h"
#include "engine/core/rng.h"
#include "ui/main_window.h"
#include "ui/preset_panel.h"
#include "ui/screenshot.h"

using namespace attent;
using namespace attent::ui;

namespace {

app::Catalog stressCatalog() {
  app::Catalog catalog = app::fakeCatalog();
  const app::PresetInfo base = catalog.presets.front();
  catalog.presets.clear();
  for (int i = 0; i < 3; ++i) {
    app::PresetInfo p = base;
    p.name = "demo-" + std::to_string(i);
    p.settings.set("steps", std::to_string(60 + 500 * i));
    p.settings.set("runs", std::to_string(1 + i));
    p.settings.set("work_us", std::to_string(40 * i));
    catalog.presets.push_back(p);
  }
  app::addBrokenPreset(catalog, "broken", "broken.csv:1:1: not UTF-8");
  return catalog;
}

QAction* actionWithShortcut(MainWindow& window, const QKeySequence& keys) {
  for (QAction* a : window.findChildren<QAction*>())
    if (a->shortcut() == keys) return a;
  return nullptr;
}

}  // namespace

class TestWindowStress : public QObject {
  Q_OBJECT
 private slots:
  void thousandRandomCommands() {
    WindowOptions options;
    options.persistent = false;
    options.preset = "demo-1";
    MainWindow window(stressCatalog(), options);
    window.resize(1200, 800);
    window.show();
    auto* panel = qobject_cast<PresetPanel*>(window.viewWidget("settings"));
    auto* chooser = panel->findChild<QComboBox*>();
    auto* speed = window.findChild<QComboBox*>("speed");
    QAction* play = actionWithShortcut(window, QKeySequence(Qt::Key_Space));
    QAction* step = actionWithShortcut(window, QKeySequence(Qt::Key_S));
    QAction* reset = actionWithShortcut(window, QKeySequence(Qt::CTRL | Qt::Key_R));
    QVERIFY(panel && chooser && speed && play && step && reset);

    // Answers every box that pops up (a confirmation runs its own event loop, in which
    // this timer keeps firing; an error box is closed), Yes or No at random.
    Rng answers(7);
    int confirmations = 0, errors = 0;
    QTimer answerer;
    connect(&answerer, &QTimer::timeout, [&] {
      for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
          QAbstractButton* yes = box->button(QMessageBox::Yes);
          if (yes) {
            ++confirmations;
            (answers.below(2) ? yes : box->button(QMessageBox::No))->click();
          } else {
            ++errors;
            box->button(QMessageBox::Ok)->click();
          }
        }
      for (auto* box : window.findChildren<QMessageBox*>())
        if (box->isVisible() && box->button(QMessageBox::Ok)) {
          ++errors;
          box->button(QMessageBox::Ok)->click();
        }
    });
    answerer.start(5);

    Rng rng(2026);
    for (int i = 0; i < 1000; ++i) {
      switch (rng.below(8)) {
        case 0:
        case 1:
          play->trigger();  // start or pause
          break;
        case 2:
          step->trigger();
          break;
        case 3:
          reset->trigger();
          break;
        case 4:
          speed->setCurrentIndex(int(rng.below(std::uint64_t(speed->count()))));
          break;
        case 5: {  // edit a setting (sometimes to a bad value, which Apply refuses) and apply
          panel->setValueText("steps", QString::number(int(rng.below(400)) - 20));
          if (panel->applyButton()->isEnabled()) panel->applyButton()->click();
          break;
        }
        case 6: {  // switch preset, as the chooser does
          const int index = int(rng.below(std::uint64_t(chooser->count())));
          chooser->setCurrentIndex(index);
          emit chooser->activated(index);
          break;
        }
        default:
          window.loadPreset(QString::fromStdString("demo-" + std::to_string(rng.below(3))));
          break;
      }
      QTest::qWait(int(rng.below(4)));
    }
    // Still alive: a preset builds and trains to a given step within a bounded time.
    window.controller().pause();
    speed->setCurrentIndex(0);  // unthrottled
    QVERIFY(window.loadPreset("demo-2"));
    QString error;
    QVERIFY2(trainFor(window, 25, &error), qPrintable(error));
    QCOMPARE(window.lastStep(), 25L);
    answerer.stop();
    QVERIFY(confirmations > 0);  // the confirm paths were exercised
    QVERIFY(errors > 0);         // and the failed builds' message box
  }
};

QTEST_MAIN(TestWindowStress)
#include "test_window_stress.moc"

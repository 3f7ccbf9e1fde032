// The window's answers to a user: clicking one of the teacher's picks shows that pool
// example's attention maps (and "Back to probe" returns); a failed build shows one message
// box with the reason, and the window goes on working once it is closed.
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include "doubles/fake_experiment.h"
#include "ui/attention_view.h"
#include "ui/main_window.h"
#include "ui/picks_view.h"
#include "ui/screenshot.h"

using namespace attent;
using namespace attent::ui;

namespace {

std::unique_ptr<MainWindow> makeWindow(app::Catalog catalog) {
  WindowOptions options;
  options.persistent = false;
  auto window = std::make_unique<MainWindow>(std::move(catalog), options);
  window->resize(1200, 800);
  window->show();
  return window;
}

// The newest snapshot the controller published after `spy` started (bounded wait).
app::SnapshotPtr nextSnapshot(QSignalSpy& spy) {
  spy.clear();
  for (int i = 0; i < 100 && spy.isEmpty(); ++i) spy.wait(100);
  return spy.isEmpty() ? nullptr : spy.last().at(0).value<app::SnapshotPtr>();
}

}  // namespace

class TestWindowPicks : public QObject {
  Q_OBJECT
 private slots:
  void clickingAPickShowsItsAttention() {
    auto window = makeWindow(app::fakeCatalog());
    QString error;
    QVERIFY2(trainFor(*window, 5, &error), qPrintable(error));
    auto* picks = qobject_cast<PicksView*>(window->viewWidget("picks"));
    auto* attention = qobject_cast<AttentionView*>(window->viewWidget("attention"));
    QVERIFY(picks && attention);
    QTRY_COMPARE(attention->sourceText(), QString("held-out example 0"));

    QSignalSpy snapshots(&window->controller(), &app::TrainingController::snapshotReady);
    emit picks->pickClicked("attent", 7, "pool example seven");  // as a click on its row does
    app::SnapshotPtr s = nextSnapshot(snapshots);
    QVERIFY(s);
    QVERIFY(s->probeSplit == Split::Pool);
    QCOMPARE(s->probe, 7);
    QTRY_COMPARE(attention->sourceText(), QString("pool example 7 (a teacher's pick)"));
    // Training goes on showing the pick, and the timeline does not keep pool frames.
    window->controller().step();
    s = nextSnapshot(snapshots);
    QVERIFY(s && s->probeSplit == Split::Pool);
    for (const auto& frame : window->timeline().frames()) QVERIFY(frame->probeSplit == Split::HeldOut);

    auto* back = attention->findChild<QToolButton*>();
    QVERIFY(back && back->isVisible());
    back->click();
    s = nextSnapshot(snapshots);
    QVERIFY(s && s->probeSplit == Split::HeldOut);
    QTRY_COMPARE(attention->sourceText(), QString("held-out example 0"));
    QVERIFY(!back->isVisible());
  }

  void aFailedBuildShowsOneMessageBox() {
    app::Catalog catalog = app::fakeCatalog();
    app::addBrokenPreset(catalog, "broken", "reviews.csv:3:7: unterminated quote");
    auto window = makeWindow(std::move(catalog));
    QVERIFY(window->loadPreset("broken"));
    QTRY_VERIFY(window->findChild<QMessageBox*>() && window->findChild<QMessageBox*>()->isVisible());
    QMessageBox* box = window->findChild<QMessageBox*>();
    QVERIFY(box->informativeText().contains("reviews.csv:3:7: unterminated quote"));
    // A second failure while the box is open reuses it instead of stacking boxes.
    QVERIFY(window->loadPreset("broken"));
    QTest::qWait(300);
    QCOMPARE(window->findChildren<QMessageBox*>().size(), qsizetype(1));
    box->button(QMessageBox::Ok)->click();
    QTRY_VERIFY(!window->findChild<QMessageBox*>());
    // The window still works: another preset builds and steps.
    QString error;
    QVERIFY(window->loadPreset("demo"));
    QVERIFY2(trainFor(*window, 3, &error), qPrintable(error));
    QCOMPARE(window->lastError(), QString("reviews.csv:3:7: unterminated quote"));
  }
};

QTEST_MAIN(TestWindowPicks)
#include "test_window_picks.moc"

// Figures, the attention timeline and presentation mode: exported SVG and PDF
// are vector files that keep the axis labels as text; PNGs have the size and scale asked
// for; the timeline keeps log-spaced steps within its bound; F11 makes the text larger.
#include <QFile>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "tests/ui/view_test_util.h"
#include "ui/diagnostics_view.h"
#include "ui/export/figure_export.h"
#include "ui/loss_view.h"
#include "ui/main_window.h"
#include "ui/screenshot.h"
#include "ui/theme.h"
#include "ui/timeline.h"

using namespace attent;
using namespace attent::ui;
using attent::test::distinctColours;
using attent::test::fakeSnapshot;

namespace {
// A snapshot of `steps` fake steps with its step number replaced (timeline tests).
app::SnapshotPtr atStep(const app::SnapshotPtr& base, long step, int probe = 0) {
  auto s = std::make_shared<Snapshot>(*base);
  s->step = step;
  s->probe = probe;
  return s;
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A window that neither reads nor writes the user's settings and builds nothing at start.
WindowOptions quietOptions() {
  WindowOptions options;
  options.persistent = false;
  options.loadPreset = false;
  return options;
}

app::Catalog fastFake(int workUs = 0) {
  app::Catalog c = app::fakeCatalog();
  for (auto& p : c.presets) p.settings.set("work_us", std::to_string(workUs));
  return c;
}
}  // namespace

class TestPresentation : public QObject {
  Q_OBJECT
 private slots:
  void pngHasTheSizeAndScaleAsked() {
    LossView view;
    view.setRuns({"attent", "random"});
    view.addSnapshot(fakeSnapshot(100));
    view.resize(500, 300);
    view.show();
    QCoreApplication::processEvents();
    const QImage image = renderFigure(&view, QSize(800, 600), 2.0);
    QCOMPARE(image.size(), QSize(1600, 1200));
    QCOMPARE(image.devicePixelRatio(), 2.0);
    QVERIFY(distinctColours(image) > 20);
    QCOMPARE(view.size(), QSize(500, 300));  // the widget is put back
    QTemporaryDir dir;
    const QString path = dir.filePath("loss.png");
    QVERIFY(exportFigure(&view, path, QSize(640, 400), 3.0));
    QImage back(path);
    QCOMPARE(back.size(), QSize(1920, 1200));
  }

  void svgAndPdfAreVectorWithAxisLabels() {
    LossView view;
    view.setRuns({"attent", "random"});
    view.addSnapshot(fakeSnapshot(300));
    view.resize(700, 420);
    view.show();
    QCoreApplication::processEvents();
    view.replot();
    QTemporaryDir dir;
    const QString svg = dir.filePath("loss.svg"), pdf = dir.filePath("loss.pdf");
    QString error;
    QVERIFY2(exportFigure(&view, svg, {}, 1.0, &error, "loss"), qPrintable(error));
    QVERIFY2(exportFigure(&view, pdf, {}, 1.0, &error, "loss"), qPrintable(error));
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.viewBox(), QRect(0, 0, 700, 420));
    const QByteArray svgText = readAll(svg);
    // Titles, axis titles and legend entries (one per run, the line styles once) are text.
    for (const char* label : {"Loss", "step (optimiser updates)", "accuracy", "AtteNT", "random",
                              "train loss (smoothed)", "held-out loss"})
      QVERIFY2(svgText.contains(label), label);
    // The charts are not bitmaps: only small widget decorations (combo box, slider) are.
    const QRegularExpression image(QStringLiteral("<image[^>]*width=\"(\\d+)\""));
    for (auto it = image.globalMatch(QString::fromUtf8(svgText)); it.hasNext();) {
      const int width = it.next().captured(1).toInt();
      QVERIFY2(width < 200, qPrintable(QString("a bitmap %1 px wide in the SVG").arg(width)));
    }
    QVERIFY(svgText.count("<path") + svgText.count("<polyline") > 10);
    const QByteArray pdfText = readAll(pdf);
    QVERIFY(pdfText.startsWith("%PDF"));
    QVERIFY(pdfText.contains("/Type /Page") || pdfText.contains("/Type/Page"));
    QVERIFY(pdfText.contains("/Font"));  // text kept as text
    QCOMPARE(figureFormatFor("a.PDF"), FigureFormat::Pdf);
    QCOMPARE(figureFormatFor("a.svg"), FigureFormat::Svg);
    QCOMPARE(figureFormatFor("a.png"), FigureFormat::Png);
    QVERIFY(!exportFigure(&view, dir.filePath("missing/dir/x.png"), {}, 1.0, &error));
    QVERIFY(error.contains("x.png"));
  }

  void timelineKeepsLogSpacedStepsWithinItsBound() {
    const app::SnapshotPtr base = fakeSnapshot(10);
    AttentionTimeline timeline(32, std::size_t(1) << 30, 1.2);
    for (long step = 0; step <= 100000; ++step) timeline.add(atStep(base, step));
    const auto& frames = timeline.frames();
    QVERIFY(int(frames.size()) <= 32);
    QVERIFY(frames.size() >= 12);
    QCOMPARE(frames.front()->step, 0L);
    QVERIFY(frames.back()->step > 30000);
    // Log-spaced: consecutive steps grow by a ratio that stays within a factor of the
    // others (a linear spacing would have ratios near 1 at the end, large at the start).
    std::vector<double> ratios;
    for (std::size_t i = 2; i < frames.size(); ++i)
      ratios.push_back(double(frames[i]->step) / double(frames[i - 1]->step));
    const double lo = *std::min_element(ratios.begin() + 2, ratios.end());
    const double hi = *std::max_element(ratios.begin() + 2, ratios.end());
    QVERIFY2(lo > 1.1 && hi / lo < 2.0, qPrintable(QString("ratios %1..%2").arg(lo).arg(hi)));
    // Slim frames: no metric deltas, maps kept.
    QVERIFY(frames.back()->runs.front().newPoints.empty());
    QVERIFY(!frames.back()->runs.front().probeAttention.weights.empty());
    // The byte bound.
    const std::size_t one = AttentionTimeline::frameBytes(*frames.front());
    AttentionTimeline small(1000, 5 * one, 1.05);
    for (long step = 0; step <= 5000; ++step) small.add(atStep(base, step));
    QVERIFY(small.bytes() <= 5 * one);
    QVERIFY(small.frames().size() >= 3);
    // A different probe starts again; a strip of both runs at k steps.
    timeline.add(atStep(base, 200000, 3));
    QCOMPARE(int(timeline.frames().size()), 1);
    const auto chosen = chooseFrames(frames.empty() ? timeline.frames() : small.frames(), 4);
    QCOMPARE(int(chosen.size()), 4);
    const QImage strip = timelineStrip(chosen, {100, 100}, 2.0);
    QVERIFY(strip.width() > 4 * 200 && strip.height() > 2 * 200);
    QVERIFY(distinctColours(strip) > 20);
  }

  void windowScrubsTheTimeline() {
    WindowOptions options;
    options.persistent = false;
    MainWindow window(fastFake(2000), options);  // 400 steps in ~1 s: many snapshots
    QString error;
    QVERIFY2(trainFor(window, 400, &error), qPrintable(error));
    QVERIFY(window.timeline().frames().size() >= 3);
    window.showTimelineFrame(1);
    QCOMPARE(window.timelineFrame(), 1);
    QCOMPARE(static_cast<LossView*>(window.viewWidget("loss"))->cursorStep(),
             window.timeline().frames()[1]->step);
    auto* diagnostics = static_cast<DiagnosticsView*>(window.viewWidget("diagnostics"));
    QCOMPARE(diagnostics->frameStep(), window.timeline().frames()[1]->step);
    window.showTimelineFrame(-1);
    QCOMPARE(diagnostics->frameStep(), -1L);
    QCOMPARE(window.timelineFrame(), -1);
    QCOMPARE(static_cast<LossView*>(window.viewWidget("loss"))->cursorStep(), -1L);
    QTemporaryDir dir;
    QVERIFY2(window.exportTimelineStrip(dir.filePath("strip.png"), 3, &error), qPrintable(error));
    QVERIFY(!QImage(dir.filePath("strip.png")).isNull());
    // Every view through the same export as the menu and `screenshot`.
    for (const QString& view : MainWindow::viewNames()) {
      QVERIFY2(window.exportView(view, dir.filePath(view + ".svg"), {}, 1.0, &error), qPrintable(error));
      QVERIFY2(QSvgRenderer(dir.filePath(view + ".svg")).isValid(), qPrintable(view));
    }
  }

  // Export in slide style: the figure has presentation mode's larger text; the window looks
  // as before afterwards.
  void slideStyleExportEnlargesTheFigureOnly() {
    MainWindow window(fastFake(), quietOptions());
    window.show();
    const double before = QApplication::font().pointSizeF();
    const QPalette palette = QApplication::palette();
    QTemporaryDir dir;
    const QString plain = dir.filePath("plain.svg"), slide = dir.filePath("slide.svg");
    QString error;
    QVERIFY2(window.exportView("loss", plain, QSize(960, 540), 1.0, &error), qPrintable(error));
    QVERIFY2(window.exportView("loss", slide, QSize(960, 540), 1.0, &error, true), qPrintable(error));
    auto largestFont = [](const QString& path) {
      double largest = 0;
      const QRegularExpression size(QStringLiteral("font-size=\"([0-9.]+)\""));
      for (auto it = size.globalMatch(QString::fromUtf8(readAll(path))); it.hasNext();)
        largest = std::max(largest, it.next().captured(1).toDouble());
      return largest;
    };
    QVERIFY2(largestFont(slide) > 1.1 * largestFont(plain),
             qPrintable(QString("%1 vs %2").arg(largestFont(slide)).arg(largestFont(plain))));
    QCOMPARE(QApplication::font().pointSizeF(), before);
    QCOMPARE(QApplication::palette().color(QPalette::Window), palette.color(QPalette::Window));
    QVERIFY(!window.presentationMode());
  }

  void presentationModeEnlargesTextAndHasF11() {
    MainWindow window(fastFake(), quietOptions());
    window.show();
    QVERIFY(window.presentationAction());
    QCOMPARE(window.presentationAction()->shortcut(), QKeySequence(Qt::Key_F11));
    const double before = QApplication::font().pointSizeF();
    auto* loss = static_cast<LossView*>(window.viewWidget("loss"));
    window.presentationAction()->trigger();
    QVERIFY(window.presentationMode());
    // Text keeps its share of the picture's height: 1.6x at 1080 lines, 1.15x (the least) at 768.
    window.resize(1920, 1080);
    QCOMPARE(window.height(), 1080);
    QVERIFY(std::abs(QApplication::font().pointSizeF() - before * 1.6) < 0.01);
    window.resize(1366, 768);
    QVERIFY(std::abs(QApplication::font().pointSizeF() - before * 1.15) < 0.01);
    QCOMPARE(presentationFontScale(900), 1.6 * 900 / 1080);
    QCOMPARE(presentationFontScale(2160), 2.4);
    QVERIFY(loss->presentationScale() > 1.5);
    QCOMPARE(QApplication::palette().color(QPalette::Window), QColor(Qt::white));
    window.setClassroomMode(true);
    QVERIFY(!window.viewWidget("settings")->isVisibleTo(&window));
    QVERIFY(window.viewWidget("loss")->isVisibleTo(&window));
    window.setClassroomMode(false);
    window.presentationAction()->trigger();
    QVERIFY(!window.presentationMode());
    QCOMPARE(QApplication::font().pointSizeF(), before);
    QCOMPARE(loss->presentationScale(), 1.0);
  }
};

QTEST_MAIN(TestPresentation)
#include "test_presentation.moc"

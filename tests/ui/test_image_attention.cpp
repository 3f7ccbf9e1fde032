// The attention over an image probe: the digit drawn large under a heat layer, the runs on
// one colour scale, hover giving the map's exact entry, the layer, head and rollout choices,
// and the attention view showing it first for an image probe.
#include <QCheckBox>
#include <QComboBox>
#include <QTest>

#include "engine/learners/attention_rollout.h"
#include "tests/ui/view_test_util.h"
#include "ui/attention_view.h"
#include "ui/image_attention.h"
#include "ui/nice_ticks.h"
#include "ui/token_attention.h"

using namespace attent;
using namespace attent::ui;
using attent::test::render;

namespace {
// A 4x4 blank image in 2x2 patches; each run's class token (position 0) attends with weights
// that differ by run, layer and head: 2 layers, 2 heads, 5 tokens.
app::SnapshotPtr imageSnapshot() {
  auto s = std::make_shared<Snapshot>();
  s->probeExample.imageWidth = s->probeExample.imageHeight = 4;
  s->probeExample.image.assign(16, 0.0f);
  s->probeExample.patchSize = 2;
  s->probeExample.tokens = {"r0c0", "r0c1", "r1c0", "r1c1"};
  s->probeExample.text = "digit 7";
  for (int run = 0; run < 2; ++run) {
    RunSnapshot r;
    r.name = run ? "attent" : "random";
    AttentionMaps& a = r.probeAttention;
    a.layers = 2, a.heads = 2, a.queries = a.keys = 5, a.classToken = 0;
    a.queryLabels = a.keyLabels = {"[CLS]", "r0c0", "r0c1", "r1c0", "r1c1"};
    for (int l = 0; l < 2; ++l)
      for (int h = 0; h < 2; ++h)
        for (int q = 0; q < 5; ++q) {
          // Row q puts its weight on keys 0..4 in proportion to 1 + (q + k + l + h + run) % 5.
          std::vector<float> row(5);
          float sum = 0;
          for (int k = 0; k < 5; ++k) sum += row[k] = 1.0f + (q + k + l + h + 3 * run) % 5;
          for (float v : row) a.weights.push_back(v / sum);
        }
    r.probeReadout = readoutAttention(a);
    s->runs.push_back(std::move(r));
  }
  return s;
}
QString weightText(float v) { return QString("attention weight %1").arg(v, 0, 'f', 4); }
}  // namespace

class TestImageAttention : public QObject {
  Q_OBJECT
 private slots:
  // Hovering a patch gives the class token's weight on it, exactly the map's entry.
  void hoverGivesTheMapEntry() {
    const auto s = imageSnapshot();
    ImageAttentionCanvas canvas;
    canvas.setSnapshot(s);
    render(canvas);
    for (int layer : {0, 1})
      for (int head : {0, 1}) {
        canvas.setLayer(layer);
        canvas.setHead(head);
        for (int run = 0; run < 2; ++run)
          for (int k = 0; k < 4; ++k) {
            const AttentionMaps& a = s->runs[run].probeAttention;
            const QString hover = canvas.hoverText(canvas.patchRect(run, k).center());
            QVERIFY2(hover.contains(weightText(a.at(layer, head, 0, k + 1))), qPrintable(hover));
            QVERIFY2(hover.contains(QString::fromStdString(a.keyLabels[k + 1])), qPrintable(hover));
          }
      }
    canvas.setHead(-1);  // the mean of heads
    const AttentionMaps& a = s->runs[1].probeAttention;
    const float mean = (a.at(1, 0, 0, 3) + a.at(1, 1, 0, 3)) / 2;
    QVERIFY(canvas.hoverText(canvas.patchRect(1, 2).center()).contains(weightText(mean)));
    canvas.setLayer(ImageAttentionCanvas::kRollout);
    const QString rolled = canvas.hoverText(canvas.patchRect(0, 3).center());
    QVERIFY2(rolled.contains(weightText(s->runs[0].probeReadout.rollout[3])) && rolled.contains("rollout"),
             qPrintable(rolled));
    QVERIFY(canvas.hoverText(QPointF(-5, -5)).isEmpty());
  }

  // The runs share one scale: its top is the largest weight shown in either, rounded up to a
  // tick, and equal weights are drawn in equal colours whichever run they are in.
  void runsShareOneColourScale() {
    auto s = std::const_pointer_cast<Snapshot>(imageSnapshot());
    for (RunSnapshot& r : s->runs) r.probeReadout.rollout = {0.1f, 0.2f, 0.3f, 0.25f};
    s->runs[1].probeReadout.rollout[0] = 0.62f;
    ImageAttentionCanvas canvas;
    canvas.setSnapshot(s);
    canvas.setLayer(ImageAttentionCanvas::kRollout);
    const QImage image = render(canvas);
    QCOMPARE(canvas.scaleTop(), float(niceCeiling(0.62)));
    const QPoint a = canvas.patchRect(0, 1).center().toPoint(), b = canvas.patchRect(1, 1).center().toPoint();
    QCOMPARE(image.pixel(a), image.pixel(b));
    QVERIFY(image.pixel(canvas.patchRect(1, 0).center().toPoint()) != image.pixel(a));
  }

  // The digit is drawn large enough to read: at least 160 px in a 640 x 420 view.
  void imageIsLegible() {
    ImageAttentionCanvas canvas;
    canvas.setSnapshot(imageSnapshot());
    render(canvas, {640, 420});
    const QRectF image = canvas.patchRect(0, 0).united(canvas.patchRect(0, 3));
    QVERIFY2(image.width() >= 160 && image.height() >= 160, qPrintable(QString::number(image.width())));
    QVERIFY(!canvas.patchRect(0, 0).intersects(canvas.patchRect(1, 0)));
  }

  // Layer choices are the layers and the rollout; the rollout has no head to choose.
  void layerAndHeadChoices() {
    ImageAttentionView view;
    view.setSnapshot(imageSnapshot());
    QComboBox* layer = view.layerBox();
    QCOMPARE(layer->count(), 3);
    QCOMPARE(layer->itemText(2), QString("rollout, all layers"));
    QCOMPARE(view.headBox()->count(), 3);
    QCOMPARE(layer->currentIndex(), 1);  // the last layer first
    layer->setCurrentIndex(2);
    QVERIFY(!view.headBox()->isEnabled());
    view.setSnapshot(imageSnapshot());  // a new snapshot keeps the choice
    QCOMPARE(layer->currentIndex(), 2);
  }

  // An image probe opens over the image, not as patch names; the matrices are one click away.
  void attentionViewShowsAnImageProbeOverTheImage() {
    const auto s = imageSnapshot();
    QVERIFY(!TokenAttentionText::readsAsText(*s));
    AttentionView view;
    view.resize(700, 450);
    view.show();
    view.setSnapshot(s);
    QVERIFY(view.imageView()->isVisible());
    QVERIFY(!view.canvas()->isVisible());
    QCheckBox* over = nullptr;
    for (QCheckBox* box : view.findChildren<QCheckBox*>())
      if (box->text() == "Over the image") over = box;
    QVERIFY(over && over->isVisible() && over->isChecked());
    over->setChecked(false);
    QVERIFY(view.canvas()->isVisible());
    QVERIFY(!view.imageView()->isVisible());
  }
};

QTEST_MAIN(TestImageAttention)
#include "test_image_attention.moc"

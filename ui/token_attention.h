#pragma once
// Attention over text, read as text (BertViz's neuron-free view): the probe's tokens in
// reading order, one paragraph per run and layer. Hover a token (or click to pin it) and the
// earlier tokens it attends to are shaded by the mean of the heads and underlined, one bar per
// head in that head's colour, as strong as the weight; the tooltip names the token and the
// weights.
#include <QWidget>
#include <climits>
#include <vector>

#include "app/worker/training_worker.h"

class QPainter;

namespace attent::ui {

class TokenAttentionText : public QWidget {
  Q_OBJECT
 public:
  explicit TokenAttentionText(QWidget* parent = nullptr);
  void setSnapshot(app::SnapshotPtr snapshot);
  // True when the probe's maps are over text (token labels, queries = keys).
  static bool readsAsText(const Snapshot& snapshot);
  int query() const { return query_; }
  void setQuery(int query, bool pinned);
  // What a hover at `pos` says (empty off a token); exposed for tests.
  QString hoverText(QPointF pos);
  // Where token `token` of paragraph `paragraph` is drawn (tests aim the mouse with it).
  QRectF tokenRect(int paragraph, int token);
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;
  QSize sizeHint() const override { return {520, heightForWidth(520)}; }

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mousePressEvent(QMouseEvent*) override;

 private:
  struct Paragraph {
    QString title;
    const AttentionMaps* maps = nullptr;
    int layer = 0;
    bool causal = true;
    // The last token query q can attend to.
    int lastKey(int q) const { return causal ? q : maps->keys - 1; }
    QRectF titleRect;
    std::vector<QRectF> tokens;
  };
  // Lays the paragraphs out `width` wide; returns the height used.
  int layOut(int width, std::vector<Paragraph>& out) const;
  void relayout();
  QString tokenText(const Paragraph& p, int token) const;
  static double meanOverHeads(const AttentionMaps& a, int layer, int query, int key);
  double scaleTop() const;
  QString captionText(double top) const;
  int captionHeight(int width) const;
  void paintCaption(QPainter& p, double top) const;
  app::SnapshotPtr snapshot_;
  std::vector<Paragraph> paragraphs_;
  int query_ = 1 << 30;  // clamped to the last token: it attends over the whole probe
  bool pinned_ = false;
  int laidOutWidth_ = -1;
};

}  // namespace attent::ui

#pragma once
// The comparison's result as a headline above the loss curves: how much sooner a run reached
// the baseline run's final held-out loss, and under the epoch-budget protocol the verdict.
// Every number is one the engine computed (the Snapshot's RunSummary and epochVerdict); the
// card only puts it into words.
#include <QFrame>
#include <string>
#include <vector>

#include "engine/teach/snapshot.h"

class QLabel;

namespace attent::ui {

struct ResultText {
  QString headline;  // empty: nothing to compare (no baseline run)
  QString detail;
};

// The words for `snapshot`'s summaries, baseline and verdict, at step `step` of `totalSteps`.
ResultText resultText(const Snapshot& snapshot);

class ResultCard : public QFrame {
  Q_OBJECT
 public:
  explicit ResultCard(QWidget* parent = nullptr);
  void setResult(const ResultText& text);  // hides the card when there is no headline
  QString text() const;                    // headline and detail, one line each
  void setDark(bool dark);
  // The headline's size follows the application font (presentation mode enlarges it).
  void applyFonts();

 private:
  QLabel *headline_, *detail_;
};

}  // namespace attent::ui

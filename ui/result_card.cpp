#include "ui/result_card.h"

#include <QCoreApplication>
#include <QLabel>
#include <QVBoxLayout>
#include <cmath>

#include "ui/paint_util.h"

namespace attent::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ResultCard", text); }

// One run's line against the baseline, from its summary.
QString reachLine(const RunSummary& run, const QString& base, double target) {
  const QString name = runTitle(run.name);
  const QString loss = QString::number(target, 'g', 3);
  if (run.divergedAt) return tr("%1 diverged at step %2").arg(name).arg(*run.divergedAt);
  if (!run.timeReduction) return tr("%1 did not reach %2's final held-out loss (%3)").arg(name, base, loss);
  const long percent = std::lround(std::abs(*run.timeReduction) * 100);
  if (percent == 0) return tr("%1 reached %2's final held-out loss in the same CPU time").arg(name, base);
  return (*run.timeReduction > 0 ? tr("%1 reached %2's final held-out loss %3% sooner (CPU s)")
                                 : tr("%1 reached %2's final held-out loss %3% later (CPU s)"))
      .arg(name, base)
      .arg(percent);
}

// The run the headline is about: AtteNT where it runs, else the first one compared.
int headlineRun(const Snapshot& s) {
  int chosen = -1;
  for (int i = 0; i < int(s.summaries.size()); ++i)
    if (i != s.baselineRun && (chosen < 0 || s.summaries[i].role == RunRole::AtteNT)) chosen = i;
  return chosen;
}

}  // namespace

ResultText resultText(const Snapshot& s) {
  ResultText out;
  const int b = s.baselineRun, chosen = headlineRun(s);
  if (b < 0 || b >= int(s.summaries.size()) || chosen < 0) return out;
  const RunSummary& baseline = s.summaries[b];
  const QString base = tr("the %1 run").arg(runTitle(baseline.name));
  QStringList lines;
  if (baseline.divergedAt) {
    lines << tr("%1 diverged at step %2: no final held-out loss to compare against")
                 .arg(runTitle(baseline.name))
                 .arg(*baseline.divergedAt);
  } else if (!s.targetEvalLoss) {
    lines << tr("Time to %1's final held-out loss: known when it finishes (step %2 of %3)")
                 .arg(base)
                 .arg(s.step)
                 .arg(s.totalSteps);
  } else {
    lines << reachLine(s.summaries[chosen], base, *s.targetEvalLoss);
    QStringList times;
    for (int i = 0; i < int(s.summaries.size()); ++i) {
      if (i != chosen && i != b) lines << reachLine(s.summaries[i], base, *s.targetEvalLoss);
      if (s.summaries[i].toTarget.seconds)
        times << tr("%1 %2 s")
                     .arg(runTitle(s.summaries[i].name))
                     .arg(*s.summaries[i].toTarget.seconds, 0, 'f', 2);
    }
    if (!times.isEmpty())
      lines << tr("CPU time to held-out loss %1: %2")
                   .arg(QString::number(*s.targetEvalLoss, 'g', 3), times.join(QStringLiteral(", ")));
  }
  if (!s.epochVerdict.empty()) {
    // "saves 22% of full's CPU time ... at equal accuracy (...); no better than a random subset (...)"
    QStringList clauses = QString::fromStdString(s.epochVerdict).split(QStringLiteral("; "));
    out.headline = tr("Epoch budget: AtteNT %1").arg(clauses.takeFirst());
    out.detail = (clauses + lines).join(QLatin1Char('\n'));
    return out;
  }
  out.headline = lines.takeFirst();
  out.detail = lines.join(QLatin1Char('\n'));
  return out;
}

ResultCard::ResultCard(QWidget* parent) : QFrame(parent) {
  setObjectName("resultCard");
  setFrameShape(QFrame::StyledPanel);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 6, 10, 6);
  layout->setSpacing(2);
  headline_ = new QLabel;
  detail_ = new QLabel;
  for (QLabel* l : {headline_, detail_}) {
    l->setWordWrap(true);  // a long verdict wraps instead of being cut at 1366 px
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(l);
  }
  applyFonts();
  setDark(false);
  hide();
}

void ResultCard::setResult(const ResultText& text) {
  headline_->setText(text.headline);
  detail_->setText(text.detail);
  detail_->setVisible(!text.detail.isEmpty());
  setVisible(!text.headline.isEmpty());
}

QString ResultCard::text() const {
  return detail_->text().isEmpty() ? headline_->text() : headline_->text() + "\n" + detail_->text();
}

void ResultCard::setDark(bool dark) {
  setStyleSheet(dark ? "#resultCard { background: #2c3a47; border: 1px solid #4a6072; } "
                       "QLabel { color: #f0f0f0; }"
                     : "#resultCard { background: #eef4fa; border: 1px solid #b8cde0; } "
                       "QLabel { color: #102030; }");
}

void ResultCard::applyFonts() {
  QFont big = font();
  big.setPointSizeF(QFont().pointSizeF() * 1.35);
  big.setBold(true);
  headline_->setFont(big);
}

}  // namespace attent::ui

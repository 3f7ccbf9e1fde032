#include "ui/memory_estimate_label.h"

#include "engine/teach/experiment.h"
#include "engine/teach/kind_registry.h"
#include "engine/teach/memory_estimate.h"

namespace attent::ui {

namespace {
MemoryContext windowContext() {
  MemoryContext context;
  context.window = true;
  return context;
}
}  // namespace

std::optional<QString> memoryRefusalFor(const app::PresetInfo& preset) {
  if (!experimentKindRegistry().find(preset.kind)) return std::nullopt;
  try {
    refuseIfTooLarge(preset.kind, preset.settings, windowContext());
  } catch (const MemoryError& e) {
    return QString::fromStdString(e.what());
  } catch (const std::exception&) {  // a bad setting: the build says what is wrong
  }
  return std::nullopt;
}

MemoryEstimateLabel::MemoryEstimateLabel(QWidget* parent) : QLabel(parent) {
  setObjectName("memoryEstimate");
  setWordWrap(true);
  setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  setTextInteractionFlags(Qt::TextSelectableByMouse);
}

void MemoryEstimateLabel::setPreset(const app::PresetInfo& preset) {
  problem_.clear();
  const auto red = [this](const QString& text) {
    problem_ = text;
    setText(text);
    setStyleSheet(QStringLiteral("color: #c0392b;"));
  };
  setStyleSheet(QString());
  if (!experimentKindRegistry().find(preset.kind)) {
    clear();
    setToolTip(QString());
    return;
  }
  try {
    checkExperimentSettings(preset.kind, preset.settings);
  } catch (const std::exception& e) {
    red(tr("These settings cannot work: %1").arg(QString::fromStdString(e.what())));
    setToolTip(QString());
    return;
  }
  MemoryEstimate estimate;
  try {
    estimate = estimateExperimentMemory(preset.kind, preset.settings, windowContext());
  } catch (const std::exception& e) {
    red(QString::fromStdString(e.what()));
    return;
  }
  setToolTip(tr("Estimated memory, before anything is built: %1")
                 .arg(QString::fromStdString(estimate.describe()).toHtmlEscaped().replace("\n", "<br>")));
  const auto available = availableMemoryBytes();
  const QString need = QString::fromStdString(formatBytes(estimate.bytes()));
  if (!available) {
    setText(tr("needs ~%1").arg(need));
    return;
  }
  const QString text = tr("needs ~%1 of %2 free").arg(need, QString::fromStdString(formatBytes(*available)));
  if (memoryRefusal(estimate, *available)) {
    const MemoryTerm* d = estimate.dominant();
    red(text + (d ? tr(": too much (%1, %2)")
                        .arg(QString::fromStdString(d->what), QString::fromStdString(d->drivers))
                  : QString()));
    return;
  }
  setText(text);
}

}  // namespace attent::ui

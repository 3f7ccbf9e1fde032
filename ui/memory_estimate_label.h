#pragma once
// Next to the settings editor's Apply: what the edited settings would take, live -
// "needs ~1.4 GiB of 22 GiB free" - from the engine's estimate (engine/teach/memory_estimate.h),
// with the breakdown in the tooltip. A combination the kind refuses, or an experiment that
// would not fit the memory free now, is shown in red with the reason, and is not acceptable.
#include <QLabel>
#include <optional>

#include "app/worker/catalog.h"

namespace attent::ui {

// Why the window must not build `preset` now: its estimate (with the window's snapshots and
// timeline) does not fit the memory free. nullopt when it fits, or for a kind the engine does
// not know.
std::optional<QString> memoryRefusalFor(const app::PresetInfo& preset);

class MemoryEstimateLabel : public QLabel {
  Q_OBJECT
 public:
  explicit MemoryEstimateLabel(QWidget* parent = nullptr);
  // Estimates `preset` (its kind with its settings). A kind the engine does not know (a test
  // double) shows nothing and stays acceptable.
  void setPreset(const app::PresetInfo& preset);
  // False when the settings cannot work or do not fit: Apply should stay off.
  bool acceptable() const { return problem_.isEmpty(); }
  QString problem() const { return problem_; }

 private:
  QString problem_;
};

}  // namespace attent::ui

#pragma once
// What the window shows for an experiment kind: its key figure (large, in the middle, first)
// and the docks around it with their share of the window. A dock a kind has nothing for is
// not listed (no teacher: no picks; no paper diagnostics: no diagnostics dock), so no pane
// sits empty. View names are the window's: loss, attention, picks, diagnostics, settings.
#include <string>
#include <vector>

namespace attent::app {

enum class DockSide { Left, Right, Bottom };

struct DockPlacement {
  std::string view;
  DockSide side = DockSide::Right;
  // Left and right docks: share of the window's width; bottom docks: of its height. A second
  // dock on the same side splits the first's room: its share of that column (or row).
  double share = 0.3;
};

struct PresetLayout {
  std::string keyFigure = "loss";
  std::vector<DockPlacement> docks;
};

inline PresetLayout presetLayout(const std::string& kind) {
  const DockPlacement settings{"settings", DockSide::Left, 0.2};
  // The transformer kinds compare a teacher against random sampling: the loss curves and the
  // result card are the lesson; the attention maps and the teacher's picks explain it.
  if (kind == "digits-vit" || kind == "text-lm" || kind == "text-lm-finetune" || kind == "csv-classify")
    return {"loss", {settings, {"attention", DockSide::Right, 0.36}, {"picks", DockSide::Right, 0.5}}};
  // The dynamics papers' kinds: the paper's own figure in the middle; no teacher picks.
  if (kind == "topic-words" || kind == "scb" || kind == "scb-transfer" || kind == "mosaic")
    return {"diagnostics", {settings, {"loss", DockSide::Right, 0.3}, {"attention", DockSide::Right, 0.38}}};
  // Any other kind (a test double, a new kind): every view, the loss curves in the middle.
  return {"loss",
          {settings,
           {"attention", DockSide::Right, 0.3},
           {"picks", DockSide::Bottom, 0.3},
           {"diagnostics", DockSide::Bottom, 0.5}}};
}

}  // namespace attent::app

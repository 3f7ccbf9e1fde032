#pragma once
// What the window shows for an experiment kind's lesson (kind_registry.h): its key figure
// (large, in the middle, first) and the docks around it with their share of the window. A dock
// a lesson has nothing for is not listed (no teacher: no picks; no paper diagnostics: no
// diagnostics dock), so no pane sits empty. View names are the window's: loss, attention, picks, diagnostics,
// settings.
#include <string>
#include <vector>

#include "engine/teach/kind_registry.h"

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

inline PresetLayout presetLayout(Lesson lesson) {
  const DockPlacement settings{"settings", DockSide::Left, 0.2};
  switch (lesson) {
    case Lesson::TeacherAgainstRandom:  // the attention maps and the teacher's picks explain the curves
      return {"loss", {settings, {"attention", DockSide::Right, 0.36}, {"picks", DockSide::Right, 0.5}}};
    case Lesson::PaperFigure:
      return {"diagnostics",
              {settings, {"loss", DockSide::Right, 0.3}, {"attention", DockSide::Right, 0.38}}};
    case Lesson::Unstated:
      break;
  }
  return {"loss",
          {settings,
           {"attention", DockSide::Right, 0.3},
           {"picks", DockSide::Bottom, 0.3},
           {"diagnostics", DockSide::Bottom, 0.5}}};
}

}  // namespace attent::app

#pragma once
// Lays the main window out as a preset's kind declares (app/presets/preset_layout.h): the key
// figure in the central area, the listed docks on their sides with their share of the window,
// every other dock hidden. Sizes are shares, so the same layout fills 1366x768 and 1920x1080.
#include <QString>
#include <map>

#include "app/presets/preset_layout.h"

class QDockWidget;
class QMainWindow;
class QWidget;

namespace attent::ui {

struct WindowPanes {
  QWidget* keySlot = nullptr;             // the central area's holder of the key figure
  std::map<QString, QDockWidget*> docks;  // by view name: loss, attention, picks, ...
  std::map<QString, QWidget*> contents;   // what each dock shows when it is not the key
};

// Moves the key figure into the central area (its dock hidden, left out of the View menu),
// the other contents back into their docks, and places and shows the listed docks.
void applyPresetLayout(QMainWindow& window, WindowPanes& panes, const app::PresetLayout& layout);
// The listed docks' sizes for the window's current size.
void sizeDocks(QMainWindow& window, const WindowPanes& panes, const app::PresetLayout& layout);
// The view in the central area.
QString keyFigure(const WindowPanes& panes);

}  // namespace attent::ui

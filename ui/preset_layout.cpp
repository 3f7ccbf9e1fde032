#include "ui/preset_layout.h"

#include <QAction>
#include <QDockWidget>
#include <QLayout>
#include <QMainWindow>
#include <algorithm>
#include <vector>

namespace attent::ui {

namespace {

Qt::DockWidgetArea areaOf(app::DockSide side) {
  switch (side) {
    case app::DockSide::Left:
      return Qt::LeftDockWidgetArea;
    case app::DockSide::Right:
      return Qt::RightDockWidgetArea;
    case app::DockSide::Bottom:
      return Qt::BottomDockWidgetArea;
  }
  return Qt::RightDockWidgetArea;
}

// The listed docks that exist and are not the key figure, with their placements.
std::vector<std::pair<QDockWidget*, app::DockPlacement>> placed(const WindowPanes& panes,
                                                                const app::PresetLayout& layout) {
  std::vector<std::pair<QDockWidget*, app::DockPlacement>> out;
  for (const app::DockPlacement& p : layout.docks) {
    const QString view = QString::fromStdString(p.view);
    auto it = panes.docks.find(view);
    if (it != panes.docks.end() && view != keyFigure(panes)) out.emplace_back(it->second, p);
  }
  return out;
}

}  // namespace

QString keyFigure(const WindowPanes& panes) {
  for (const auto& [view, content] : panes.contents)
    if (content->parentWidget() == panes.keySlot) return view;
  return {};
}

void applyPresetLayout(QMainWindow& window, WindowPanes& panes, const app::PresetLayout& layout) {
  QString key = QString::fromStdString(layout.keyFigure);
  if (!panes.contents.count(key)) key = QStringLiteral("loss");
  for (auto& [view, dock] : panes.docks) {
    QWidget* content = panes.contents[view];
    if (view == key) {
      panes.keySlot->layout()->addWidget(content);
      content->show();
      dock->hide();
    } else if (dock->widget() != content) {
      dock->setWidget(content);
    }
    dock->toggleViewAction()->setVisible(view != key);
  }
  for (auto& [view, dock] : panes.docks) {
    dock->hide();
    window.removeDockWidget(dock);
  }
  std::map<app::DockSide, QDockWidget*> firstOn;
  for (const auto& [dock, p] : placed(panes, layout)) {
    if (QDockWidget* first = firstOn[p.side])
      window.splitDockWidget(first, dock, p.side == app::DockSide::Bottom ? Qt::Horizontal : Qt::Vertical);
    else
      window.addDockWidget(areaOf(p.side), dock), firstOn[p.side] = dock;
    dock->show();
  }
  sizeDocks(window, panes, layout);
}

void sizeDocks(QMainWindow& window, const WindowPanes& panes, const app::PresetLayout& layout) {
  const int w = window.width(), h = window.height();
  std::map<app::DockSide, QDockWidget*> firstOn;
  for (const auto& [dock, p] : placed(panes, layout)) {
    if (dock->isHidden()) continue;  // the user closed it, or classroom mode hides it
    const bool bottom = p.side == app::DockSide::Bottom;
    if (QDockWidget* first = firstOn[p.side]) {
      // A second dock splits the first one's column (or row); resizeDocks shares out the room
      // by these weights.
      const int mine = int(1000 * p.share);
      window.resizeDocks({first, dock}, {1000 - mine, mine}, bottom ? Qt::Horizontal : Qt::Vertical);
    } else {
      firstOn[p.side] = dock;
      window.resizeDocks({dock}, {std::max(120, int((bottom ? h : w) * p.share))},
                         bottom ? Qt::Vertical : Qt::Horizontal);
    }
  }
}

}  // namespace attent::ui

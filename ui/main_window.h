#pragma once
#include <QMainWindow>

namespace attent::ui {
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
};
}  // namespace attent::ui

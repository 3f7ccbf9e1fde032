#include "ui/main_window.h"

namespace attent::ui {
MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) { setWindowTitle("AtteNT Studio"); }
}  // namespace attent::ui

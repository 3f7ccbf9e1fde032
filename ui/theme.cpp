#include "ui/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <algorithm>
#include <memory>

namespace attent::ui {

namespace {
// QStyleFactory hands over ownership of the style it creates.
QPalette fusionPalette() {
  return std::unique_ptr<QStyle>(QStyleFactory::create("Fusion"))->standardPalette();
}
}  // namespace

QPalette themePalette(bool dark) {
  if (!dark) return fusionPalette();
  QPalette p;
  const QColor window(45, 48, 52), base(32, 34, 37), text(225, 225, 225), mid(95, 98, 102);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, QColor(60, 63, 67));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::red);
  p.setColor(QPalette::Mid, mid);
  p.setColor(QPalette::Link, QColor(90, 160, 240));
  p.setColor(QPalette::Highlight, QColor(230, 110, 20));
  p.setColor(QPalette::HighlightedText, Qt::black);
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
  return p;
}

QPalette presentationPalette() {
  QPalette p = fusionPalette();
  const QColor white(255, 255, 255), black(0, 0, 0);
  for (auto role :
       {QPalette::Window, QPalette::Base, QPalette::AlternateBase, QPalette::Button, QPalette::ToolTipBase})
    p.setColor(role, white);
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText})
    p.setColor(role, black);
  p.setColor(QPalette::Mid, QColor(60, 60, 60));
  p.setColor(QPalette::Dark, black);
  p.setColor(QPalette::Highlight, QColor(0, 70, 200));
  p.setColor(QPalette::HighlightedText, white);
  p.setColor(QPalette::Link, QColor(0, 60, 190));
  return p;
}

double presentationFontScale(int windowHeight) { return std::clamp(1.6 * windowHeight / 1080.0, 1.15, 2.4); }

QFont presentationFont(const QFont& desktop, int windowHeight) {
  QFont big = desktop;
  big.setPointSizeF(desktop.pointSizeF() * presentationFontScale(windowHeight));
  return big;
}

void applyTheme(bool dark) {
  QApplication::setStyle(QStyleFactory::create("Fusion"));
  QApplication::setPalette(themePalette(dark));
}

}  // namespace attent::ui

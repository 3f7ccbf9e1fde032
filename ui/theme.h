#pragma once
// Light and dark themes: the Fusion style with a matching palette, applied app-wide.
#include <QFont>
#include <QPalette>

namespace attent::ui {
QPalette themePalette(bool dark);
void applyTheme(bool dark);
// Projectors: white background, black text, saturated highlight, strong borders.
QPalette presentationPalette();
// Presentation mode's text size over the desktop's for a window this many pixels high: text
// keeps the same share of the picture's height on any projector (1.6x at 1080 lines), within
// [1.15, 2.4] so a small projector still enlarges it and a 4K one does not make it huge.
double presentationFontScale(int windowHeight);
// `desktop` enlarged by presentationFontScale for a picture this many pixels high.
QFont presentationFont(const QFont& desktop, int windowHeight);
}  // namespace attent::ui

#pragma once
// Light and dark themes: the Fusion style with a matching palette, applied app-wide.
#include <QPalette>

namespace attent::ui {
QPalette themePalette(bool dark);
void applyTheme(bool dark);
// Projectors: white background, black text, saturated highlight, strong borders.
QPalette presentationPalette();
}  // namespace attent::ui

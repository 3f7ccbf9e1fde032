#pragma once
// Figures of any view or the whole window: PNG at a chosen size and scale (2x, 3x for
// slides), SVG and PDF as vector graphics (titles, axis labels and legends stay text),
// and the clipboard. The menu's export and `attent-studio screenshot` both come here.
#include <QImage>
#include <QSize>
#include <QString>

class QWidget;

namespace attent::ui {

enum class FigureFormat { Png, Svg, Pdf };
// By suffix (.png, .svg, .pdf; case-insensitive); Png for anything else.
FigureFormat figureFormatFor(const QString& path);

// `widget` laid out at `size` logical pixels (invalid size: its current size) and rendered
// into an image of size*scale device pixels with devicePixelRatio `scale`. The widget's
// geometry is restored afterwards.
QImage renderFigure(QWidget* widget, QSize size = {}, double scale = 1.0);
// Writes `widget` to `path` in the format its suffix names. PNG: size*scale pixels;
// SVG/PDF: size in points with text kept as text. False with `error` set on failure.
bool exportFigure(QWidget* widget, const QString& path, QSize size = {}, double scale = 1.0,
                  QString* error = nullptr, const QString& title = {});
// A PNG (at `scale`) and, where the platform allows it, nothing else on the clipboard.
void copyFigure(QWidget* widget, double scale = 2.0);

}  // namespace attent::ui

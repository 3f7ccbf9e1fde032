#include "ui/export/figure_export.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QWidget>

namespace attent::ui {

namespace {

// Resizes `widget` for the duration of a render and puts it back (its parent's layout
// would do so on the next pass anyway; restoring at once keeps the window unchanged).
class TemporarySize {
 public:
  TemporarySize(QWidget* w, QSize size) : widget_(w), old_(w->size()) {
    if (size.isValid() && size != old_) {
      widget_->resize(size);
      if (widget_->layout()) widget_->layout()->activate();
      QCoreApplication::sendPostedEvents();  // nested layouts, chart geometry
      QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
      changed_ = true;
    }
  }
  ~TemporarySize() {
    if (!changed_) return;
    widget_->resize(old_);
    if (widget_->layout()) widget_->layout()->activate();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  }

 private:
  QWidget* widget_;
  QSize old_;
  bool changed_ = false;
};

void paintBackground(QPainter& p, QWidget* widget, QSize size) {
  p.fillRect(QRect(QPoint(0, 0), size), widget->palette().color(QPalette::Window));
}

}  // namespace

FigureFormat figureFormatFor(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == "svg") return FigureFormat::Svg;
  if (suffix == "pdf") return FigureFormat::Pdf;
  return FigureFormat::Png;
}

QImage renderFigure(QWidget* widget, QSize size, double scale) {
  if (!widget) return {};
  if (!size.isValid()) size = widget->size();
  scale = std::clamp(scale, 0.25, 8.0);
  TemporarySize temporary(widget, size);
  const QSize logical = widget->size();
  QImage image(QSize(qRound(logical.width() * scale), qRound(logical.height() * scale)),
               QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scale);
  QPainter p(&image);
  paintBackground(p, widget, logical);
  widget->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
  p.end();
  return image;
}

bool exportFigure(QWidget* widget, const QString& path, QSize size, double scale, QString* error,
                  const QString& title) {
  auto fail = [&](const QString& why) {
    if (error) *error = QStringLiteral("%1: %2").arg(path, why);
    return false;
  };
  if (!widget) return fail(QStringLiteral("no such view"));
  if (!size.isValid()) size = widget->size();
  const FigureFormat format = figureFormatFor(path);
  if (format == FigureFormat::Png) {
    const QImage image = renderFigure(widget, size, scale);
    if (image.isNull() || !image.save(path, "PNG")) return fail(QStringLiteral("cannot write the PNG"));
    return true;
  }
  TemporarySize temporary(widget, size);
  const QSize logical = widget->size();
  QPainter p;
  if (format == FigureFormat::Svg) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(logical);
    svg.setViewBox(QRect(QPoint(0, 0), logical));
    svg.setResolution(96);
    svg.setTitle(title.isEmpty() ? widget->windowTitle() : title);
    svg.setDescription(QStringLiteral("AtteNT Studio figure"));
    if (!p.begin(&svg)) return fail(QStringLiteral("cannot write the SVG"));
    paintBackground(p, widget, logical);
    widget->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
    p.end();
    return true;
  }
  // PDF: one page the size of the figure, 1 logical pixel = 1 point at 72 dpi.
  QPdfWriter pdf(path);
  pdf.setTitle(title.isEmpty() ? widget->windowTitle() : title);
  pdf.setCreator(QStringLiteral("AtteNT Studio"));
  pdf.setResolution(72);
  pdf.setPageSize(QPageSize(QSizeF(logical), QPageSize::Point, QString(), QPageSize::ExactMatch));
  pdf.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Point);
  if (!p.begin(&pdf)) return fail(QStringLiteral("cannot write the PDF"));
  const double s = std::min(pdf.width() / double(logical.width()), pdf.height() / double(logical.height()));
  p.scale(s, s);
  paintBackground(p, widget, logical);
  widget->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
  p.end();
  return true;
}

void copyFigure(QWidget* widget, double scale) {
  const QImage image = renderFigure(widget, {}, scale);
  if (!image.isNull()) QApplication::clipboard()->setImage(image);
}

}  // namespace attent::ui

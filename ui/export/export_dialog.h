#pragma once
// File > Export figure: which view, size, scale (1x/2x/3x) and format (by the file name's
// suffix: .png, .svg, .pdf), slide style or the window's own, or Copy to put the PNG on the
// clipboard.
#include <QDialog>
#include <QSize>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace attent::ui {

class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  // `views`: names shown in the view chooser; `current`: the widget sizes to offer first.
  ExportDialog(const QStringList& views, const QString& view, QSize size, QWidget* parent = nullptr);
  QString view() const;
  QSize figureSize() const;
  double scale() const;
  bool copyRequested() const { return copy_; }
  bool slideStyle() const;

 private:
  QComboBox *view_, *scale_;
  QSpinBox *width_, *height_;
  QCheckBox* slide_;
  bool copy_ = false;
};

}  // namespace attent::ui

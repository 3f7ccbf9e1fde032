#include "ui/export/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace attent::ui {

ExportDialog::ExportDialog(const QStringList& views, const QString& view, QSize size, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Export figure"));
  auto* form = new QFormLayout(this);
  view_ = new QComboBox;
  view_->addItems(views);
  view_->setCurrentText(view);
  form->addRow(tr("View"), view_);
  auto* sizeRow = new QHBoxLayout;
  width_ = new QSpinBox;
  height_ = new QSpinBox;
  for (QSpinBox* s : {width_, height_}) {
    s->setRange(150, 8000);
    s->setSuffix(tr(" px"));
    sizeRow->addWidget(s);
  }
  width_->setValue(size.width());
  height_->setValue(size.height());
  form->addRow(tr("Size (logical)"), sizeRow);
  scale_ = new QComboBox;
  scale_->addItem(tr("1x"), 1.0);
  scale_->addItem(tr("2x (slides)"), 2.0);
  scale_->addItem(tr("3x (print)"), 3.0);
  scale_->setCurrentIndex(1);
  form->addRow(tr("PNG scale"), scale_);
  slide_ = new QCheckBox(tr("Slide style: light theme, text sized for the figure"));
  slide_->setToolTip(
      tr("Presentation mode's look (F11) for this figure only: white background, thicker "
         "lines, text sized for the figure's height"));
  form->addRow(slide_);
  form->addRow(new QLabel(tr("The format follows the file name: .png, .svg or .pdf (vector, text kept).")));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
  buttons->addButton(tr("Save as..."), QDialogButtonBox::AcceptRole);
  QPushButton* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
  connect(copy, &QPushButton::clicked, this, [this] {
    copy_ = true;
    accept();
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons);
}

QString ExportDialog::view() const { return view_->currentText(); }
QSize ExportDialog::figureSize() const { return {width_->value(), height_->value()}; }
double ExportDialog::scale() const { return scale_->currentData().toDouble(); }
bool ExportDialog::slideStyle() const { return slide_->isChecked(); }

}  // namespace attent::ui

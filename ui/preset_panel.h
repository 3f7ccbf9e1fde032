#pragma once
// The preset chooser (title and lesson) and an editor for the preset's settings, built
// from the SettingSpecs: text fields for numbers and text, combo boxes for choices,
// check boxes for booleans, tooltips from the help text. Every edit goes through
// SettingSpec::validate; an invalid value is marked with the reason and Apply is off.
#include <QWidget>
#include <map>

#include "app/worker/catalog.h"

class QComboBox;
class QLabel;
class QPushButton;

class QVBoxLayout;

namespace attent::ui {

class MemoryEstimateLabel;

// A setting's title in words with its unit ("Evaluate every (steps)"), never its key.
QString settingTitle(const SettingSpec& spec);

class PresetPanel : public QWidget {
  Q_OBJECT
 public:
  explicit PresetPanel(const app::Catalog& catalog, QWidget* parent = nullptr);
  void selectPreset(const QString& name);  // shows it; emits nothing
  void refreshChooser();                   // after the catalog's presets changed
  QString currentName() const;
  QString lessonText() const;
  // The chosen preset with the edited values (valid only when isValid()).
  app::PresetInfo editedPreset() const;
  bool isValid() const;
  // For tests and scripting: type `text` into the field of `key`.
  bool setValueText(const QString& key, const QString& text);
  QString errorFor(const QString& key) const;
  QPushButton* applyButton() const { return apply_; }
  MemoryEstimateLabel* memoryLabel() const { return memory_; }
  // The titles the editor shows, in order (folded-away ones included).
  QStringList settingTitles() const;

 signals:
  void presetChosen(QString name);                      // the user picked another preset
  void applyRequested(attent::app::PresetInfo preset);  // Apply with valid values

 private:
  struct Field {
    QWidget* editor = nullptr;
    QLabel* error = nullptr;
    QString value;
    QString problem;
  };
  void buildEditor(const app::PresetInfo& preset);
  QWidget* editorFor(const SettingSpec& spec, const QString& key, const QString& value);
  void addRow(QVBoxLayout* form, const SettingSpec& spec, const QString& key, const QString& value,
              const QString& ignoredBecause);  // ignoredBecause: shown disabled, with why
  void fieldChanged(const QString& key, const QString& value);
  void refreshApply();
  void showTeacherSection();

  const app::Catalog& catalog_;
  QComboBox* chooser_;
  QLabel *title_, *lesson_;
  QWidget* form_ = nullptr;
  QVBoxLayout* groupsLayout_ = nullptr;
  QWidget* body_ = nullptr;  // the sections of the current preset's settings
  QWidget* teacherSection_ = nullptr;
  QPushButton *apply_, *defaults_;
  MemoryEstimateLabel* memory_ = nullptr;
  std::map<QString, Field> fields_;
  std::string current_;
};

}  // namespace attent::ui

#include "ui/preset_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <iterator>

#include "engine/teach/experiment_kinds.h"
#include "ui/memory_estimate_label.h"

namespace attent::ui {

PresetPanel::PresetPanel(const app::Catalog& catalog, QWidget* parent) : QWidget(parent), catalog_(catalog) {
  auto* layout = new QVBoxLayout(this);
  chooser_ = new QComboBox;
  refreshChooser();
  chooser_->setToolTip(
      tr("Built-in experiments and opened preset files; choosing one rebuilds the experiment"));
  layout->addWidget(chooser_);
  title_ = new QLabel;
  title_->setWordWrap(true);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  layout->addWidget(title_);
  lesson_ = new QLabel;
  lesson_->setWordWrap(true);
  lesson_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(lesson_);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  // The settings fit the dock's width (titles wrap); only the height scrolls.
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setFrameShape(QFrame::NoFrame);
  form_ = new QWidget;
  groupsLayout_ = new QVBoxLayout(form_);
  groupsLayout_->setContentsMargins(0, 0, 0, 0);
  groupsLayout_->addStretch();
  scroll->setWidget(form_);
  layout->addWidget(scroll, 1);
  auto* buttons = new QHBoxLayout;
  defaults_ = new QPushButton(tr("Preset values"));
  defaults_->setToolTip(tr("Put back the preset's own values"));
  apply_ = new QPushButton(tr("Apply"));
  apply_->setToolTip(tr("Rebuild the experiment with these settings"));
  buttons->addWidget(defaults_);
  memory_ = new MemoryEstimateLabel;  // the edited settings' memory, or why they cannot work
  buttons->addWidget(memory_, 1);
  buttons->addWidget(apply_);
  layout->addLayout(buttons);

  connect(chooser_, &QComboBox::activated, this, [this](int i) {
    const QString name = chooser_->itemData(i).toString();
    if (name.toStdString() == current_) return;
    selectPreset(name);
    emit presetChosen(name);
  });
  connect(defaults_, &QPushButton::clicked, this, [this] { selectPreset(QString::fromStdString(current_)); });
  connect(apply_, &QPushButton::clicked, this, [this] {
    if (isValid()) emit applyRequested(editedPreset());
  });
}

void PresetPanel::refreshChooser() {
  const QSignalBlocker quiet(chooser_);
  chooser_->clear();
  for (const auto& p : catalog_.presets)
    chooser_->addItem(QString::fromStdString(p.name), QString::fromStdString(p.name));
  if (!current_.empty()) chooser_->setCurrentIndex(chooser_->findData(QString::fromStdString(current_)));
}

void PresetPanel::selectPreset(const QString& name) {
  const app::PresetInfo* preset = catalog_.find(name.toStdString());
  if (!preset) return;
  current_ = preset->name;
  chooser_->setCurrentIndex(chooser_->findData(name));
  title_->setText(QString::fromStdString(preset->title));
  lesson_->setText(QString::fromStdString(preset->lesson));
  buildEditor(*preset);
}

QString PresetPanel::currentName() const { return QString::fromStdString(current_); }
QString PresetPanel::lessonText() const { return lesson_->text(); }

QString settingTitle(const SettingSpec& spec) {
  QString title = QString::fromStdString(spec.title);
  if (title.isEmpty()) {
    // A kind without words for this setting: its key's last part, spelled out.
    title = QString::fromStdString(spec.key)
                .section(QLatin1Char('.'), -1)
                .replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!title.isEmpty()) title[0] = title[0].toUpper();
  }
  const QString unit = QString::fromStdString(spec.unit);
  return unit.isEmpty() || title.contains(unit, Qt::CaseInsensitive)
             ? title
             : QStringLiteral("%1 (%2)").arg(title, unit);
}

namespace {

// The editor's sections, in the order a reader sets up an experiment.
const std::pair<const char*, const char*> kGroups[] = {
    {"experiment", QT_TRANSLATE_NOOP("PresetPanel", "Experiment")},
    {"data", QT_TRANSLATE_NOOP("PresetPanel", "Data")},
    {"model", QT_TRANSLATE_NOOP("PresetPanel", "Model")},
    {"training", QT_TRANSLATE_NOOP("PresetPanel", "Training")},
    {"teacher", QT_TRANSLATE_NOOP("PresetPanel", "Teacher")},
    {"", QT_TRANSLATE_NOOP("PresetPanel", "Other")}};

// Each setting's title above its field, both the dock's whole width: a box layout gives a
// word-wrapped title its height for that width (a form layout sized it for a wider one, and
// large fonts cut it at the right).
QVBoxLayout* newForm(QWidget* parent) {
  auto* form = new QVBoxLayout(parent);
  form->setContentsMargins(4, 0, 0, 0);
  form->setSpacing(2);
  return form;
}

}  // namespace

QWidget* PresetPanel::editorFor(const SettingSpec& spec, const QString& k, const QString& v) {
  if (spec.type == SettingSpec::Type::Bool) {
    auto* box = new QCheckBox;
    box->setChecked(parseBoolean(v.toStdString()).value_or(false));
    connect(box, &QCheckBox::toggled, this, [this, k](bool on) { fieldChanged(k, on ? "true" : "false"); });
    return box;
  }
  if (spec.type == SettingSpec::Type::Choice) {
    auto* combo = new QComboBox;
    for (const auto& c : spec.choices) combo->addItem(QString::fromStdString(c));
    // A long choice must not widen the panel past the dock (the titles would be cut).
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(8);
    combo->setCurrentText(v);
    connect(combo, &QComboBox::currentTextChanged, this, [this, k](const QString& t) { fieldChanged(k, t); });
    return combo;
  }
  auto* line = new QLineEdit(v);
  line->setPlaceholderText(QString::fromStdString(spec.rangeText()));
  connect(line, &QLineEdit::textEdited, this, [this, k](const QString& t) { fieldChanged(k, t); });
  if (spec.type != SettingSpec::Type::Text || !k.endsWith("path")) return line;
  // A data file (csv-classify, text-lm): pick it with a file dialog.
  auto* row = new QWidget;
  auto* rl = new QHBoxLayout(row);
  rl->setContentsMargins(0, 0, 0, 0);
  rl->addWidget(line, 1);
  auto* browse = new QToolButton;
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(tr("Choose a file"));
  rl->addWidget(browse);
  connect(browse, &QToolButton::clicked, this, [this, k, line] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose a data file"), line->text());
    if (file.isEmpty()) return;
    line->setText(file);
    fieldChanged(k, file);
  });
  line->setToolTip(QString::fromStdString(spec.help));
  return row;
}

void PresetPanel::buildEditor(const app::PresetInfo& preset) {
  delete body_;  // the previous preset's sections
  body_ = new QWidget;
  auto* sections = new QVBoxLayout(body_);
  sections->setContentsMargins(0, 0, 0, 0);
  groupsLayout_->insertWidget(0, body_);
  fields_.clear();
  teacherSection_ = nullptr;
  for (const auto& [group, groupTitle] : kGroups) {
    QVBoxLayout *basic = nullptr, *advanced = nullptr;
    QVBoxLayout* section = nullptr;  // the group's header, its form and its folded part
    int folded = 0;
    QToolButton* toggle = nullptr;  // opens the group's advanced settings
    for (const auto& [key, value] : preset.settings.values()) {
      const SettingSpec* spec = preset.settings.spec(key);
      const bool known = std::any_of(std::begin(kGroups), std::end(kGroups) - 1,
                                     [&](const auto& g) { return spec && spec->group == g.first; });
      if (!spec || (group[0] ? spec->group != group : known)) continue;
      if (!basic) {
        auto* box = new QWidget;
        sections->addWidget(box);
        if (group == std::string("teacher")) teacherSection_ = box;
        section = new QVBoxLayout(box);
        section->setContentsMargins(0, 0, 0, 0);
        auto* header = new QLabel(tr(groupTitle));
        QFont bold = header->font();
        bold.setBold(true);
        header->setFont(bold);
        section->addWidget(header);
        auto* holder = new QWidget;
        basic = newForm(holder);
        section->addWidget(holder);
      }
      QVBoxLayout* form = basic;
      if (spec->advanced) {
        if (!advanced) {
          toggle = new QToolButton;
          toggle->setCheckable(true);
          toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
          toggle->setArrowType(Qt::RightArrow);
          toggle->setAutoRaise(true);
          auto* fold = new QWidget;
          advanced = newForm(fold);
          fold->hide();
          connect(toggle, &QToolButton::toggled, fold, [fold, toggle](bool open) {
            fold->setVisible(open);
            toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
          });
          section->addWidget(toggle);
          section->addWidget(fold);
        }
        form = advanced;
        ++folded;
      }
      addRow(form, *spec, QString::fromStdString(key), QString::fromStdString(value),
             QString::fromStdString(settingIgnoredBecause(preset.settings, key)));
    }
    if (toggle) toggle->setText(tr("More %1 settings (%2)").arg(tr(groupTitle).toLower()).arg(folded));
  }
  refreshApply();
  showTeacherSection();
}

// A kind whose teacher run is optional shows the teacher's settings only while it has one.
void PresetPanel::showTeacherSection() {
  if (teacherSection_) teacherSection_->setVisible(teacherSettingsApply(editedPreset().settings));
}

void PresetPanel::addRow(QVBoxLayout* form, const SettingSpec& spec, const QString& k, const QString& v,
                         const QString& ignoredBecause) {
  const QString tip =
      QString::fromStdString(spec.help + " (" + spec.rangeText() + ", default " + spec.defaultValue + ")") +
      tr("\nSetting: %1").arg(k);  // the key, for `run --set` and preset files
  Field field;
  field.value = v;
  QWidget* editor = editorFor(spec, k, v);
  editor->setToolTip(ignoredBecause.isEmpty() ? tip : ignoredBecause + "\n" + tip);
  editor->setEnabled(ignoredBecause.isEmpty());
  auto* column = new QWidget;
  auto* cl = new QVBoxLayout(column);
  cl->setContentsMargins(0, 0, 0, 0);
  cl->setSpacing(1);
  cl->addWidget(editor);
  field.error = new QLabel;
  field.error->setWordWrap(true);
  field.error->setStyleSheet("color: #c0392b;");
  field.error->hide();
  cl->addWidget(field.error);
  field.editor = editor;
  auto* label = new QLabel(settingTitle(spec));
  label->setObjectName("settingTitle");
  label->setWordWrap(true);
  label->setToolTip(tip);
  label->setBuddy(editor);
  form->addWidget(label);
  form->addWidget(column);
  form->addSpacing(4);
  fields_[k] = field;
}

QStringList PresetPanel::settingTitles() const {
  QStringList out;
  if (body_)
    for (const QLabel* l : body_->findChildren<QLabel*>("settingTitle")) out << l->text();
  return out;
}

void PresetPanel::fieldChanged(const QString& key, const QString& value) {
  auto it = fields_.find(key);
  const app::PresetInfo* preset = catalog_.find(current_);
  if (it == fields_.end() || !preset) return;
  Field& f = it->second;
  f.value = value;
  const SettingSpec* spec = preset->settings.spec(key.toStdString());
  const auto problem = spec ? spec->validate(value.toStdString()) : std::optional<std::string>{};
  f.problem = problem ? QString::fromStdString(*problem) : QString();
  f.error->setText(f.problem);
  f.error->setVisible(!f.problem.isEmpty());
  QWidget* marked = f.editor->findChild<QLineEdit*>() ? f.editor->findChild<QLineEdit*>() : f.editor;
  marked->setStyleSheet(f.problem.isEmpty() ? QString() : QStringLiteral("border: 2px solid #c0392b;"));
  refreshApply();
  showTeacherSection();
}

void PresetPanel::refreshApply() {
  if (!current_.empty() && isValid()) memory_->setPreset(editedPreset());
  apply_->setEnabled(isValid() && memory_->acceptable() && !current_.empty());
  apply_->setToolTip(!isValid()               ? tr("Fix the marked settings first")
                     : !memory_->acceptable() ? memory_->problem()
                                              : tr("Rebuild the experiment with these settings"));
}

bool PresetPanel::isValid() const {
  for (const auto& [k, f] : fields_)
    if (!f.problem.isEmpty()) return false;
  return true;
}

app::PresetInfo PresetPanel::editedPreset() const {
  app::PresetInfo preset;
  if (const app::PresetInfo* p = catalog_.find(current_)) preset = *p;
  for (const auto& [k, f] : fields_)
    if (f.problem.isEmpty()) preset.settings.set(k.toStdString(), f.value.toStdString());
  return preset;
}

bool PresetPanel::setValueText(const QString& key, const QString& text) {
  auto it = fields_.find(key);
  if (it == fields_.end()) return false;
  if (auto* line = qobject_cast<QLineEdit*>(it->second.editor))
    line->setText(text);
  else if (auto* inner = it->second.editor->findChild<QLineEdit*>())
    inner->setText(text);
  fieldChanged(key, text);
  return true;
}

QString PresetPanel::errorFor(const QString& key) const {
  auto it = fields_.find(key);
  return it == fields_.end() ? QString() : it->second.problem;
}

}  // namespace attent::ui

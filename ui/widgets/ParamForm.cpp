#include "widgets/ParamForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace latent {

namespace {
constexpr double kFloatLimit = 1e12;

int clampToInt(double v) {
    return int(std::clamp(v, double(INT_MIN), double(INT_MAX)));
}

QString labelFor(const ParamSpec& spec) {
    return QString::fromStdString(spec.label.empty() ? spec.name : spec.label);
}

int decimalsFor(const ParamSpec& spec) {
    if (spec.step > 0) {
        const int d = int(std::ceil(-std::log10(spec.step) - 1e-9));
        return std::clamp(d, 0, 6);
    }
    return 3;
}
}  // namespace

ParamForm::ParamForm(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(8);
    m_layout = new QFormLayout;
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_layout->setHorizontalSpacing(12);
    m_layout->setVerticalSpacing(6);
    outer->addLayout(m_layout);
    m_emptyLabel = new QLabel(tr("This task has no parameters."), this);
    m_emptyLabel->setEnabled(false);
    outer->addWidget(m_emptyLabel);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_resetButton = new QPushButton(tr("Reset to defaults"), this);
    m_resetButton->setObjectName(QStringLiteral("resetParams"));
    m_resetButton->setToolTip(tr("Set every parameter back to the model's default"));
    buttons->addWidget(m_resetButton);
    outer->addLayout(buttons);
    connect(m_resetButton, &QPushButton::clicked, this, &ParamForm::resetToDefaults);
    m_resetButton->setEnabled(false);
}

void ParamForm::clearFields() {
    while (m_layout->rowCount() > 0) m_layout->removeRow(0);  // deletes the widgets
    m_fields.clear();
}

void ParamForm::setSchema(ParamSchema schema) {
    clearFields();
    m_schema = std::move(schema);
    for (const ParamSpec& spec : m_schema) {
        Field f;
        f.spec = spec;
        f.editor = createEditor(spec);
        f.label = new QLabel(labelFor(spec), this);
        const QString tip = QString::fromStdString(spec.description);
        f.label->setToolTip(tip);
        f.label->setBuddy(f.editor);
        f.editor->setToolTip(tip);
        f.editor->setObjectName(QStringLiteral("param_") + QString::fromStdString(spec.name));
        m_layout->addRow(f.label, f.editor);
        m_fields.push_back(f);
        setFieldValue(m_fields.back(), spec.defaultValue);
    }
    m_emptyLabel->setVisible(m_fields.empty());
    m_resetButton->setEnabled(!m_fields.empty());
    Q_EMIT valuesChanged();
}

QWidget* ParamForm::createEditor(const ParamSpec& spec) {
    const QString suffix = spec.unit.empty() ? QString() : QStringLiteral(" ") + QString::fromStdString(spec.unit);
    QWidget* editor = nullptr;
    switch (spec.type) {
        case ParamType::Int: {
            auto* box = new QSpinBox(this);
            box->setRange(spec.minimum ? clampToInt(std::ceil(*spec.minimum)) : INT_MIN,
                          spec.maximum ? clampToInt(std::floor(*spec.maximum)) : INT_MAX);
            box->setSingleStep(spec.step >= 1 ? clampToInt(spec.step) : 1);
            box->setSuffix(suffix);
            box->setAccelerated(true);
            connect(box, &QSpinBox::valueChanged, this, &ParamForm::valuesChanged);
            editor = box;
            break;
        }
        case ParamType::Float: {
            auto* box = new QDoubleSpinBox(this);
            box->setDecimals(decimalsFor(spec));
            box->setRange(spec.minimum ? *spec.minimum : -kFloatLimit, spec.maximum ? *spec.maximum : kFloatLimit);
            double step = spec.step;
            if (step <= 0) {
                step = (spec.minimum && spec.maximum) ? (*spec.maximum - *spec.minimum) / 100.0 : 0.1;
                if (step <= 0) step = 0.1;
            }
            box->setSingleStep(step);
            box->setSuffix(suffix);
            box->setAccelerated(true);
            connect(box, &QDoubleSpinBox::valueChanged, this, &ParamForm::valuesChanged);
            editor = box;
            break;
        }
        case ParamType::Bool: {
            auto* box = new QCheckBox(this);
            connect(box, &QCheckBox::toggled, this, &ParamForm::valuesChanged);
            editor = box;
            break;
        }
        case ParamType::Choice: {
            auto* box = new QComboBox(this);
            for (const auto& c : spec.choices) box->addItem(QString::fromStdString(c));
            connect(box, &QComboBox::currentIndexChanged, this, &ParamForm::valuesChanged);
            editor = box;
            break;
        }
        case ParamType::String:
        case ParamType::Invalid:
        default: {
            auto* edit = new QLineEdit(this);
            edit->setClearButtonEnabled(true);
            connect(edit, &QLineEdit::textChanged, this, &ParamForm::valuesChanged);
            editor = edit;
            break;
        }
    }
    // A wheel over a spin box inside a scrolled form should scroll the form,
    // not silently change a value the user never focused.
    editor->setFocusPolicy(Qt::StrongFocus);
    editor->installEventFilter(this);
    return editor;
}

bool ParamForm::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Wheel) {
        auto* w = qobject_cast<QWidget*>(watched);
        if (w && !w->hasFocus()) {
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

std::optional<ParamValue> ParamForm::coerce(const ParamSpec& spec, const ParamValue& value) {
    switch (spec.type) {
        case ParamType::Int:
            if (auto* i = std::get_if<std::int64_t>(&value)) return *i;
            if (auto* d = std::get_if<double>(&value)) return std::int64_t(std::llround(*d));
            return std::nullopt;
        case ParamType::Float:
            if (auto* d = std::get_if<double>(&value)) return *d;
            if (auto* i = std::get_if<std::int64_t>(&value)) return double(*i);
            return std::nullopt;
        case ParamType::Bool:
            if (auto* b = std::get_if<bool>(&value)) return *b;
            return std::nullopt;
        case ParamType::Choice: {
            auto* s = std::get_if<std::string>(&value);
            if (!s || std::find(spec.choices.begin(), spec.choices.end(), *s) == spec.choices.end())
                return std::nullopt;
            return *s;
        }
        case ParamType::String:
            if (auto* s = std::get_if<std::string>(&value)) return *s;
            return std::nullopt;
        default: return std::nullopt;
    }
}

void ParamForm::setValueNames(const QString& name, const std::vector<std::pair<std::int64_t, QString>>& names) {
    const std::string key = name.toStdString();
    for (Field& f : m_fields) {
        if (f.spec.name != key || f.spec.type != ParamType::Int || names.empty()) continue;
        auto* box = new QComboBox(this);
        for (const auto& [value, text] : names) box->addItem(text, QVariant::fromValue<qlonglong>(value));
        const ParamValue current = fieldValue(f);
        f.named = true;
        useComboBox(f, box, current);
    }
}

void ParamForm::setTextChoices(const QString& name, const QStringList& choices) {
    const std::string key = name.toStdString();
    for (Field& f : m_fields) {
        if (f.spec.name != key || f.spec.type != ParamType::String || choices.isEmpty()) continue;
        const ParamValue current = fieldValue(f);
        f.spec.type = ParamType::Choice;
        f.spec.choices.clear();
        for (const QString& c : choices) f.spec.choices.push_back(c.toStdString());
        if (!coerce(f.spec, f.spec.defaultValue)) f.spec.defaultValue = f.spec.choices.front();
        auto* box = new QComboBox(this);
        box->addItems(choices);
        useComboBox(f, box, current);
    }
}

// Puts `box` where the field's editor was, showing `current` (else the
// default, else the first entry).
void ParamForm::useComboBox(Field& f, QComboBox* box, const ParamValue& current) {
    box->setObjectName(f.editor->objectName());
    box->setToolTip(f.editor->toolTip());
    delete m_layout->replaceWidget(f.editor, box);
    f.editor->deleteLater();
    f.editor = box;
    f.label->setBuddy(box);
    setFieldValue(f, current);
    if (box->currentIndex() < 0) setFieldValue(f, f.spec.defaultValue);
    if (box->currentIndex() < 0) box->setCurrentIndex(0);
    connect(box, &QComboBox::currentIndexChanged, this, &ParamForm::valuesChanged);
    Q_EMIT valuesChanged();
}

void ParamForm::setFieldValue(const Field& field, const ParamValue& raw) {
    const auto value = coerce(field.spec, raw);
    if (!value) return;
    if (field.named) {
        auto* box = static_cast<QComboBox*>(field.editor);
        const int i = box->findData(QVariant::fromValue<qlonglong>(std::get<std::int64_t>(*value)));
        if (i >= 0) box->setCurrentIndex(i);
        return;
    }
    switch (field.spec.type) {
        case ParamType::Int:
            static_cast<QSpinBox*>(field.editor)->setValue(clampToInt(double(std::get<std::int64_t>(*value))));
            break;
        case ParamType::Float: static_cast<QDoubleSpinBox*>(field.editor)->setValue(std::get<double>(*value)); break;
        case ParamType::Bool: static_cast<QCheckBox*>(field.editor)->setChecked(std::get<bool>(*value)); break;
        case ParamType::Choice: {
            auto* box = static_cast<QComboBox*>(field.editor);
            box->setCurrentIndex(box->findText(QString::fromStdString(std::get<std::string>(*value))));
            break;
        }
        default:
            static_cast<QLineEdit*>(field.editor)->setText(QString::fromStdString(std::get<std::string>(*value)));
            break;
    }
}

ParamValue ParamForm::fieldValue(const Field& field) const {
    if (field.named) return std::int64_t(static_cast<QComboBox*>(field.editor)->currentData().toLongLong());
    switch (field.spec.type) {
        case ParamType::Int: return std::int64_t(static_cast<QSpinBox*>(field.editor)->value());
        case ParamType::Float: return static_cast<QDoubleSpinBox*>(field.editor)->value();
        case ParamType::Bool: return static_cast<QCheckBox*>(field.editor)->isChecked();
        case ParamType::Choice: return static_cast<QComboBox*>(field.editor)->currentText().toStdString();
        default: return static_cast<QLineEdit*>(field.editor)->text().toStdString();
    }
}

ParamMap ParamForm::values() const {
    ParamMap out;
    for (const Field& f : m_fields) out[f.spec.name] = fieldValue(f);
    return out;
}

void ParamForm::setValues(const ParamMap& values) {
    for (const Field& f : m_fields) {
        auto it = values.find(f.spec.name);
        if (it != values.end()) setFieldValue(f, it->second);
    }
}

QWidget* ParamForm::editor(const QString& name) const {
    const std::string key = name.toStdString();
    for (const Field& f : m_fields)
        if (f.spec.name == key) return f.editor;
    return nullptr;
}

void ParamForm::resetToDefaults() {
    for (const Field& f : m_fields) setFieldValue(f, f.spec.defaultValue);
}

}  // namespace latent

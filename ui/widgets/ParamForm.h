#pragma once
// One generic form for any parameter schema (DESIGN §3): Int → spin box,
// Float → double spin box, Bool → check box, Choice → combo box,
// String → line edit, with range, step, unit suffix and description tooltip.
#include <QStringList>
#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

#include "latent/ParamSpec.h"

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;

namespace latent {

class ParamForm : public QWidget {
    Q_OBJECT
public:
    explicit ParamForm(QWidget* parent = nullptr);

    // Rebuilds the form; every field starts at its default.
    void setSchema(ParamSchema schema);
    const ParamSchema& schema() const { return m_schema; }
    bool isEmpty() const { return m_fields.empty(); }

    ParamMap values() const;
    // Sets the named fields; unknown names and values that do not fit the
    // field's type are ignored, numbers are converted and clamped.
    void setValues(const ParamMap& values);
    QWidget* editor(const QString& name) const;
    // Shows the integer field `name` as a list of named values (e.g. a
    // model's classes, with -1 = "Random") instead of a spin box; its value
    // stays the integer. Ignored for unknown or non-integer fields. The next
    // setSchema() drops the names.
    void setValueNames(const QString& name, const std::vector<std::pair<std::int64_t, QString>>& names);
    // Shows the text field `name` as a list of `choices` (e.g. a sound
    // model's class names) instead of a line edit; its value stays the text.
    // Ignored for unknown or non-text fields and an empty list. The next
    // setSchema() drops the list.
    void setTextChoices(const QString& name, const QStringList& choices);

    // Converts `value` to `spec`'s type where that is meaningful.
    static std::optional<ParamValue> coerce(const ParamSpec& spec, const ParamValue& value);

public Q_SLOTS:
    void resetToDefaults();

Q_SIGNALS:
    void valuesChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Field {
        ParamSpec spec;
        QWidget* editor = nullptr;
        QLabel* label = nullptr;
        bool named = false;  // an Int shown as a QComboBox of named values
    };
    QWidget* createEditor(const ParamSpec& spec);
    void setFieldValue(const Field& field, const ParamValue& value);
    void useComboBox(Field& field, QComboBox* box, const ParamValue& current);
    ParamValue fieldValue(const Field& field) const;
    void clearFields();

    ParamSchema m_schema;
    std::vector<Field> m_fields;
    QFormLayout* m_layout;
    QLabel* m_emptyLabel;
    QPushButton* m_resetButton;
};

}  // namespace latent

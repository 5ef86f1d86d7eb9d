#pragma once
// The latent editor of the selected image (lives in the "Latent sliders"
// dock): one row per direction with a lock, its name, a slider from −3 to 3
// in steps of 0.01 and the value. Dragging reports the values continuously
// (valuesEdited) and, on release, once as an edit (editCommitted) that the
// panel turns into an undo command; keyboard and wheel steps commit at once.
// Reset and Randomise leave locked rows alone.
#include <QList>
#include <QSet>
#include <QString>
#include <QWidget>

#include <vector>

class QAction;
class QCheckBox;
class QDoubleSpinBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QRandomGenerator;
class QScrollArea;
class QSlider;

namespace latent {

class LatentDirectionSet;
struct LatentDirection;

class LatentSliders : public QWidget {
    Q_OBJECT
public:
    static constexpr double kRange = 3.0;
    static constexpr int kTicksPerUnit = 100;  // slider resolution 0.01

    explicit LatentSliders(QWidget* parent = nullptr);

    // Rebuilds the rows; locks carry over by direction name.
    void setDirections(const LatentDirectionSet& set);
    // Rows that are not a model's direction set (an audio model's per-dimension
    // offset and scale); `source` is the line under the rows.
    void setRows(const std::vector<LatentDirection>& rows, const QString& source);
    int count() const { return int(m_rows.size()); }
    QString directionName(int i) const;

    // The header: which image is edited ("Image 2 · seed 1234") and its
    // scores; an empty title shows the "select an image" hint and disables the rows.
    void setImageInfo(const QString& title, const QString& details);
    bool isEditable() const { return m_editable; }
    // What the header says while nothing is editable (the image panel's
    // "No image selected" by default).
    void setEmptyText(const QString& title, const QString& details);
    // A problem or notice about the directions (empty hides it).
    void setMessage(const QString& text);
    QString message() const;

    // Shows `values` without emitting anything (missing ones are 0).
    void setValues(const std::vector<double>& values);
    std::vector<double> values() const { return m_values; }

    bool isLocked(int i) const;
    void setLocked(int i, bool locked);
    double spread() const;  // Randomise draws N(0, 1) × spread
    void setSpread(double spread);

    // What Reset and Randomise would set, locks respected.
    std::vector<double> resetValues() const;
    std::vector<double> randomValues(QRandomGenerator& rng) const;

    QSlider* slider(int i) const;
    QCheckBox* lockBox(int i) const;
    QPushButton* resetButton() const { return m_reset; }
    QPushButton* randomiseButton() const { return m_randomise; }
    // Puts a tool button for `action` in the button row (undo, redo).
    void addToolAction(QAction* action);

    static QString formatValue(double v);

public Q_SLOTS:
    void reset();
    void randomise();

Q_SIGNALS:
    // While a slider moves: every value, as shown.
    void valuesEdited(const QList<double>& values);
    // One finished edit: a drag released, a key or wheel step, Reset,
    // Randomise. `slider` is the row for single-slider edits (so consecutive
    // ones can merge into one undo step), -1 otherwise.
    void editCommitted(const QList<double>& before, const QList<double>& after, const QString& text, int slider);

private:
    struct Row {
        QCheckBox* lock = nullptr;
        QLabel* name = nullptr;
        QSlider* slider = nullptr;
        QLabel* value = nullptr;
        QString key;
    };
    void clearRows();
    void onSliderMoved(int row, int ticks);
    void commit(const QString& text, int slider);
    void setAll(const std::vector<double>& values, const QString& text);
    void updateEnabled();

    QLabel* m_title = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_source = nullptr;
    QWidget* m_rowsHost = nullptr;
    QGridLayout* m_grid = nullptr;
    QScrollArea* m_scroll = nullptr;
    QPushButton* m_reset = nullptr;
    QPushButton* m_randomise = nullptr;
    QDoubleSpinBox* m_spread = nullptr;
    QHBoxLayout* m_buttons = nullptr;
    std::vector<Row> m_rows;
    std::vector<double> m_values;
    std::vector<double> m_committed;  // values at the last commit: the next edit's "before"
    QSet<QString> m_locked;           // by direction name, across models
    bool m_editable = false;
    QString m_emptyTitle;
    QString m_emptyDetails;
    bool m_updating = false;
};

}  // namespace latent

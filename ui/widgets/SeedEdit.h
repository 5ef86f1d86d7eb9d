#pragma once
// The seed of the next job: a number the user can type, a dice button that
// rolls a new one, and "random each time" which rolls before every run. The
// seed used is always visible, so any result can be reproduced.
#include <QWidget>

#include <cstdint>

class QCheckBox;
class QLineEdit;
class QToolButton;

namespace latent {

class SeedEdit : public QWidget {
    Q_OBJECT
public:
    explicit SeedEdit(QWidget* parent = nullptr);

    std::uint64_t seed() const;
    void setSeed(std::uint64_t seed);
    bool randomEachTime() const;
    void setRandomEachTime(bool on);

    // The seed for the next run: a fresh roll in random mode, else seed().
    std::uint64_t nextSeed();

public Q_SLOTS:
    void roll();

private:
    QLineEdit* m_edit;
    QToolButton* m_dice;
    QCheckBox* m_random;
};

}  // namespace latent

#include "widgets/SeedEdit.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QToolButton>

namespace latent {

SeedEdit::SeedEdit(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("seedValue"));
    // Any unsigned 64-bit number; the check below rejects overflow.
    m_edit->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,20}")), m_edit));
    m_edit->setToolTip(tr("Seed of the random number generator: the same seed and settings give the same result"));
    m_dice = new QToolButton(this);
    m_dice->setObjectName(QStringLiteral("seedDice"));
    m_dice->setIcon(QIcon(QStringLiteral(":/icons/dice.svg")));
    m_dice->setToolTip(tr("Roll a new random seed"));
    m_dice->setAutoRaise(true);
    m_random = new QCheckBox(tr("Random each time"), this);
    m_random->setObjectName(QStringLiteral("seedRandom"));
    m_random->setToolTip(tr("Roll a new seed before every run; off keeps the seed fixed"));
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_dice);
    layout->addWidget(m_random);
    connect(m_dice, &QToolButton::clicked, this, &SeedEdit::roll);
    connect(m_random, &QCheckBox::toggled, m_edit, [this](bool on) { m_edit->setReadOnly(on); });
    roll();
    m_random->setChecked(true);
}

std::uint64_t SeedEdit::seed() const {
    bool ok = false;
    const qulonglong v = m_edit->text().toULongLong(&ok);
    return ok ? std::uint64_t(v) : 0;
}

void SeedEdit::setSeed(std::uint64_t seed) { m_edit->setText(QString::number(qulonglong(seed))); }

bool SeedEdit::randomEachTime() const { return m_random->isChecked(); }

void SeedEdit::setRandomEachTime(bool on) { m_random->setChecked(on); }

std::uint64_t SeedEdit::nextSeed() {
    if (randomEachTime() || m_edit->text().isEmpty()) roll();
    return seed();
}

void SeedEdit::roll() {
    // 32-bit seeds are plenty here and easy to read back and type.
    setSeed(QRandomGenerator::global()->generate());
}

}  // namespace latent

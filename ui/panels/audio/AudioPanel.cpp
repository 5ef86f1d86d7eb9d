// The Audio panel's layout, transport, keyboard and form hooks; the jobs and
// slider renders are in AudioPanelJobs.cpp, files in AudioPanelFiles.cpp.
#include "panels/audio/AudioPanel.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "latent/ModelPackage.h"

#include "app/Studio.h"
#include "audio/AudioPlayer.h"
#include "audio/AudioTake.h"
#include "audio/PianoKeyboard.h"
#include "audio/TransportBar.h"
#include "models/ModelListModel.h"
#include "panels/image/LatentSliders.h"
#include "widgets/AudioViewData.h"
#include "widgets/AudioViewRange.h"
#include "widgets/MessageBanner.h"
#include "widgets/ParamForm.h"
#include "widgets/SpectrogramView.h"
#include "widgets/UndoActions.h"
#include "widgets/WaveformView.h"

namespace latent {

namespace {
QToolButton* toolButton(QAction* action, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAutoRaise(true);
    return b;
}
}  // namespace

AudioPanel::AudioPanel(Studio& studio, QWidget* parent) : GenerationPanel(Modality::Audio, studio, parent) {
    setAcceptDrops(true);
    m_undo = new QUndoStack(this);
    m_player = new AudioPlayer(this);
    m_sliders = new LatentSliders();
    m_sliders->setObjectName(QStringLiteral("audioLatentSliders"));
    m_sliders->setEmptyText(tr("No sound yet"),
                            tr("Generate a sound, play a note or open a Latent Studio export to edit its latent "
                               "here; each move re-renders the sound and plays it."));
    m_renderTimer = new QTimer(this);
    m_renderTimer->setSingleShot(true);
    connect(m_renderTimer, &QTimer::timeout, this, &AudioPanel::submitRender);
    m_readTimer = new QTimer(this);
    m_readTimer->setInterval(0);
    connect(m_readTimer, &QTimer::timeout, this, &AudioPanel::readMore);
    setOutputWidget(buildOutput());

    connect(m_sliders, &LatentSliders::valuesEdited, this, &AudioPanel::onSlidersEdited);
    connect(m_sliders, &LatentSliders::editCommitted, this, &AudioPanel::onSlidersCommitted);
    m_sliders->addToolAction(m_undoAction);
    m_sliders->addToolAction(m_redoAction);

    connect(m_player, &AudioPlayer::positionChanged, m_range, &AudioViewRange::setPlayhead);
    connect(m_player, &AudioPlayer::error, this, [this](const QString& message) {
        if (message == AudioPlayer::noDeviceMessage()) showNoDeviceOnce();
        else showError(message);
    });
    connect(m_player, &AudioPlayer::startLatencyMeasured, this, [](double ms) {
        spdlog::debug("Audio panel: first block to the sink in {:.1f} ms", ms);
    });
    connect(m_waveform, &AudioTimeView::scrubRequested, m_player, &AudioPlayer::seek);
    connect(m_spectrogram, &AudioTimeView::scrubRequested, m_player, &AudioPlayer::seek);
    connect(m_range, &AudioViewRange::selectionChanged, this, [this] { syncLoop(); });
    connect(m_transport, &TransportBar::loopToggled, this, [this] { syncLoop(); });
    connect(m_transport, &TransportBar::compareToggled, this, &AudioPanel::onCompareToggled);
    connect(m_keyboard, &PianoKeyboard::notePressed, this, [this](int midi, int velocity) { playNote(midi, velocity); });
    connect(paramForm(), &ParamForm::valuesChanged, this, &AudioPanel::updateKeyboard);
    finishSetup();
    updateActions();
}

AudioPanel::~AudioPanel() {
    if (m_sliders && !m_sliders->parent()) delete m_sliders;
}

LatentSliders* AudioPanel::latentSliders() const { return m_sliders; }

QWidget* AudioPanel::buildOutput() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_openAction = new QAction(QIcon(QStringLiteral(":/icons/open.svg")), tr("Open sound…"), this);
    m_openAction->setObjectName(QStringLiteral("audioOpen"));
    m_openAction->setToolTip(tr("Open a WAV, FLAC, Ogg or MP3 file (or drop one here)"));
    connect(m_openAction, &QAction::triggered, this, &AudioPanel::openAudioInteractive);
    m_exportAction = new QAction(QIcon(QStringLiteral(":/icons/save.svg")), tr("Export…"), this);
    m_exportAction->setObjectName(QStringLiteral("audioExport"));
    m_exportAction->setToolTip(tr("Write the sound as WAV, FLAC or Ogg Vorbis with its settings in the file"));
    connect(m_exportAction, &QAction::triggered, this, &AudioPanel::exportAudioInteractive);
    const UndoActions undo = makeUndoActions(this, m_undo);
    m_undoAction = undo.undo;
    m_undoAction->setObjectName(QStringLiteral("audioUndo"));
    m_redoAction = undo.redo;
    m_redoAction->setObjectName(QStringLiteral("audioRedo"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(toolButton(m_openAction, box));
    bar->addWidget(toolButton(m_exportAction, box));
    bar->addSpacing(8);
    m_info = new QLabel(box);
    m_info->setObjectName(QStringLiteral("audioInfo"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long title must not widen the window: the label gives way (and elides).
    m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(m_info, 1);
    layout->addLayout(bar);

    m_view = new AudioViewData(this);
    m_range = new AudioViewRange(this);
    m_waveform = new WaveformView(box);
    m_waveform->setObjectName(QStringLiteral("audioWaveform"));
    m_waveform->setData(m_view);
    m_waveform->setRange(m_range);
    m_waveform->setPlaceholderText(tr("Generate a sound, play a note on the keyboard, or drop a sound file here."));
    m_spectrogram = new SpectrogramView(box);
    m_spectrogram->setObjectName(QStringLiteral("audioSpectrogram"));
    m_spectrogram->setData(m_view);
    m_spectrogram->setRange(m_range);
    m_spectrogram->setRulerVisible(false);
    auto* views = new QSplitter(Qt::Vertical, box);
    views->setObjectName(QStringLiteral("audioViews"));
    views->addWidget(m_waveform);
    views->addWidget(m_spectrogram);
    views->setStretchFactor(0, 2);
    views->setStretchFactor(1, 3);
    views->setChildrenCollapsible(false);
    layout->addWidget(views, 1);

    m_transport = new TransportBar(box);
    m_transport->setObjectName(QStringLiteral("audioTransport"));
    m_transport->attach(m_player);
    // Space plays and pauses anywhere in the panel (text fields keep theirs).
    addAction(m_transport->playPauseAction());
    layout->addWidget(m_transport);

    m_keyboard = new PianoKeyboard(box);
    m_keyboard->setObjectName(QStringLiteral("audioKeyboard"));
    m_keyboard->setVisible(false);
    layout->addWidget(m_keyboard);
    return box;
}

const ModelPackage* AudioPanel::package(const QString& modelId) const {
    return modelId.isEmpty() ? nullptr : studio().models()->findValid(modelId);
}

void AudioPanel::showNoDeviceOnce() {
    if (m_noDeviceShown) return;
    m_noDeviceShown = true;
    spdlog::warn("Audio panel: {}", AudioPlayer::noDeviceMessage().toStdString());
    banner()->showMessage(MessageBanner::Kind::Info, AudioPlayer::noDeviceMessage());
}

void AudioPanel::updateActions() {
    const bool hasSound = m_take && m_take->frames() > 0;
    m_exportAction->setEnabled(hasSound && !m_comparing);
    m_transport->setCompareAvailable(m_previous && m_previous->frames() > 0);
    m_transport->setLoopEnabled(m_range->hasSelection());
}

QString AudioPanel::infoText() const { return m_info->toolTip(); }

void AudioPanel::updateInfo() {
    const std::shared_ptr<AudioTake>& t = m_comparing ? m_previous : m_take;
    if (!t) {
        m_info->clear();
        return;
    }
    QStringList parts;
    parts << (m_comparing ? tr("B: previous take") : m_sound.title);
    // An opened file longer than the take shows whole in the views: say both.
    const bool cut = !m_comparing && t == m_inputTake && m_view->frames() > t->frames();
    parts << tr("%1 s").arg(cut ? double(m_view->frames()) / t->sampleRateHz() : t->durationSeconds(), 0, 'f', 2);
    if (cut) parts << tr("the first %1 min play").arg(t->durationSeconds() / 60.0, 0, 'f', 0);
    parts << tr("%1 Hz").arg(t->sampleRateHz());
    parts << (t->channels() == 1 ? tr("mono") : t->channels() == 2 ? tr("stereo") : tr("%1 channels").arg(t->channels()));
    const float peak = t->peak(0, t->frames());
    parts << (peak > 0 ? tr("peak %1 dBFS").arg(20.0 * std::log10(double(peak)), 0, 'f', 1) : tr("silent"));
    if (!t->finished()) parts << tr("receiving…");
    const QString text = parts.join(QStringLiteral(" · "));
    m_info->setToolTip(text);
    m_info->setText(m_info->fontMetrics().elidedText(text, Qt::ElideMiddle, std::max(80, m_info->width())));
}

void AudioPanel::taskSelected(const TaskInfo& task) {
    const bool hasClass = std::any_of(task.params.begin(), task.params.end(),
                                      [](const ParamSpec& p) { return p.name == "class"; });
    if (hasClass)
        if (const ModelPackage* p = package(currentModelId())) {
            QStringList names;
            for (const auto& c : p->latent.value("classes", nlohmann::json::array()))
                if (c.is_string()) names << QString::fromStdString(c.get<std::string>());
            if (!names.isEmpty()) paramForm()->setTextChoices(QStringLiteral("class"), names);
        }
    updateKeyboard();
}

bool AudioPanel::wantsPrompt(const QString&) const { return false; }

// The keyboard shows for models with a pitch parameter; it plays while the
// chosen class is pitched (config.pitched, when the package says).
void AudioPanel::updateKeyboard() {
    const ParamMap values = paramForm()->values();
    const bool hasPitch = values.count("pitch") > 0;
    bool pitched = hasPitch;
    if (hasPitch)
        if (const ModelPackage* p = package(currentModelId())) {
            const auto classes = p->latent.value("classes", nlohmann::json::array());
            const auto flags = p->config.is_object() ? p->config.value("pitched", nlohmann::json::array())
                                                     : nlohmann::json::array();
            const auto cls = values.find("class");
            if (cls != values.end() && flags.is_array() && flags.size() == classes.size())
                if (const auto* name = std::get_if<std::string>(&cls->second))
                    for (std::size_t i = 0; i < classes.size(); ++i)
                        if (classes[i].is_string() && classes[i].get<std::string>() == *name)
                            pitched = (flags[i].is_boolean() && flags[i].get<bool>()) ||
                                      (flags[i].is_number_integer() && flags[i] == 1);
        }
    m_keyboard->setVisible(hasPitch);
    m_keyboard->setEnabled(pitched && canGenerate());
    m_keyboard->setToolTip(pitched ? tr("Click a key or type (A W S E D …) to render and play that note")
                                   : tr("This class is not pitched: Generate plays it"));
    if (hasPitch)
        if (const auto* pitch = std::get_if<std::int64_t>(&values.at("pitch"))) m_keyboard->setCurrentPitch(int(*pitch));
}

void AudioPanel::keyPressEvent(QKeyEvent* event) {
    if (m_keyboard->isVisible() && m_keyboard->isEnabled() && m_keyboard->handleKeyPress(event)) return;
    GenerationPanel::keyPressEvent(event);
}

void AudioPanel::keyReleaseEvent(QKeyEvent* event) {
    if (m_keyboard->isVisible() && m_keyboard->handleKeyRelease(event)) return;
    GenerationPanel::keyReleaseEvent(event);
}

void AudioPanel::syncLoop() {
    const bool selection = m_range->hasSelection();
    m_transport->setLoopEnabled(selection);
    if (selection && m_transport->isLoopChecked()) m_player->setLoop(m_range->selectionStart(), m_range->selectionEnd());
    else m_player->clearLoop();
}

void AudioPanel::onCompareToggled(bool on) {
    if (on == m_comparing) return;
    if (on && !(m_previous && m_previous->frames() > 0)) {
        m_transport->setCompareChecked(false);
        return;
    }
    const bool wasPlaying = m_player->isPlaying();
    const qint64 at = m_player->positionFrame();
    m_comparing = on;
    showTake(on ? m_previous : m_take);
    // A/B keeps the place, so the same moment of both takes can be heard.
    m_player->seek(at);
    if (wasPlaying) m_player->play();
    updateInfo();
    updateActions();
}

void AudioPanel::saveExtraState(QSettings& settings) const {
    settings.setValue(QStringLiteral("keyboardOctave"), m_keyboard->keyboardOctave());
    settings.setValue(QStringLiteral("keyboardVelocity"), m_keyboard->keyboardVelocity());
    settings.setValue(QStringLiteral("volume"), m_player->volume());
}

void AudioPanel::restoreExtraState(QSettings& settings) {
    m_keyboard->setKeyboardOctave(settings.value(QStringLiteral("keyboardOctave"), m_keyboard->keyboardOctave()).toInt());
    m_keyboard->setKeyboardVelocity(
        settings.value(QStringLiteral("keyboardVelocity"), m_keyboard->keyboardVelocity()).toInt());
    m_player->setVolume(std::clamp(settings.value(QStringLiteral("volume"), 1.0).toDouble(), 0.0, 1.0));
}

void AudioPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        for (const QUrl& url : event->mimeData()->urls())
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
}

void AudioPanel::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            openAudioFile(url.toLocalFile());
            return;
        }
}

}  // namespace latent

#include "panels/text/TextPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QTextBlock>
#include <QVBoxLayout>

#include <cmath>
#include <random>

#include "app/Studio.h"
#include "models/ModelListModel.h"
#include "panels/text/CodeCompleter.h"
#include "panels/text/CodeEditor.h"
#include "panels/text/TokenTextView.h"
#include "widgets/MessageBanner.h"
#include "widgets/ParamForm.h"

namespace latent {

TextPanel::TextPanel(Studio& studio, QWidget* parent) : GenerationPanel(Modality::Text, studio, parent) {
    auto* root = new QWidget(this);
    auto* layout = new QVBoxLayout(root);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(buildToolbar());

    m_pages = new QStackedWidget(root);
    // Write: prompt above, streamed output below.
    auto* splitter = new QSplitter(Qt::Vertical, m_pages);
    splitter->setChildrenCollapsible(false);
    auto* top = new QWidget(splitter);
    auto* tl = new QVBoxLayout(top);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->setSpacing(4);
    tl->addWidget(new QLabel(tr("Prompt"), top));
    m_promptEdit = new QPlainTextEdit(top);
    m_promptEdit->setObjectName(QStringLiteral("textPrompt"));
    m_promptEdit->setPlaceholderText(tr("Write the beginning of a text; the model continues it. "
                                        "Score text rates this text instead."));
    tl->addWidget(m_promptEdit);
    auto* bottom = new QWidget(splitter);
    auto* bl = new QVBoxLayout(bottom);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->setSpacing(4);
    bl->addWidget(new QLabel(tr("Output"), bottom));
    m_output = new TokenTextView(bottom);
    m_output->setObjectName(QStringLiteral("textOutput"));
    m_output->setPlaceholderText(tr("Generated text streams in here, token by token. Turn on Likelihood to see "
                                    "how sure the model was of each token; click one to try another."));
    QFont f = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    f.setPointSizeF(f.pointSizeF() * 1.1);
    m_output->setFont(f);
    bl->addWidget(m_output);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setSizes({180, 420});
    m_pages->addWidget(splitter);

    // Code: one editor; completions appear as ghost text.
    auto* codePage = new QWidget(m_pages);
    auto* cl = new QVBoxLayout(codePage);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->setSpacing(4);
    m_code = new CodeEditor(codePage);
    m_code->setObjectName(QStringLiteral("codeEditor"));
    m_code->setPlaceholderText(tr("Write code; after a short pause at the end of a line the model suggests how it "
                                  "goes on. Tab accepts, Esc dismisses, typing on ignores it."));
    cl->addWidget(m_code);
    auto* hint = new QLabel(tr("Tab accepts a suggestion · Esc dismisses · Generate writes a completion at the cursor"),
                            codePage);
    hint->setEnabled(false);
    cl->addWidget(hint);
    m_pages->addWidget(codePage);
    layout->addWidget(m_pages, 1);

    m_completer = new CodeCompleter(studio, m_code, [this](JobRequest& r) { return fillCompletion(r); }, this);
    m_completer->setEnabled(false);
    connect(m_output, &TokenTextView::alternativeChosen, this, &TextPanel::regenerateFrom);
    connect(m_likelihood, &QCheckBox::toggled, m_output, &TokenTextView::setLikelihoodVisible);
    connect(modelPicker(), &QComboBox::currentIndexChanged, this, &TextPanel::updateLanguage);
    // Esc stops a running job through the window's Stop action (a second
    // Esc shortcut here would make both ambiguous, and neither would fire);
    // the code editor keeps Esc while it shows a suggestion.

    setOutputWidget(root);
    finishSetup();
    updateLanguage();
}

QWidget* TextPanel::buildToolbar() {
    auto* bar = new QWidget(this);
    auto* h = new QHBoxLayout(bar);
    h->setContentsMargins(0, 0, 0, 0);
    m_modeBar = new QTabBar(bar);
    m_modeBar->setObjectName(QStringLiteral("textMode"));
    m_modeBar->addTab(tr("Write"));
    m_modeBar->addTab(tr("Code"));
    m_modeBar->setDrawBase(false);
    connect(m_modeBar, &QTabBar::currentChanged, this, [this](int i) { setMode(i == 1 ? Mode::Code : Mode::Write); });
    h->addWidget(m_modeBar);
    m_likelihood = new QCheckBox(tr("Likelihood"), bar);
    m_likelihood->setObjectName(QStringLiteral("likelihoodToggle"));
    m_likelihood->setToolTip(tr("Colour each token by the probability the model gave it: green expected, red a "
                                "surprise. Hover for its top 5 rivals; click to regenerate from there."));
    h->addWidget(m_likelihood);
    auto button = [&](const QString& text, const QString& name, const QString& tip) {
        auto* b = new QPushButton(text, bar);
        b->setObjectName(name);
        b->setToolTip(tip);
        h->addWidget(b);
        return b;
    };
    m_continue = button(tr("Continue"), QStringLiteral("continueButton"), tr("Generate more after the output"));
    m_regenerate = button(tr("Regenerate"), QStringLiteral("regenerateButton"),
                          tr("Generate again from the prompt with a new seed"));
    m_score = button(tr("Score text"), QStringLiteral("scoreButton"),
                     tr("Rate the prompt text: perplexity and bits per byte, each token coloured"));
    m_export = button(tr("Export…"), QStringLiteral("exportButton"), tr("Save the text with its settings (.json beside it)"));
    connect(m_continue, &QPushButton::clicked, this, &TextPanel::continueText);
    connect(m_regenerate, &QPushButton::clicked, this, &TextPanel::regenerate);
    connect(m_score, &QPushButton::clicked, this, &TextPanel::scoreText);
    connect(m_export, &QPushButton::clicked, this, &TextPanel::exportDialog);
    m_stats = new QLabel(bar);
    m_stats->setObjectName(QStringLiteral("textStats"));
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long line of statistics is cut at the panel's edge (all of it in the
    // tooltip) rather than widening the window past the screen.
    m_stats->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_stats->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    h->addWidget(m_stats, 1);
    return bar;
}

void TextPanel::setMode(Mode mode) {
    if (mode != Mode::Code) mode = Mode::Write;
    m_mode = mode;
    const int page = mode == Mode::Code ? 1 : 0;  // tab and page order: Write, Code
    if (m_modeBar->currentIndex() != page) m_modeBar->setCurrentIndex(page);
    m_pages->setCurrentIndex(page);
    const bool write = mode == Mode::Write;
    m_likelihood->setVisible(write);
    m_continue->setVisible(write);
    m_regenerate->setVisible(write);
    m_score->setVisible(write);
    m_completer->setEnabled(!write);
    (write ? static_cast<QWidget*>(m_promptEdit) : m_code)->setFocus();
}

void TextPanel::updateLanguage() {
    QString language;
    if (const ModelPackage* p = studio().models() ? studio().models()->findValid(currentModelId()) : nullptr) {
        language = QString::fromStdString(p->config.value("language", std::string()));
        if (language.isEmpty() && QString::fromStdString(p->name).contains(QLatin1String("python"), Qt::CaseInsensitive))
            language = QStringLiteral("python");
    }
    m_code->setLanguage(language);
}

bool TextPanel::wantsPrompt(const QString&) const { return false; }

bool TextPanel::applyProvenance(const Provenance& p, QString* why) {
    if (!GenerationPanel::applyProvenance(p, why)) return false;
    const QString prompt = QString::fromStdString(p.prompt);
    if (p.task == "text.complete") {
        // Code mode's Generate completes the code before the cursor: put it all there.
        setMode(Mode::Code);
        m_code->setPlainText(prompt);
        m_code->moveCursor(QTextCursor::End);
    } else {
        setMode(Mode::Write);
        m_promptEdit->setPlainText(prompt);
    }
    return true;
}

bool TextPanel::fillCompletion(JobRequest& r) {
    if (!canGenerate()) return false;
    r.modelId = currentModelId().toStdString();
    r.task = "text.complete";
    // The form's sampling values when it shows the completion task; the task's defaults otherwise.
    if (currentTaskId() == QLatin1String("text.complete")) r.params = paramForm()->values();
    r.params["max_new_tokens"] = std::int64_t(48);
    r.seed = 0;  // the same code gets the same suggestion
    return true;
}

namespace {

// Scoring reads the text; sampling settings do not apply to it.
void forScoring(JobRequest& request) {
    if (request.task != "text.score") return;
    request.params.clear();
    request.label += " · score";
}

}  // namespace

JobId TextPanel::submitWrite(const std::string& task, std::vector<std::int32_t> continuation, bool newSeed) {
    auto request = formRequest();
    if (!request) return 0;
    request->task = task;
    // Continue and regenerate-from keep the prompt the output came from.
    request->inputs.prompt = !continuation.empty() && m_lastPrompt ? *m_lastPrompt
                                                                   : m_promptEdit->toPlainText().toStdString();
    request->inputs.continuationTokens = std::move(continuation);
    if (newSeed) request->seed = std::random_device{}() & 0xFFFFFFFFu;
    forScoring(*request);
    m_codeInsertAt = -1;
    return submit(std::move(*request));
}

JobId TextPanel::continueText() { return submitWrite("text.generate", m_output->tokenIds(), false); }

JobId TextPanel::regenerate() { return submitWrite("text.generate", {}, true); }

JobId TextPanel::scoreText() {
    if (m_promptEdit->toPlainText().isEmpty()) {
        showError(tr("Write or paste the text to score in the prompt box."));
        return 0;
    }
    return submitWrite("text.score", {}, false);
}

JobId TextPanel::regenerateFrom(int spanIndex, std::int32_t tokenId) {
    std::vector<std::int32_t> ids = m_output->tokenIdsBefore(spanIndex);
    ids.push_back(tokenId);
    return submitWrite("text.generate", std::move(ids), true);
}

void TextPanel::fillRequest(JobRequest& request) {
    if (m_mode == Mode::Code) {
        // Generate in code mode writes a completion at the cursor.
        request.task = "text.complete";
        QTextCursor c = m_code->textCursor();
        m_codeInsertAt = c.position();
        request.inputs.prompt = m_code->toPlainText().left(c.position()).toStdString();
    } else {
        request.inputs.prompt = m_promptEdit->toPlainText().toStdString();
        m_codeInsertAt = -1;
    }
    forScoring(request);
}

void TextPanel::jobStarting(const JobRequest& request) {
    m_jobTask = request.task;
    m_metrics.clear();
    m_ttftMs = -1;
    m_newTokens = 0;
    m_firstTokenMs = -1;
    m_clock.start();
    if (m_codeInsertAt >= 0) return;  // code mode inserts into the editor; the output stays
    // A scored text is itself the output: continuing it starts from no prompt.
    m_lastPrompt = request.task == "text.score" ? std::string() : request.inputs.prompt;
    m_output->clearTokens();
    if (request.task == "text.score") m_likelihood->setChecked(true);  // scoring is about the colours
    updateStats();
}

void TextPanel::chunkArrived(const JobInfo&, const Chunk& chunk) {
    if (const auto* m = std::get_if<Metric>(&chunk)) {
        m_metrics[m->name] = m->value;
        updateStats();
        return;
    }
    if (const auto* l = std::get_if<LogLine>(&chunk)) {
        if (l->level >= LogLevel::Warning) banner()->showMessage(MessageBanner::Kind::Info, QString::fromStdString(l->message));
        return;
    }
    const auto* delta = std::get_if<TextDelta>(&chunk);
    if (!delta) return;
    if (m_codeInsertAt >= 0) {
        if (delta->text.empty()) return;
        QTextCursor c(m_code->document());
        c.setPosition(std::min(m_codeInsertAt, m_code->document()->characterCount() - 1));
        const QString text = QString::fromStdString(delta->text);
        c.insertText(text);
        m_codeInsertAt = c.position();
        m_code->setTextCursor(c);
    } else {
        m_output->appendDelta(*delta);
    }
    if (!delta->tokenIds.empty() && m_metrics.count("time_to_first_token_ms")) {
        if (m_firstTokenMs < 0) m_firstTokenMs = m_clock.elapsed();
        m_newTokens += int(delta->tokenIds.size());
    }
    updateStats();
}

void TextPanel::jobEnded(JobState) { updateStats(); }

void TextPanel::updateStats() {
    QStringList parts;
    auto has = [&](const char* k) { return m_metrics.count(k) != 0; };
    if (m_jobTask == "text.score") {
        if (has("perplexity")) parts << tr("perplexity %1").arg(m_metrics["perplexity"], 0, 'f', 2);
        if (has("bits_per_byte")) parts << tr("%1 bits/byte").arg(m_metrics["bits_per_byte"], 0, 'f', 3);
        if (has("tokens")) parts << tr("%1 tokens").arg(int(m_metrics["tokens"]));
    } else {
        if (has("time_to_first_token_ms")) parts << tr("first token %1 ms").arg(m_metrics["time_to_first_token_ms"], 0, 'f', 0);
        // Live: from arrivals while running; afterwards the engine's own measurement.
        double rate = has("tokens_per_s") ? m_metrics["tokens_per_s"] : 0;
        if (isJobActive() && m_firstTokenMs >= 0 && m_newTokens > 1) {
            const double secs = double(m_clock.elapsed() - m_firstTokenMs) / 1000.0;
            if (secs > 0) rate = (m_newTokens - 1) / secs;
        }
        if (rate > 0) parts << tr("%1 tokens/s").arg(rate, 0, 'f', 1);
        if (m_newTokens > 0) parts << tr("%1 new tokens").arg(m_newTokens);
        if (has("prompt_tokens")) parts << tr("prompt %1 tokens").arg(int(m_metrics["prompt_tokens"]));
    }
    m_stats->setText(parts.join(QStringLiteral(" · ")));
    m_stats->setToolTip(m_stats->text());
}

void TextPanel::saveExtraState(QSettings& settings) const {
    settings.setValue(QStringLiteral("textPrompt"), m_promptEdit->toPlainText());
    settings.setValue(QStringLiteral("code"), m_code->toPlainText());
    settings.setValue(QStringLiteral("editorMode"), int(m_mode));
    settings.remove(QStringLiteral("mode"));  // 0 = Write, 1 = Code before issue 11
    settings.setValue(QStringLiteral("likelihood"), m_likelihood->isChecked());
}

void TextPanel::restoreExtraState(QSettings& settings) {
    m_promptEdit->setPlainText(settings.value(QStringLiteral("textPrompt")).toString());
    m_code->setPlainText(settings.value(QStringLiteral("code")).toString());
    m_likelihood->setChecked(settings.value(QStringLiteral("likelihood"), false).toBool());
    if (settings.contains(QStringLiteral("editorMode")))
        setMode(Mode(settings.value(QStringLiteral("editorMode")).toInt()));
    else
        setMode(settings.value(QStringLiteral("mode"), 0).toInt() == 1 ? Mode::Code : Mode::Write);
}

}  // namespace latent

// GenerationPanel, continued: loading a result's settings back into the
// panel (the library's "Use settings").
#include <QComboBox>
#include <QPlainTextEdit>

#include <spdlog/spdlog.h>

#include "panels/GenerationPanel.h"
#include "widgets/ParamForm.h"
#include "widgets/SeedEdit.h"

namespace latent {

bool GenerationPanel::applyProvenance(const Provenance& p, QString* why) {
    const QString model = QString::fromStdString(p.modelId);
    if (m_modelPicker->findData(model) < 0) {
        if (why)
            *why = tr("Model %1 is not installed (or not valid any more), so the settings of this result cannot be "
                      "loaded.")
                       .arg(model);
        return false;
    }
    selectModel(model);
    // Selecting the model already shown emits nothing; a model whose
    // tasks failed to load earlier gets another try.
    if (m_modelId != model || m_taskId.isEmpty()) loadModel();
    const int task = m_taskPicker->findData(QString::fromStdString(p.task));
    if (task >= 0) m_taskPicker->setCurrentIndex(task);  // loads the task's form (its saved values)
    else
        spdlog::warn("{} panel: model {} no longer offers task {}; its parameters go into {}",
                     modalityKey(m_modality).toStdString(), p.modelId, p.task, m_taskId.toStdString());
    // Every value it ran with; names the form does not know are ignored.
    m_form->setValues(p.params);
    m_seed->setRandomEachTime(false);
    m_seed->setSeed(p.seed);
    if (m_promptWanted) m_prompt->setPlainText(QString::fromStdString(p.prompt));
    stashParams();
    updateActions();
    return true;
}

}  // namespace latent

#pragma once
// What the Audio panel knows about the sound on show: where it came from
// (model, task, parameters, seed, input file) and, for latent models, what
// its sliders edit. A global-latent model (a one-shot's single latent, e.g.
// audio-ddsp) re-renders by decoding base + Σ slider · direction; a
// path model (RAVE-style, a latent path at the model's latent rate) re-runs
// its task with a per-dimension offset and scale (JobInputs::latentOffset /
// latentScale), as RAVE's VST does.
#include <QString>

#include <cstdint>
#include <string_view>
#include <vector>

#include "latent/ParamValue.h"
#include "latent/Provenance.h"

namespace latent {

// Tasks that start from an input sound (the opened file) rather than a seed.
inline bool taskReadsInputSound(std::string_view task) { return task == "audio.transfer" || task == "audio.encode"; }

struct AudioSound {
    enum class Edit { None, Global, Path };

    QString title;       // "Take 3 · seed 1234", "drumloop.wav"
    QString modelId;     // empty: an opened file no model made
    QString task;
    ParamMap params;
    std::uint64_t seed = 0;
    Edit edit = Edit::None;
    std::vector<float> base;      // Global: the latent before the sliders
    std::vector<double> sliders;  // one value per slider row
    int latentDims = 0;           // Path: the model's latent dimensions
    QString inputFile;            // a transfer's source sound (Path re-renders read it again)
    QString inputName;
    Provenance provenance;        // of the job (or file) that made it; empty model id when none
    bool rendered = false;        // produced by a slider render, not Generate, a note or a file

    bool readsInput() const { return taskReadsInputSound(task.toStdString()); }
    bool editable() const {
        return !modelId.isEmpty() && ((edit == Edit::Global && !base.empty()) || (edit == Edit::Path && latentDims > 0));
    }
};

}  // namespace latent

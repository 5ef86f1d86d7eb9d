#pragma once
// What the latent sliders mean for one sound model. Global-latent models use
// their package's directions (directions.safetensors: principal components,
// "kick ↔ snare" and "dark ↔ bright" blends), or per-dimension and random
// ones when it has none. Path models (RAVE-style) get two rows per latent
// dimension: an offset added to it and a scale (2^value) applied to it.
#include <QString>

#include <vector>

#include "latent/media/LatentDirection.h"
#include "latent/media/LatentDirectionSet.h"

namespace latent {

struct ModelPackage;

class AudioLatentControls {
public:
    AudioLatentControls() = default;
    // Global-latent controls of `package` for a latent of `dims` values.
    static AudioLatentControls global(const ModelPackage& package, int dims);
    // Offset and scale rows for a path model with `dims` latent dimensions.
    static AudioLatentControls path(int dims);
    // Whether `package` is a path model (its model.json latent gives a rate_hz).
    static bool isPathModel(const ModelPackage& package);

    bool isEmpty() const { return m_rows.empty(); }
    bool isPath() const { return m_path; }
    int dims() const { return m_dims; }
    const std::vector<LatentDirection>& rows() const { return m_rows; }
    QString source() const { return m_source; }
    // A problem with the package's own directions (they were replaced by fallbacks).
    QString message() const { return m_message; }

    // Global: base + Σ values[i] · direction i.
    std::vector<float> apply(const std::vector<float>& base, const std::vector<double>& values) const;
    // Path: the per-dimension edit (empty vectors when every row is at 0).
    void pathEdit(const std::vector<double>& values, std::vector<float>& offset, std::vector<float>& scale) const;
    // Path: slider values back from an edit (a re-opened export).
    std::vector<double> valuesFromPathEdit(const std::vector<float>& offset, const std::vector<float>& scale) const;

private:
    bool m_path = false;
    int m_dims = 0;
    std::vector<LatentDirection> m_rows;
    LatentDirectionSet m_set;  // Global only
    QString m_source;
    QString m_message;
};

}  // namespace latent

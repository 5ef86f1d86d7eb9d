#include "panels/audio/AudioLatentControls.h"

#include <QCoreApplication>

#include <cmath>

#include "latent/ModelPackage.h"

namespace latent {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("AudioLatentControls", text); }
}  // namespace

bool AudioLatentControls::isPathModel(const ModelPackage& package) {
    return package.latent.is_object() && package.latent.contains("rate_hz");
}

AudioLatentControls AudioLatentControls::global(const ModelPackage& package, int dims) {
    AudioLatentControls c;
    c.m_dims = dims;
    c.m_set = LatentDirectionSet::load(package);
    if (c.m_set.dim() != dims) {
        if (c.m_set.dim() > 0)
            c.m_message = tr("The model's directions are for %1 values but its sounds carry %2; per-dimension "
                             "directions are shown instead.")
                              .arg(c.m_set.dim())
                              .arg(dims);
        c.m_set = LatentDirectionSet::fallback(dims);
    } else if (!c.m_set.error().empty()) {
        c.m_message = QString::fromStdString(c.m_set.error());
    }
    c.m_rows = c.m_set.directions();
    c.m_source = tr("%1-value latent · directions: %2").arg(dims).arg(QString::fromStdString(c.m_set.source()));
    return c;
}

AudioLatentControls AudioLatentControls::path(int dims) {
    AudioLatentControls c;
    c.m_path = true;
    c.m_dims = dims;
    for (int d = 0; d < dims; ++d)
        c.m_rows.push_back({"z[" + std::to_string(d) + "] offset", "Offset", {},
                            "Added to latent dimension " + std::to_string(d) + " along the whole path"});
    for (int d = 0; d < dims; ++d)
        c.m_rows.push_back({"z[" + std::to_string(d) + "] scale", "Scale", {},
                            "Latent dimension " + std::to_string(d) +
                                " times 2^value (0: as encoded; −1: half; +1: double)"});
    c.m_source = tr("%1 latent dimensions along the path · offset and scale per dimension").arg(dims);
    return c;
}

std::vector<float> AudioLatentControls::apply(const std::vector<float>& base, const std::vector<double>& values) const {
    if (m_path) return base;
    return m_set.apply(base, values);
}

void AudioLatentControls::pathEdit(const std::vector<double>& values, std::vector<float>& offset,
                                   std::vector<float>& scale) const {
    offset.clear();
    scale.clear();
    if (!m_path) return;
    bool any = false;
    std::vector<float> o(static_cast<std::size_t>(m_dims), 0.0f), s(static_cast<std::size_t>(m_dims), 1.0f);
    for (int d = 0; d < m_dims; ++d) {
        const auto i = std::size_t(d), j = std::size_t(m_dims + d);
        if (i < values.size()) o[i] = float(values[i]);
        if (j < values.size()) s[i] = float(std::exp2(values[j]));
        any = any || o[i] != 0.0f || s[i] != 1.0f;
    }
    if (!any) return;
    offset = std::move(o);
    scale = std::move(s);
}

std::vector<double> AudioLatentControls::valuesFromPathEdit(const std::vector<float>& offset,
                                                            const std::vector<float>& scale) const {
    std::vector<double> v(m_rows.size(), 0.0);
    if (!m_path) return v;
    for (int d = 0; d < m_dims; ++d) {
        if (std::size_t(d) < offset.size()) v[std::size_t(d)] = offset[std::size_t(d)];
        if (std::size_t(d) < scale.size() && scale[std::size_t(d)] > 0)
            v[std::size_t(m_dims + d)] = std::log2(double(scale[std::size_t(d)]));
    }
    return v;
}

}  // namespace latent

#include "latent/media/LatentDirectionSet.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/formats/Safetensors.h"

namespace latent {

namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// Reads an F32 tensor of the given rank; `rows` (for rank 2) comes back in it.
// Throws Error(Format) with a message that names the tensor and the shape
// the model's latent size asks for.
std::vector<float> readMatrix(const SafetensorsFile& file, const std::string& name, int dim, bool rank2,
                              std::int64_t* rows) {
    const TensorView& t = file.tensor(name);
    const std::string expected = rank2 ? "[K, " + std::to_string(dim) + "]" : "[" + std::to_string(dim) + "]";
    if (t.dtype != TensorDType::F32)
        throw Error(ErrorKind::Format, "\"" + name + "\" is " + dtypeName(t.dtype) + "; expected F32");
    const bool ok = rank2 ? (t.shape.size() == 2 && t.shape[1] == dim) : (t.shape.size() == 1 && t.shape[0] == dim);
    if (!ok)
        throw Error(ErrorKind::Format, "\"" + name + "\" has shape " + shapeText(t.shape) + "; expected " + expected +
                                           " for this model's " + std::to_string(dim) + "-dimensional latent");
    std::vector<float> out(std::size_t(t.numel()));
    // The mapping gives no alignment promise: copy rather than cast.
    if (!out.empty()) std::memcpy(out.data(), t.data, out.size() * sizeof(float));
    for (float v : out)
        if (!std::isfinite(v)) throw Error(ErrorKind::Format, "\"" + name + "\" holds NaN or infinite values");
    if (rows) *rows = rank2 ? t.shape[0] : 1;
    return out;
}

// splitmix64: tiny, portable and the same on every platform and compiler,
// unlike std::normal_distribution, so the random directions never change.
struct SplitMix {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform() { return (double(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }  // (0, 1)
    double normal() {  // Box–Muller
        const double u = uniform(), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }
};

std::string percent(double fraction) {
    std::ostringstream s;
    s.precision(fraction < 0.1 ? 2 : 3);
    s << fraction * 100.0 << "%";
    return s.str();
}

}  // namespace

int LatentDirectionSet::latentDim(const ModelPackage& package) {
    if (package.latent.is_object() && package.latent.contains("dim") && package.latent["dim"].is_number_integer())
        return int(package.latent["dim"].get<std::int64_t>());
    if (package.config.is_object() && package.config.contains("latent_dim") &&
        package.config["latent_dim"].is_number_integer())
        return int(package.config["latent_dim"].get<std::int64_t>());
    return 0;
}

LatentDirectionSet LatentDirectionSet::fallback(int dim) {
    LatentDirectionSet set;
    if (dim <= 0) return set;
    set.m_dim = dim;
    set.m_source = "per-dimension and random directions";
    const int dims = std::min(dim, kFallbackDimensions);
    for (int i = 0; i < dims; ++i) {
        LatentDirection d;
        d.name = "z[" + std::to_string(i) + "]";
        d.group = "Dimensions";
        d.vector.assign(std::size_t(dim), 0.0f);
        d.vector[std::size_t(i)] = 1.0f;
        d.tooltip = "Latent coordinate " + std::to_string(i) + " alone; 1 = one unit of the N(0, 1) prior";
        set.m_directions.push_back(std::move(d));
    }
    // Random orthonormal directions (modified Gram–Schmidt, twice for
    // stability) move many coordinates at once, which shows more of what the
    // generator does than single coordinates do.
    SplitMix rng{kRandomSeed};
    std::vector<std::vector<double>> basis;
    const int wanted = std::min(dim, kFallbackRandom);
    for (int attempt = 0; int(basis.size()) < wanted && attempt < wanted * 4; ++attempt) {
        std::vector<double> v(static_cast<std::size_t>(dim));
        for (double& x : v) x = rng.normal();
        for (int pass = 0; pass < 2; ++pass)
            for (const auto& b : basis) {
                double dot = 0;
                for (std::size_t j = 0; j < v.size(); ++j) dot += v[j] * b[j];
                for (std::size_t j = 0; j < v.size(); ++j) v[j] -= dot * b[j];
            }
        double norm = 0;
        for (double x : v) norm += x * x;
        norm = std::sqrt(norm);
        if (norm < 1e-6) continue;  // (almost) dependent: draw again
        for (double& x : v) x /= norm;
        basis.push_back(std::move(v));
    }
    for (std::size_t i = 0; i < basis.size(); ++i) {
        LatentDirection d;
        d.name = "random " + std::to_string(i + 1);
        d.group = "Random";
        d.vector.assign(basis[i].begin(), basis[i].end());
        d.tooltip = "A fixed random unit direction, orthogonal to the other random ones";
        set.m_directions.push_back(std::move(d));
    }
    return set;
}

LatentDirectionSet LatentDirectionSet::load(const ModelPackage& package) {
    const int dim = latentDim(package);
    if (dim <= 0) {
        LatentDirectionSet none;
        if (package.latent.is_object() && !package.latent.empty())
            none.m_error = "model.json describes a latent space without a valid \"dim\"";
        return none;
    }
    const nlohmann::json& lat = package.latent;
    std::string file;
    if (lat.is_object() && lat.contains("directions") && lat["directions"].is_string())
        file = lat["directions"].get<std::string>();
    LatentDirectionSet set = fallback(dim);
    if (lat.is_object() && lat.contains("space") && lat["space"].is_string()) set.m_space = lat["space"].get<std::string>();
    if (file.empty()) return set;
    LatentDirectionSet own;
    own.m_dim = dim;
    own.m_space = set.m_space;
    try {
        own.loadFile(package, file);
        return own;
    } catch (const std::exception& e) {
        set.m_error = "Cannot use the latent directions in " + file + ": " + e.what() +
                      ". Showing per-dimension and random directions instead.";
        return set;
    }
}

void LatentDirectionSet::loadFile(const ModelPackage& package, const std::string& file) {
    const std::filesystem::path rel(file);
    if (rel.is_absolute() || rel.lexically_normal().string().rfind("..", 0) == 0)
        throw Error(ErrorKind::ModelPackage, "the path must stay inside the model folder");
    const SafetensorsFile st(package.dir / rel);  // throws Error(Format|Io) naming the problem
    const nlohmann::json& lat = package.latent;
    m_source = file;
    if (st.contains("mean")) m_mean = readMatrix(st, "mean", m_dim, false, nullptr);

    if (!st.contains("principal")) throw Error(ErrorKind::Format, "the file has no \"principal\" tensor");
    std::int64_t k = 0;
    const std::vector<float> principal = readMatrix(st, "principal", m_dim, true, &k);
    if (lat.contains("principal") && lat["principal"].is_number_integer() && lat["principal"].get<std::int64_t>() != k)
        throw Error(ErrorKind::Format, "model.json lists " + std::to_string(lat["principal"].get<std::int64_t>()) +
                                           " principal directions but \"principal\" holds " + std::to_string(k));
    std::vector<double> explained;
    if (lat.contains("explained_variance") && lat["explained_variance"].is_array())
        for (const auto& v : lat["explained_variance"])
            explained.push_back(v.is_number() ? v.get<double>() : 0.0);
    for (std::int64_t i = 0; i < k; ++i) {
        LatentDirection d;
        d.name = "PC " + std::to_string(i + 1);
        d.group = "Principal";
        d.vector.assign(principal.begin() + i * m_dim, principal.begin() + (i + 1) * m_dim);
        d.tooltip = "Principal direction " + std::to_string(i + 1) + " of the training latents";
        if (std::size_t(i) < explained.size() && explained[std::size_t(i)] > 0)
            d.tooltip += "; explains " + percent(explained[std::size_t(i)]) + " of their variance";
        d.tooltip += ". 1 = one standard deviation.";
        m_directions.push_back(std::move(d));
    }

    std::vector<std::string> labels;
    if (lat.contains("named") && lat["named"].is_array())
        for (const auto& v : lat["named"]) labels.push_back(v.is_string() ? v.get<std::string>() : std::string());
    if (st.contains("named")) {
        std::int64_t m = 0;
        const std::vector<float> named = readMatrix(st, "named", m_dim, true, &m);
        if (!labels.empty() && std::int64_t(labels.size()) != m)
            throw Error(ErrorKind::Format, "model.json names " + std::to_string(labels.size()) +
                                               " directions but \"named\" holds " + std::to_string(m));
        for (std::int64_t i = 0; i < m; ++i) {
            LatentDirection d;
            d.name = std::size_t(i) < labels.size() && !labels[std::size_t(i)].empty() ? labels[std::size_t(i)]
                                                                                      : "named " + std::to_string(i + 1);
            if (indexOf(d.name) >= 0) d.name += " (" + std::to_string(i + 1) + ")";
            d.group = "Named";
            d.vector.assign(named.begin() + i * m_dim, named.begin() + (i + 1) * m_dim);
            const auto arrow = d.name.find(" \xe2\x86\x94 ");  // "A ↔ B"
            d.tooltip = arrow == std::string::npos
                            ? "A named direction of this model"
                            : "From the mean of \"" + d.name.substr(0, arrow) + "\" (0) to the mean of \"" +
                                  d.name.substr(arrow + 5) + "\" (1)";
            m_directions.push_back(std::move(d));
        }
    } else if (!labels.empty()) {
        throw Error(ErrorKind::Format, "model.json names " + std::to_string(labels.size()) +
                                           " directions but the file has no \"named\" tensor");
    }
    if (m_directions.empty()) throw Error(ErrorKind::Format, "the file holds no directions");
}

int LatentDirectionSet::indexOf(const std::string& name) const {
    for (std::size_t i = 0; i < m_directions.size(); ++i)
        if (m_directions[i].name == name) return int(i);
    return -1;
}

std::vector<float> LatentDirectionSet::apply(const std::vector<float>& base, const std::vector<double>& values) const {
    if (int(base.size()) != m_dim) return base;
    std::vector<double> acc(base.begin(), base.end());
    const std::size_t n = std::min(values.size(), m_directions.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (values[i] == 0.0) continue;
        const auto& v = m_directions[i].vector;
        for (std::size_t j = 0; j < acc.size() && j < v.size(); ++j) acc[j] += values[i] * double(v[j]);
    }
    return {acc.begin(), acc.end()};
}

}  // namespace latent

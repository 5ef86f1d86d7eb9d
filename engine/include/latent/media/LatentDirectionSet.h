#pragma once
// The slider directions of one model (in the engine, so the CLI and a server
// can apply them too). A trained latent-space package ships them in
// directions.safetensors ("mean" [D], "principal"
// [K, D] one standard deviation per row, optional "named" [M, D]); packages
// without that file (imported TorchScript generators) get per-dimension unit
// directions plus a few fixed random orthonormal ones, so every model with a
// known latent size can be edited. Loading never throws: a broken file gives
// the fallback directions and a message for the user.
#include <cstdint>
#include <string>
#include <vector>

#include "latent/media/LatentDirection.h"

namespace latent {

struct ModelPackage;

class LatentDirectionSet {
public:
    static constexpr int kFallbackDimensions = 16;  // "z[0]" … "z[15]"
    static constexpr int kFallbackRandom = 8;       // "random 1" … "random 8"
    static constexpr std::uint64_t kRandomSeed = 0x4c6174656e745344ull;

    LatentDirectionSet() = default;

    // The package's latent size: model.json latent.dim, else config.latent_dim
    // (TorchScript imports); 0 when the model has no editable latent.
    static int latentDim(const ModelPackage& package);
    static LatentDirectionSet load(const ModelPackage& package);
    // Per-dimension and random directions for a D-dimensional latent.
    static LatentDirectionSet fallback(int dim);

    int dim() const { return m_dim; }
    bool isEmpty() const { return m_directions.empty(); }
    std::size_t size() const { return m_directions.size(); }
    const std::vector<LatentDirection>& directions() const { return m_directions; }
    const LatentDirection& direction(std::size_t i) const { return m_directions.at(i); }
    // Index of the direction called `name`, -1 when none is.
    int indexOf(const std::string& name) const;
    // The mean latent of the training data; empty when unknown.
    const std::vector<float>& mean() const { return m_mean; }
    // Why the package's own directions could not be used; empty when they were
    // (or when the package has none, which is not an error).
    const std::string& error() const { return m_error; }
    // Where the directions came from, for the dock: "directions.safetensors"
    // or "per-dimension and random directions".
    const std::string& source() const { return m_source; }
    const std::string& space() const { return m_space; }  // "z", "w", "eps"

    // base + Σ values[i] · direction i (missing values count as 0). Returns
    // `base` unchanged when its size is not dim().
    std::vector<float> apply(const std::vector<float>& base, const std::vector<double>& values) const;

private:
    void loadFile(const ModelPackage& package, const std::string& file);

    int m_dim = 0;
    std::vector<LatentDirection> m_directions;
    std::vector<float> m_mean;
    std::string m_error;
    std::string m_source;
    std::string m_space = "z";
};

}  // namespace latent

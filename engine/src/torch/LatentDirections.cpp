#include "latent/plugin/torch/LatentDirections.h"

#include <cmath>

#include <ATen/ATen.h>

#include "latent/Error.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace latent {

LatentDirections computeDirections(const at::Tensor& latents, const at::Tensor& labels,
                                   const std::vector<std::string>& names, const std::vector<std::pair<int, int>>& pairs,
                                   int principalCount) {
    if (latents.dim() != 2 || latents.size(0) < 2)
        throw Error(ErrorKind::Runtime, "slider directions need at least two latents");
    const at::Tensor z = latents.to(at::kCPU, at::kDouble);
    const std::int64_t n = z.size(0), dim = z.size(1);
    LatentDirections d;
    const at::Tensor mean = z.mean(0);
    d.mean = mean.to(at::kFloat);

    // PCA by SVD of the centred latents (as GANSpace does for W): rows of Vh
    // are the principal axes, S/sqrt(n-1) the standard deviation along each.
    const auto [u, s, vh] = at::linalg_svd(z - mean, false);
    const std::int64_t k = std::min<std::int64_t>({principalCount, dim, n - 1});
    const at::Tensor stddev = s.narrow(0, 0, k) / std::sqrt(double(n - 1));
    at::Tensor axes = vh.narrow(0, 0, k).clone();
    // SVD signs are arbitrary: make the largest component of each axis positive
    // so retraining on the same data gives sliders that point the same way.
    const at::Tensor biggest = axes.abs().argmax(1);
    const at::Tensor signs = axes.gather(1, biggest.unsqueeze(1)).sign();
    axes = axes * signs;
    d.principal = (axes * stddev.unsqueeze(1)).to(at::kFloat).contiguous();
    const double total = s.pow(2).sum().item<double>();
    for (std::int64_t i = 0; i < k; ++i) d.explained.push_back(total > 0 ? s[i].item<double>() * s[i].item<double>() / total : 0);

    // Named directions: from one class's mean latent to another's.
    const at::Tensor lab = labels.to(at::kCPU, at::kLong);
    auto classMean = [&](int c) -> at::Tensor {
        const at::Tensor mask = lab.eq(c);
        if (mask.sum().item<std::int64_t>() < 2) return {};
        return z.index({mask}).mean(0);
    };
    std::vector<at::Tensor> named;
    for (const auto& [a, b] : pairs) {
        if (a < 0 || b < 0 || a >= int(names.size()) || b >= int(names.size())) continue;
        const at::Tensor ma = classMean(a), mb = classMean(b);
        if (!ma.defined() || !mb.defined()) continue;
        named.push_back(mb - ma);
        d.namedLabels.push_back(names[std::size_t(a)] + " ↔ " + names[std::size_t(b)]);
    }
    if (pairs.empty())
        for (int c = 0; c < int(names.size()) && c < 12; ++c)
            if (const at::Tensor mc = classMean(c); mc.defined()) {
                named.push_back(mc - mean);
                d.namedLabels.push_back("towards " + names[std::size_t(c)]);
            }
    d.named = named.empty() ? at::zeros({0, dim}, at::kFloat) : at::stack(named).to(at::kFloat).contiguous();
    return d;
}

nlohmann::json saveDirections(const LatentDirections& d, const std::filesystem::path& file, const std::string& space,
                              std::int64_t dim) {
    std::map<std::string, at::Tensor> tensors{{"mean", d.mean}, {"principal", d.principal}};
    if (d.named.size(0) > 0) tensors["named"] = d.named;
    saveSafetensorsTensors(file, tensors, {{"format", "latent-studio-directions"}, {"space", space}});
    nlohmann::json explained = nlohmann::json::array();
    for (double e : d.explained) explained.push_back(std::round(e * 1e4) / 1e4);
    return {{"dim", dim},
            {"space", space},
            {"directions", file.filename().string()},
            {"principal", d.principal.size(0)},
            {"explained_variance", explained},
            {"named", d.namedLabels}};
}

}  // namespace latent

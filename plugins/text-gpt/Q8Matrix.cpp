#include "Q8Matrix.h"

#include <torch/torch.h>

#include "MatVec.h"
#include "latent/Error.h"

namespace latent::gpt {

Q8Matrix Q8Matrix::quantize(const at::Tensor& w) {
    if (w.dim() != 2 || w.size(1) % kBlock != 0)
        throw Error(ErrorKind::BadArgument, "8-bit weights need matrices whose rows are a multiple of " +
                                                std::to_string(kBlock) + " values long");
    const std::int64_t rows = w.size(0), blocks = w.size(1) / kBlock;
    const at::Tensor b = w.to(at::kFloat).reshape({rows, blocks, kBlock});
    const at::Tensor scale = b.abs().amax(-1) / 127.0;
    const at::Tensor inv = at::where(scale > 0, 1.0 / scale, at::zeros_like(scale));
    Q8Matrix q;
    q.values = (b * inv.unsqueeze(-1)).round().clamp(-127, 127).to(at::kChar).reshape({rows, blocks * kBlock}).contiguous();
    q.scales = scale.contiguous();
    return q;
}

at::Tensor Q8Matrix::dequantize() const {
    at::Tensor out = at::empty({values.size(0), values.size(1)}, at::kFloat);
    dequantizeQ8(values.data_ptr<std::int8_t>(), scales.data_ptr<float>(), out.data_ptr<float>(), values.size(0),
                 values.size(1));
    return out;
}

at::Tensor Q8Matrix::lookup(const at::Tensor& ids) const {
    const std::int64_t blocks = scales.size(1);
    const at::Tensor flat = ids.reshape({-1});
    const at::Tensor v = values.index_select(0, flat).to(at::kFloat).view({flat.size(0), blocks, kBlock});
    auto shape = ids.sizes().vec();
    shape.push_back(blocks * kBlock);
    return (v * scales.index_select(0, flat).unsqueeze(-1)).view(shape);
}

std::size_t Q8Matrix::bytes() const {
    return defined() ? std::size_t(values.numel()) + std::size_t(scales.numel()) * sizeof(float) : 0;
}

}  // namespace latent::gpt

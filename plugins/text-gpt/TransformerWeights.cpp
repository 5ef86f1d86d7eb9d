#include "TransformerWeights.h"

#include <torch/torch.h>

#include "latent/Error.h"
#include "latent/plugin/torch/TensorImage.h"

namespace latent::gpt {
namespace {

class TensorTable {
public:
    TensorTable(std::map<std::string, at::Tensor> tensors, std::string where) : m_where(std::move(where)) {
        for (auto& [name, t] : tensors) {
            std::string key = name;
            for (const char* prefix : {"transformer.", "model."})
                if (key.rfind(prefix, 0) == 0) key = key.substr(std::string(prefix).size());
            m_tensors.emplace(std::move(key), std::move(t));
        }
    }

    bool has(const std::string& name) const { return m_tensors.count(name) != 0; }
    const at::Tensor* peek(const std::string& name) const {
        const auto it = m_tensors.find(name);
        return it == m_tensors.end() ? nullptr : &it->second;
    }

    at::Tensor take(const std::string& name, std::vector<std::int64_t> shape) {
        const auto it = m_tensors.find(name);
        if (it == m_tensors.end())
            throw Error(ErrorKind::ModelPackage, m_where + ": tensor '" + name + "' is missing");
        at::Tensor t = it->second;
        m_tensors.erase(it);
        if (t.sizes().vec() != shape) {
            std::string want = "[";
            for (std::size_t i = 0; i < shape.size(); ++i) want += (i ? ", " : "") + std::to_string(shape[i]);
            want += "]";
            throw Error(ErrorKind::ModelPackage, m_where + ": tensor '" + name + "' has shape " + tensorShapeText(t) +
                                                     ", the config needs " + want);
        }
        if (!t.is_floating_point())
            throw Error(ErrorKind::ModelPackage, m_where + ": tensor '" + name + "' is not floating point");
        return t;
    }

    std::vector<std::string> leftover() const {
        std::vector<std::string> out;
        for (const auto& [name, t] : m_tensors) {
            // Buffers some exports carry: causal masks and rotary tables we compute ourselves.
            if (name.find(".attn.bias") != std::string::npos || name.find(".attn.masked_bias") != std::string::npos ||
                name.find("rotary_emb.inv_freq") != std::string::npos)
                continue;
            out.push_back(name);
        }
        return out;
    }

private:
    std::map<std::string, at::Tensor> m_tensors;
    std::string m_where;
};

// Conv1D keeps [in, out]; we want [out, in] rows.
at::Tensor rows(const at::Tensor& t) { return t.t().contiguous(); }

}  // namespace

TransformerWeights TransformerWeights::fromHuggingFace(std::map<std::string, at::Tensor> tensors,
                                                       const TransformerConfig& c, const std::string& where,
                                                       std::vector<std::string>* unused) {
    TensorTable table(std::move(tensors), where);
    TransformerWeights w;
    const std::int64_t d = c.dModel, V = c.vocabSize, ff = c.dFf;
    const bool gpt2 = c.arch == Architecture::Gpt2;
    const std::string embName = gpt2 ? "wte.weight" : "embed_tokens.weight";
    if (const at::Tensor* e = table.peek(embName); e && e->dim() == 2 && e->size(0) != V)
        throw Error(ErrorKind::ModelPackage, where + ": config.json says vocab_size " + std::to_string(V) +
                                                 " but the embedding '" + embName + "' has " +
                                                 std::to_string(e->size(0)) + " rows");
    w.tokenEmbedding = table.take(embName, {V, d});
    if (gpt2) w.positionEmbedding = table.take("wpe.weight", {c.maxPositions, d});
    const std::int64_t attnOut = c.nHead * c.headDim;
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        const std::string p = (gpt2 ? "h." : "layers.") + std::to_string(i) + ".";
        LayerWeights l;
        if (gpt2) {
            l.norm1W = table.take(p + "ln_1.weight", {d});
            l.norm1B = table.take(p + "ln_1.bias", {d});
            l.qkvW = rows(table.take(p + "attn.c_attn.weight", {d, 3 * d}));
            l.qkvB = table.take(p + "attn.c_attn.bias", {3 * d});
            l.outW = rows(table.take(p + "attn.c_proj.weight", {d, d}));
            l.outB = table.take(p + "attn.c_proj.bias", {d});
            l.norm2W = table.take(p + "ln_2.weight", {d});
            l.norm2B = table.take(p + "ln_2.bias", {d});
            l.upW = rows(table.take(p + "mlp.c_fc.weight", {d, ff}));
            l.upB = table.take(p + "mlp.c_fc.bias", {ff});
            l.downW = rows(table.take(p + "mlp.c_proj.weight", {ff, d}));
            l.downB = table.take(p + "mlp.c_proj.bias", {d});
        } else {
            const std::int64_t kv = c.nKvHead * c.headDim;
            l.norm1W = table.take(p + "input_layernorm.weight", {d});
            l.qkvW = at::cat({table.take(p + "self_attn.q_proj.weight", {attnOut, d}),
                              table.take(p + "self_attn.k_proj.weight", {kv, d}),
                              table.take(p + "self_attn.v_proj.weight", {kv, d})})
                         .contiguous();
            l.outW = table.take(p + "self_attn.o_proj.weight", {d, attnOut});
            l.norm2W = table.take(p + "post_attention_layernorm.weight", {d});
            l.upW = at::cat({table.take(p + "mlp.gate_proj.weight", {ff, d}), table.take(p + "mlp.up_proj.weight", {ff, d})})
                        .contiguous();
            l.downW = table.take(p + "mlp.down_proj.weight", {d, ff});
        }
        w.layers.push_back(std::move(l));
    }
    w.finalNormW = table.take(gpt2 ? "ln_f.weight" : "norm.weight", {d});
    if (gpt2) w.finalNormB = table.take("ln_f.bias", {d});
    if (table.has("lm_head.weight") && !c.tiedEmbeddings) {
        w.lmHead = table.take("lm_head.weight", {V, d});
    } else {
        if (!c.tiedEmbeddings)
            throw Error(ErrorKind::ModelPackage, where + ": tensor 'lm_head.weight' is missing (the config says the "
                                                         "output layer is not tied to the embedding)");
        if (table.has("lm_head.weight")) table.take("lm_head.weight", {V, d});  // a tied copy some exports keep
        w.lmHead = w.tokenEmbedding;
    }
    if (unused) *unused = table.leftover();
    return w;
}

void TransformerWeights::convert(const at::TensorOptions& options) {
    const bool tied = lmHead.defined() && tokenEmbedding.defined() && lmHead.is_same(tokenEmbedding);
    auto conv = [&](at::Tensor& t) {
        if (t.defined()) t = t.to(options).contiguous();
    };
    conv(tokenEmbedding);
    conv(positionEmbedding);
    for (auto& l : layers)
        for (at::Tensor* t : {&l.norm1W, &l.norm1B, &l.qkvW, &l.qkvB, &l.outW, &l.outB, &l.norm2W, &l.norm2B, &l.upW,
                              &l.upB, &l.downW, &l.downB})
            conv(*t);
    conv(finalNormW);
    conv(finalNormB);
    if (tied) lmHead = tokenEmbedding;
    else conv(lmHead);
}

std::size_t TransformerWeights::bytes() const {
    std::size_t total = 0;
    auto add = [&](const at::Tensor& t) {
        if (t.defined()) total += std::size_t(t.numel()) * t.element_size();
    };
    add(tokenEmbedding);
    add(positionEmbedding);
    for (const auto& l : layers)
        for (const at::Tensor* t : {&l.norm1W, &l.norm1B, &l.qkvW, &l.qkvB, &l.outW, &l.outB, &l.norm2W, &l.norm2B,
                                    &l.upW, &l.upB, &l.downW, &l.downB})
            add(*t);
    add(finalNormW);
    add(finalNormB);
    if (lmHead.defined() && !lmHead.is_same(tokenEmbedding)) add(lmHead);
    return total;
}

}  // namespace latent::gpt

#include "TransformerConfig.h"

#include <climits>

#include "latent/Error.h"
#include "latent/formats/Json.h"

using nlohmann::json;

namespace latent::gpt {
namespace {

constexpr const char* kSupported = "gpt2 (GPT-2, DistilGPT2) and llama (Llama, SmolLM2, TinyLlama)";

// Sizes beyond these are refused by validate() anyway; reading them as
// bounded integers keeps a 2^63 from wrapping on the way.
constexpr std::int64_t kMaxSize = std::int64_t(1) << 40;

std::optional<std::int64_t> tokenId(const JsonReader& r, const char* key) {
    if (!r.has(key)) return std::nullopt;
    const nlohmann::json& v = r.raw(key);
    if (v.is_array()) {  // Llama 3 lists several EOS ids
        const JsonReader list = r.array(key);
        if (list.size() == 0) return std::nullopt;
        return list.at(0).asInteger(0, INT32_MAX);
    }
    return r.integer(key, 0, INT32_MAX);
}

}  // namespace

TransformerConfig TransformerConfig::fromHuggingFace(const json& j, const std::string& where) {
    const JsonReader r(j, where, ErrorKind::ModelPackage);
    if (!j.is_object()) r.failHere("must be a JSON object");
    const std::string type = r.string("model_type", "");
    TransformerConfig c;
    if (type == "gpt2") {
        c.arch = Architecture::Gpt2;
        c.vocabSize = r.integer("vocab_size", 1, kMaxSize);
        c.dModel = r.integer("n_embd", 1, kMaxSize);
        c.nLayer = r.integer("n_layer", 1, kMaxSize);
        c.nHead = r.integer("n_head", 1, kMaxSize);
        c.nKvHead = c.nHead;
        c.dFf = r.integer("n_inner", 4 * c.dModel, 1, kMaxSize);
        c.maxPositions = r.integer("n_positions", 1, kMaxSize);
        c.normEps = r.number("layer_norm_epsilon", 1e-5, 1e-30, 1.0);
        c.tiedEmbeddings = r.boolean("tie_word_embeddings", true);
        const std::string act = r.string("activation_function", "gelu_new");
        if (act != "gelu_new" && act != "gelu_pytorch_tanh")
            r.fail("activation_function", "is '" + act + "', which is not supported for GPT-2 (supported: gelu_new)");
        if (r.boolean("scale_attn_by_inverse_layer_idx", false) || r.boolean("reorder_and_upcast_attn", false))
            r.failHere("GPT-2 attention variants (scale_attn_by_inverse_layer_idx, reorder_and_upcast_attn) are not "
                       "supported");
    } else if (type == "llama") {
        c.arch = Architecture::Llama;
        c.vocabSize = r.integer("vocab_size", 1, kMaxSize);
        c.dModel = r.integer("hidden_size", 1, kMaxSize);
        c.nLayer = r.integer("num_hidden_layers", 1, kMaxSize);
        c.nHead = r.integer("num_attention_heads", 1, kMaxSize);
        c.nKvHead = r.integer("num_key_value_heads", c.nHead, 1, kMaxSize);
        c.dFf = r.integer("intermediate_size", 1, kMaxSize);
        c.maxPositions = r.integer("max_position_embeddings", 1, kMaxSize);
        c.normEps = r.number("rms_norm_eps", 1e-6, 1e-30, 1.0);
        c.ropeTheta = r.number("rope_theta", 10000.0, 1.0, 1e12);
        c.tiedEmbeddings = r.boolean("tie_word_embeddings", false);
        c.headDim = r.integer("head_dim", c.dModel / c.nHead, 1, kMaxSize);
        const std::string act = r.string("hidden_act", "silu");
        if (act != "silu") r.fail("hidden_act", "is '" + act + "', which is not supported for Llama (supported: silu)");
        if (r.boolean("attention_bias", false) || r.boolean("mlp_bias", false))
            r.failHere("Llama variants with attention or MLP biases are not supported");
        if (r.has("rope_scaling"))
            r.fail("rope_scaling", "is set (" + dumpJson(r.raw("rope_scaling")).substr(0, 200) +
                                       "); only plain rotary positions are supported");
    } else {
        r.fail("model_type", "is '" + type + "', which is not supported. Supported architectures: " + kSupported);
    }
    if (c.arch == Architecture::Gpt2) c.headDim = c.dModel / c.nHead;
    c.bosId = tokenId(r, "bos_token_id");
    c.eosId = tokenId(r, "eos_token_id");
    c.validate(where);
    return c;
}

void TransformerConfig::validate(const std::string& where) const {
    auto fail = [&](const std::string& what) { throw Error(ErrorKind::ModelPackage, where + ": " + what); };
    if (arch != Architecture::Gpt2 && arch != Architecture::Llama) fail("unknown architecture");
    if (vocabSize <= 0 || dModel <= 0 || nLayer <= 0 || nHead <= 0 || nKvHead <= 0 || dFf <= 0 || maxPositions <= 0)
        fail("sizes must be positive");
    if (arch == Architecture::Gpt2 && dModel % nHead != 0)
        fail("the width " + std::to_string(dModel) + " is not a multiple of the " + std::to_string(nHead) + " heads");
    if (nHead % nKvHead != 0)
        fail(std::to_string(nHead) + " attention heads cannot share " + std::to_string(nKvHead) + " key/value heads");
    if (headDim <= 0 || (arch == Architecture::Llama && headDim % 2 != 0)) fail("the head size must be positive and even");
    // Every size is bounded, so products such as parameterCount() stay far
    // inside 64 bits (a config is read from files anyone can make).
    if (vocabSize > (std::int64_t(1) << 31) || dModel > 65536 || nLayer > 1024 || maxPositions > (1 << 20) ||
        nHead > 4096 || nKvHead > 4096 || headDim > 4096 || dFf > (1 << 20))
        fail("sizes are out of any sensible range");
}

json TransformerConfig::toHuggingFace() const {
    json j;
    if (arch == Architecture::Gpt2) {
        j = {{"model_type", "gpt2"},          {"architectures", {"GPT2LMHeadModel"}},
             {"vocab_size", vocabSize},       {"n_embd", dModel},
             {"n_layer", nLayer},             {"n_head", nHead},
             {"n_inner", dFf},                {"n_positions", maxPositions},
             {"n_ctx", maxPositions},         {"layer_norm_epsilon", normEps},
             {"activation_function", "gelu_new"}, {"tie_word_embeddings", tiedEmbeddings},
             {"resid_pdrop", 0.0},            {"embd_pdrop", 0.0},
             {"attn_pdrop", 0.0}};
    } else {
        j = {{"model_type", "llama"},         {"architectures", {"LlamaForCausalLM"}},
             {"vocab_size", vocabSize},       {"hidden_size", dModel},
             {"num_hidden_layers", nLayer},   {"num_attention_heads", nHead},
             {"num_key_value_heads", nKvHead}, {"head_dim", headDim},
             {"intermediate_size", dFf},      {"max_position_embeddings", maxPositions},
             {"rms_norm_eps", normEps},       {"rope_theta", ropeTheta},
             {"tie_word_embeddings", tiedEmbeddings}, {"hidden_act", "silu"}};
    }
    if (bosId) j["bos_token_id"] = *bosId;
    if (eosId) j["eos_token_id"] = *eosId;
    j["torch_dtype"] = "float32";
    return j;
}

std::string TransformerConfig::archName() const { return arch == Architecture::Gpt2 ? "GPT-2" : "Llama"; }

std::int64_t TransformerConfig::parameterCount() const {
    const std::int64_t attn = dModel * qkvRows() + nHead * headDim * dModel;
    std::int64_t perLayer = 0;
    std::int64_t extra = vocabSize * dModel * (tiedEmbeddings ? 1 : 2);
    if (arch == Architecture::Gpt2) {
        perLayer = attn + qkvRows() + dModel + 2 * dModel * dFf + dFf + dModel + 4 * dModel;
        extra += maxPositions * dModel + 2 * dModel;
    } else {
        perLayer = attn + 3 * dModel * dFf + 2 * dModel;
        extra += dModel;
    }
    return nLayer * perLayer + extra;
}

}  // namespace latent::gpt

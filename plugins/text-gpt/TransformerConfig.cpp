#include "TransformerConfig.h"

#include "latent/Error.h"

using nlohmann::json;

namespace latent::gpt {
namespace {

constexpr const char* kSupported = "gpt2 (GPT-2, DistilGPT2) and llama (Llama, SmolLM2, TinyLlama)";

std::int64_t positiveInt(const json& j, const char* key, const std::string& where) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0)
        throw Error(ErrorKind::ModelPackage, where + ": '" + key + "' must be a positive integer");
    return it->get<std::int64_t>();
}

std::int64_t optionalInt(const json& j, const char* key, std::int64_t fallback, const std::string& where) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
        throw Error(ErrorKind::ModelPackage, where + ": '" + key + "' must be a positive integer");
    return it->get<std::int64_t>();
}

double optionalNumber(const json& j, const char* key, double fallback, const std::string& where) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number() || !(it->get<double>() > 0))
        throw Error(ErrorKind::ModelPackage, where + ": '" + key + "' must be a positive number");
    return it->get<double>();
}

std::optional<std::int64_t> tokenId(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    if (it->is_array() && !it->empty() && it->front().is_number_integer())  // Llama 3 lists several EOS ids
        return it->front().get<std::int64_t>();
    return std::nullopt;
}

bool optionalBool(const json& j, const char* key, bool fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace

TransformerConfig TransformerConfig::fromHuggingFace(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(ErrorKind::ModelPackage, where + " is not a JSON object");
    const std::string type = j.value("model_type", std::string());
    TransformerConfig c;
    if (type == "gpt2") {
        c.arch = Architecture::Gpt2;
        c.vocabSize = positiveInt(j, "vocab_size", where);
        c.dModel = positiveInt(j, "n_embd", where);
        c.nLayer = positiveInt(j, "n_layer", where);
        c.nHead = positiveInt(j, "n_head", where);
        c.nKvHead = c.nHead;
        c.dFf = optionalInt(j, "n_inner", 4 * c.dModel, where);
        c.maxPositions = positiveInt(j, "n_positions", where);
        c.normEps = optionalNumber(j, "layer_norm_epsilon", 1e-5, where);
        c.tiedEmbeddings = optionalBool(j, "tie_word_embeddings", true);
        const std::string act = j.value("activation_function", std::string("gelu_new"));
        if (act != "gelu_new" && act != "gelu_pytorch_tanh")
            throw Error(ErrorKind::ModelPackage, where + ": activation '" + act +
                                                     "' is not supported for GPT-2 (supported: gelu_new)");
        if (optionalBool(j, "scale_attn_by_inverse_layer_idx", false) || optionalBool(j, "reorder_and_upcast_attn", false))
            throw Error(ErrorKind::ModelPackage, where + ": GPT-2 attention variants (scale_attn_by_inverse_layer_idx, "
                                                         "reorder_and_upcast_attn) are not supported");
    } else if (type == "llama") {
        c.arch = Architecture::Llama;
        c.vocabSize = positiveInt(j, "vocab_size", where);
        c.dModel = positiveInt(j, "hidden_size", where);
        c.nLayer = positiveInt(j, "num_hidden_layers", where);
        c.nHead = positiveInt(j, "num_attention_heads", where);
        c.nKvHead = optionalInt(j, "num_key_value_heads", c.nHead, where);
        c.dFf = positiveInt(j, "intermediate_size", where);
        c.maxPositions = positiveInt(j, "max_position_embeddings", where);
        c.normEps = optionalNumber(j, "rms_norm_eps", 1e-6, where);
        c.ropeTheta = optionalNumber(j, "rope_theta", 10000.0, where);
        c.tiedEmbeddings = optionalBool(j, "tie_word_embeddings", false);
        c.headDim = optionalInt(j, "head_dim", c.dModel / c.nHead, where);
        const std::string act = j.value("hidden_act", std::string("silu"));
        if (act != "silu")
            throw Error(ErrorKind::ModelPackage, where + ": activation '" + act + "' is not supported for Llama (supported: silu)");
        if (optionalBool(j, "attention_bias", false) || optionalBool(j, "mlp_bias", false))
            throw Error(ErrorKind::ModelPackage, where + ": Llama variants with attention or MLP biases are not supported");
        if (const auto rs = j.find("rope_scaling"); rs != j.end() && !rs->is_null())
            throw Error(ErrorKind::ModelPackage, where + ": rope_scaling (" + rs->dump() +
                                                     ") is not supported; only plain rotary positions are");
    } else {
        throw Error(ErrorKind::ModelPackage, where + ": model_type '" + type +
                                                 "' is not supported. Supported architectures: " + kSupported);
    }
    if (c.arch == Architecture::Gpt2) c.headDim = c.dModel / c.nHead;
    c.bosId = tokenId(j, "bos_token_id");
    c.eosId = tokenId(j, "eos_token_id");
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
    if (vocabSize > (std::int64_t(1) << 31) || dModel > 65536 || nLayer > 1024 || maxPositions > (1 << 20))
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

// config.json of a Hugging Face model folder, as `import` reads it:
// latent::gpt::describeHuggingFaceFolder (plugins/text-gpt/HuggingFaceFolder.cpp)
// with TransformerConfig::fromHuggingFace (plugins/text-gpt/TransformerConfig.cpp),
// both torch-free and compiled into this harness.
//   input: config.json [\0 model.safetensors.index.json]
// The folder also holds a fixed byte-level tokenizer (257 tokens: the 256
// bytes and <|endoftext|>) and model.safetensors, a sparse file (no disk or
// memory used) whose header declares one F32 tensor of 2^32 values, so a
// config up to that size reaches the end of the import check, which reads the
// weights' headers. A config it accepts must round-trip through toHuggingFace().
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "FuzzSupport.h"
#include "HuggingFaceFolder.h"
#include "TransformerConfig.h"

namespace {

// GPT-2's byte -> printable code point table, UTF-8 encoded.
std::string byteSymbol(int b) {
    int cp = b;
    if (!((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255))) {
        int n = 0;
        for (int x = 0; x < b; ++x)
            if (!((x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255))) ++n;
        cp = 256 + n;
    }
    std::string out;
    if (cp < 0x80) {
        out += char(cp);
    } else {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    }
    return out;
}

const std::string& tinyVocabJson() {
    static const std::string text = [] {
        nlohmann::json v = nlohmann::json::object();
        for (int b = 0; b < 256; ++b) v[byteSymbol(b)] = b;
        v["<|endoftext|>"] = 256;
        return v.dump();
    }();
    return text;
}

// The folder, made once: the tokenizer and the sparse weights.
const std::filesystem::path& folder() {
    static const std::filesystem::path dir = [] {
        const auto d = latent::fuzz::freshDir("hf-folder");
        latent::fuzz::writeFile(d / "vocab.json", tinyVocabJson());
        latent::fuzz::writeFile(d / "merges.txt", "#version: 0.2\n");
        const std::uint64_t values = std::uint64_t(1) << 32;
        std::string header = R"({"w":{"dtype":"F32","shape":[)" + std::to_string(values) +
                             R"(],"data_offsets":[0,)" + std::to_string(values * 4) + "]}}";
        header.append((8 - header.size() % 8) % 8, ' ');
        std::string head(8, '\0');
        for (int i = 0; i < 8; ++i) head[std::size_t(i)] = char((header.size() >> (8 * i)) & 0xFF);
        const auto weights = d / "model.safetensors";
        latent::fuzz::writeFile(weights, head + header);
        if (::truncate(weights.c_str(), off_t(8 + header.size() + values * 4)) != 0) std::abort();
        return d;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    const auto& dir = folder();
    const auto parts = fuzz::splitAtNul(fuzz::asView(data, size), 2);
    fuzz::writeFile(dir / "config.json", parts[0]);
    const auto index = dir / "model.safetensors.index.json";
    std::error_code ec;
    if (parts.size() > 1) fuzz::writeFile(index, parts[1]);
    else std::filesystem::remove(index, ec);
    std::optional<ModelPackage> package;
    fuzz::rejectOnlyWithError([&] { package = gpt::describeHuggingFaceFolder(dir); });
    if (!package) return 0;
    fuzz::mustSucceed("round trip through toHuggingFace", [&] {
        FUZZ_CHECK(package->family == "text-gpt");
        FUZZ_CHECK(!package->files.empty() && package->files.front().path == "model.safetensors");
        const auto c = gpt::TransformerConfig::fromHuggingFace(package->config, "config.json");
        const auto d = gpt::TransformerConfig::fromHuggingFace(c.toHuggingFace(), "written config.json");
        FUZZ_CHECK(c.arch == d.arch && c.vocabSize == d.vocabSize && c.dModel == d.dModel && c.nLayer == d.nLayer);
        FUZZ_CHECK(c.nHead == d.nHead && c.nKvHead == d.nKvHead && c.headDim == d.headDim && c.dFf == d.dFf);
        FUZZ_CHECK(c.maxPositions == d.maxPositions && c.normEps == d.normEps && c.ropeTheta == d.ropeTheta);
        FUZZ_CHECK(c.tiedEmbeddings == d.tiedEmbeddings && c.bosId == d.bosId && c.eosId == d.eosId);
    });
    return 0;
}

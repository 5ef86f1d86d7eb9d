// The model registry's scan (latent::ModelRegistry, engine/src/models/
// ModelRegistry.cpp) over a root holding up to two packages, then verify() of
// each valid one against the checksum cache.
//   input: a/model.json \0 checksum-cache.json \0 b/model.json
// Package folder a/ also holds weights.bin (16 bytes "0123456789abcdef",
// sha256 9f9f5111...), so a manifest listing it can pass verification. In the
// cache text "@ROOT@" stands for the root folder, whose path differs per
// process: the cache is keyed by absolute paths.
#include "FuzzSupport.h"
#include "latent/ModelRegistry.h"

namespace {

std::string replaceAll(std::string_view text, std::string_view from, const std::string& to) {
    std::string out;
    for (std::size_t pos = 0;;) {
        const auto hit = text.find(from, pos);
        if (hit == std::string_view::npos) {
            out.append(text.substr(pos));
            return out;
        }
        out.append(text.substr(pos, hit - pos)).append(to);
        pos = hit + from.size();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    const auto parts = fuzz::splitAtNul(fuzz::asView(data, size), 3);
    const auto root = fuzz::freshDir("registry");
    std::filesystem::create_directories(root / "a");
    fuzz::writeFile(root / "a" / "model.json", parts[0]);
    fuzz::writeFile(root / "a" / "weights.bin", "0123456789abcdef");
    if (parts.size() > 2) {
        std::filesystem::create_directories(root / "b");
        fuzz::writeFile(root / "b" / "model.json", parts[2]);
    }
    const auto cache = fuzz::scratchDir() / "registry-cache.json";
    std::error_code ec;
    std::filesystem::remove(cache, ec);
    if (parts.size() > 1) fuzz::writeFile(cache, replaceAll(parts[1], "@ROOT@", root.string()));

    fuzz::rejectOnlyWithError([&] {
        ModelRegistry registry({root}, cache);
        for (const ModelEntry& e : registry.entries()) {
            FUZZ_CHECK(e.valid || !e.error.empty());
            if (!e.valid) continue;
            FUZZ_CHECK(registry.find(e.package.id).has_value());
            fuzz::rejectOnlyWithError([&] {
                registry.verify(e.package);
                registry.verify(e.package);  // the second time from the cache it wrote
            });
        }
        fuzz::rejectOnlyWithError([&] { (void)registry.require("a"); });
    });
    return 0;
}

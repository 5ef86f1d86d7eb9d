// model.json: latent::readModelManifest (engine/src/models/ModelPackage.cpp).
// A manifest it accepts must survive a write and a read back unchanged
// (the import and convert commands write what they read).
#include "FuzzSupport.h"
#include "latent/ModelPackage.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    static const auto dir = fuzz::scratchDir() / "model-json";
    static const bool made = std::filesystem::create_directories(dir);
    (void)made;
    const auto file = dir / "model.json";
    fuzz::writeFile(file, fuzz::asView(data, size));
    ModelPackage p;
    bool accepted = false;
    fuzz::rejectOnlyWithError([&] {
        p = readModelManifest(file);
        accepted = true;
    });
    if (!accepted) return 0;
    fuzz::mustSucceed("write and read back", [&] {
        FUZZ_CHECK(!p.id.empty() && !p.name.empty() && !p.family.empty() && !p.version.empty());
        FUZZ_CHECK(!p.tasks.empty());
        for (const auto& f : p.files) {
            const std::filesystem::path rel(f.path);
            FUZZ_CHECK(!rel.empty() && rel.is_relative());
            FUZZ_CHECK(f.sha256.size() == 64);
        }
        const auto again = dir / "model-again.json";
        writeModelManifest(p, again);
        const ModelPackage q = readModelManifest(again);
        FUZZ_CHECK(q.id == p.id && q.name == p.name && q.family == p.family && q.version == p.version);
        FUZZ_CHECK(q.tasks == p.tasks && q.files.size() == p.files.size());
        FUZZ_CHECK(q.config == p.config && q.defaults == p.defaults && q.latent == p.latent);
        FUZZ_CHECK(q.provenance == p.provenance && q.license == p.license && q.description == p.description);
    });
    return 0;
}

// Provenance JSON: latent::provenanceFromJson (engine/src/Provenance.cpp) on
// the input as text. It is what a PNG's iTXt chunk holds and what the GUI
// reads from a JPEG's comment (ui/panels/image/ImagePanelFiles.cpp), so this
// covers JPEG provenance too. What it reads must survive provenanceToJson and
// a second read unchanged.
#include "FuzzSupport.h"
#include "latent/Provenance.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    const std::string text(fuzz::asView(data, size));
    Provenance p;
    bool accepted = false;
    fuzz::rejectOnlyWithError([&] {
        p = provenanceFromJson(text);
        accepted = true;
    });
    if (!accepted) return 0;
    fuzz::mustSucceed("write and read back", [&] {
        const std::string json = provenanceToJson(p);
        const Provenance q = provenanceFromJson(json);
        FUZZ_CHECK(q.appVersion == p.appVersion && q.pluginId == p.pluginId && q.pluginVersion == p.pluginVersion);
        FUZZ_CHECK(q.modelId == p.modelId && q.modelSha256 == p.modelSha256 && q.task == p.task);
        FUZZ_CHECK(q.prompt == p.prompt && q.params == p.params && q.seed == p.seed && q.device == p.device);
        FUZZ_CHECK(q.dtype == p.dtype && q.torchVersion == p.torchVersion && q.latent == p.latent);
        FUZZ_CHECK(q.latentBase == p.latentBase && q.sliders == p.sliders);
        FUZZ_CHECK(provenanceToJson(q) == json);
    });
    return 0;
}

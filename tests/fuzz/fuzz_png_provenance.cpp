// PNG provenance: latent::readPngProvenance (engine/src/media/ImageExport.cpp)
// on the input as a .png file: the chunk walk, then provenanceFromJson on our
// "latent-studio" iTXt chunk. What it reads must write back and read again
// unchanged (the GUI's "open image" restores a job from it).
#include "FuzzSupport.h"
#include "latent/Provenance.h"
#include "latent/media/ImageExport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    static const auto file = fuzz::scratchDir() / "input.png";
    fuzz::writeFile(file, fuzz::asView(data, size));
    std::optional<Provenance> p;
    fuzz::rejectOnlyWithError([&] { p = readPngProvenance(file); });
    if (!p) return 0;
    fuzz::mustSucceed("write and read back", [&] {
        const Provenance q = provenanceFromJson(provenanceToJson(*p));
        FUZZ_CHECK(q.modelId == p->modelId && q.task == p->task && q.prompt == p->prompt);
        FUZZ_CHECK(q.params == p->params && q.seed == p->seed && q.latent == p->latent);
        FUZZ_CHECK(q.latentBase == p->latentBase && q.sliders == p->sliders);
    });
    return 0;
}

// gguf: latent::GgufFile (engine/src/formats/Gguf.cpp) on the input as a
// whole file. For a file it accepts: every tensor lies inside the file, is
// its shape's size in its type's blocks, starts aligned, overlaps no other;
// every metadata value (array elements included) can be read back.
#include <cstring>

#include "FuzzSupport.h"
#include "latent/formats/Gguf.h"

namespace {

void touch(const latent::GgufValue& v, int depth) {
    using namespace latent;
    if (const auto* s = v.asString()) fuzz::sink(s->size());
    if (const auto* a = v.asArray()) {
        FUZZ_CHECK(depth < 8);
        for (std::uint64_t i = 0; i < a->size; ++i) touch(a->at(i), depth + 1);
    }
    if (const auto n = v.asNumber()) fuzz::sink(std::size_t(*n != 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    static const auto file = fuzz::scratchDir() / "input.gguf";
    fuzz::writeFile(file, fuzz::asView(data, size));
    fuzz::rejectOnlyWithError([&] {
        const GgufFile f(file);
        FUZZ_CHECK(f.version() == 2 || f.version() == 3);
        FUZZ_CHECK(f.fileBytes() == size);
        for (const auto& [key, value] : f.metadata()) {
            FUZZ_CHECK(f.find(key) == &value);
            touch(value, 0);
        }
        for (const GgufTensor& t : f.tensors()) {
            const auto info = ggmlTypeInfo(t.type);
            FUZZ_CHECK(info.has_value());
            FUZZ_CHECK(!t.shape.empty() && t.shape.size() <= 4);
            FUZZ_CHECK(t.bytes == t.elements() / std::uint64_t(info->blockElements) * std::uint64_t(info->blockBytes));
            FUZZ_CHECK(t.offset % f.alignment() == 0);
            FUZZ_CHECK(f.dataOffset() + t.offset + t.bytes <= size);
            // Reads every byte of the view: one past the mapping faults here.
            FUZZ_CHECK(t.bytes == 0 || std::memcmp(t.data, data + f.dataOffset() + t.offset, t.bytes) == 0);
            FUZZ_CHECK(f.tensor(t.name) == &t);
        }
        try {
            fuzz::sink(f.architecture().size());
        } catch (const Error&) {
            // no architecture: a file the importer refuses, not a finding
        }
    });
    return 0;
}

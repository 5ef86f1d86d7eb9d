// safetensors: latent::SafetensorsFile (engine/src/formats/Safetensors.cpp) on
// the input as a whole file. Checks what the reader promises for a file it
// accepts: every view is its shape's size, the views tile the data buffer in
// order, and each one shows the file's own bytes.
#include <cstring>

#include "FuzzSupport.h"
#include "latent/formats/Safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    static const auto file = fuzz::scratchDir() / "input.safetensors";
    fuzz::writeFile(file, fuzz::asView(data, size));
    fuzz::rejectOnlyWithError([&] {
        const SafetensorsFile f(file);
        std::uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | data[i];
        const std::uint8_t* buffer = data + 8 + headerLen;
        const std::uint64_t bufferSize = size - 8 - headerLen;
        std::uint64_t offset = 0;
        for (const TensorView& t : f.tensors()) {
            FUZZ_CHECK(t.dtype != TensorDType::Invalid);
            std::uint64_t bytes = dtypeSize(t.dtype);
            for (const std::int64_t d : t.shape) {
                FUZZ_CHECK(d >= 0);
                bytes *= std::uint64_t(d);  // cannot wrap: the reader checked it, and it fits in the file
            }
            FUZZ_CHECK(bytes == t.bytes);
            FUZZ_CHECK(offset + t.bytes <= bufferSize);
            // Reads every byte of the view (a view past the mapping faults here).
            FUZZ_CHECK(t.bytes == 0 || std::memcmp(t.data, buffer + offset, t.bytes) == 0);
            offset += t.bytes;
            FUZZ_CHECK(f.contains(t.name));
            FUZZ_CHECK(&f.tensor(t.name) == &t);
        }
        FUZZ_CHECK(offset == bufferSize);
        for (const auto& [key, value] : f.metadata()) fuzz::sink(key.size() + value.size());
        FUZZ_CHECK(!f.contains("__metadata__"));
    });
    return 0;
}

#include "media/ChannelMix.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace latent {

void mixChannels(const float* in, int inChannels, float* out, int outChannels, std::int64_t frames) {
    const auto inCh = std::size_t(inChannels), outCh = std::size_t(outChannels);
    if (inChannels == outChannels) {
        std::memcpy(out, in, std::size_t(frames) * inCh * sizeof(float));
        return;
    }
    if (outChannels > inChannels) {
        for (std::int64_t f = 0; f < frames; ++f) {
            const float* src = in + std::size_t(f) * inCh;
            float* dst = out + std::size_t(f) * outCh;
            for (std::size_t o = 0; o < outCh; ++o) dst[o] = src[o % inCh];
        }
        return;
    }
    // How many inputs feed each output: channel o takes o, o + out, o + 2·out, ...
    std::vector<float> scale(outCh);
    for (std::size_t o = 0; o < outCh; ++o) scale[o] = 1.0f / float((inCh - o + outCh - 1) / outCh);
    for (std::int64_t f = 0; f < frames; ++f) {
        const float* src = in + std::size_t(f) * inCh;
        float* dst = out + std::size_t(f) * outCh;
        std::fill(dst, dst + outCh, 0.0f);
        for (std::size_t i = 0; i < inCh; ++i) dst[i % outCh] += src[i];
        for (std::size_t o = 0; o < outCh; ++o) dst[o] *= scale[o];
    }
}

std::string channelMixNotice(int inChannels, int outChannels) {
    if (inChannels == outChannels) return {};
    const auto count = [](int n) { return n == 1 ? std::string("mono") : std::to_string(n) + " channels"; };
    if (outChannels > inChannels)
        return inChannels == 1 ? "duplicated mono to " + count(outChannels)
                               : "spread " + count(inChannels) + " over " + count(outChannels);
    return "mixed " + count(inChannels) + " down to " + (outChannels == 1 ? "mono" : std::to_string(outChannels));
}

}  // namespace latent

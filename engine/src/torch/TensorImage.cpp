#include "latent/plugin/torch/TensorImage.h"

#include <ATen/ATen.h>

#include "latent/Error.h"

namespace latent {
std::string tensorShapeText(const at::Tensor& t) {
    std::string s = "[";
    for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
    return s + "]";
}

std::vector<ImageFrame> tensorToImageFrames(const at::Tensor& images, double lo, double hi) {
    if (!images.defined() || images.dim() != 4 ||
        !(images.size(1) == 1 || images.size(1) == 3 || images.size(1) == 4) || images.size(2) <= 0 ||
        images.size(3) <= 0)
        throw Error(ErrorKind::Runtime, "expected an image batch of shape [batch, 1|3|4, height, width], got " +
                                            (images.defined() ? tensorShapeText(images) : std::string("nothing")));
    if (!images.is_floating_point())
        throw Error(ErrorKind::Runtime, "expected floating-point image values, got " +
                                            std::string(c10::toString(images.scalar_type())));
    if (!(hi > lo)) throw Error(ErrorKind::BadArgument, "output range must have high > low");
    // The same arithmetic as tests/reference: scale, round half to even, clamp.
    const at::Tensor u8 = ((images.detach().to(at::kCPU, at::kFloat) - lo) * (255.0 / (hi - lo)))
                              .round()
                              .clamp(0, 255)
                              .to(at::kByte);
    const int64_t b = u8.size(0), c = u8.size(1), h = u8.size(2), w = u8.size(3);
    // NCHW -> NHWC, then expand to RGBA in one contiguous copy per image.
    at::Tensor rgba = at::full({b, h, w, 4}, 255, at::kByte);
    const at::Tensor nhwc = u8.permute({0, 2, 3, 1});
    if (c == 1) rgba.narrow(3, 0, 3).copy_(nhwc.expand({b, h, w, 3}));
    else rgba.narrow(3, 0, c).copy_(nhwc);
    rgba = rgba.contiguous();
    std::vector<ImageFrame> frames;
    frames.reserve(std::size_t(b));
    const auto bytesPerImage = std::size_t(h * w * 4);
    for (int64_t i = 0; i < b; ++i) {
        const auto* p = rgba.data_ptr<uint8_t>() + i * int64_t(bytesPerImage);
        frames.push_back(makeImageFrame(int(w), int(h), std::vector<std::uint8_t>(p, p + bytesPerImage), int(i)));
    }
    return frames;
}

at::Tensor imageFrameToTensor(const ImageFrame& frame, int channels, double lo, double hi) {
    if (!frame.rgba || frame.rgba->size() != std::size_t(frame.width) * std::size_t(frame.height) * 4)
        throw Error(ErrorKind::BadArgument, "image has no pixel data");
    if (channels != 1 && channels != 3 && channels != 4)
        throw Error(ErrorKind::BadArgument, "channels must be 1, 3 or 4");
    const at::Tensor rgba =
        at::from_blob(const_cast<std::uint8_t*>(frame.rgba->data()), {frame.height, frame.width, 4}, at::kByte)
            .to(at::kFloat);
    at::Tensor x;
    if (channels == 1) {
        // ITU-R BT.601 luma, as most image libraries convert to gray.
        x = (rgba.select(2, 0) * 0.299 + rgba.select(2, 1) * 0.587 + rgba.select(2, 2) * 0.114).unsqueeze(0);
    } else {
        x = rgba.narrow(2, 0, channels).permute({2, 0, 1});
    }
    return (x / 255.0 * (hi - lo) + lo).unsqueeze(0).contiguous();
}

}  // namespace latent

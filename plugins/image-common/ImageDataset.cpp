#include "ImageDataset.h"

#include <filesystem>

#include <ATen/ATen.h>

#include "DatasetSources.h"
#include "latent/Error.h"

namespace latent::image {

std::vector<std::string> builtinDatasets() { return {"fashion-mnist", "emoji"}; }

at::Tensor toUnitRange(const at::Tensor& images) { return images.to(at::kFloat).div_(255.0); }

at::Tensor conformImages(const at::Tensor& images, int size, int channels) {
    at::Tensor out = images;
    if (channels > 0 && channels != out.size(1)) {
        if (channels == 3 && out.size(1) == 1) out = out.expand({-1, 3, -1, -1}).contiguous();
        else if (channels == 1 && out.size(1) >= 3)
            out = out.narrow(1, 0, 3).to(at::kFloat).mean(1, true).round().to(at::kByte);
        else
            throw Error(ErrorKind::BadArgument, "cannot convert " + std::to_string(out.size(1)) +
                                                    "-channel images to " + std::to_string(channels) + " channels");
    }
    if (size > 0 && (out.size(2) != size || out.size(3) != size)) {
        at::Tensor f = out.to(at::kFloat);
        // Area averaging keeps thin strokes when shrinking; bilinear when growing.
        const bool shrink = out.size(2) >= size && out.size(3) >= size;
        f = shrink ? at::adaptive_avg_pool2d(f, {size, size})
                   : at::upsample_bilinear2d(f, {size, size}, false);
        out = f.round().clamp(0, 255).to(at::kByte);
    }
    return out.contiguous();
}

ImageDataset loadImageDataset(const DatasetRequest& request) {
    if (request.split != "train" && request.split != "test")
        throw Error(ErrorKind::BadArgument, "data split must be 'train' or 'test', not '" + request.split + "'");
    if (request.size < 0 || request.size > 1024)
        throw Error(ErrorKind::BadArgument, "image size must be between 4 and 1024 pixels, got " +
                                                std::to_string(request.size));
    if (request.size != 0 && request.size < 4)
        throw Error(ErrorKind::BadArgument, "image size must be at least 4 pixels");
    if (request.channels != 0 && request.channels != 1 && request.channels != 3)
        throw Error(ErrorKind::BadArgument, "images must have 1 (gray) or 3 (colour) channels");
    if (request.source.empty())
        throw Error(ErrorKind::BadArgument, "no training data given: use fashion-mnist, emoji or a folder of images");
    if (request.source == "fashion-mnist") return loadFashionMnist(request);
    if (request.source == "emoji") return loadNotoEmoji(request);
    std::error_code ec;
    if (std::filesystem::is_directory(request.source, ec)) return loadImageFolder(request);
    throw Error(ErrorKind::BadArgument, "'" + request.source +
                                            "' is neither a built-in data set (fashion-mnist, emoji) nor a folder of images");
}

}  // namespace latent::image

#pragma once
// Image data sets for training and evaluation: the built-in builders
// (Fashion-MNIST and Noto colour emoji from Debian packages, ../shared/DATA.md)
// and a folder of the user's own images (subfolder names become class labels).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace latent::image {

struct ImageDataset {
    std::string name;     // "fashion-mnist/train", "emoji", "folder:/home/me/cats"
    std::string source;   // where it came from, for the model card
    std::string license;  // of the data, for the model card
    at::Tensor images;    // uint8 [N, C, H, W]
    at::Tensor labels;    // int64 [N]; -1 where an image has no label
    std::vector<std::string> classNames;  // empty when unlabelled
    // Class pairs worth a named latent direction ("sneaker ↔ ankle boot").
    std::vector<std::pair<int, int>> directionPairs;
    std::vector<std::string> notices;  // e.g. "312 images resized to 32×32", "2 files skipped: …"

    std::int64_t size() const { return images.defined() ? images.size(0) : 0; }
    int channels() const { return images.defined() ? int(images.size(1)) : 0; }
    int height() const { return images.defined() ? int(images.size(2)) : 0; }
    int width() const { return images.defined() ? int(images.size(3)) : 0; }
};

struct DatasetRequest {
    // "fashion-mnist", "emoji", or a folder of images (PNG, JPEG, WebP, BMP, …).
    std::string source;
    std::string split = "train";  // "train" or "test" (folders: a fixed 1-in-10 hold-out)
    int size = 0;                 // square side to resize to; 0 = the source's native size (folders: 32)
    int channels = 0;             // 1 or 3; 0 = the source's own (fashion-mnist 1, emoji 3, folders 3)
    std::int64_t limit = 0;       // at most this many images; 0 = all
};

// Loads (and resizes) a data set. Throws Error(BadArgument / Io / Format)
// naming what is missing: e.g. which Debian package provides a built-in set.
ImageDataset loadImageDataset(const DatasetRequest& request);

// uint8 [N, C, H, W] -> float in [0, 1].
at::Tensor toUnitRange(const at::Tensor& images);

// The built-in data-set names, for help texts.
std::vector<std::string> builtinDatasets();

}  // namespace latent::image

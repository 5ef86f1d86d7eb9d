// Fashion-MNIST from Debian's dataset-fashion-mnist (IDX files, gzip'd).
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#if LATENT_HAVE_ZLIB
#include <zlib.h>
#endif

#include "DatasetSources.h"
#include "latent/Error.h"

namespace latent::image {
namespace {

const char* kDefaultDir = "/usr/share/datasets/fashion-mnist";

std::filesystem::path dataDir() {
    // Tests and unusual installs may point elsewhere.
    if (const char* env = std::getenv("LATENT_FASHION_MNIST_DIR"); env && *env) return env;
    return kDefaultDir;
}

std::vector<std::uint8_t> gunzip(const std::filesystem::path& file) {
#if LATENT_HAVE_ZLIB
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error(ErrorKind::Io, "Fashion-MNIST is not installed: " + file.string() +
                                       " is missing (install the Debian package dataset-fashion-mnist)");
    gzFile gz = gzopen(file.c_str(), "rb");
    if (!gz) throw Error(ErrorKind::Io, "cannot open " + file.string());
    std::vector<std::uint8_t> out;
    std::array<std::uint8_t, 1 << 16> buf{};
    for (;;) {
        const int n = gzread(gz, buf.data(), unsigned(buf.size()));
        if (n < 0) {
            gzclose(gz);
            throw Error(ErrorKind::Format, file.string() + " is not a valid gzip file");
        }
        if (n == 0) break;
        out.insert(out.end(), buf.begin(), buf.begin() + n);
    }
    gzclose(gz);
    return out;
#else
    throw Error(ErrorKind::BadArgument, "this build has no zlib, so it cannot read " + file.string());
#endif
}

std::uint32_t bigEndian(const std::vector<std::uint8_t>& b, std::size_t at) {
    return std::uint32_t(b[at]) << 24 | std::uint32_t(b[at + 1]) << 16 | std::uint32_t(b[at + 2]) << 8 | b[at + 3];
}

}  // namespace

ImageDataset loadFashionMnist(const DatasetRequest& request) {
    const std::string prefix = request.split == "train" ? "train" : "t10k";
    const auto dir = dataDir();
    const auto imageFile = dir / (prefix + "-images-idx3-ubyte.gz");
    const auto labelFile = dir / (prefix + "-labels-idx1-ubyte.gz");
    const auto img = gunzip(imageFile);
    const auto lab = gunzip(labelFile);
    if (img.size() < 16 || bigEndian(img, 0) != 2051)
        throw Error(ErrorKind::Format, imageFile.string() + " is not an IDX image file (magic 2051)");
    if (lab.size() < 8 || bigEndian(lab, 0) != 2049)
        throw Error(ErrorKind::Format, labelFile.string() + " is not an IDX label file (magic 2049)");
    const std::int64_t n = bigEndian(img, 4), rows = bigEndian(img, 8), cols = bigEndian(img, 12);
    if (std::int64_t(img.size()) != 16 + n * rows * cols || std::int64_t(lab.size()) != 8 + n ||
        bigEndian(lab, 4) != std::uint32_t(n))
        throw Error(ErrorKind::Format, "Fashion-MNIST files in " + dir.string() + " are truncated or do not match");
    const std::int64_t count = request.limit > 0 ? std::min(n, request.limit) : n;

    ImageDataset d;
    d.name = "fashion-mnist/" + request.split;
    d.source = "Fashion-MNIST (Zalando Research), Debian package dataset-fashion-mnist, " + dir.string();
    d.license = "MIT";
    d.images = at::from_blob(const_cast<std::uint8_t*>(img.data()) + 16, {count, 1, rows, cols}, at::kByte).clone();
    d.labels = at::from_blob(const_cast<std::uint8_t*>(lab.data()) + 8, {count}, at::kByte).to(at::kLong);
    d.classNames = {"t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"};
    d.directionPairs = {{7, 9}, {5, 7}, {0, 6}, {2, 4}, {1, 3}, {0, 2}, {8, 4}};
    const int size = request.size ? request.size : int(rows);
    const int channels = request.channels ? request.channels : 1;
    if (size != rows || channels != 1) {
        d.images = conformImages(d.images, size, channels);
        d.notices.push_back("Fashion-MNIST converted from 28×28 gray to " + std::to_string(size) + "×" +
                            std::to_string(size) + (channels == 1 ? " gray" : " RGB"));
    }
    return d;
}

}  // namespace latent::image

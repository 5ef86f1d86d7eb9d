// A folder of the user's own images. Subfolders name classes when there are
// at least two of them; files that do not decode are skipped with a notice.
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#if LATENT_HAVE_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include "DatasetSources.h"
#include "latent/Error.h"

namespace fs = std::filesystem;

namespace latent::image {
namespace {

bool isImageFile(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    static const char* known[] = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".pgm", ".ppm", ".pnm"};
    return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return ext == k; });
}

}  // namespace

ImageDataset loadImageFolder(const DatasetRequest& request) {
#if LATENT_HAVE_OPENCV
    const fs::path root = request.source;
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && isImageFile(it->path())) files.push_back(it->path());
    if (ec) throw Error(ErrorKind::Io, "cannot read the folder " + root.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw Error(ErrorKind::BadArgument, root.string() + " holds no images (PNG, JPEG, WebP, BMP, TIFF, PNM)");

    // Class = first path component below the root, when images sit in >= 2 subfolders.
    std::map<std::string, int> classIndex;
    for (const auto& f : files) {
        const auto rel = fs::relative(f, root);
        if (std::distance(rel.begin(), rel.end()) > 1) classIndex.emplace(rel.begin()->string(), 0);
    }
    const bool labelled = classIndex.size() >= 2;
    ImageDataset d;
    if (labelled) {
        int i = 0;
        for (auto& [name, index] : classIndex) {
            index = i++;
            d.classNames.push_back(name);
        }
    }

    const int size = request.size ? request.size : 32;
    const int channels = request.channels ? request.channels : 3;
    const bool holdOut = files.size() >= 20;
    std::vector<at::Tensor> images;
    std::vector<std::int64_t> labels;
    std::vector<std::string> failed;
    std::size_t resized = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (holdOut && ((i % 10 == 9) != (request.split == "test"))) continue;
        if (request.limit > 0 && std::int64_t(images.size()) >= request.limit) break;
        cv::Mat m = cv::imread(files[i].string(), cv::IMREAD_UNCHANGED);
        if (m.empty()) {
            failed.push_back(fs::relative(files[i], root).string());
            continue;
        }
        if (m.depth() != CV_8U) m.convertTo(m, CV_8U, m.depth() == CV_16U ? 1.0 / 257.0 : 255.0);
        cv::Mat rgb;
        if (m.channels() == 4) {
            // Transparent areas become white, as in the emoji set.
            cv::Mat white(m.size(), CV_8UC3, cv::Scalar(255, 255, 255));
            rgb = white.clone();
            for (int y = 0; y < m.rows; ++y)
                for (int x = 0; x < m.cols; ++x) {
                    const auto p = m.at<cv::Vec4b>(y, x);
                    auto& q = rgb.at<cv::Vec3b>(y, x);
                    for (int c = 0; c < 3; ++c) q[c] = std::uint8_t((p[c] * p[3] + 255 * (255 - p[3]) + 127) / 255);
                }
        } else if (m.channels() == 1) {
            cv::cvtColor(m, rgb, cv::COLOR_GRAY2BGR);
        } else {
            rgb = m;
        }
        // Centre-crop to a square, then resize.
        const int side = std::min(rgb.cols, rgb.rows);
        cv::Mat square = rgb(cv::Rect((rgb.cols - side) / 2, (rgb.rows - side) / 2, side, side));
        if (rgb.cols != size || rgb.rows != size) ++resized;
        cv::Mat small;
        cv::resize(square, small, cv::Size(size, size), 0, 0, side > size ? cv::INTER_AREA : cv::INTER_LINEAR);
        cv::cvtColor(small, small, cv::COLOR_BGR2RGB);
        images.push_back(at::from_blob(small.data, {size, size, 3}, at::kByte).permute({2, 0, 1}).clone());
        std::int64_t label = -1;
        if (labelled) {
            const auto rel = fs::relative(files[i], root);
            if (std::distance(rel.begin(), rel.end()) > 1) label = classIndex.at(rel.begin()->string());
        }
        labels.push_back(label);
    }
    if (images.empty())
        throw Error(ErrorKind::Format, "none of the " + std::to_string(files.size()) + " image files in " +
                                           root.string() + " could be decoded");
    d.name = "folder:" + root.string() + "/" + request.split;
    d.source = "images in " + fs::absolute(root).string();
    d.license = "as provided by the user";
    d.images = conformImages(at::stack(images), size, channels);
    d.labels = at::tensor(labels, at::kLong);
    if (!holdOut) d.notices.push_back("fewer than 20 images: the test split is the training set itself");
    if (resized)
        d.notices.push_back(std::to_string(resized) + " images cropped and resized to " + std::to_string(size) + "×" +
                            std::to_string(size));
    if (!failed.empty()) {
        std::string list;
        for (std::size_t i = 0; i < failed.size() && i < 3; ++i) list += (i ? ", " : "") + failed[i];
        d.notices.push_back(std::to_string(failed.size()) + " files could not be decoded and were skipped (" + list +
                            (failed.size() > 3 ? ", …)" : ")"));
    }
    return d;
#else
    throw Error(ErrorKind::BadArgument, "this build has no OpenCV, so it cannot read the images in " + request.source);
#endif
}

}  // namespace latent::image

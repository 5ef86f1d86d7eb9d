// Noto Color Emoji from Debian's fonts-noto-color-emoji: every glyph of the
// font's CBDT table is a PNG (OpenType CBLC/CBDT: sfnt table directory ->
// CBLC bitmap size 0 -> index subtables -> glyph data "metrics, length, PNG").
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#if LATENT_HAVE_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include "DatasetSources.h"
#include "latent/Error.h"

namespace latent::image {
namespace {

const char* kFontPath = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

struct Reader {
    const std::vector<std::uint8_t>& b;
    std::string file;
    void need(std::size_t at, std::size_t n) const {
        if (at + n > b.size() || at + n < at)
            throw Error(ErrorKind::Format, file + " is truncated or not an OpenType colour-bitmap font");
    }
    std::uint32_t u32(std::size_t at) const {
        need(at, 4);
        return std::uint32_t(b[at]) << 24 | std::uint32_t(b[at + 1]) << 16 | std::uint32_t(b[at + 2]) << 8 | b[at + 3];
    }
    std::uint16_t u16(std::size_t at) const {
        need(at, 2);
        return std::uint16_t(b[at] << 8 | b[at + 1]);
    }
};

// PNG byte ranges of every glyph in strike 0.
std::vector<std::pair<std::size_t, std::size_t>> glyphPngs(const Reader& r) {
    std::size_t cblc = 0, cbdt = 0;
    const std::uint16_t numTables = r.u16(4);
    for (std::size_t i = 0; i < numTables; ++i) {
        const std::size_t rec = 12 + 16 * i;
        r.need(rec, 16);
        const std::string tag(reinterpret_cast<const char*>(&r.b[rec]), 4);
        if (tag == "CBLC") cblc = r.u32(rec + 8);
        if (tag == "CBDT") cbdt = r.u32(rec + 8);
    }
    if (!cblc || !cbdt) throw Error(ErrorKind::Format, r.file + " has no colour bitmaps (CBLC/CBDT tables)");
    if (r.u32(cblc + 4) < 1) throw Error(ErrorKind::Format, r.file + " has no bitmap strikes");
    const std::size_t size0 = cblc + 8;  // first BitmapSize record (48 bytes)
    const std::size_t arrayOffset = cblc + r.u32(size0);
    const std::uint32_t subtables = r.u32(size0 + 8);
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::uint32_t s = 0; s < subtables; ++s) {
        const std::size_t entry = arrayOffset + 8 * s;
        const std::uint16_t first = r.u16(entry), last = r.u16(entry + 2);
        const std::size_t sub = arrayOffset + r.u32(entry + 4);
        const std::uint16_t indexFormat = r.u16(sub), imageFormat = r.u16(sub + 2);
        const std::size_t dataBase = cbdt + r.u32(sub + 4);
        if (last < first) continue;
        std::vector<std::size_t> offsets;
        if (indexFormat == 1)
            for (std::size_t g = 0; g <= std::size_t(last - first) + 1; ++g) offsets.push_back(r.u32(sub + 8 + 4 * g));
        else if (indexFormat == 3)
            for (std::size_t g = 0; g <= std::size_t(last - first) + 1; ++g) offsets.push_back(r.u16(sub + 8 + 2 * g));
        else
            continue;  // formats 2, 4, 5 are not used by Noto Color Emoji
        const std::size_t header = imageFormat == 17 ? 5 : imageFormat == 18 ? 8 : imageFormat == 19 ? 0 : 1u << 31;
        if (header == 1u << 31) continue;
        for (std::size_t g = 0; g + 1 < offsets.size(); ++g) {
            if (offsets[g + 1] <= offsets[g]) continue;  // glyph without a bitmap
            const std::size_t at = dataBase + offsets[g] + header;
            const std::uint32_t len = r.u32(at);
            r.need(at + 4, len);
            out.emplace_back(at + 4, len);
        }
    }
    return out;
}

}  // namespace

ImageDataset loadNotoEmoji(const DatasetRequest& request) {
#if LATENT_HAVE_OPENCV
    std::filesystem::path font = kFontPath;
    if (const char* env = std::getenv("LATENT_EMOJI_FONT"); env && *env) font = env;
    std::ifstream in(font, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, "Noto Color Emoji is not installed: " + font.string() +
                                       " is missing (install the Debian package fonts-noto-color-emoji)");
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const Reader r{bytes, font.string()};
    const auto pngs = glyphPngs(r);
    const int size = request.size ? request.size : 32;
    const int channels = request.channels ? request.channels : 3;
    std::vector<at::Tensor> images;
    std::size_t undecodable = 0;
    for (std::size_t i = 0; i < pngs.size(); ++i) {
        // A fixed 1-in-10 hold-out: the test split is every tenth glyph.
        if ((i % 10 == 9) != (request.split == "test")) continue;
        if (request.limit > 0 && std::int64_t(images.size()) >= request.limit) break;
        const cv::Mat raw(1, int(pngs[i].second), CV_8UC1, const_cast<std::uint8_t*>(bytes.data() + pngs[i].first));
        cv::Mat bgra = cv::imdecode(raw, cv::IMREAD_UNCHANGED);
        if (bgra.empty() || bgra.channels() != 4) {
            ++undecodable;
            continue;
        }
        // Composite on white and pad to a square: emoji are drawn on white in the app too.
        const int side = std::max(bgra.cols, bgra.rows);
        cv::Mat square(side, side, CV_8UC3, cv::Scalar(255, 255, 255));
        for (int y = 0; y < bgra.rows; ++y)
            for (int x = 0; x < bgra.cols; ++x) {
                const auto p = bgra.at<cv::Vec4b>(y, x);
                auto& q = square.at<cv::Vec3b>(y + (side - bgra.rows) / 2, x + (side - bgra.cols) / 2);
                for (int c = 0; c < 3; ++c) q[c] = std::uint8_t((p[c] * p[3] + 255 * (255 - p[3]) + 127) / 255);
            }
        cv::Mat small;
        cv::resize(square, small, cv::Size(size, size), 0, 0, cv::INTER_AREA);
        cv::cvtColor(small, small, cv::COLOR_BGR2RGB);
        images.push_back(at::from_blob(small.data, {size, size, 3}, at::kByte).permute({2, 0, 1}).clone());
    }
    if (images.empty()) throw Error(ErrorKind::Format, font.string() + " yielded no emoji images");
    ImageDataset d;
    d.name = "emoji/" + request.split;
    d.source = "Noto Color Emoji (Google), Debian package fonts-noto-color-emoji, " + font.string();
    d.license = "OFL-1.1 (font) / Apache-2.0 (images)";
    d.images = conformImages(at::stack(images), size, channels);
    d.labels = at::full({d.images.size(0)}, -1, at::kLong);
    if (undecodable) d.notices.push_back(std::to_string(undecodable) + " glyphs could not be decoded and were skipped");
    return d;
#else
    (void)request;
    throw Error(ErrorKind::BadArgument, "this build has no OpenCV, so it cannot decode the emoji font's PNG glyphs");
#endif
}

}  // namespace latent::image

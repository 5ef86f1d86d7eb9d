#include "TextCorpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "latent/Error.h"

namespace fs = std::filesystem;

namespace latent::gpt {
namespace {

bool validUtf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        if (c == 0) return false;  // NUL: a binary file
        i += n;
    }
    return true;
}

}  // namespace

std::uint64_t TextCorpus::trainBytes() const {
    std::uint64_t n = 0;
    for (const auto& d : train) n += d.text.size();
    return n;
}

std::uint64_t TextCorpus::validationBytes() const {
    std::uint64_t n = 0;
    for (const auto& d : validation) n += d.text.size();
    return n;
}

TextCorpus TextCorpus::load(const std::vector<std::string>& paths, const std::vector<std::string>& extensions,
                            int holdOutEvery, std::uint64_t maxBytes) {
    TextCorpus corpus;
    corpus.roots = paths;
    corpus.extensions = extensions;
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            files.emplace_back(p);
        } else if (fs::is_directory(p, ec)) {
            for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
                 it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (ec) break;
                if (!it->is_regular_file(ec)) continue;
                const std::string ext = it->path().extension().string();
                if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) files.push_back(it->path());
            }
        } else {
            throw Error(ErrorKind::BadArgument, "training data '" + p + "' is neither a file nor a folder");
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    std::uint64_t total = 0;
    std::size_t index = 0;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) continue;
        std::ostringstream s;
        s << in.rdbuf();
        std::string text = s.str();
        if (text.empty() || !validUtf8(text)) continue;
        if (maxBytes && total + text.size() > maxBytes) break;
        total += text.size();
        TextDocument doc{f.string(), std::move(text)};
        if (holdOutEvery > 0 && index % std::size_t(holdOutEvery) == std::size_t(holdOutEvery / 2))
            corpus.validation.push_back(std::move(doc));
        else
            corpus.train.push_back(std::move(doc));
        ++index;
    }
    if (corpus.train.empty() || corpus.validation.empty()) {
        std::string what;
        for (const auto& p : paths) what += (what.empty() ? "" : ", ") + p;
        std::string exts;
        for (const auto& e : extensions) exts += (exts.empty() ? "" : " ") + e;
        throw Error(ErrorKind::BadArgument, "too little text in " + what + " (found " + std::to_string(index) +
                                                " UTF-8 files with extensions " + exts +
                                                "; training needs at least two, one held out)");
    }
    return corpus;
}

}  // namespace latent::gpt

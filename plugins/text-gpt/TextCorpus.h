#pragma once
// The documents a text model trains on: files named on the command line or
// found in folders, split into training and held-out documents.
#include <cstdint>
#include <string>
#include <vector>

namespace latent::gpt {

struct TextDocument {
    std::string path;
    std::string text;
};

struct TextCorpus {
    std::vector<TextDocument> train;
    std::vector<TextDocument> validation;
    std::vector<std::string> roots;   // what was asked for
    std::vector<std::string> extensions;

    std::uint64_t trainBytes() const;
    std::uint64_t validationBytes() const;

    // `paths` are files or folders (searched recursively for files with one of
    // `extensions`, e.g. {".txt", ".py"}). Every `holdOutEvery`-th document in
    // path order is held out. Files that are not UTF-8 text are skipped.
    // Throws Error(BadArgument) naming a path that does not exist or a corpus
    // left empty.
    static TextCorpus load(const std::vector<std::string>& paths, const std::vector<std::string>& extensions,
                           int holdOutEvery, std::uint64_t maxBytes);
};

}  // namespace latent::gpt

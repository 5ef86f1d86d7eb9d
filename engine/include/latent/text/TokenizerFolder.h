#pragma once
// Finds and loads the tokenizer of a Hugging Face-style model folder.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "latent/text/Tokenizer.h"

namespace latent::text {

struct TokenizerFolder {
    std::shared_ptr<const Tokenizer> tokenizer;
    bool addBos = false;             // prepend BOS to prompts (Llama), from the folder's own settings
    std::vector<std::string> files;  // the files it was read from, relative to the folder
};

// Looks for, in order: tokenizer.json (BPE), vocab.json + merges.txt,
// tokenizer.model (SentencePiece). Throws Error(ModelPackage) listing what
// was looked for when none is there, Error(Format) when one is malformed.
TokenizerFolder loadTokenizerFolder(const std::filesystem::path& dir);

}  // namespace latent::text

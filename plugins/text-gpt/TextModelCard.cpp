#include "TextModelCard.h"

#include <cmath>
#include <sstream>

#include <torch/version.h>

#include "latent/BuildInfo.h"
#include "latent/TextFormat.h"

namespace latent::gpt {
namespace {



std::string fence(const std::string& text) {
    // A fence longer than any backtick run inside the text.
    std::size_t run = 0, longest = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

}  // namespace

std::vector<std::string> sampleCardPrompts(const TextCorpus& corpus) {
    std::vector<std::string> prompts;
    const auto& docs = corpus.validation;
    for (std::size_t k = 0; k < 3 && k < docs.size(); ++k) {
        const std::string& t = docs[k * docs.size() / 3].text;
        // Skip leading blank lines and headings; take up to ~60 bytes ending
        // at a space or line end.
        std::size_t start = t.find_first_not_of(" \t\r\n");
        if (start == std::string::npos) continue;
        std::size_t end = std::min(t.size(), start + 60);
        const std::size_t nl = t.find('\n', start);
        if (nl != std::string::npos && nl < end && nl > start + 12) end = nl + 1;
        else {
            const std::size_t sp = t.rfind(' ', end);
            if (sp != std::string::npos && sp > start + 12) end = sp;
        }
        prompts.push_back(t.substr(start, end - start));
    }
    return prompts;
}

std::string textModelCard(const TextModelCardInfo& i) {
    const auto& p = i.package;
    const auto& c = i.config;
    std::ostringstream md;
    md << "# " << p.name << "\n\n" << p.description << "\n\n";
    md << "| | |\n|---|---|\n";
    md << "| Family | `text-gpt` (" << c.archName() << " architecture) |\n";
    md << "| Data | " << p.provenance["data"].value("name", "") << ": " << i.corpus.train.size() << " files ("
       << formatFixed(double(i.corpus.trainBytes()) / 1e6, 2) << " MB) for training, " << i.corpus.validation.size()
       << " files (" << formatFixed(double(i.corpus.validationBytes()) / 1e6, 2) << " MB) held out |\n";
    md << "| Data license | " << p.provenance["data"].value("license", "") << " |\n";
    md << "| Tokenizer | byte-level BPE, " << c.vocabSize << " tokens, learned from the training files |\n";
    md << "| Shape | " << c.nLayer << " layers, width " << c.dModel << ", " << c.nHead << " heads, context "
       << c.maxPositions << " tokens |\n";
    md << "| Parameters | " << i.parameters << " (" << formatFixed(double(i.parameters) * 2 / 1e6, 2)
       << " MB as float16) |\n";
    const auto& tr = p.provenance["training"];
    md << "| Training | " << tr.value("steps", 0) << " steps of " << tr.value("batch", 0) << " × "
       << tr.value("context", 0) << " tokens, AdamW lr " << tr.value("lr", 0.0) << " (cosine), seed "
       << tr.value("seed", std::uint64_t(0)) << ", on " << tr.value("device", "") << " |\n";
    md << "| Wall time | " << formatDuration(i.wallSeconds) << " |\n\n";
    md << "## Held-out metrics\n\n| metric | value |\n|---|---|\n";
    md << "| Bits per byte | " << formatFixed(i.valBitsPerByte, 3) << " |\n";
    md << "| Loss | " << formatFixed(i.valLossNats, 3) << " nats per token (perplexity " << formatFixed(std::exp(i.valLossNats), 1)
       << ") |\n";
    md << "| Tokens scored | " << i.valTokens << " |\n\n";
    md << "Measured on the float16 weights this package ships, over windows of " << c.maxPositions
       << " tokens of the held-out files.\n\n";
    md << "## Samples\n\nTemperature 0.8, top-k 40, top-p 0.95, repetition penalty 1.1. Each sample begins with "
          "its prompt (quoted under it), the opening of a held-out file.\n\n";
    for (const auto& [prompt, continuation] : i.samples) {
        const std::string body = prompt + continuation;
        const std::string f = fence(body);
        md << f << "\n" << body << "\n" << f << "\n\n";
        md << "Prompt: `" << prompt.substr(0, prompt.find('\n')) << "`\n\n";
    }
    md << "## Recipe\n\n```\n" << i.recipe << "\n```\n\n";
    md << "Trained by Latent Studio " << LATENT_APP_VERSION << " with LibTorch " << TORCH_VERSION << ".\n";
    return md.str();
}

}  // namespace latent::gpt

#pragma once
// Splits text with a PCRE2 regex the way Hugging Face's Split pre-tokenizer
// does with behaviour "Isolated": every match is a piece and so is every gap
// between matches. PCRE2 runs the patterns tokenizer files carry verbatim
// (Unicode classes \p{L}, look-ahead, (?i:...)), which std::regex cannot.
#include <string>
#include <string_view>
#include <vector>

namespace latent::text {

class RegexSplitter {
public:
    // Throws Error(Format) quoting the pattern and PCRE2's message.
    explicit RegexSplitter(const std::string& pattern);
    ~RegexSplitter();
    RegexSplitter(const RegexSplitter&) = delete;
    RegexSplitter& operator=(const RegexSplitter&) = delete;

    // Appends the pieces of `text` to `out`; thread-safe.
    void split(std::string_view text, std::vector<std::string_view>& out) const;

private:
    void* m_code = nullptr;  // pcre2_code_8*
};

}  // namespace latent::text

#include "RegexSplitter.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <memory>

#include "latent/Error.h"

namespace latent::text {
namespace {

pcre2_code* code(void* p) { return static_cast<pcre2_code*>(p); }

std::string pcreMessage(int errorCode) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(errorCode, buffer, sizeof buffer);
    return reinterpret_cast<const char*>(buffer);
}

}  // namespace

RegexSplitter::RegexSplitter(const std::string& pattern) {
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    // UCP: \s, \w and \d follow Unicode properties, as in the Rust and Python
    // regex engines tokenizers were written for.
    m_code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF | PCRE2_UCP,
                           &errorCode, &errorOffset, nullptr);
    if (!m_code)
        throw Error(ErrorKind::Format, "the tokenizer's split pattern '" + pattern + "' does not compile at offset " +
                                           std::to_string(errorOffset) + ": " + pcreMessage(errorCode));
    // JIT makes matching ~10x faster; without it (unsupported CPU) the
    // interpreter gives the same pieces.
    pcre2_jit_compile(code(m_code), PCRE2_JIT_COMPLETE);
}

RegexSplitter::~RegexSplitter() { pcre2_code_free(code(m_code)); }

void RegexSplitter::split(std::string_view text, std::vector<std::string_view>& out) const {
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
        pcre2_match_data_create_from_pattern(code(m_code), nullptr), &pcre2_match_data_free);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t pos = 0;
    std::size_t gapStart = 0;
    // PCRE2 validates the whole subject's UTF-8 on every call unless told
    // not to, which makes splitting a long text quadratic: check it once.
    std::uint32_t options = 0;
    while (pos < text.size()) {
        const int rc = pcre2_match(code(m_code), subject, text.size(), pos, options, match.get(), nullptr);
        options = PCRE2_NO_UTF_CHECK;
        if (rc < 0) break;  // no more matches, or text that is not UTF-8: the rest is one piece
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match.get());
        const std::size_t begin = ov[0];
        const std::size_t end = ov[1];
        if (end == begin) {  // an empty match: step one character on
            ++pos;
            while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
            continue;
        }
        if (begin > gapStart) out.push_back(text.substr(gapStart, begin - gapStart));
        out.push_back(text.substr(begin, end - begin));
        pos = gapStart = end;
    }
    if (gapStart < text.size()) out.push_back(text.substr(gapStart));
}

}  // namespace latent::text

#include "latent/text/Tokenizer.h"

#include <cstdio>

namespace latent::text {

std::string Tokenizer::decode(const std::vector<TokenId>& ids) const {
    std::string out;
    for (TokenId id : ids) out += tokenBytes(id);
    return out;
}

namespace {

// Length of the valid UTF-8 character starting at s[i], or 0 when the bytes
// there are not one (a lone continuation byte, a character cut short).
std::size_t validCharAt(const std::string& s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    return n;
}

}  // namespace

std::string Tokenizer::displayText(TokenId id) const {
    const std::string bytes = tokenBytes(id);
    std::string out;
    for (std::size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        const std::size_t n = validCharAt(bytes, i);
        if (c == ' ') out += "\xE2\x90\xA3";        // ␣
        else if (c == '\n') out += "\xE2\x86\xB5";  // ↵
        else if (c == '\t') out += "\xE2\x87\xA5";  // ⇥
        else if (n == 0 || c < 0x20 || c == 0x7F) {
            // Part of a character (byte-level tokens) or a control byte.
            char hex[8];
            std::snprintf(hex, sizeof hex, "<0x%02X>", c);
            out += hex;
        } else {
            out.append(bytes, i, n);
            i += n;
            continue;
        }
        ++i;
    }
    return out;
}

std::size_t completeUtf8Prefix(std::string_view bytes) {
    // Only the last (up to 3) bytes can start an unfinished character.
    const std::size_t n = bytes.size();
    for (std::size_t back = 1; back <= 4 && back <= n; ++back) {
        const auto c = static_cast<unsigned char>(bytes[n - back]);
        if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
        std::size_t need = 1;
        if ((c >> 5) == 0x6) need = 2;
        else if ((c >> 4) == 0xE) need = 3;
        else if ((c >> 3) == 0x1E) need = 4;
        return need > back ? n - back : n;
    }
    return n;  // four or more continuation bytes: invalid, let them through
}

}  // namespace latent::text

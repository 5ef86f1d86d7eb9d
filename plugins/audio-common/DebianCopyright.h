#pragma once
// A reader for Debian's machine-readable copyright files (DEP-5,
// /usr/share/doc/<package>/copyright): which licence and copyright holder
// cover a file of the package. Only what credits need: Files, Copyright,
// License (its short name) and Source.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latent::audio {

struct CopyrightStanza {
    std::vector<std::string> files;  // glob patterns: * matches any run (also '/'), ? one character
    std::string copyright;           // lines joined with "; "
    std::string license;             // the short name on the License: line ("GPL-2+", "CC0")
    std::string source;
};

class DebianCopyright {
public:
    // Parses the text; malformed lines are skipped. Never throws.
    static DebianCopyright parse(std::string_view text);
    // Reads and parses a file; an empty result when it is missing or larger
    // than 4 MiB (a note is added to `notices`).
    static DebianCopyright load(const std::filesystem::path& path, std::vector<std::string>* notices = nullptr);

    // The stanza covering `path` ("etc/samples/bd_haus.flac"): as DEP-5 says,
    // the last stanza with a matching Files pattern wins.
    std::optional<CopyrightStanza> find(std::string_view path) const;

    const std::vector<CopyrightStanza>& stanzas() const { return m_stanzas; }
    bool empty() const { return m_stanzas.empty(); }

private:
    std::vector<CopyrightStanza> m_stanzas;
};

// Glob match as DEP-5 defines it ('*' any run including '/', '?' one byte).
bool copyrightGlobMatch(std::string_view pattern, std::string_view path);

}  // namespace latent::audio

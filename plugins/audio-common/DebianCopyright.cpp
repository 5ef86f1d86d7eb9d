#include "DebianCopyright.h"

#include <cstdint>
#include <fstream>
#include <sstream>

namespace latent::audio {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

struct Field {
    std::string name;
    std::string firstLine;
    std::vector<std::string> more;
};

void finishStanza(std::vector<Field>& fields, std::vector<CopyrightStanza>& out) {
    CopyrightStanza st;
    bool hasFiles = false;
    for (const Field& f : fields) {
        if (f.name == "files") {
            hasFiles = true;
            auto addWords = [&](std::string_view line) {
                std::istringstream in{std::string(line)};
                std::string w;
                while (in >> w) st.files.push_back(w);
            };
            addWords(f.firstLine);
            for (const std::string& m : f.more) addWords(m);
        } else if (f.name == "copyright") {
            std::string joined(trim(f.firstLine));
            for (const std::string& m : f.more) {
                const std::string_view t = trim(m);
                if (t.empty() || t == ".") continue;
                if (!joined.empty()) joined += "; ";
                joined += t;
            }
            st.copyright = joined;
        } else if (f.name == "license") {
            st.license = std::string(trim(f.firstLine));
        } else if (f.name == "source") {
            st.source = std::string(trim(f.firstLine));
        }
    }
    if (hasFiles && !st.files.empty()) out.push_back(std::move(st));
    fields.clear();
}

}  // namespace

bool copyrightGlobMatch(std::string_view pattern, std::string_view path) {
    std::size_t p = 0, s = 0, starP = std::string_view::npos, starS = 0;
    while (s < path.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == path[s])) {
            ++p;
            ++s;
        } else if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starS = s;
        } else if (starP != std::string_view::npos) {
            p = starP + 1;
            s = ++starS;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

DebianCopyright DebianCopyright::parse(std::string_view text) {
    DebianCopyright out;
    std::vector<Field> fields;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
        const std::string_view line = text.substr(pos, end - pos);
        if (trim(line).empty()) {
            finishStanza(fields, out.m_stanzas);
        } else if (line.front() == ' ' || line.front() == '\t') {
            if (!fields.empty()) fields.back().more.emplace_back(line);
        } else if (line.front() != '#') {
            const std::size_t colon = line.find(':');
            if (colon != std::string_view::npos) {
                Field f;
                for (const char c : line.substr(0, colon))
                    f.name.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
                f.firstLine = std::string(trim(line.substr(colon + 1)));
                fields.push_back(std::move(f));
            }
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    finishStanza(fields, out.m_stanzas);
    return out;
}

DebianCopyright DebianCopyright::load(const std::filesystem::path& path, std::vector<std::string>* notices) {
    constexpr std::uintmax_t kMaxBytes = 4u << 20;
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size > kMaxBytes) {
        if (notices)
            notices->push_back(path.string() + (ec ? ": not readable, licences come from the data files alone"
                                                   : ": larger than 4 MiB, not read"));
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), std::streamsize(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return parse(text);
}

std::optional<CopyrightStanza> DebianCopyright::find(std::string_view path) const {
    std::optional<CopyrightStanza> found;
    for (const CopyrightStanza& st : m_stanzas) {
        for (const std::string& pat : st.files) {
            if (copyrightGlobMatch(pat, path)) {
                found = st;
                break;
            }
        }
    }
    return found;
}

}  // namespace latent::audio

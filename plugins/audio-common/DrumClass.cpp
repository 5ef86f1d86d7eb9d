#include "DrumClass.h"

#include <array>
#include <cctype>

namespace latent::audio {

namespace {

// Lower case, every run of non-alphanumerics becomes one space, digits are
// split from letters ("Djembe1" → "djembe 1", "tomhi2" → "tomhi 2").
std::vector<std::string> tokens(std::string_view name) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
    };
    for (const char ch : name) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (std::isalpha(c)) {
            if (!cur.empty() && std::isdigit(static_cast<unsigned char>(cur.back()))) flush();
            cur.push_back(static_cast<char>(std::tolower(c)));
        } else if (std::isdigit(c)) {
            if (!cur.empty() && std::isalpha(static_cast<unsigned char>(cur.back()))) flush();
            cur.push_back(static_cast<char>(c));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

// One keyword: "=op" matches the token "op" exactly; "bass drum" matches two
// consecutive tokens, the last one as a prefix; "tom" matches any token that
// starts with "tom" ("tomhi").
bool matches(const std::vector<std::string>& toks, std::string_view keyword) {
    const bool exact = !keyword.empty() && keyword.front() == '=';
    if (exact) keyword.remove_prefix(1);
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= keyword.size()) {
        const std::size_t sp = keyword.find(' ', start);
        const std::size_t end = sp == std::string_view::npos ? keyword.size() : sp;
        if (end > start) parts.push_back(keyword.substr(start, end - start));
        if (sp == std::string_view::npos) break;
        start = sp + 1;
    }
    if (parts.empty() || parts.size() > toks.size()) return false;
    for (std::size_t i = 0; i + parts.size() <= toks.size(); ++i) {
        bool ok = true;
        for (std::size_t j = 0; j < parts.size() && ok; ++j) {
            const std::string& t = toks[i + j];
            const bool last = j + 1 == parts.size();
            if (exact || !last)
                ok = t == parts[j];
            else
                ok = t.compare(0, parts[j].size(), parts[j]) == 0;
        }
        if (ok) return true;
    }
    return false;
}

struct Rule {
    DrumClass drumClass;  // Invalid: "not a one-shot drum", skip
    std::array<std::string_view, 12> keywords;
};

// Order matters: the first rule with a matching keyword wins.
const Rule kRules[] = {
    // Not one-shot drum hits.
    {DrumClass::Invalid, {"roll", "=fx", "zap", "whistle", "glass", "empty", "noise", "scratch", "loop", "beats"}},
    // Hi-hats before anything that could match "closed"/"open" words.
    {DrumClass::OpenHat,
     {"hh open", "hat open", "hihat open", "open hh", "open hat", "open hihat", "hat op", "ohh", "hat semi",
      "hat swish", "hat free", "hihat semi"}},
    {DrumClass::OpenHat, {"openhat", "hat opened", "hh op", "hat 1 op", "hat 2 op", "hat 3 op"}},
    {DrumClass::ClosedHat, {"=hh", "=hat", "hihat", "hi hat", "closehihat", "pedalhihat", "hat", "chh", "=hhc"}},
    // Cymbals: ride before crash ("Crash/Ride" and "ride-crash" are rides).
    {DrumClass::Ride, {"ride", "=cup"}},
    {DrumClass::Crash, {"crash", "china", "splash", "cymbal", "=cra"}},
    // Bells are metal percussion, also on a sangban or dununba.
    {DrumClass::Perc,
     {"cowbell", "bell", "agogo", "clave", "woodblock", "wood block", "tambourine", "tamb", "maraca", "shaker",
      "cabasa", "triangle"}},
    {DrumClass::Perc, {"guiro", "castanet", "perc", "vibraslap", "=block"}},
    {DrumClass::HandDrum,
     {"conga", "bongo", "djembe", "cajon", "tabla", "sangban", "dununba", "kenkeni", "darbuk", "hand drum", "cuica"}},
    {DrumClass::Clap, {"clap", "snap", "snaps"}},
    // A rimshot is a snare hit (head and rim together); a side stick is not.
    {DrumClass::Snare, {"rimshot", "rim shot"}},
    {DrumClass::Rim, {"=rim", "rim click", "side stick", "sidestick", "cross stick", "=stick", "=click"}},
    {DrumClass::Kick, {"kick", "bass drum", "bassdrum", "=bd", "bombo"}},
    {DrumClass::Snare, {"snare", "=sd"}},
    {DrumClass::Tom, {"tom", "floor", "timbal", "timbale"}},
};

}  // namespace

const char* drumClassName(DrumClass c) {
    switch (c) {
        case DrumClass::Kick: return "kick";
        case DrumClass::Snare: return "snare";
        case DrumClass::Rim: return "rim";
        case DrumClass::Clap: return "clap";
        case DrumClass::ClosedHat: return "closed hat";
        case DrumClass::OpenHat: return "open hat";
        case DrumClass::Tom: return "tom";
        case DrumClass::Crash: return "crash";
        case DrumClass::Ride: return "ride";
        case DrumClass::Perc: return "perc";
        case DrumClass::HandDrum: return "hand drum";
        case DrumClass::Invalid: break;
    }
    return "";
}

std::vector<std::string> drumClassNames() {
    std::vector<std::string> out;
    for (int i = 1; i <= kDrumClassCount; ++i) out.emplace_back(drumClassName(static_cast<DrumClass>(i)));
    return out;
}

DrumClass drumClassForName(std::string_view instrumentName) {
    const std::vector<std::string> toks = tokens(instrumentName);
    if (toks.empty()) return DrumClass::Invalid;
    for (const Rule& rule : kRules) {
        for (std::string_view kw : rule.keywords) {
            if (!kw.empty() && matches(toks, kw)) return rule.drumClass;
        }
    }
    return DrumClass::Invalid;
}

}  // namespace latent::audio

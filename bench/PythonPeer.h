#pragma once
// Runs a PyTorch eager peer (bench/peers/*.py under Debian's /usr/bin/python3)
// and parses the one JSON object it prints, so a benchmark can print its
// ratio against a peer measured in the same run.
#include <cstdio>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace latent::bench {

inline std::optional<nlohmann::json> runPythonPeer(const std::string& commandLine, std::string* error) {
    FILE* pipe = ::popen(commandLine.c_str(), "r");
    if (!pipe) {
        if (error) *error = "cannot start: " + commandLine;
        return std::nullopt;
    }
    std::string out;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    const int status = ::pclose(pipe);
    if (status != 0) {
        if (error) *error = "the peer failed (exit status " + std::to_string(status) + "): " + commandLine;
        return std::nullopt;
    }
    auto parsed = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
        if (error) *error = "the peer printed no JSON: " + out.substr(0, 200);
        return std::nullopt;
    }
    return parsed;
}

inline std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace latent::bench

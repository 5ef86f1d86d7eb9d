#include "TextTasks.h"

namespace latent::gpt {
namespace {

ParamSchema samplingSchema(double temperature, std::int64_t maxTokens, const std::string& stops) {
    return {
        ParamSpec::integer("max_new_tokens", "Max new tokens", 1, 8192, maxTokens, "tokens",
                           "Generation stops after this many tokens"),
        ParamSpec::number("temperature", "Temperature", 0.0, 2.0, temperature, 0.05,
                          "0 always picks the most likely token (greedy); higher is more varied"),
        ParamSpec::integer("top_k", "Top-k", 0, 1000, 40, "", "Sample among the k most likely tokens; 0 = all"),
        ParamSpec::number("top_p", "Top-p", 0.05, 1.0, 0.95, 0.01,
                          "Sample among the most likely tokens that make up this much probability; 1 = all"),
        // Off by default, as in transformers and llama.cpp: any penalty moves the
        // argmax, so temperature 0 would not be greedy.
        ParamSpec::number("repetition_penalty", "Repetition penalty", 1.0, 2.0, 1.0, 0.01,
                          "Above 1 makes tokens already in the text less likely; 1 = off"),
        ParamSpec::text("stop", "Stop at", stops,
                        "Stop when the text reaches any of these; separate them with |, write a new line as \\n"),
    };
}

std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            const char n = s[++i];
            out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

std::vector<TaskInfo> textTasks() {
    return {
        {"text.generate", "Write", samplingSchema(0.8, 200, "")},
        {"text.complete", "Complete code", samplingSchema(0.2, 64, "\\n\\n\\n")},
        {"text.score", "Score text", {}},
    };
}

std::vector<std::string> parseStopSequences(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            cur += text[i];
            cur += text[++i];
        } else if (text[i] == '|') {
            if (!cur.empty()) out.push_back(unescape(cur));
            cur.clear();
        } else {
            cur += text[i];
        }
    }
    if (!cur.empty()) out.push_back(unescape(cur));
    return out;
}

TextJobSettings readTextJobSettings(const JobContext& ctx) {
    TextJobSettings s;
    s.sampling.temperature = ctx.floatParam("temperature");
    s.sampling.topK = std::int32_t(ctx.intParam("top_k"));
    s.sampling.topP = ctx.floatParam("top_p");
    s.sampling.repetitionPenalty = ctx.floatParam("repetition_penalty");
    s.maxNewTokens = ctx.intParam("max_new_tokens");
    s.stops = parseStopSequences(ctx.stringParam("stop"));
    return s;
}

}  // namespace latent::gpt

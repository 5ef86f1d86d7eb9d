#pragma once
// The text family's tasks and their parameter schemas.
#include <string>
#include <vector>

#include "latent/JobContext.h"
#include "latent/TaskInfo.h"
#include "latent/text/Sampler.h"

namespace latent::gpt {

std::vector<TaskInfo> textTasks();

struct TextJobSettings {
    text::SamplingParams sampling;
    std::int64_t maxNewTokens = 0;
    std::vector<std::string> stops;
};
// Reads a generate/complete job's validated parameters.
TextJobSettings readTextJobSettings(const JobContext& ctx);

// "a|b\n\n" -> {"a", "b", "\n\n"}: stop sequences as typed in one line, with
// \n, \t and \\ escapes and '|' between them.
std::vector<std::string> parseStopSequences(const std::string& text);

}  // namespace latent::gpt

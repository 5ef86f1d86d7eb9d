#include "latent/plugin/torch/ScriptError.h"

#include <c10/util/Exception.h>
#include <spdlog/spdlog.h>

#include "latent/Error.h"

namespace latent {

std::string lastLine(const std::string& text) {
    const auto end = text.find_last_not_of(" \n\r\t");
    if (end == std::string::npos) return text;
    const auto newline = text.rfind('\n', end);
    const auto start = newline == std::string::npos ? 0 : newline + 1;
    return text.substr(start, end - start + 1);
}

void rethrowScriptError(const std::exception& e, const std::string& what) {
    const auto* c10 = dynamic_cast<const c10::Error*>(&e);
    const std::string text = c10 ? c10->what_without_backtrace() : e.what();
    spdlog::debug("{} failed:\n{}", what, text);
    throw Error(ErrorKind::Runtime, what + " failed: " + lastLine(text));
}

}  // namespace latent

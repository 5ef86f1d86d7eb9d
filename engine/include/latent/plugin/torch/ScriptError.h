#pragma once
// Errors thrown from TorchScript code carry a whole interpreter traceback:
// users get its last line (the actual error), the log keeps everything.
#include <exception>
#include <string>

namespace latent {

// The last non-empty line of `text`.
std::string lastLine(const std::string& text);

// Error(Runtime) "<what> failed: <last line>" for an exception a TorchScript
// call threw (c10::Error, torch::jit::JITException, std::exception); the
// full text goes to the debug log.
[[noreturn]] void rethrowScriptError(const std::exception& e, const std::string& what);

}  // namespace latent

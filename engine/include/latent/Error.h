#pragma once
// Typed engine errors. Every error carries a message a user can read as-is;
// the UI shows it and the log records it.
#include <stdexcept>
#include <string>

namespace latent {

// Persisted in logs and job records: start at 1, never renumber.
enum class ErrorKind {
    Invalid = 0,
    BadArgument = 1,   // a request or parameter the user can fix
    ModelPackage = 2,  // model.json, weight files, checksums
    Plugin = 3,        // plugin discovery, ABI, entry point
    Format = 4,        // a file that does not parse (safetensors, json, image)
    Runtime = 5,       // the model failed while running
    Cancelled = 6,     // the job was stopped on request
    Io = 7,            // reading or writing files
    Device = 8,        // unknown or unusable device
};

const char* errorKindName(ErrorKind kind);

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
    ErrorKind kind() const noexcept { return m_kind; }

private:
    ErrorKind m_kind;
};

}  // namespace latent

#include "latent/Error.h"

namespace latent {

const char* errorKindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::BadArgument: return "bad argument";
    case ErrorKind::ModelPackage: return "model package";
    case ErrorKind::Plugin: return "plugin";
    case ErrorKind::Format: return "format";
    case ErrorKind::Runtime: return "runtime";
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::Io: return "i/o";
    case ErrorKind::Device: return "device";
    case ErrorKind::Invalid: break;
    }
    return "invalid";
}

}  // namespace latent

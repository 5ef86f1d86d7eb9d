#include "latent/JobContext.h"

#include "latent/Error.h"

namespace latent {
namespace {

template <typename T>
const T& typed(const ParamMap& params, const std::string& name, const char* what) {
    auto it = params.find(name);
    if (it == params.end()) throw Error(ErrorKind::BadArgument, "missing parameter '" + name + "'");
    if (const T* v = std::get_if<T>(&it->second)) return *v;
    throw Error(ErrorKind::BadArgument, "parameter '" + name + "' is not " + what);
}

}  // namespace

void JobContext::throwIfStopped() const {
    if (stopRequested()) throw Error(ErrorKind::Cancelled, "cancelled");
}

std::int64_t JobContext::intParam(const std::string& name) const {
    return typed<std::int64_t>(params(), name, "a whole number");
}

double JobContext::floatParam(const std::string& name) const {
    auto it = params().find(name);
    if (it != params().end())
        if (const auto* i = std::get_if<std::int64_t>(&it->second)) return double(*i);
    return typed<double>(params(), name, "a number");
}

bool JobContext::boolParam(const std::string& name) const {
    return typed<bool>(params(), name, "true or false");
}

const std::string& JobContext::stringParam(const std::string& name) const {
    return typed<std::string>(params(), name, "text");
}

}  // namespace latent

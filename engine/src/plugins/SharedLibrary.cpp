#include "plugins/SharedLibrary.h"

#include <dlfcn.h>

#include <utility>

#include <spdlog/spdlog.h>

#include "latent/Error.h"

namespace latent {

namespace {

std::string takeDlError(const char* fallback)
{
    const char* text = dlerror();
    return text ? std::string(text) : std::string(fallback);
}

}  // namespace

SharedLibrary::SharedLibrary(const std::filesystem::path& file) : m_file(file)
{
    dlerror();  // clear any stale error so the text we report is ours
    m_handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!m_handle)
        throw Error(ErrorKind::Plugin,
                    "cannot load '" + file.string() + "': " + takeDlError("unknown loader error"));
}

SharedLibrary::~SharedLibrary()
{
    close();
}

SharedLibrary::SharedLibrary(SharedLibrary&& other) noexcept
    : m_file(std::move(other.m_file)), m_handle(std::exchange(other.m_handle, nullptr))
{
}

SharedLibrary& SharedLibrary::operator=(SharedLibrary&& other) noexcept
{
    if (this != &other) {
        close();
        m_file = std::move(other.m_file);
        m_handle = std::exchange(other.m_handle, nullptr);
    }
    return *this;
}

void* SharedLibrary::symbol(const char* name, std::string& error) const
{
    if (!m_handle) {
        error = "library '" + m_file.string() + "' is not loaded";
        return nullptr;
    }
    dlerror();
    void* address = dlsym(m_handle, name);
    // A symbol may legitimately be null, so dlerror() is the failure signal.
    if (const char* text = dlerror()) {
        error = text;
        return nullptr;
    }
    if (!address)
        error = std::string("symbol '") + name + "' resolves to a null address";
    return address;
}

void SharedLibrary::close() noexcept
{
    if (!m_handle)
        return;
    dlerror();
    if (dlclose(m_handle) != 0)
        spdlog::warn("unloading '{}' failed: {}", m_file.string(), takeDlError("unknown loader error"));
    m_handle = nullptr;
}

}  // namespace latent

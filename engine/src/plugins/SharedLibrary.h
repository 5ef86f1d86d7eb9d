#pragma once
// RAII wrapper around dlopen/dlsym/dlclose. Errors carry dlerror()'s text,
// captured at once because dlerror() is reset by the next dl* call.
#include <filesystem>
#include <string>

namespace latent {

class SharedLibrary {
public:
    // dlopen(RTLD_NOW | RTLD_LOCAL): unresolved symbols fail here rather than
    // at first call, and plugins cannot see each other's symbols.
    // Throws Error(Plugin) with the loader's message.
    explicit SharedLibrary(const std::filesystem::path& file);
    ~SharedLibrary();  // dlclose
    SharedLibrary(SharedLibrary&& other) noexcept;
    SharedLibrary& operator=(SharedLibrary&& other) noexcept;
    SharedLibrary(const SharedLibrary&) = delete;
    SharedLibrary& operator=(const SharedLibrary&) = delete;

    // The address of `name`, or nullptr with `error` set to the loader's text.
    void* symbol(const char* name, std::string& error) const;
    const std::filesystem::path& file() const { return m_file; }
    // Unloads now; a later symbol() lookup fails. Safe to call twice.
    void close() noexcept;

private:
    std::filesystem::path m_file;
    void* m_handle = nullptr;
};

}  // namespace latent

#pragma once
// Keeps loaded models under a memory budget, unloading the least recently used
// model that no job is using.
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace latent {

class LoadedModel;

struct CachedModelInfo {
    std::string key;  // "<model id>@<device>"
    std::size_t bytes = 0;
    bool inUse = false;
};

class ModelCache {
public:
    explicit ModelCache(std::size_t budgetBytes);

    // Returns the cached model or calls `load` (outside the lock) and caches it.
    std::shared_ptr<LoadedModel> get(const std::string& key,
                                     const std::function<std::unique_ptr<LoadedModel>()>& load);
    // Unloads least recently used models no job holds until `bytes` more
    // fit in the budget (or nothing more can go): room for a model about to load.
    void makeRoom(std::size_t bytes);
    bool contains(const std::string& key) const;
    void setBudget(std::size_t bytes);
    std::size_t budget() const;
    std::size_t usedBytes() const;
    void clear();  // drops every model not in use
    void evict(const std::string& keyPrefix);  // e.g. a model whose files changed
    std::vector<CachedModelInfo> entries() const;

private:
    void trimLocked(std::size_t incoming = 0);
    struct Entry {
        std::string key;
        std::shared_ptr<LoadedModel> model;
        std::size_t bytes = 0;
    };
    mutable std::mutex m_mutex;
    std::list<Entry> m_lru;  // front: most recently used
    std::size_t m_budget;
};

}  // namespace latent

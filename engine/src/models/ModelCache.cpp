#include "latent/ModelCache.h"

#include <spdlog/spdlog.h>

#include "latent/plugin/LoadedModel.h"

namespace latent {

ModelCache::ModelCache(std::size_t budgetBytes) : m_budget(budgetBytes) {}

std::shared_ptr<LoadedModel> ModelCache::get(const std::string& key,
                                             const std::function<std::unique_ptr<LoadedModel>()>& load) {
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_lru.begin(); it != m_lru.end(); ++it) {
            if (it->key != key) continue;
            m_lru.splice(m_lru.begin(), m_lru, it);
            return m_lru.front().model;
        }
    }
    // Loading can take seconds: never under the lock. One worker per device
    // means one key is never loaded twice at once.
    std::shared_ptr<LoadedModel> model = load();
    const std::size_t bytes = model->memoryBytes();
    std::lock_guard lock(m_mutex);
    m_lru.push_front(Entry{key, model, bytes});
    trimLocked();
    spdlog::info("model loaded: {}, {} ({:.1f} MB, cache {:.1f}/{:.1f} MB)", key, model->dtype(), bytes / 1e6,
                 [&] { std::size_t s = 0; for (auto& e : m_lru) s += e.bytes; return s; }() / 1e6,
                 m_budget / 1e6);
    return model;
}

void ModelCache::trimLocked(std::size_t incoming) {
    std::size_t used = incoming;
    for (const auto& e : m_lru) used += e.bytes;
    // Evict from the least recently used end, skipping models a job or
    // another model holds (a shared part). Evicting a model can free the part
    // it held, so go round again while that helps.
    for (bool evicted = true; evicted && used > m_budget;) {
        evicted = false;
        for (auto it = m_lru.end(); used > m_budget && it != m_lru.begin();) {
            --it;
            if (it->model.use_count() > 1) continue;
            spdlog::info("model unloaded (over budget): {}", it->key);
            used -= it->bytes;
            it = m_lru.erase(it);
            evicted = true;
        }
    }
}

void ModelCache::makeRoom(std::size_t bytes) {
    std::lock_guard lock(m_mutex);
    trimLocked(bytes);
}

bool ModelCache::contains(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    for (const auto& e : m_lru)
        if (e.key == key) return true;
    return false;
}

void ModelCache::setBudget(std::size_t bytes) {
    std::lock_guard lock(m_mutex);
    m_budget = bytes;
    trimLocked();
}

std::size_t ModelCache::budget() const {
    std::lock_guard lock(m_mutex);
    return m_budget;
}

std::size_t ModelCache::usedBytes() const {
    std::lock_guard lock(m_mutex);
    std::size_t used = 0;
    for (const auto& e : m_lru) used += e.bytes;
    return used;
}

void ModelCache::clear() {
    std::lock_guard lock(m_mutex);
    m_lru.remove_if([](const Entry& e) { return e.model.use_count() == 1; });
}

void ModelCache::evict(const std::string& keyPrefix) {
    std::lock_guard lock(m_mutex);
    m_lru.remove_if([&](const Entry& e) { return e.key.rfind(keyPrefix, 0) == 0 && e.model.use_count() == 1; });
}

std::vector<CachedModelInfo> ModelCache::entries() const {
    std::lock_guard lock(m_mutex);
    std::vector<CachedModelInfo> out;
    for (const auto& e : m_lru) out.push_back({e.key, e.bytes, e.model.use_count() > 1});
    return out;
}

}  // namespace latent

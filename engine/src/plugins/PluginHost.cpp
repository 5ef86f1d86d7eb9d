#include "latent/PluginHost.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <exception>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/plugin/ModelFamily.h"
#include "latent/plugin/PluginApi.h"
#include "plugins/PluginManifest.h"
#include "plugins/SharedLibrary.h"

namespace fs = std::filesystem;

namespace latent {

namespace {

// The leading fields every descriptor of any ABI carries.
constexpr std::size_t kDescriptorHeaderBytes =
    offsetof(LatentPluginDescriptor, structSize) + sizeof(LatentPluginDescriptor::structSize);
// The fields this host calls: a descriptor ending before destroyFamily is unusable.
constexpr std::size_t kDescriptorRequiredBytes =
    offsetof(LatentPluginDescriptor, destroyFamily) + sizeof(LatentPluginDescriptor::destroyFamily);

std::string describeException(std::exception_ptr error)
{
    try {
        std::rethrow_exception(std::move(error));
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an unknown exception";
    }
}

std::vector<std::string> taskIds(const std::vector<TaskInfo>& tasks)
{
    std::vector<std::string> ids;
    ids.reserve(tasks.size());
    for (const TaskInfo& task : tasks)
        ids.push_back(task.id);
    return ids;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

}  // namespace

const char* pluginStateName(PluginState state)
{
    switch (state) {
    case PluginState::Invalid: return "invalid";
    case PluginState::Discovered: return "discovered";
    case PluginState::Loaded: return "loaded";
    case PluginState::Ready: return "ready";
    case PluginState::Failed: return "failed";
    case PluginState::Resolved: return "resolved";
    }
    return "invalid";
}

struct PluginHost::Slot {
    explicit Slot(PluginRecord r) : record(std::move(r)) {}
    ~Slot()
    {
        destroyFamily();
        library.reset();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

    // Returns an empty string on success, else the problem (without the id).
    std::string load();
    void destroyFamily() noexcept;

    PluginRecord record;
    // Set once loading was tried: discover() then keeps the slot as it is, so
    // a loaded family stays put and a broken library is not mapped again.
    bool attempted = false;
    std::unique_ptr<SharedLibrary> library;
    ModelFamily* family = nullptr;
    void (*destroyFn)(ModelFamily*) = nullptr;
};

void PluginHost::Slot::destroyFamily() noexcept
{
    if (!family)
        return;
    try {
        destroyFn(family);
    } catch (...) {
        spdlog::warn("plugin {}: destroying its model family threw {}", record.id,
                     describeException(std::current_exception()));
    }
    family = nullptr;
}

std::string PluginHost::Slot::load()
{
    const fs::path& file = record.library;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return "library file '" + file.string() + "' is missing";

    try {
        library = std::make_unique<SharedLibrary>(file);
    } catch (const std::exception& e) {
        return e.what();
    }
    record.state = PluginState::Loaded;

    std::string symbolError;
    void* entryAddress = library->symbol(LATENT_PLUGIN_ENTRY_SYMBOL, symbolError);
    if (!entryAddress)
        return "'" + file.filename().string() + "' does not export " LATENT_PLUGIN_ENTRY_SYMBOL " (" +
               symbolError + ")";
    const auto entry = reinterpret_cast<LatentPluginEntryFn>(entryAddress);

    const LatentPluginDescriptor* published = nullptr;
    try {
        published = entry();
    } catch (...) {
        return LATENT_PLUGIN_ENTRY_SYMBOL "() threw " + describeException(std::current_exception());
    }
    if (!published)
        return LATENT_PLUGIN_ENTRY_SYMBOL "() returned no descriptor";

    // Copy into a zeroed local and never read past what the plugin says it
    // has: fields an older plugin lacks read as null.
    LatentPluginDescriptor descriptor{};
    std::memcpy(&descriptor, published, kDescriptorHeaderBytes);
    if (descriptor.abiMajor != LATENT_PLUGIN_ABI_MAJOR)
        return pluginAbiMismatchMessage(descriptor.abiMajor);
    if (descriptor.structSize < kDescriptorRequiredBytes)
        return "plugin descriptor is " + std::to_string(descriptor.structSize) +
               " bytes; this Latent Studio needs at least " + std::to_string(kDescriptorRequiredBytes);
    std::memcpy(&descriptor, published,
                std::min<std::size_t>(descriptor.structSize, sizeof(LatentPluginDescriptor)));

    if (!descriptor.id)
        return "plugin descriptor has no id";
    if (record.id != descriptor.id)
        return "descriptor id '" + std::string(descriptor.id) + "' does not match plugin.json id '" +
               record.id + "'";
    if (!descriptor.createFamily || !descriptor.destroyFamily)
        return "plugin descriptor lacks createFamily or destroyFamily";
    destroyFn = descriptor.destroyFamily;

    try {
        family = descriptor.createFamily();
    } catch (...) {
        return "createFamily() failed: " + describeException(std::current_exception());
    }
    if (!family)
        return "createFamily() returned no model family";

    // Ask for the tasks once now, so a family that cannot describe itself
    // fails here rather than in the UI.
    std::vector<std::string> familyTasks;
    try {
        familyTasks = taskIds(family->tasks());
        if (const auto train = family->trainTask()) familyTasks.push_back(train->id);
    } catch (...) {
        return "tasks() failed: " + describeException(std::current_exception());
    }
    auto declared = record.tasks;
    std::sort(declared.begin(), declared.end());
    std::sort(familyTasks.begin(), familyTasks.end());
    if (declared != familyTasks)
        spdlog::warn("plugin {}: plugin.json lists tasks [{}] but the family offers [{}]", record.id,
                     joined(record.tasks), joined(familyTasks));

    record.state = PluginState::Ready;
    if (descriptor.version && record.version != descriptor.version)
        spdlog::warn("plugin {}: plugin.json version {} differs from the library's {}", record.id,
                     record.version, descriptor.version);
    return {};
}

PluginHost::PluginHost(std::vector<fs::path> searchDirs) : m_dirs(std::move(searchDirs)) {}

PluginHost::~PluginHost()
{
    std::lock_guard lock(m_mutex);
    // Every family first: one family's destructor may still run code from any
    // loaded library, so no library goes before all families are gone.
    for (auto& [id, slot] : m_slots)
        slot->destroyFamily();
    for (auto& [id, slot] : m_slots)
        slot->library.reset();
}

std::vector<fs::path> PluginHost::searchDirs() const
{
    std::lock_guard lock(m_mutex);
    return m_dirs;
}

void PluginHost::discover()
{
    std::lock_guard lock(m_mutex);
    std::map<std::string, std::unique_ptr<Slot>> next;
    // Slots that went through loading stay as they are (families handed out
    // must outlive the host); the rest are re-read so fixed manifests count.
    for (auto& [id, slot] : m_slots)
        if (slot->attempted)
            next.emplace(id, std::move(slot));

    for (const fs::path& dir : m_dirs) {
        std::vector<fs::path> folders;
        try {
            std::error_code ec;
            if (!fs::is_directory(dir, ec)) {
                spdlog::debug("plugin search dir {} does not exist; skipped", dir.string());
                continue;
            }
            for (const fs::directory_entry& entry : fs::directory_iterator(dir))
                if (entry.is_directory(ec) && fs::is_regular_file(entry.path() / "plugin.json", ec))
                    folders.push_back(entry.path());
        } catch (const std::exception& e) {
            spdlog::warn("cannot scan plugin dir {}: {}", dir.string(), e.what());
        }
        // Directory order is arbitrary; sort so duplicates resolve the same way every run.
        std::sort(folders.begin(), folders.end());

        for (const fs::path& folder : folders) {
            PluginRecord record = readPluginManifest(folder / "plugin.json");
            if (const auto found = next.find(record.id); found != next.end()) {
                if (found->second->record.dir != record.dir)
                    spdlog::warn("plugin {} in {} ignored: {} already provides it", record.id,
                                 record.dir.string(), found->second->record.dir.string());
                continue;
            }
            if (record.state == PluginState::Failed)
                spdlog::warn("plugin {}", record.error);
            else
                spdlog::debug("plugin {} {} discovered in {}", record.id, record.version, record.dir.string());
            std::string id = record.id;
            next.emplace(std::move(id), std::make_unique<Slot>(std::move(record)));
        }
    }
    m_slots = std::move(next);
    resolveLocked();
}

void PluginHost::resolveLocked()
{
    // Until nothing changes: a plugin fails when one it requires is missing,
    // failed or too old, and then so does whatever requires it.
    for (auto& [id, slot] : m_slots)
        if (slot->record.state == PluginState::Discovered)
            slot->record.state = PluginState::Resolved;
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& [id, slot] : m_slots) {
            PluginRecord& r = slot->record;
            if (r.state != PluginState::Resolved)
                continue;
            for (const PluginDependency& dep : r.dependencies) {
                const auto found = m_slots.find(dep.id);
                std::string why;
                if (found == m_slots.end())
                    why = "it requires plugin '" + dep.id + "', which is not installed";
                else if (found->second->record.state == PluginState::Failed)
                    why = "it requires plugin '" + dep.id + "', which failed: " + found->second->record.error;
                else if (!versionCompatible(found->second->record.version, dep.version))
                    why = "it requires plugin '" + dep.id + "' version " + dep.version +
                          " or a compatible later one, but " + found->second->record.version + " is installed";
                if (why.empty())
                    continue;
                r.state = PluginState::Failed;
                r.error = r.id + ": " + why;
                spdlog::warn("plugin {}", r.error);
                changed = true;
                break;
            }
        }
    }
}

void PluginHost::loadAll()
{
    std::lock_guard lock(m_mutex);
    for (auto& [id, slot] : m_slots)
        loadLocked(*slot);
}

std::vector<PluginRecord> PluginHost::plugins() const
{
    std::lock_guard lock(m_mutex);
    std::vector<PluginRecord> records;
    records.reserve(m_slots.size());
    for (const auto& [id, slot] : m_slots)
        records.push_back(slot->record);
    return records;
}

ModelFamily& PluginHost::family(const std::string& familyId)
{
    std::lock_guard lock(m_mutex);
    const auto found = m_slots.find(familyId);
    if (found == m_slots.end()) {
        std::vector<std::string> ids;
        for (const auto& [id, slot] : m_slots)
            ids.push_back(id);
        const std::string installed = joined(ids);
        throw Error(ErrorKind::Plugin, "no plugin for model family '" + familyId + "' (installed: " +
                                           (installed.empty() ? std::string("none") : installed) + ")");
    }
    Slot& slot = *found->second;
    loadLocked(slot);
    if (slot.record.state != PluginState::Ready || !slot.family)
        throw Error(ErrorKind::Plugin, slot.record.error);
    return *slot.family;
}

std::vector<TaskInfo> PluginHost::tasks(const std::string& familyId)
{
    // family() takes the lock; the family itself lives until the host dies.
    ModelFamily& f = family(familyId);
    try {
        return f.tasks();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Plugin, familyId + ": tasks() failed: " + e.what());
    }
}

void PluginHost::loadLocked(Slot& slot, int depth)
{
    if (slot.record.state != PluginState::Resolved)
        return;  // ready, or failed with its error already recorded
    slot.attempted = true;
    std::string problem;
    // The plugins it requires load first: its code may call theirs.
    for (const PluginDependency& dep : slot.record.dependencies) {
        Slot& other = *m_slots.at(dep.id);  // resolveLocked() made sure it exists
        if (depth < 16)
            loadLocked(other, depth + 1);
        if (other.record.state != PluginState::Ready) {
            problem = "it requires plugin '" + dep.id + "', which " +
                      (depth < 16 ? "failed: " + other.record.error : std::string("is part of a loop"));
            break;
        }
    }
    try {
        if (problem.empty())
            problem = slot.load();
    } catch (...) {
        problem = "loading failed: " + describeException(std::current_exception());
    }
    if (problem.empty()) {
        spdlog::info("plugin {} {} ready ({})", slot.record.id, slot.record.version,
                     slot.record.library.string());
        return;
    }
    // A broken plugin keeps nothing mapped.
    slot.destroyFamily();
    slot.library.reset();
    slot.record.state = PluginState::Failed;
    slot.record.error = slot.record.id + ": " + problem;
    spdlog::warn("plugin {}", slot.record.error);
}

}  // namespace latent

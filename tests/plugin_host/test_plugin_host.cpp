// PluginHost against the fixture plugins built by this folder's CMakeLists
// (one per failure mode) and against manifests written into temp dirs.
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/PluginHost.h"
#include "latent/plugin/ModelFamily.h"
#include "latent/plugin/PluginApi.h"

namespace fs = std::filesystem;
using latent::ErrorKind;
using latent::PluginHost;
using latent::PluginRecord;
using latent::PluginState;

namespace {

fs::path fixtureDir()
{
    return fs::path(LATENT_HOST_FIXTURE_DIR);
}

fs::path fixtureLibrary(const std::string& id)
{
    return fixtureDir() / id / ("lib" + id + ".so");
}

class TempDir {
public:
    TempDir()
    {
        static std::atomic<int> counter{0};
        m_path = fs::temp_directory_path() /
                 ("latent-plugin-host-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

void writeFile(const fs::path& file, const std::string& text)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

std::optional<PluginRecord> findRecord(const PluginHost& host, const std::string& id)
{
    for (const PluginRecord& record : host.plugins())
        if (record.id == id)
            return record;
    return std::nullopt;
}

PluginRecord requireRecord(const PluginHost& host, const std::string& id)
{
    std::optional<PluginRecord> record = findRecord(host, id);
    if (!record) {
        ADD_FAILURE() << "no record for plugin " << id;
        return {};
    }
    return *record;
}

// EXPECT_TRUE(contains(text, part)) reports both strings on failure.
testing::AssertionResult contains(const std::string& text, const std::string& part)
{
    if (text.find(part) != std::string::npos)
        return testing::AssertionSuccess();
    return testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

// Whether the process has `library` mapped right now (RTLD_NOLOAD never loads).
bool isMapped(const fs::path& library)
{
    void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (!handle)
        return false;
    dlclose(handle);  // NOLOAD still took a reference
    return true;
}

std::vector<std::string> readLines(const fs::path& file)
{
    std::vector<std::string> lines;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) { ::setenv(name, value.c_str(), 1); }
    ~ScopedEnv() { ::unsetenv(m_name); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
};

}  // namespace

TEST(PluginHost, StateNames)
{
    EXPECT_STREQ(latent::pluginStateName(PluginState::Discovered), "discovered");
    EXPECT_STREQ(latent::pluginStateName(PluginState::Loaded), "loaded");
    EXPECT_STREQ(latent::pluginStateName(PluginState::Ready), "ready");
    EXPECT_STREQ(latent::pluginStateName(PluginState::Resolved), "resolved");
    EXPECT_STREQ(latent::pluginStateName(PluginState::Failed), "failed");
    EXPECT_STREQ(latent::pluginStateName(PluginState::Invalid), "invalid");
}

TEST(PluginHost, DiscoverListsManifestWithoutLoadingCode)
{
    PluginHost host({fixtureDir()});
    host.discover();
    const PluginRecord good = requireRecord(host, "host-good");
    EXPECT_EQ(good.state, PluginState::Resolved);
    EXPECT_EQ(good.error, "");
    EXPECT_EQ(good.name, "Host test: good");
    EXPECT_EQ(good.version, "1.2.3");
    EXPECT_EQ(good.abi, "5.0");
    EXPECT_EQ(good.tasks, std::vector<std::string>{"image.sample"});
    EXPECT_EQ(good.modalities, std::vector<std::string>{"image"});
    EXPECT_EQ(good.dir, fixtureDir() / "host-good");
    EXPECT_EQ(good.library, fixtureLibrary("host-good"));
    EXPECT_FALSE(isMapped(good.library)) << "discover() must not load plugin code";

    // No "library" field: lib<id>.so beside plugin.json.
    EXPECT_EQ(requireRecord(host, "host-newer-abi").library, fixtureLibrary("host-newer-abi"));
}

TEST(PluginHost, GoodPluginBecomesReadyWithItsTasks)
{
    PluginHost host({fixtureDir()});
    host.discover();
    host.loadAll();
    const PluginRecord good = requireRecord(host, "host-good");
    EXPECT_EQ(good.state, PluginState::Ready);
    EXPECT_EQ(good.error, "");
    EXPECT_TRUE(isMapped(good.library));

    const std::vector<latent::TaskInfo> tasks = host.tasks("host-good");
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].id, "image.sample");
    EXPECT_EQ(tasks[0].label, "Sample images");
    ASSERT_EQ(tasks[0].params.size(), 1u);
    const latent::ParamSpec& steps = tasks[0].params[0];
    EXPECT_EQ(steps.name, "steps");
    EXPECT_EQ(steps.type, latent::ParamType::Int);
    EXPECT_EQ(std::get<std::int64_t>(steps.defaultValue), 8);
    EXPECT_EQ(steps.minimum, 1.0);
    EXPECT_EQ(steps.maximum, 100.0);

    EXPECT_EQ(host.family("host-good").tasks().size(), 1u);
}

TEST(PluginHost, FamilyLoadsOnDemand)
{
    PluginHost host({fixtureDir()});
    host.discover();
    latent::ModelFamily& family = host.family("host-good");
    EXPECT_EQ(requireRecord(host, "host-good").state, PluginState::Ready);
    EXPECT_EQ(&host.family("host-good"), &family);
    // Only the asked-for plugin was loaded.
    EXPECT_EQ(requireRecord(host, "host-throwing-family").state, PluginState::Resolved);
}

namespace {
// A context with no requirements, as a package without "requires" gets.
struct CpuLoadContext final : latent::LoadContext {
    const std::string& device() const override { return m_device; }
    const latent::ModelPackage& requiredPackage(const std::string& role) const override
    {
        throw latent::Error(ErrorKind::ModelPackage, "nothing of role '" + role + "' is required");
    }
    std::shared_ptr<latent::LoadedModel> requireModel(const std::string& role) override
    {
        (void)requiredPackage(role);  // throws
        return nullptr;
    }
    std::string m_device = "cpu";
};
}  // namespace

TEST(PluginHost, TypedErrorsCrossThePluginBoundary)
{
    PluginHost host({fixtureDir()});
    host.discover();
    latent::ModelPackage package;
    package.id = "tiny";
    CpuLoadContext context;
    try {
        host.family("host-good").load(package, context);
        FAIL() << "the fixture's load() throws";
    } catch (const latent::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ModelPackage);
        EXPECT_TRUE(contains(e.what(), "host-good has no weights to load for 'tiny'"));
    }
}

struct BrokenFixture {
    std::string id;
    std::vector<std::string> expected;  // substrings of the error
    bool failsFromManifest = false;     // refused before any code is mapped
};

void PrintTo(const BrokenFixture& fixture, std::ostream* out)
{
    *out << fixture.id;
}

class BrokenPlugin : public testing::TestWithParam<BrokenFixture> {};

TEST_P(BrokenPlugin, FailsWithReadableErrorAndGoodStillLoads)
{
    const BrokenFixture& fixture = GetParam();
    PluginHost host({fixtureDir()});
    ASSERT_NO_THROW(host.discover());
    if (fixture.failsFromManifest) {
        EXPECT_EQ(requireRecord(host, fixture.id).state, PluginState::Failed);
    }
    ASSERT_NO_THROW(host.loadAll());

    const PluginRecord record = requireRecord(host, fixture.id);
    EXPECT_EQ(record.state, PluginState::Failed);
    EXPECT_EQ(record.error.rfind(fixture.id + ": ", 0), 0u) << record.error;
    for (const std::string& part : fixture.expected)
        EXPECT_TRUE(contains(record.error, part));
    // Nothing of a refused plugin stays mapped (nor was mapped at all, for manifest failures).
    EXPECT_FALSE(isMapped(fixtureLibrary(fixture.id)));

    try {
        host.family(fixture.id);
        FAIL() << "family() of a failed plugin throws";
    } catch (const latent::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Plugin);
        EXPECT_EQ(std::string(e.what()), record.error);
    }
    EXPECT_THROW(host.tasks(fixture.id), latent::Error);

    EXPECT_EQ(requireRecord(host, "host-good").state, PluginState::Ready);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BrokenPlugin,
    testing::Values(
        BrokenFixture{"host-newer-abi", {"built for plugin ABI 6.x", "supports 5.x"}},
        BrokenFixture{"host-short-descriptor",
                      {"descriptor is " + std::to_string(3 * sizeof(void*) + 16) + " bytes",
                       "at least " + std::to_string(offsetof(LatentPluginDescriptor, destroyFamily) +
                                                    sizeof(void*))}},
        BrokenFixture{"host-missing-entry", {"does not export latent_plugin_entry"}},
        BrokenFixture{"host-null-entry", {"latent_plugin_entry() returned no descriptor"}},
        BrokenFixture{"host-id-mismatch", {"descriptor id 'some-other-family'", "plugin.json id 'host-id-mismatch'"}},
        BrokenFixture{"host-throwing-family", {"createFamily() failed", "weights exploded"}},
        BrokenFixture{"host-missing-library", {"libhost-missing-library-not-built.so", "is missing"}},
        BrokenFixture{"host-bad-json", {"plugin.json", "not valid JSON"}, true},
        BrokenFixture{"host-no-id", {"plugin.json", "field 'id' is missing"}, true}),
    [](const testing::TestParamInfo<BrokenFixture>& info) {
        std::string name = info.param.id;
        std::replace(name.begin(), name.end(), '-', '_');
        return name;
    });

TEST(PluginHost, UnknownFamilyThrowsPluginErrorListingInstalled)
{
    PluginHost host({fixtureDir()});
    host.discover();
    try {
        host.family("nope");
        FAIL() << "unknown family must throw";
    } catch (const latent::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Plugin);
        EXPECT_TRUE(contains(e.what(), "no plugin for model family 'nope' (installed: "));
        EXPECT_TRUE(contains(e.what(), "host-good"));
    }
    EXPECT_THROW(host.tasks("nope"), latent::Error);

    PluginHost empty({});
    empty.discover();
    try {
        empty.family("nope");
        FAIL() << "unknown family must throw";
    } catch (const latent::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Plugin);
        EXPECT_EQ(std::string(e.what()), "no plugin for model family 'nope' (installed: none)");
    }
}

TEST(PluginHost, DiscoverTwiceIsIdempotentAndKeepsLoadedPlugins)
{
    PluginHost host({fixtureDir()});
    host.discover();
    const std::vector<PluginRecord> first = host.plugins();
    host.discover();
    const std::vector<PluginRecord> second = host.plugins();
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(first[i].id, second[i].id);
        EXPECT_EQ(first[i].state, second[i].state);
        EXPECT_EQ(first[i].error, second[i].error);
        EXPECT_EQ(first[i].library, second[i].library);
    }

    host.loadAll();
    latent::ModelFamily* family = &host.family("host-good");
    const std::string throwingError = requireRecord(host, "host-throwing-family").error;
    host.discover();
    EXPECT_EQ(requireRecord(host, "host-good").state, PluginState::Ready);
    EXPECT_EQ(&host.family("host-good"), family);
    // A plugin that failed to load is not retried on rediscovery.
    const PluginRecord throwing = requireRecord(host, "host-throwing-family");
    EXPECT_EQ(throwing.state, PluginState::Failed);
    EXPECT_EQ(throwing.error, throwingError);
    EXPECT_EQ(host.plugins().size(), first.size());
}

TEST(PluginHost, RediscoverAddsNewPlugins)
{
    TempDir dir;
    PluginHost host({dir.path()});
    host.discover();
    EXPECT_TRUE(host.plugins().empty());

    fs::copy(fixtureDir() / "host-good", dir.path() / "host-good", fs::copy_options::recursive);
    host.discover();
    ASSERT_EQ(host.plugins().size(), 1u);
    EXPECT_EQ(host.plugins()[0].state, PluginState::Resolved);
    EXPECT_EQ(host.tasks("host-good").size(), 1u);
    EXPECT_EQ(host.plugins()[0].library, dir.path() / "host-good" / "libhost-good.so");
}

TEST(PluginHost, EarlierSearchDirWinsOnDuplicateIds)
{
    TempDir dir;
    fs::copy(fixtureDir() / "host-good", dir.path() / "copy-of-good", fs::copy_options::recursive);

    PluginHost first({dir.path(), fixtureDir()});
    first.discover();
    EXPECT_EQ(requireRecord(first, "host-good").dir, dir.path() / "copy-of-good");
    const std::vector<PluginRecord> records = first.plugins();
    const auto count = std::count_if(records.begin(), records.end(),
                                     [](const PluginRecord& r) { return r.id == "host-good"; });
    EXPECT_EQ(count, 1);

    PluginHost second({fixtureDir(), dir.path()});
    second.discover();
    EXPECT_EQ(requireRecord(second, "host-good").dir, fixtureDir() / "host-good");
}

TEST(PluginHost, MissingSearchDirsAreSkipped)
{
    const std::vector<fs::path> dirs{"/nonexistent/latent-plugins", fixtureDir()};
    PluginHost host(dirs);
    EXPECT_EQ(host.searchDirs(), dirs);
    ASSERT_NO_THROW(host.discover());
    EXPECT_TRUE(findRecord(host, "host-good").has_value());
}

TEST(PluginHost, DestroysFamiliesBeforeUnloadingLibraries)
{
    const fs::path library = fixtureLibrary("host-good");
    ASSERT_FALSE(isMapped(library)) << "an earlier test left the fixture loaded";
    TempDir dir;
    const fs::path events = dir.path() / "events.txt";
    {
        ScopedEnv env("LATENT_HOST_FIXTURE_EVENTS", events.string());
        {
            PluginHost host({fixtureDir()});
            host.discover();
            host.family("host-good");
            EXPECT_TRUE(isMapped(library));
        }
        EXPECT_FALSE(isMapped(library));
    }
    EXPECT_EQ(readLines(events),
              (std::vector<std::string>{"family-created", "family-destroyed", "library-unloaded"}));
}

TEST(PluginHost, ConcurrentFirstUseLoadsOnce)
{
    TempDir dir;
    const fs::path events = dir.path() / "events.txt";
    ScopedEnv env("LATENT_HOST_FIXTURE_EVENTS", events.string());
    PluginHost host({fixtureDir()});
    host.discover();
    std::vector<latent::ModelFamily*> seen(8, nullptr);
    {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < seen.size(); ++i)
            threads.emplace_back([&, i] { seen[i] = &host.family("host-good"); });
        for (std::thread& t : threads)
            t.join();
    }
    for (latent::ModelFamily* family : seen)
        EXPECT_EQ(family, seen[0]);
    EXPECT_EQ(readLines(events), std::vector<std::string>{"family-created"});
}

struct BadManifest {
    std::string name;
    std::string folder;
    std::string json;
    std::string expectedId;
    std::string expected;
};

void PrintTo(const BadManifest& c, std::ostream* out)
{
    *out << c.name;
}

class BadManifestTest : public testing::TestWithParam<BadManifest> {};

TEST_P(BadManifestTest, FailsAtDiscoveryNamingTheField)
{
    const BadManifest& c = GetParam();
    TempDir dir;
    writeFile(dir.path() / c.folder / "plugin.json", c.json);
    PluginHost host({dir.path()});
    ASSERT_NO_THROW(host.discover());
    const PluginRecord record = requireRecord(host, c.expectedId);
    EXPECT_EQ(record.state, PluginState::Failed);
    EXPECT_EQ(record.error.rfind(c.expectedId + ": ", 0), 0u) << record.error;
    EXPECT_TRUE(contains(record.error, (dir.path() / c.folder / "plugin.json").string()));
    EXPECT_TRUE(contains(record.error, c.expected));
    ASSERT_NO_THROW(host.loadAll());
    EXPECT_EQ(requireRecord(host, c.expectedId).state, PluginState::Failed);
}

INSTANTIATE_TEST_SUITE_P(
    Manifests, BadManifestTest,
    testing::Values(
        BadManifest{"newer_abi", "f", R"({"id":"p","name":"P","version":"1","abi":"6.0","tasks":[]})", "p",
                    "built for plugin ABI 6.x; this Latent Studio supports 5.x"},
        BadManifest{"abi_not_version", "f", R"({"id":"p","name":"P","version":"1","abi":"one","tasks":[]})",
                    "p", "field 'abi' must look like"},
        BadManifest{"missing_name", "f", R"({"id":"p","version":"1","abi":"5.0","tasks":[]})", "p",
                    "field 'name' is missing"},
        BadManifest{"missing_tasks", "f", R"({"id":"p","name":"P","version":"1","abi":"5.0"})", "p",
                    "field 'tasks' is missing"},
        BadManifest{"tasks_not_array", "f",
                    R"({"id":"p","name":"P","version":"1","abi":"5.0","tasks":"image.sample"})", "p",
                    "field 'tasks' must be a list (it is a string)"},
        BadManifest{"library_outside", "f",
                    R"({"id":"p","name":"P","version":"1","abi":"5.0","tasks":[],"library":"../evil.so"})", "p",
                    "field 'library' must be a file name beside plugin.json"},
        BadManifest{"id_with_slash", "folder", R"({"id":"a/b","name":"P","version":"1","abi":"5.0","tasks":[]})",
                    "folder", "field 'id'"},
        BadManifest{"id_not_string", "folder", R"({"id":7,"name":"P","version":"1","abi":"5.0","tasks":[]})",
                    "folder", "field 'id' must be a string (it is a whole number)"},
        BadManifest{"not_object", "folder", "[1, 2]", "folder", "must hold a JSON object"},
        BadManifest{"empty_file", "folder", "", "folder", "not valid JSON"}),
    [](const testing::TestParamInfo<BadManifest>& info) { return info.param.name; });

// plugin.json "requires" (Qt Creator's PluginDependency): a plugin whose
// required plugins are missing, failed or too old fails before its code is
// mapped, and whatever requires it fails in turn; one whose are fine is
// resolved, and loads them first.
TEST(PluginHost, RequiredPluginsAreResolvedBeforeLoading)
{
    TempDir dir;
    fs::copy(fixtureDir() / "host-good", dir.path() / "host-good", fs::copy_options::recursive);
    fs::copy(fixtureDir() / "host-throwing-family", dir.path() / "needs-good", fs::copy_options::recursive);
    auto manifest = [](const std::string& id, const std::string& deps) {
        return R"({"id":")" + id + R"(","name":"N","version":"1.0.0","abi":"5.0","tasks":["image.sample"],)" +
               R"("library":"libhost-throwing-family.so","requires":)" + deps + "}";
    };
    writeFile(dir.path() / "needs-good" / "plugin.json", manifest("host-throwing-family", R"([{"id":"host-good","version":"1.2"}])"));
    writeFile(dir.path() / "needs-missing" / "plugin.json", manifest("needs-missing", R"([{"id":"host-nowhere"}])"));
    writeFile(dir.path() / "needs-newer" / "plugin.json", manifest("needs-newer", R"([{"id":"host-good","version":"2.0"}])"));
    writeFile(dir.path() / "needs-needy" / "plugin.json", manifest("needs-needy", R"([{"id":"needs-missing"}])"));
    PluginHost host({dir.path()});
    host.discover();
    EXPECT_EQ(requireRecord(host, "host-good").state, PluginState::Resolved);
    EXPECT_EQ(requireRecord(host, "host-throwing-family").state, PluginState::Resolved);
    EXPECT_EQ(requireRecord(host, "needs-missing").state, PluginState::Failed);
    EXPECT_TRUE(contains(requireRecord(host, "needs-missing").error, "requires plugin 'host-nowhere', which is not installed"));
    EXPECT_TRUE(contains(requireRecord(host, "needs-newer").error, "version 2.0 or a compatible later one, but 1.2.3"));
    EXPECT_TRUE(contains(requireRecord(host, "needs-needy").error, "requires plugin 'needs-missing', which failed"));
    // Loading the dependent maps what it requires first (its own family then
    // throws, as the fixture does).
    EXPECT_THROW(host.family("host-throwing-family"), latent::Error);
    EXPECT_EQ(requireRecord(host, "host-good").state, PluginState::Ready);
}

TEST(PluginHost, FolderWithoutManifestIsIgnored)
{
    TempDir dir;
    writeFile(dir.path() / "not-a-plugin" / "README.txt", "hello");
    PluginHost host({dir.path()});
    host.discover();
    EXPECT_TRUE(host.plugins().empty());
}

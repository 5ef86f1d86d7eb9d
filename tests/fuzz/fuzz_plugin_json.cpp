// plugin.json: latent::readPluginManifest (engine/src/plugins/PluginManifest.cpp,
// a private header) and the host's discovery (latent::PluginHost::discover)
// over a folder holding that manifest. readPluginManifest promises never to
// throw, so here even a latent::Error escaping it is a finding. A manifest it
// accepts names a library beside plugin.json, never elsewhere. Plugins are
// only discovered, never loaded: loading runs their code.
#include "FuzzSupport.h"
#include "latent/PluginHost.h"
#include "plugins/PluginManifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    const auto root = fuzz::freshDir("plugins");
    const auto dir = root / "some-plugin";
    std::filesystem::create_directories(dir);
    const auto file = dir / "plugin.json";
    fuzz::writeFile(file, fuzz::asView(data, size));

    PluginRecord record;
    try {
        record = readPluginManifest(file);
    } catch (...) {
        const std::string type = fuzz::demangledCurrentException();
        fuzz::finding("readPluginManifest threw (it must record the error instead)", type.c_str());
    }
    FUZZ_CHECK(record.state == PluginState::Discovered || record.state == PluginState::Failed);
    FUZZ_CHECK(record.state == PluginState::Discovered || !record.error.empty());
    FUZZ_CHECK(record.dir == dir);
    FUZZ_CHECK(record.library.parent_path() == dir);
    if (record.state == PluginState::Discovered)
        FUZZ_CHECK(!record.id.empty() && !record.name.empty() && !record.version.empty());

    fuzz::rejectOnlyWithError([&] {
        PluginHost host({root});
        host.discover();
        const auto plugins = host.plugins();
        FUZZ_CHECK(plugins.size() <= 1);
        for (const PluginRecord& p : plugins) FUZZ_CHECK(p.library.parent_path() == dir);
    });
    return 0;
}

#pragma once
// The versioned plugin entry point. A plugin is a shared library exporting
//   extern "C" const LatentPluginDescriptor* latent_plugin_entry(void);
// The descriptor begins with the ABI version and its own size: the host refuses
// another major ABI and reads no more than the size it knows, so descriptors
// can grow at the end within a major version.
#include <cstdint>

#include "latent/plugin/ModelFamily.h"

#define LATENT_PLUGIN_ABI_MAJOR 5u
#define LATENT_PLUGIN_ABI_MINOR 0u
#define LATENT_PLUGIN_ENTRY_SYMBOL "latent_plugin_entry"

#if defined(_WIN32)
#define LATENT_PLUGIN_EXPORT __declspec(dllexport)
#else
#define LATENT_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

extern "C" {

struct LatentPluginDescriptor {
    std::uint32_t abiMajor;
    std::uint32_t abiMinor;
    std::uint32_t structSize;  // sizeof(LatentPluginDescriptor) as the plugin was built
    const char* id;            // == plugin.json id == the model family it runs
    const char* name;
    const char* version;
    // Creates the family object; the host owns it and hands it back to
    // destroyFamily before unloading the library.
    latent::ModelFamily* (*createFamily)();
    void (*destroyFamily)(latent::ModelFamily*);
};

typedef const LatentPluginDescriptor* (*LatentPluginEntryFn)(void);
}

// Fills a descriptor for family class F; use once per plugin:
//   LATENT_DEFINE_PLUGIN("image-torchscript", "TorchScript images", "1.0.0", MyFamily)
#define LATENT_DEFINE_PLUGIN(ID, NAME, VERSION, FAMILY)                                     \
    extern "C" LATENT_PLUGIN_EXPORT const LatentPluginDescriptor* latent_plugin_entry(void) { \
        static const LatentPluginDescriptor descriptor = {                                  \
            LATENT_PLUGIN_ABI_MAJOR,                                                        \
            LATENT_PLUGIN_ABI_MINOR,                                                        \
            static_cast<std::uint32_t>(sizeof(LatentPluginDescriptor)),                      \
            ID,                                                                             \
            NAME,                                                                           \
            VERSION,                                                                        \
            []() -> latent::ModelFamily* { return new FAMILY(); },                          \
            [](latent::ModelFamily* f) { delete f; },                                       \
        };                                                                                  \
        return &descriptor;                                                                 \
    }

#pragma once
// plugin.json: what the host knows about a plugin before loading its code.
//   {"id", "name", "version", "abi": "1.0", "library": "lib<id>.so" (optional),
//    "tasks": [...], "modalities": [...] (optional), "description" (optional)}
#include <filesystem>
#include <string>

#include "latent/PluginHost.h"

namespace latent {

// Parses and validates `manifestFile`. Never throws: a broken manifest gives a
// record in state Failed whose error names the plugin, the file and the field.
// When the id itself is unreadable the folder name stands in for it.
PluginRecord readPluginManifest(const std::filesystem::path& manifestFile);

// The library file name used when plugin.json names none.
std::string defaultPluginLibraryName(const std::string& id);

// "built for plugin ABI 2.x; this Latent Studio supports 1.x": shared by the
// manifest check and the descriptor check so users see one wording.
std::string pluginAbiMismatchMessage(unsigned long abiMajor);

}  // namespace latent

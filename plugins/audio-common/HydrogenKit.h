#pragma once
// Hydrogen drum kits (the hydrogen-drumkits package): one folder per kit with
// a drumkit.xml that names the kit, its author and licence, and lists
// instruments, each with one or more sample layers (velocity ranges).
// Parsed with pugixml; every file name is checked to stay inside the kit
// folder, since drumkit.xml is data from outside.
#include <filesystem>
#include <string>
#include <vector>

namespace latent::audio {

struct HydrogenLayer {
    std::filesystem::path file;  // absolute, inside the kit folder
    std::string fileName;        // as drumkit.xml wrote it
    double minVelocity = 0.0;    // Hydrogen's 0..1 velocity range of the layer
    double maxVelocity = 1.0;
};

struct HydrogenInstrument {
    std::string name;
    std::vector<HydrogenLayer> layers;  // only layers whose file exists
};

struct HydrogenKit {
    std::filesystem::path dir;
    std::string folderName;  // "The Black Pearl 1.0"
    std::string name;        // <name>, else the folder name
    std::string author;      // <author>, may be empty
    std::string license;     // <license> as written ("GPL", "This work is licensed under …"), may be empty
    std::vector<HydrogenInstrument> instruments;
};

// Reads <dir>/drumkit.xml. Throws Error(Io) when it is missing or larger than
// 4 MiB and Error(Format) when it is not XML or has no <drumkit_info>; the
// message names the file (and for XML errors the byte offset). Layers whose
// file is missing, absolute or outside the folder are left out with a notice.
HydrogenKit loadHydrogenKit(const std::filesystem::path& dir, std::vector<std::string>* notices = nullptr);

// Every kit folder (one holding a drumkit.xml) directly under `root`, sorted
// by folder name, so the order never depends on the file system.
std::vector<std::filesystem::path> hydrogenKitFolders(const std::filesystem::path& root);

}  // namespace latent::audio

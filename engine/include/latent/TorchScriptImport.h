#pragma once
// Wraps a TorchScript generator a user exported (torch.jit.save) in a model
// package for the image-torchscript family. Shared by the CLI and the GUI.
#include <filesystem>
#include <string>

#include "latent/ModelPackage.h"

namespace latent {

struct TorchScriptImportOptions {
    std::filesystem::path file;       // the .pt archive
    int latentDim = 0;                // size of z
    int numClasses = 0;               // 0: unconditional; else forward(z, labels)
    double rangeLow = -1.0;           // generator output range
    double rangeHigh = 1.0;
    std::string name;                 // display name; default: the file's stem
    std::string id;                   // default: derived from the name, made unique
    std::filesystem::path destRoot;   // packages land in destRoot/<id>/
    bool createDestRoot = false;      // only for the studio's own model folder
};

// Validates the options (BadArgument) and the file (Format: not a TorchScript
// archive), copies it into a new package folder and writes model.json; the
// folder appears atomically (built under a temporary name, then renamed).
ModelPackage importTorchScript(const TorchScriptImportOptions& options);

}  // namespace latent

#pragma once
// What a family gets to load a package (ModelFamily::load): the device, and
// the packages model.json "requires" by role, resolved through the registry
// and loaded through the engine's model cache, so a part several models share
// (a tokenizer, a VQ-VAE) is loaded once and its memory counted once.
//
//   std::unique_ptr<LoadedModel> load(const ModelPackage& p, LoadContext& ctx) override {
//       auto vq = ctx.requireModel("image-tokenizer");   // a LoadedModel of its own family
//       const ModelPackage& text = ctx.requiredPackage("text-tokenizer");  // files only
//       ...
//   }
#include <memory>
#include <string>

#include "latent/ModelPackage.h"

namespace latent {

class LoadedModel;

class LoadContext {
public:
    virtual ~LoadContext() = default;
    // "cpu", "cuda:0": where the model is being loaded.
    virtual const std::string& device() const = 0;
    // The package the requirement of this role names (checked to exist and
    // be compatible when the registry scanned it). Throws Error(ModelPackage)
    // naming both packages when there is none.
    virtual const ModelPackage& requiredPackage(const std::string& role) const = 0;
    // That package loaded by its own family on this device, shared with every
    // other model that requires it; the caller keeps the pointer for as long
    // as it uses the part, which keeps the part loaded.
    virtual std::shared_ptr<LoadedModel> requireModel(const std::string& role) = 0;
};

}  // namespace latent

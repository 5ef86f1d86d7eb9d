#include "latent/TorchScriptImport.h"

#include <fstream>

#include "latent/Error.h"
#include "latent/PackageFolder.h"
#include "latent/formats/Sha256.h"

namespace fs = std::filesystem;

namespace latent {

ModelPackage importTorchScript(const TorchScriptImportOptions& o) {
    if (o.latentDim < 1 || o.latentDim > 65536)
        throw Error(ErrorKind::BadArgument, "latent dimension must be between 1 and 65536, got " +
                                                std::to_string(o.latentDim));
    if (o.numClasses < 0 || o.numClasses > 100000)
        throw Error(ErrorKind::BadArgument, "class count must be between 0 and 100000");
    if (!(o.rangeHigh > o.rangeLow))
        throw Error(ErrorKind::BadArgument, "output range must have high > low (e.g. -1,1 or 0,1)");
    std::error_code ec;
    if (!fs::is_regular_file(o.file, ec)) throw Error(ErrorKind::Io, "no such file: " + o.file.string());
    {
        // TorchScript archives are zip files: catch a wrong file before copying it.
        std::ifstream in(o.file, std::ios::binary);
        char magic[4] = {};
        in.read(magic, 4);
        if (!in || std::string(magic, 4) != std::string("PK\x03\x04", 4))
            throw Error(ErrorKind::Format, o.file.string() + " is not a TorchScript archive (expected a file "
                                                              "saved with torch.jit.save)");
    }
    if (o.destRoot.empty()) throw Error(ErrorKind::BadArgument, "no destination folder for the package");

    ModelPackage p;
    p.name = o.name.empty() ? o.file.stem().string() : o.name;
    p.id = freePackageId(o.destRoot, o.id.empty() ? packageIdFromName(p.name, "torchscript-model") : o.id, !o.id.empty());
    p.family = "image-torchscript";
    p.version = "1.0.0";
    p.description = "TorchScript generator imported from " + o.file.filename().string();
    p.tasks = {"image.sample"};
    p.config = {{"module", "generator.pt"},
                {"latent_dim", o.latentDim},
                {"num_classes", o.numClasses},
                {"output_range", {o.rangeLow, o.rangeHigh}}};
    p.license = "as provided by the user";
    p.provenance = {{"imported_from", fs::absolute(o.file).string()}};

    writePackageFolder(p, o.destRoot, [&](const fs::path& tmp) {
        fs::copy_file(o.file, tmp / "generator.pt");
        p.files = {{"generator.pt", fs::file_size(tmp / "generator.pt"), Sha256::fileHex(tmp / "generator.pt")}};
    }, o.createDestRoot);
    return p;
}

}  // namespace latent

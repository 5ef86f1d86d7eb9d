#include "latent/FolderImport.h"

#include "latent/Error.h"
#include "latent/PackageFolder.h"
#include "latent/PluginHost.h"
#include "latent/formats/Sha256.h"
#include "latent/plugin/ModelFamily.h"

namespace fs = std::filesystem;

namespace latent {

ModelPackage importModelFolder(PluginHost& plugins, const FolderImportOptions& o) {
    std::error_code ec;
    if (!fs::is_directory(o.folder, ec)) throw Error(ErrorKind::Io, "no such folder: " + o.folder.string());
    if (o.destRoot.empty()) throw Error(ErrorKind::BadArgument, "no destination folder for the package");
    const fs::path folder = fs::absolute(o.folder).lexically_normal();

    std::optional<ModelPackage> described;
    std::string asked;
    for (const auto& record : plugins.plugins()) {
        if (record.state == PluginState::Failed) continue;
        asked += (asked.empty() ? "" : ", ") + record.id;
        ModelFamily* family = nullptr;
        try {
            family = &plugins.family(record.id);
        } catch (const Error&) {
            continue;  // a broken plugin is listed by `plugins`; it cannot claim folders
        }
        described = family->describeFolder(folder);  // throws when the folder is its kind but broken
        if (described) break;
    }
    if (!described)
        throw Error(ErrorKind::BadArgument, folder.string() + " is not a model folder any plugin can run (asked: " +
                                                asked + "; a Hugging Face text model needs config.json, "
                                                        "*.safetensors and tokenizer files)");
    ModelPackage p = std::move(*described);
    if (!o.config.is_object()) throw Error(ErrorKind::BadArgument, "import settings must be a JSON object");
    p.config.merge_patch(o.config);
    if (!o.name.empty()) p.name = o.name;
    if (p.name.empty()) p.name = folder.filename().string();
    p.id = freePackageId(o.destRoot, o.id.empty() ? packageIdFromName(p.name, "imported-model") : o.id, !o.id.empty());
    if (p.version.empty()) p.version = "1.0.0";
    if (p.license.empty()) p.license = "as provided with the checkpoint";
    p.provenance["imported_from"] = folder.string();
    p.provenance["linked"] = !o.copy;

    writePackageFolder(p, o.destRoot, [&](const fs::path& tmp) {
        for (auto& f : p.files) {
            const fs::path source = folder / f.path;
            if (!fs::is_regular_file(source, ec)) throw Error(ErrorKind::ModelPackage, "the folder lacks " + f.path);
            fs::create_directories((tmp / f.path).parent_path());
            if (o.copy) fs::copy_file(source, tmp / f.path);
            else fs::create_symlink(source, tmp / f.path);
            f.bytes = fs::file_size(source);
            f.sha256 = Sha256::fileHex(source);
        }
    }, o.createDestRoot);
    return p;
}

}  // namespace latent

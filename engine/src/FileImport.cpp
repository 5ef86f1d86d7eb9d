#include "latent/FileImport.h"

#include "latent/Error.h"
#include "latent/PackageFolder.h"
#include "latent/PluginHost.h"
#include "latent/formats/Sha256.h"
#include "latent/plugin/ModelFamily.h"

namespace fs = std::filesystem;

namespace latent {

std::optional<ModelPackage> describeModelFile(PluginHost& plugins, const fs::path& file, std::string* asked) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw Error(ErrorKind::Io, "no such file: " + file.string());
    for (const auto& record : plugins.plugins()) {
        if (record.state == PluginState::Failed) continue;
        if (asked) *asked += (asked->empty() ? "" : ", ") + record.id;
        ModelFamily* family = nullptr;
        try {
            family = &plugins.family(record.id);
        } catch (const Error&) {
            continue;  // a broken plugin is listed by `plugins`; it cannot claim files
        }
        if (auto described = family->describeFile(file)) {  // throws when the file is its kind but unusable
            if (described->family.empty()) described->family = record.id;
            return described;
        }
    }
    return std::nullopt;
}

ModelPackage importModelFile(PluginHost& plugins, const FileImportOptions& o) {
    if (o.destRoot.empty()) throw Error(ErrorKind::BadArgument, "no destination folder for the package");
    const fs::path file = fs::absolute(o.file).lexically_normal();
    std::string asked;
    auto described = describeModelFile(plugins, file, &asked);
    if (!described)
        throw Error(ErrorKind::BadArgument, file.string() + " is not a model file any plugin can run (asked: " + asked +
                                                ")");
    ModelPackage p = std::move(*described);
    if (!o.name.empty()) p.name = o.name;
    if (p.name.empty()) p.name = file.stem().string();
    p.id = freePackageId(o.destRoot, o.id.empty() ? packageIdFromName(p.name, "imported-model") : o.id, !o.id.empty());
    if (p.version.empty()) p.version = "1.0.0";
    if (p.license.empty()) p.license = "as provided by the user";
    p.provenance["imported_from"] = file.string();

    writePackageFolder(p, o.destRoot, [&](const fs::path& tmp) {
        // The family names the one file as it wants it inside the package.
        if (p.files.size() != 1 || p.files[0].path.empty() || fs::path(p.files[0].path).has_parent_path() ||
            p.files[0].path == "model.json")
            throw Error(ErrorKind::Plugin, "plugin '" + p.family + "' described " + file.string() +
                                               " without naming one plain file for it in the package");
        auto& f = p.files[0];
        fs::copy_file(file, tmp / f.path);
        f.bytes = fs::file_size(tmp / f.path);
        f.sha256 = Sha256::fileHex(tmp / f.path);
    }, o.createDestRoot);
    return p;
}

}  // namespace latent

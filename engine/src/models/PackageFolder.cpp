#include "latent/PackageFolder.h"

#include <random>

#include "latent/Error.h"

namespace fs = std::filesystem;

namespace latent {

std::string freePackageId(const fs::path& destRoot, const std::string& base, bool mustBeBase) {
    std::error_code ec;
    std::string id = base;
    for (int n = 2; fs::exists(destRoot / id, ec); ++n) {
        if (mustBeBase)
            throw Error(ErrorKind::BadArgument, "a model package '" + base + "' already exists in " + destRoot.string());
        id = base + "-" + std::to_string(n);
    }
    return id;
}

void writePackageFolder(ModelPackage& p, const fs::path& destRoot, const std::function<void(const fs::path&)>& fill) {
    std::error_code ec;
    fs::create_directories(destRoot, ec);
    const fs::path tmp = destRoot / (".import-" + p.id + "-" + std::to_string(std::random_device{}()));
    try {
        fs::create_directories(tmp);
        fill(tmp);
        p.dir = tmp;
        writeModelManifest(p, tmp / "model.json");
        fs::rename(tmp, destRoot / p.id);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw Error(ErrorKind::Io, std::string("import failed: ") + e.what());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
    p.dir = destRoot / p.id;
}

fs::path packageOutputFolder(const std::string& out) {
    if (out.empty()) throw Error(ErrorKind::BadArgument, "no output folder given for the trained package (out)");
    fs::path dir = fs::absolute(out).lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();
    return dir;
}

void replacePackageFolder(const fs::path& tmp, const fs::path& dest) {
    std::error_code ec;
    const fs::path old = dest.parent_path() / (".old-" + dest.filename().string());
    fs::remove_all(old, ec);
    if (fs::exists(dest)) fs::rename(dest, old);
    try {
        fs::rename(tmp, dest);
    } catch (...) {
        if (fs::exists(old)) fs::rename(old, dest, ec);  // put the older package back
        throw;
    }
    fs::remove_all(old, ec);
}

}  // namespace latent

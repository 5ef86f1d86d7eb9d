#include "latent/PackageFolder.h"

#include <random>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"

namespace fs = std::filesystem;

namespace latent {
namespace {

std::string randomSuffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::to_string(rng() % 1'000'000'000'000ull);
}

// Why `dir` may not be replaced by a trainer of `family`, or "" when it may.
std::string notOurPackage(const fs::path& dir, const std::string& family) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec))) return {};
    if (fs::is_symlink(fs::symlink_status(dir, ec))) return "it is a symbolic link";
    if (!fs::is_directory(dir, ec)) return "it is a file";
    if (!fs::exists(dir / "model.json", ec)) return "it is a folder that holds no model package";
    try {
        const ModelPackage p = readModelManifest(dir / "model.json");
        const auto recipe = p.provenance.find("recipe");
        const bool trained = recipe != p.provenance.end() && recipe->is_string() &&
                             recipe->get<std::string>().rfind("latent-studio train", 0) == 0;
        if (p.family != family) return "it holds a package of family " + p.family + ", not " + family;
        if (!trained) return "it holds a package that was not trained by Latent Studio";
    } catch (const Error& e) {
        return std::string("its model.json is not readable (") + e.what() + ")";
    }
    return {};
}

}  // namespace

std::string freePackageId(const fs::path& destRoot, const std::string& base, bool mustBeBase) {
    if (!validPackageId(base))
        throw Error(ErrorKind::BadArgument, "'" + base + "' is not a valid package id: it names a folder, so it may "
                                                         "only hold letters, digits, '-', '_' and '.', not start "
                                                         "with '.', and have at most 128 characters");
    std::error_code ec;
    std::string id = base;
    for (int n = 2; fs::exists(fs::symlink_status(destRoot / id, ec)); ++n) {
        if (mustBeBase)
            throw Error(ErrorKind::BadArgument, "a model package '" + base + "' already exists in " + destRoot.string());
        id = base + "-" + std::to_string(n);
    }
    return id;
}

void writePackageFolder(ModelPackage& p, const fs::path& destRoot, const std::function<void(const fs::path&)>& fill,
                        bool createRoot) {
    std::error_code ec;
    if (!fs::is_directory(destRoot, ec)) {
        if (fs::exists(destRoot, ec)) throw Error(ErrorKind::BadArgument, destRoot.string() + " is not a folder");
        if (!createRoot) throw Error(ErrorKind::BadArgument, "the folder " + destRoot.string() + " does not exist");
        fs::create_directories(destRoot, ec);
        if (ec) throw Error(ErrorKind::Io, "cannot create " + destRoot.string() + ": " + ec.message());
    }
    const fs::path dest = destRoot / p.id;
    const fs::path tmp = makeStagingFolder(dest);
    try {
        fill(tmp);
        p.dir = tmp;
        writeModelManifest(p, tmp / "model.json");
        // rename() would replace an empty folder of the same name: not ours.
        if (fs::exists(fs::symlink_status(dest, ec)))
            throw Error(ErrorKind::BadArgument, dest.string() + " appeared while importing; nothing was replaced");
        fs::rename(tmp, dest);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw Error(ErrorKind::Io, std::string("import failed: ") + e.what());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
    p.dir = dest;
}

fs::path packageOutputFolder(const std::string& out, const std::string& family) {
    if (out.empty()) throw Error(ErrorKind::BadArgument, "no output folder given for the trained package (out)");
    fs::path dir = fs::absolute(out).lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir.parent_path(), ec))
        throw Error(ErrorKind::BadArgument, "the folder " + dir.parent_path().string() +
                                                " does not exist (the package folder is made inside it)");
    if (const std::string why = notOurPackage(dir, family); !why.empty())
        throw Error(ErrorKind::BadArgument, "will not write the trained package to " + dir.string() + ": " + why +
                                                ". A trainer replaces only a package it trained; choose a new folder");
    return dir;
}

fs::path trainingRunFolder(const fs::path& out) {
    const fs::path run = out.parent_path() / (out.filename().string() + ".training");
    const fs::path marker = run / ".latent-studio-training";
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(run, ec)))
        throw Error(ErrorKind::BadArgument, "will not train into " + run.string() + ": it is a symbolic link");
    if (!fs::exists(run, ec)) {
        fs::create_directory(run, ec);
        if (ec) throw Error(ErrorKind::Io, "cannot create " + run.string() + ": " + ec.message());
        writeFileAtomic(marker, "A Latent Studio training run: checkpoints to resume it. Delete to start afresh.\n");
        return run;
    }
    if (!fs::is_directory(run, ec) || (!fs::exists(marker, ec) && !fs::exists(run / "state.json", ec)))
        throw Error(ErrorKind::BadArgument, "will not train into " + run.string() +
                                                ": it exists and is not a Latent Studio training folder");
    return run;
}

fs::path makeStagingFolder(const fs::path& dest) {
    for (int attempt = 0; attempt < 16; ++attempt) {
        const fs::path tmp = dest.parent_path() / (".building-" + dest.filename().string() + "-" + randomSuffix());
        std::error_code ec;
        if (fs::create_directory(tmp, ec)) return tmp;  // false when it exists: try another name
        if (ec) throw Error(ErrorKind::Io, "cannot create " + tmp.string() + ": " + ec.message());
    }
    throw Error(ErrorKind::Io, "cannot create a temporary folder beside " + dest.string());
}

void replacePackageFolder(const fs::path& tmp, const fs::path& dest, const std::string& family) {
    if (const std::string why = notOurPackage(dest, family); !why.empty())
        throw Error(ErrorKind::BadArgument, "will not replace " + dest.string() + ": " + why);
    std::error_code ec;
    fs::path old;
    if (fs::exists(dest, ec)) {
        old = dest.parent_path() / (".replaced-" + dest.filename().string() + "-" + randomSuffix());
        fs::rename(dest, old);  // a unique new name: renaming never replaces anything here
    }
    try {
        fs::rename(tmp, dest);
    } catch (...) {
        if (!old.empty()) fs::rename(old, dest, ec);  // put the older package back
        throw;
    }
    if (!old.empty()) fs::remove_all(old, ec);  // the package we set aside, and only it
}

}  // namespace latent

#pragma once
// A training run's resumable state as one atomic set of files: weights,
// optimiser state and step are written together or not at all, so a crash or
// a full disk mid-save leaves the previous checkpoint whole.
//
// Layout inside the run's folder: "checkpoint/" holds the last complete set;
// a save builds ".saving-<random>/" beside it, moves the old set aside to
// ".previous-<random>/", renames the new one into place and removes the old.
// After a crash between those two renames only ".previous-*" is complete, and
// latest() returns it.
#include <filesystem>
#include <functional>
#include <optional>

namespace latent {

class CheckpointFolder {
public:
    // `runFolder` must exist (the trainer made it).
    explicit CheckpointFolder(std::filesystem::path runFolder);

    // The folder of the last complete set, or nullopt when there is none.
    std::optional<std::filesystem::path> latest() const;

    // `fill(dir)` writes every file of the set into `dir`; then the set is
    // synced to disk and replaces the previous one. Throws Error(Io) (the
    // previous set stays) when writing or renaming fails.
    void save(const std::function<void(const std::filesystem::path& dir)>& fill);

private:
    std::filesystem::path m_run;
};

}  // namespace latent

#pragma once
// The results library (DESIGN §5): every finished job's output kept as files
// in a folder of its own plus a row in SQLite (WAL; FTS5 over prompts, tags
// and model ids) with the full provenance, so every result is searchable and
// one click from the settings that made it. Qt-free: the CLI and a headless
// server record too.
//
// Nothing is lost: a result's files are written atomically before the row
// that lists them commits (its paths are noted in a pending table first, so a
// crash in between leaves no stray file after the next open), and a result is
// either whole in the database or not there at all.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace latent {

class SqliteDb;

struct ResultFile {
    std::string path;  // relative to the library's folder
    std::string kind;  // "image", "text", "audio", "video"
    std::uint64_t bytes = 0;
    std::string sha256;
};

struct ResultRecord {
    std::int64_t id = 0;
    std::int64_t createdMs = 0;  // Unix time
    std::string modality;        // "image", "text", "audio", "video"
    std::string modelId;
    std::string task;
    std::string label;
    std::string state;           // "finished" or "cancelled" (stopped, its output kept)
    std::string prompt;
    std::uint64_t seed = 0;
    std::string provenanceJson;  // latent::provenanceToJson: everything that made it
    double durationMs = 0;
    int rating = 0;              // 0 (none) to 5
    bool favourite = false;
    std::vector<std::string> tags;
    std::string thumbnail;       // relative path of a small PNG; empty when none
    std::int64_t trashedMs = 0;  // in the trash since; 0 when not
    std::vector<ResultFile> files;
};

// A result to add: its outputs already encoded (PNG with provenance, text…).
struct NewResult {
    std::string modality, modelId, task, label, state = "finished", prompt;
    std::uint64_t seed = 0;
    std::string provenanceJson;
    double durationMs = 0;
    std::int64_t createdMs = 0;  // 0: now
    struct Output {
        std::string kind;       // "image", "text", …
        std::string extension;  // ".png", ".txt"
        std::string bytes;
    };
    std::vector<Output> outputs;
    std::string thumbnailPng;  // empty: none
};

// Fields have initializers so designated initializers may name just a few.
struct ResultQuery {
    std::string search{};    // words; each must occur in the prompt, tags or model id (prefixes match)
    std::string modality{};  // "" = all
    std::string modelId{};   // "" = all
    bool favouritesOnly = false;
    bool trashed = false;  // the trash instead of the library
    std::int64_t sinceMs = 0, untilMs = 0;  // 0 = open
    int limit = 200;
    int offset = 0;
};

class ResultLibrary {
public:
    // Opens (creating) <folder>/results.sqlite and its files/. Throws
    // Error(Format) for a database that is corrupt or not one, Error(Io) for
    // one that cannot be opened, created or written; nothing is changed then.
    explicit ResultLibrary(std::filesystem::path folder);
    ~ResultLibrary();
    ResultLibrary(const ResultLibrary&) = delete;
    ResultLibrary& operator=(const ResultLibrary&) = delete;

    const std::filesystem::path& folder() const { return m_folder; }
    std::filesystem::path absolute(const std::string& relativePath) const { return m_folder / relativePath; }

    // Writes the outputs and the row; returns the new id. Throws Error(Io)
    // (disk full, read-only folder) leaving no file or row behind.
    std::int64_t add(const NewResult& result);

    // Newest first.
    std::vector<ResultRecord> query(const ResultQuery& query) const;
    std::optional<ResultRecord> get(std::int64_t id) const;
    std::size_t count(bool trashed = false) const;
    // Model ids that have results, for filters.
    std::vector<std::string> modelIds() const;

    void setFavourite(std::int64_t id, bool favourite);
    void setRating(std::int64_t id, int rating);  // clamped to 0..5
    void setTags(std::int64_t id, const std::vector<std::string>& tags);
    // Delete is to the trash, undoable by restore(); purge() removes for good.
    void trash(std::int64_t id);
    void restore(std::int64_t id);
    void purge(std::int64_t id);

    // Bytes the results' files and thumbnails take.
    std::uint64_t totalBytes() const;
    // Removes the oldest results (the trash first, never favourites) until
    // the files take at most `capBytes`; returns how many went.
    std::size_t prune(std::uint64_t capBytes);

    // PRAGMA integrity_check's verdict ("ok") and the ids of results whose
    // files are missing or changed since they were recorded.
    std::string integrityCheck() const;
    // `only`: just these results (empty: all).
    std::vector<std::int64_t> damagedResults(const std::vector<std::int64_t>& only = {}) const;

private:
    void createSchema();
    void removeLeftovers();  // files of adds a crash interrupted
    // On the read connection; the caller holds m_readMutex.
    std::vector<ResultRecord> select(const std::string& where, const std::vector<std::string>& binds,
                                     const std::string& tail) const;
    void removeFiles(const ResultRecord& record) const;

    std::filesystem::path m_folder;
    std::unique_ptr<SqliteDb> m_db;      // writes
    std::unique_ptr<SqliteDb> m_readDb;  // reads (WAL: never blocked by a write)
    mutable std::mutex m_mutex;          // one user of m_db at a time
    mutable std::mutex m_readMutex;      // one user of m_readDb at a time
};

}  // namespace latent

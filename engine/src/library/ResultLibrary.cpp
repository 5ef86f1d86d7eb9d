#include "latent/library/ResultLibrary.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <sstream>

#include "latent/Error.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Sha256.h"
#include "library/SqliteDb.h"

namespace fs = std::filesystem;

namespace latent {
namespace {

constexpr int kSchemaVersion = 1;
constexpr const char* kThumbnailKind = "thumbnail";

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string joinTags(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& t : tags) {
        if (t.empty()) continue;
        out += (out.empty() ? "" : "\n") + t;
    }
    return out;
}

std::vector<std::string> splitTags(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string t; std::getline(in, t);)
        if (!t.empty()) out.push_back(t);
    return out;
}

// "files/2026-12/1764626400123-8f3a2c-0.png": grouped by month, unique
// without knowing the row id yet.
std::string outputPath(const char* folder, std::int64_t createdMs, const std::string& token, int index,
                       const std::string& extension) {
    const std::time_t seconds = std::time_t(createdMs / 1000);
    std::tm t{};
    gmtime_r(&seconds, &t);
    char month[16];
    std::strftime(month, sizeof month, "%Y-%m", &t);
    std::string path = folder;
    path.append("/").append(month).append("/").append(std::to_string(createdMs)).append("-").append(token);
    if (index >= 0) path.append("-").append(std::to_string(index));
    return path.append(extension);
}

std::string randomToken() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    return buf;
}

// FTS5 query: every word must match, as a prefix; quotes make any text a
// plain token (no FTS operators from the user's search box).
std::string ftsQuery(const std::string& search) {
    std::istringstream in(search);
    std::string out;
    for (std::string word; in >> word;) {
        std::string quoted = "\"";
        for (char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += (out.empty() ? "" : " ") + quoted + "\"*";
    }
    return out;
}

}  // namespace

ResultLibrary::ResultLibrary(fs::path folder) : m_folder(std::move(folder)) {
    std::error_code ec;
    fs::create_directories(m_folder, ec);
    if (ec) throw Error(ErrorKind::Io, m_folder.string() + ": cannot create the results folder: " + ec.message());
    m_db = std::make_unique<SqliteDb>(m_folder / "results.sqlite");
    // A file that is not a database, or a damaged one, says so here, before
    // anything is written into it.
    const std::string file = (m_folder / "results.sqlite").string();
    std::string verdict;
    try {
        SqliteStatement check(*m_db, "PRAGMA quick_check");
        verdict = check.step() ? check.text(0) : "no answer to a check";
    } catch (const Error& e) {
        verdict = e.what();
        if (const auto colon = verdict.rfind(": "); colon != std::string::npos) verdict = verdict.substr(colon + 2);
    }
    if (verdict != "ok")
        throw Error(ErrorKind::Format, file + ": the results database is damaged or not one (" + verdict +
                                           "); move it aside to start a new one");
    m_db->exec("PRAGMA journal_mode=WAL");
    m_db->exec("PRAGMA synchronous=FULL");  // a committed result survives a power cut
    m_db->exec("PRAGMA foreign_keys=ON");
    createSchema();
    removeLeftovers();
    // Reads go through a connection of their own: in WAL mode a reader never
    // waits for a writer, so the GUI's queries never queue behind an add.
    m_readDb = std::make_unique<SqliteDb>(m_folder / "results.sqlite");
    m_readDb->exec("PRAGMA query_only=1");
}

ResultLibrary::~ResultLibrary() = default;

void ResultLibrary::createSchema() {
    SqliteStatement version(*m_db, "PRAGMA user_version");
    version.step();
    const auto have = version.integer(0);
    version.reset();
    if (have > kSchemaVersion)
        throw Error(ErrorKind::Format, m_db->file().string() + ": made by a newer Latent Studio (schema " +
                                           std::to_string(have) + "); this one reads " + std::to_string(kSchemaVersion));
    if (have == kSchemaVersion) return;
    SqliteTransaction tx(*m_db);
    m_db->exec(R"(
        CREATE TABLE results(
          id INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, modality TEXT NOT NULL, model_id TEXT NOT NULL,
          task TEXT NOT NULL, label TEXT NOT NULL, state TEXT NOT NULL, prompt TEXT NOT NULL,
          seed INTEGER NOT NULL, provenance TEXT NOT NULL, duration_ms REAL NOT NULL,
          rating INTEGER NOT NULL DEFAULT 0, favourite INTEGER NOT NULL DEFAULT 0,
          tags TEXT NOT NULL DEFAULT '', trashed_ms INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX results_created ON results(created_ms);
        CREATE TABLE files(
          result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
          path TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,
          PRIMARY KEY(result_id, idx));
        CREATE TABLE pending(path TEXT PRIMARY KEY);
        CREATE VIRTUAL TABLE results_fts USING fts5(prompt, tags, model_id, content='results', content_rowid='id');
        CREATE TRIGGER results_ai AFTER INSERT ON results BEGIN
          INSERT INTO results_fts(rowid, prompt, tags, model_id) VALUES (new.id, new.prompt, new.tags, new.model_id);
        END;
        CREATE TRIGGER results_ad AFTER DELETE ON results BEGIN
          INSERT INTO results_fts(results_fts, rowid, prompt, tags, model_id)
            VALUES ('delete', old.id, old.prompt, old.tags, old.model_id);
        END;
        CREATE TRIGGER results_au AFTER UPDATE OF prompt, tags, model_id ON results BEGIN
          INSERT INTO results_fts(results_fts, rowid, prompt, tags, model_id)
            VALUES ('delete', old.id, old.prompt, old.tags, old.model_id);
          INSERT INTO results_fts(rowid, prompt, tags, model_id) VALUES (new.id, new.prompt, new.tags, new.model_id);
        END;
    )");
    m_db->exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    tx.commit();
}

void ResultLibrary::removeLeftovers() {
    std::vector<std::string> paths;
    {
        SqliteStatement s(*m_db, "SELECT path FROM pending");
        while (s.step()) paths.push_back(s.text(0));
    }
    if (paths.empty()) return;
    std::error_code ec;
    for (const auto& p : paths) {
        // Ours: the pending table named them. A kill inside the atomic write
        // leaves its temporary file ("<name>.tmp-<pid>-<random>") instead.
        const fs::path file = m_folder / p;
        fs::remove(file, ec);
        const std::string tempPrefix = file.filename().string() + ".tmp-";
        for (fs::directory_iterator it(file.parent_path(), ec), end; !ec && it != end; it.increment(ec))
            if (it->path().filename().string().rfind(tempPrefix, 0) == 0) fs::remove(it->path(), ec);
        ec.clear();
    }
    m_db->exec("DELETE FROM pending");
}

std::int64_t ResultLibrary::add(const NewResult& r) {
    const std::int64_t created = r.createdMs > 0 ? r.createdMs : nowMs();
    const std::string token = randomToken();
    struct Planned {
        std::string path, kind;
        const std::string* bytes;
    };
    std::vector<Planned> planned;
    for (std::size_t i = 0; i < r.outputs.size(); ++i)
        planned.push_back({outputPath("files", created, token, int(i), r.outputs[i].extension), r.outputs[i].kind,
                           &r.outputs[i].bytes});
    if (!r.thumbnailPng.empty())
        planned.push_back({outputPath("thumbs", created, token, -1, ".png"), kThumbnailKind, &r.thumbnailPng});

    // 1. Note the paths, so a crash before the row commits leaves no file.
    // The connection is locked for the transactions only, not for the file
    // writes and their fsyncs between them.
    {
        std::lock_guard lock(m_mutex);
        SqliteTransaction tx(*m_db);
        SqliteStatement note(*m_db, "INSERT INTO pending(path) VALUES (?1)");
        for (const auto& p : planned) note.bind(1, p.path).run();
        tx.commit();
    }
    std::vector<std::string> written;
    try {
        // 2. The files, each atomically.
        for (const auto& p : planned) {
            writeFileAtomic(m_folder / p.path, *p.bytes, {.createParents = true});
            written.push_back(p.path);
        }
        // 3. The row and its files in one transaction; the note goes with it.
        std::lock_guard lock(m_mutex);
        SqliteTransaction tx(*m_db);
        SqliteStatement row(*m_db, R"(INSERT INTO results(created_ms, modality, model_id, task, label, state, prompt,
                                        seed, provenance, duration_ms) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10))");
        row.bind(1, created).bind(2, r.modality).bind(3, r.modelId).bind(4, r.task).bind(5, r.label).bind(6, r.state);
        row.bind(7, r.prompt).bind(8, std::int64_t(r.seed)).bind(9, r.provenanceJson).bind(10, r.durationMs).run();
        const std::int64_t id = m_db->lastInsertId();
        SqliteStatement file(*m_db, "INSERT INTO files(result_id, idx, path, kind, bytes, sha256) VALUES (?1,?2,?3,?4,?5,?6)");
        SqliteStatement done(*m_db, "DELETE FROM pending WHERE path = ?1");
        for (std::size_t i = 0; i < planned.size(); ++i) {
            const auto& p = planned[i];
            file.bind(1, id).bind(2, std::int64_t(i)).bind(3, p.path).bind(4, p.kind);
            file.bind(5, std::int64_t(p.bytes->size())).bind(6, Sha256::hex(p.bytes->data(), p.bytes->size())).run();
            done.bind(1, p.path).run();
        }
        tx.commit();
        return id;
    } catch (...) {
        std::error_code ec;
        for (const auto& p : written) fs::remove(m_folder / p, ec);
        try {
            std::lock_guard lock(m_mutex);
            SqliteStatement forget(*m_db, "DELETE FROM pending WHERE path = ?1");
            for (const auto& p : planned) forget.bind(1, p.path).run();
        } catch (const Error&) {
            // the next open clears the note
        }
        throw;
    }
}

std::vector<ResultRecord> ResultLibrary::select(const std::string& where, const std::vector<std::string>& binds,
                                                const std::string& tail) const {
    SqliteStatement s(*m_readDb, "SELECT id, created_ms, modality, model_id, task, label, state, prompt, seed, provenance, "
                             "duration_ms, rating, favourite, tags, trashed_ms FROM results " +
                                 where + " ORDER BY created_ms DESC, id DESC " + tail);
    for (std::size_t i = 0; i < binds.size(); ++i) s.bind(int(i) + 1, binds[i]);
    std::vector<ResultRecord> out;
    while (s.step()) {
        ResultRecord r;
        r.id = s.integer(0);
        r.createdMs = s.integer(1);
        r.modality = s.text(2);
        r.modelId = s.text(3);
        r.task = s.text(4);
        r.label = s.text(5);
        r.state = s.text(6);
        r.prompt = s.text(7);
        r.seed = std::uint64_t(s.integer(8));
        r.provenanceJson = s.text(9);
        r.durationMs = s.real(10);
        r.rating = int(s.integer(11));
        r.favourite = s.integer(12) != 0;
        r.tags = splitTags(s.text(13));
        r.trashedMs = s.integer(14);
        out.push_back(std::move(r));
    }
    SqliteStatement files(*m_readDb, "SELECT path, kind, bytes, sha256 FROM files WHERE result_id = ?1 ORDER BY idx");
    for (auto& r : out) {
        files.bind(1, r.id);
        while (files.step()) {
            ResultFile f{files.text(0), files.text(1), std::uint64_t(files.integer(2)), files.text(3)};
            if (f.kind == kThumbnailKind) r.thumbnail = f.path;
            else r.files.push_back(std::move(f));
        }
        files.reset();
    }
    return out;
}

std::vector<ResultRecord> ResultLibrary::query(const ResultQuery& q) const {
    std::lock_guard lock(m_readMutex);
    std::string where = q.trashed ? "WHERE trashed_ms > 0" : "WHERE trashed_ms = 0";
    std::vector<std::string> binds;
    auto bindText = [&](const std::string& clause, const std::string& value) {
        binds.push_back(value);
        where += " AND " + clause + " ?" + std::to_string(binds.size());
    };
    if (!q.modality.empty()) bindText("modality =", q.modality);
    if (!q.modelId.empty()) bindText("model_id =", q.modelId);
    if (q.favouritesOnly) where += " AND favourite = 1";
    if (q.sinceMs > 0) where += " AND created_ms >= " + std::to_string(q.sinceMs);
    if (q.untilMs > 0) where += " AND created_ms < " + std::to_string(q.untilMs);
    if (const std::string match = ftsQuery(q.search); !match.empty()) {
        binds.push_back(match);
        where += " AND id IN (SELECT rowid FROM results_fts WHERE results_fts MATCH ?" + std::to_string(binds.size()) + ")";
    }
    const std::string tail = "LIMIT " + std::to_string(std::max(0, q.limit)) + " OFFSET " +
                             std::to_string(std::max(0, q.offset));
    return select(where, binds, tail);
}

std::optional<ResultRecord> ResultLibrary::get(std::int64_t id) const {
    std::lock_guard lock(m_readMutex);
    auto found = select("WHERE id = ?1", {std::to_string(id)}, "");
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::size_t ResultLibrary::count(bool trashed) const {
    std::lock_guard lock(m_readMutex);
    SqliteStatement s(*m_readDb, trashed ? "SELECT count(*) FROM results WHERE trashed_ms > 0"
                                     : "SELECT count(*) FROM results WHERE trashed_ms = 0");
    s.step();
    return std::size_t(s.integer(0));
}

std::vector<std::string> ResultLibrary::modelIds() const {
    std::lock_guard lock(m_readMutex);
    SqliteStatement s(*m_readDb, "SELECT DISTINCT model_id FROM results WHERE trashed_ms = 0 ORDER BY model_id");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

void ResultLibrary::setFavourite(std::int64_t id, bool favourite) {
    std::lock_guard lock(m_mutex);
    SqliteStatement(*m_db, "UPDATE results SET favourite = ?2 WHERE id = ?1").bind(1, id).bind(2, std::int64_t(favourite)).run();
}

void ResultLibrary::setRating(std::int64_t id, int rating) {
    std::lock_guard lock(m_mutex);
    SqliteStatement(*m_db, "UPDATE results SET rating = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, std::int64_t(std::clamp(rating, 0, 5)))
        .run();
}

void ResultLibrary::setTags(std::int64_t id, const std::vector<std::string>& tags) {
    std::lock_guard lock(m_mutex);
    SqliteStatement(*m_db, "UPDATE results SET tags = ?2 WHERE id = ?1").bind(1, id).bind(2, joinTags(tags)).run();
}

void ResultLibrary::trash(std::int64_t id) {
    std::lock_guard lock(m_mutex);
    SqliteStatement(*m_db, "UPDATE results SET trashed_ms = ?2 WHERE id = ?1").bind(1, id).bind(2, nowMs()).run();
}

void ResultLibrary::restore(std::int64_t id) {
    std::lock_guard lock(m_mutex);
    SqliteStatement(*m_db, "UPDATE results SET trashed_ms = 0 WHERE id = ?1").bind(1, id).run();
}

void ResultLibrary::removeFiles(const ResultRecord& record) const {
    std::error_code ec;
    for (const auto& f : record.files) fs::remove(m_folder / f.path, ec);
    if (!record.thumbnail.empty()) fs::remove(m_folder / record.thumbnail, ec);
}

void ResultLibrary::purge(std::int64_t id) {
    std::vector<ResultRecord> found;
    {
        std::lock_guard lock(m_readMutex);
        found = select("WHERE id = ?1", {std::to_string(id)}, "");
    }
    if (found.empty()) return;
    // The row goes first: a crash after it leaves unlisted files, never a
    // row whose files are gone.
    std::lock_guard lock(m_mutex);
    SqliteStatement(*m_db, "DELETE FROM results WHERE id = ?1").bind(1, id).run();
    removeFiles(found.front());
}

std::uint64_t ResultLibrary::totalBytes() const {
    std::lock_guard lock(m_readMutex);
    SqliteStatement s(*m_readDb, "SELECT COALESCE(SUM(bytes), 0) FROM files");
    s.step();
    return std::uint64_t(s.integer(0));
}

std::size_t ResultLibrary::prune(std::uint64_t capBytes) {
    std::size_t removed = 0;
    while (totalBytes() > capBytes) {
        std::int64_t victim = 0;
        {
            std::lock_guard lock(m_readMutex);
            SqliteStatement s(*m_readDb, "SELECT id FROM results WHERE favourite = 0 "
                                     "ORDER BY (trashed_ms = 0), created_ms, id LIMIT 1");
            if (!s.step()) break;  // only favourites are left: they stay
            victim = s.integer(0);
        }
        purge(victim);
        ++removed;
    }
    return removed;
}

std::string ResultLibrary::integrityCheck() const {
    std::lock_guard lock(m_readMutex);
    SqliteStatement s(*m_readDb, "PRAGMA integrity_check");
    std::string verdict;
    while (s.step()) verdict += (verdict.empty() ? "" : "; ") + s.text(0);
    return verdict;
}

std::vector<std::int64_t> ResultLibrary::damagedResults(const std::vector<std::int64_t>& only) const {
    std::lock_guard lock(m_readMutex);
    SqliteStatement s(*m_readDb, "SELECT result_id, path, bytes, sha256 FROM files ORDER BY result_id");
    std::vector<std::int64_t> out;
    while (s.step()) {
        const std::int64_t id = s.integer(0);
        if (!only.empty() && std::find(only.begin(), only.end(), id) == only.end()) continue;
        const fs::path path = m_folder / s.text(1);
        std::error_code ec;
        const bool intact = fs::is_regular_file(path, ec) && fs::file_size(path, ec) == std::uint64_t(s.integer(2)) &&
                            Sha256::fileHex(path) == s.text(3);
        if (!intact && (out.empty() || out.back() != id)) out.push_back(id);
    }
    return out;
}

}  // namespace latent

#include "library/SqliteDb.h"

#include "latent/Error.h"

#if LATENT_HAVE_SQLITE
#include <sqlite3.h>

namespace latent {

SqliteDb::SqliteDb(const std::filesystem::path& file) : m_file(file) {
    const int rc = sqlite3_open_v2(file.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(ErrorKind::Io, file.string() + ": cannot open the results database: " + message);
    }
    // Another process (a second studio, the CLI) may hold the write lock for
    // a moment: wait for it rather than fail at once.
    sqlite3_busy_timeout(m_db, 3000);
    sqlite3_extended_result_codes(m_db, 1);
}

SqliteDb::~SqliteDb() { sqlite3_close(m_db); }

void SqliteDb::fail(const std::string& what) const {
    const int code = sqlite3_extended_errcode(m_db);
    const int primary = code & 0xff;
    const ErrorKind kind = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ? ErrorKind::Format : ErrorKind::Io;
    // What a user can act on first, SQLite's own words after.
    std::string plain;
    switch (primary) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: plain = "the results database is busy: another program holds it locked"; break;
        case SQLITE_FULL: plain = "the disk is full"; break;
        case SQLITE_READONLY: plain = "the results database cannot be written (read-only)"; break;
        case SQLITE_IOERR: plain = "the disk could not be read or written"; break;
        default: plain = what; break;
    }
    throw Error(kind, m_file.string() + ": " + plain + " (" + sqlite3_errmsg(m_db) + ")");
}

void SqliteDb::exec(std::string_view sql) {
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        fail("cannot run '" + text.substr(0, 60) + "'");
    }
}

std::int64_t SqliteDb::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int SqliteDb::changes() const { return sqlite3_changes(m_db); }

SqliteStatement::SqliteStatement(SqliteDb& db, std::string_view sql) : m_db(db) {
    if (sqlite3_prepare_v2(db.handle(), sql.data(), int(sql.size()), &m_stmt, nullptr) != SQLITE_OK)
        db.fail("cannot prepare a query");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(m_stmt); }

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK) m_db.fail("cannot bind a value");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK) m_db.fail("cannot bind a value");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
    if (sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        m_db.fail("cannot bind a value");
    return *this;
}

SqliteStatement& SqliteStatement::bindNull(int index) {
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK) m_db.fail("cannot bind a value");
    return *this;
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    m_db.fail("query failed");
}

void SqliteStatement::run() {
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t SqliteStatement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
double SqliteStatement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string SqliteStatement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return p ? std::string(p, std::size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

bool SqliteStatement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

SqliteTransaction::SqliteTransaction(SqliteDb& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }

SqliteTransaction::~SqliteTransaction() {
    if (!m_done) sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

}  // namespace latent

#else  // built without SQLite: opening a database says so, nothing else is reachable

namespace latent {

SqliteDb::SqliteDb(const std::filesystem::path& file) : m_file(file) {
    throw Error(ErrorKind::Io, "this build of Latent Studio has no SQLite (libsqlite3-dev), so results are not recorded");
}
SqliteDb::~SqliteDb() = default;
void SqliteDb::fail(const std::string& what) const { throw Error(ErrorKind::Io, m_file.string() + ": " + what); }
void SqliteDb::exec(std::string_view) { fail("no SQLite"); }
std::int64_t SqliteDb::lastInsertId() const { return 0; }
int SqliteDb::changes() const { return 0; }
SqliteStatement::SqliteStatement(SqliteDb& db, std::string_view) : m_db(db) { db.fail("no SQLite"); }
SqliteStatement::~SqliteStatement() = default;
SqliteStatement& SqliteStatement::bind(int, std::int64_t) { return *this; }
SqliteStatement& SqliteStatement::bind(int, double) { return *this; }
SqliteStatement& SqliteStatement::bind(int, std::string_view) { return *this; }
SqliteStatement& SqliteStatement::bindNull(int) { return *this; }
bool SqliteStatement::step() { return false; }
void SqliteStatement::run() {}
void SqliteStatement::reset() {}
std::int64_t SqliteStatement::integer(int) const { return 0; }
double SqliteStatement::real(int) const { return 0; }
std::string SqliteStatement::text(int) const { return {}; }
bool SqliteStatement::isNull(int) const { return true; }
SqliteTransaction::SqliteTransaction(SqliteDb& db) : m_db(db) { db.exec("BEGIN"); }
SqliteTransaction::~SqliteTransaction() = default;
void SqliteTransaction::commit() { m_done = true; }

}  // namespace latent

#endif

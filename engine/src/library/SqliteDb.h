#pragma once
// A small RAII layer over SQLite's C API for the results library: one
// connection, prepared statements with typed binds, and errors that become
// Error(kind) with SQLite's own message and the database's path.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace latent {

class SqliteDb;

class SqliteStatement {
public:
    SqliteStatement(SqliteDb& db, std::string_view sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    // Binds are 1-based, as in SQL (?1, ?2 …).
    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind(int index, double value);
    SqliteStatement& bind(int index, std::string_view text);
    SqliteStatement& bindNull(int index);
    // Advances; false when there is no (more) row.
    bool step();
    void run();  // step() to completion for statements without rows
    void reset();

    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    bool isNull(int column) const;

private:
    SqliteDb& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

class SqliteDb {
public:
    // Opens (creating) the file; throws Error(Io) naming it when SQLite cannot.
    explicit SqliteDb(const std::filesystem::path& file);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    void exec(std::string_view sql);
    std::int64_t lastInsertId() const;
    int changes() const;
    const std::filesystem::path& file() const { return m_file; }
    sqlite3* handle() const { return m_db; }
    // Throws Error(kind) "<file>: <what>: <SQLite's message>".
    [[noreturn]] void fail(const std::string& what) const;

private:
    std::filesystem::path m_file;
    sqlite3* m_db = nullptr;
};

// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed without commit().
class SqliteTransaction {
public:
    explicit SqliteTransaction(SqliteDb& db);
    ~SqliteTransaction();
    void commit();

private:
    SqliteDb& m_db;
    bool m_done = false;
};

}  // namespace latent

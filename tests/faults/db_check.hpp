// What every fault, crash and hostile-input test checks about a database file, with nothing but
// SQLite: a full dump of every table (to prove "exactly before or exactly after"), PRAGMA
// integrity_check, and a tiny pass/fail counter. No engine code, so the C API tests can use it too.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

namespace leandesk::faults {

/// A unique temporary directory, removed with its content at destruction.
class TempDir {
  public:
    explicit TempDir(const std::string& tag);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

/// Copies a database file (the fixture template) to `to`, removing any -wal/-shm beside `to`.
void copy_database(const std::string& from, const std::string& to);

/// Every row of every table (schema included), ordered by all columns, blobs in hex.
std::string dump(sqlite3* db);
/// The result of PRAGMA integrity_check ("ok" when sound).
std::string integrity(sqlite3* db);

/// Opens `path` with the named VFS (nullptr: the default) read-write, or throws.
struct SqliteCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;
SqlitePtr open_plain(const std::string& path, const char* vfs = nullptr);

/// Minimal check counting for the fault programs (no test framework: they own main() so that they
/// can configure SQLite before anything else touches it).
class Checks {
  public:
    void expect(bool ok, const std::string& what);
    [[nodiscard]] int failures() const { return failed_; }
    [[nodiscard]] int passed() const { return passed_; }
    /// Prints "N passed, M failed"; returns the exit status.
    int summary() const;

  private:
    int passed_ = 0;
    int failed_ = 0;
};

}  // namespace leandesk::faults

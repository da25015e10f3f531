// A small RAII layer over sqlite3: one Database owns the connection and a cache of prepared
// statements (each SQL text is prepared once and reused), Stmt binds and steps, and Transaction
// makes a unit of work that commits whole or not at all (nested units become savepoints).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace leandesk::store {

struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
struct DbDeleter {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};

class Database;

/// A prepared statement borrowed from the cache; reset and cleared when it goes out of scope.
class Stmt {
  public:
    Stmt(Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
    Stmt& operator=(Stmt&&) = delete;
    ~Stmt();

    Stmt& bind(int index, std::string_view text);
    Stmt& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Stmt& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Stmt& bind(int index, std::int64_t value);
    Stmt& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Stmt& bind(int index, bool value) {
        return bind(index, static_cast<std::int64_t>(value ? 1 : 0));
    }
    Stmt& bind(int index, double value);
    Stmt& bind_null(int index);
    template <typename T>
    Stmt& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }
    /// Binds every argument in order, starting at 1.
    template <typename... Args>
    Stmt& bind_all(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    /// Steps once: true when a row is available, false when done. Errors throw.
    bool step();
    /// Steps to completion (for statements that return no rows).
    void run();

    [[nodiscard]] sqlite3_stmt* raw() const { return stmt_; }
    [[nodiscard]] bool is_null(int col) const;
    [[nodiscard]] std::string text(int col) const;
    [[nodiscard]] std::optional<std::string> opt_text(int col) const;
    [[nodiscard]] std::int64_t int64(int col) const;
    [[nodiscard]] std::optional<std::int64_t> opt_int64(int col) const;
    [[nodiscard]] double real(int col) const;
    [[nodiscard]] std::optional<double> opt_real(int col) const;

  private:
    Database* db_;
    sqlite3_stmt* stmt_;  // owned by the Database's cache, not by this borrower
};

class Database {
  public:
    /// Opens (creating if needed) and configures the connection: foreign keys, WAL, secure_delete,
    /// busy timeout. Throws Error(io/corrupt) when the file cannot be used.
    explicit Database(const std::string& path);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// A cached prepared statement for `sql` (prepared on first use).
    Stmt prepare(std::string_view sql);
    /// Runs one or more statements that take no parameters.
    void exec(std::string_view sql);

    [[nodiscard]] sqlite3* handle() const { return db_.get(); }
    [[nodiscard]] std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
    [[nodiscard]] int transaction_depth() const { return depth_; }
    [[nodiscard]] std::size_t cached_statements() const { return cache_.size(); }

    /// Maps the connection's current error to an Error and throws it.
    [[noreturn]] void fail(int rc, std::string_view context) const;

  private:
    friend class Transaction;
    /// Ends the open transaction; true when SQLite is back in autocommit mode. Never throws.
    bool rollback() noexcept;

    std::unique_ptr<sqlite3, DbDeleter> db_;
    /// Looked up by the SQL text as a string_view (transparent hash): prepare() runs for every
    /// statement of every command and must not build a std::string of the SQL each time.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const noexcept {
            return std::hash<std::string_view>{}(sql);
        }
    };
    std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, StmtDeleter>, SqlHash,
                       std::equal_to<>>
        cache_;
    // Prepared when the database opens, so that a rollback needs no allocation when memory is
    // short (declared after db_: finalized before the connection closes).
    std::unique_ptr<sqlite3_stmt, StmtDeleter> rollback_;
    int depth_ = 0;
};

/// BEGIN IMMEDIATE at depth 0 (so writers queue on the busy timeout instead of deadlocking),
/// SAVEPOINT inside. Rolls back unless commit() was called.
class Transaction {
  public:
    explicit Transaction(Database& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();
    [[nodiscard]] bool outermost() const { return depth_ == 1; }

  private:
    Database& db_;
    int depth_;
    bool done_ = false;
};

}  // namespace leandesk::store

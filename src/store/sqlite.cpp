#include "store/sqlite.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.hpp"

namespace leandesk::store {
namespace {

// A database holds personal data: a new file is made readable and writable by its owner only
// (0600, whatever the umask), before SQLite opens it. SQLite gives the -wal and -shm files the
// database's own mode. An existing file keeps the mode it has. Anything that goes wrong here is
// left for sqlite3_open_v2 to report.
void create_owner_only(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return;
    (void)::fchmod(fd, 0600);
    ::close(fd);
}

Errc errc_for(int rc) {
    switch (rc & 0xFF) {
        case SQLITE_CONSTRAINT:
            return Errc::conflict;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Errc::busy;
        case SQLITE_NOMEM:
            return Errc::no_memory;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return Errc::corrupt;
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_PERM:
            return Errc::io;
        case SQLITE_TOOBIG:
        case SQLITE_RANGE:
        case SQLITE_MISMATCH:
            return Errc::invalid_argument;
        default:
            return Errc::error;
    }
}

}  // namespace

Stmt::~Stmt() {
    if (stmt_ != nullptr) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
}

Stmt& Stmt::bind(int index, std::string_view text) {
    const int rc =
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int index, double value) {
    const int rc = sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) db_->fail(rc, "bind");
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail(rc, sqlite3_sql(stmt_));
}

void Stmt::run() {
    while (step()) {
    }
}

bool Stmt::is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::string Stmt::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    const int n = sqlite3_column_bytes(stmt_, col);
    return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(n));
}

std::optional<std::string> Stmt::opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
}

std::int64_t Stmt::int64(int col) const {
    return sqlite3_column_int64(stmt_, col);
}

std::optional<std::int64_t> Stmt::opt_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
}

double Stmt::real(int col) const {
    return sqlite3_column_double(stmt_, col);
}

std::optional<double> Stmt::opt_real(int col) const {
    if (is_null(col)) return std::nullopt;
    return real(col);
}

Database::Database(const std::string& path) {
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    create_owner_only(path);
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);  // sqlite3 hands out a handle even on failure; it must be closed
    if (rc != SQLITE_OK) {
        const std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : "out of memory";
        throw Error(errc_for(rc), "cannot open database " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    // secure_delete: deleted content is overwritten, so erased data (R14) really goes.
    // temp_store = MEMORY: the statement journals of savepoints (one per command in a batch) stay
    // in memory instead of a temporary file.
    exec(
        "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA synchronous = NORMAL; "
        "PRAGMA temp_store = MEMORY;");
    // A brand-new or unreadable file fails here, before anything is written.
    Stmt wal = prepare("PRAGMA journal_mode = WAL");
    if (!wal.step() || wal.text(0) != "wal") {
        // In-memory databases answer "memory"; anything else is a file we cannot put in WAL mode.
        if (path != ":memory:" && !path.empty())
            throw Error(Errc::io, "cannot enable WAL on " + path);
    }
    sqlite3_stmt* rollback = nullptr;
    const int prc =
        sqlite3_prepare_v3(raw, "ROLLBACK", -1, SQLITE_PREPARE_PERSISTENT, &rollback, nullptr);
    rollback_.reset(rollback);
    if (prc != SQLITE_OK) fail(prc, "ROLLBACK");
}

Database::~Database() = default;

bool Database::rollback() noexcept {
    sqlite3* h = db_.get();
    if (sqlite3_get_autocommit(h) != 0)
        return true;  // SQLite already rolled back (e.g. on I/O error)
    sqlite3_step(rollback_.get());
    sqlite3_reset(rollback_.get());
    if (sqlite3_get_autocommit(h) != 0) return true;
    sqlite3_exec(h, "ROLLBACK", nullptr, nullptr, nullptr);  // the prepared one could not run
    return sqlite3_get_autocommit(h) != 0;
}

Stmt Database::prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        sqlite3_stmt* raw = nullptr;
        const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        if (rc != SQLITE_OK) fail(rc, sql);
        it =
            cache_.emplace(std::string(sql), std::unique_ptr<sqlite3_stmt, StmtDeleter>(raw)).first;
    }
    return {*this, it->second.get()};
}

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        const std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw Error(errc_for(rc), "database error: " + msg);
    }
}

void Database::fail(int rc, std::string_view context) const {
    std::string msg = sqlite3_errmsg(db_.get());
    (void)context;  // SQL text is not part of user-facing messages; it may hold nothing secret but
                    // it is noise for app developers.
    throw Error(errc_for(rc), "database error: " + msg);
}

Transaction::Transaction(Database& db) : db_(db), depth_(++db.depth_) {
    try {
        // A ROLLBACK that failed (out of memory, I/O error) in an earlier unit's destructor leaves
        // SQLite inside that transaction: end it now, or every later write would fail with
        // "cannot start a transaction within a transaction" until the database is reopened.
        if (depth_ == 1 && !db_.rollback()) {
            throw Error(Errc::no_memory, "cannot roll back an interrupted transaction; try again");
        }
        // Prepared and cached like any statement: a batch of 1,000 commands opens 1,000 savepoints.
        db_.prepare(depth_ == 1 ? std::string("BEGIN IMMEDIATE")
                                : "SAVEPOINT sp" + std::to_string(depth_))
            .run();
    } catch (...) {
        --db_.depth_;
        throw;
    }
}

void Transaction::commit() {
    db_.prepare(depth_ == 1 ? std::string("COMMIT") : "RELEASE sp" + std::to_string(depth_)).run();
    done_ = true;
    --db_.depth_;
}

Transaction::~Transaction() {
    if (done_) return;
    // Never throws from a destructor: a failed rollback leaves SQLite to roll back on close.
    if (depth_ == 1) {
        db_.rollback();  // if even this fails, the next outermost Transaction retries it
    } else {
        const std::string sp = "sp" + std::to_string(depth_);
        const std::string sql = "ROLLBACK TO " + sp + "; RELEASE " + sp;
        sqlite3_exec(db_.handle(), sql.c_str(), nullptr, nullptr, nullptr);
    }
    --db_.depth_;
}

}  // namespace leandesk::store

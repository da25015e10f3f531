#include "db_check.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace leandesk::faults {
namespace {

std::string hex(const unsigned char* p, int n) {
    static const char* const digits = "0123456789abcdef";
    std::string out = "x'";
    for (int i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out + "'";
}

}  // namespace

TempDir::TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ =
        (std::filesystem::temp_directory_path() /
         ("leandesk-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
            .string();
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void copy_database(const std::string& from, const std::string& to) {
    namespace fs = std::filesystem;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(to + suffix);
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

std::string dump(sqlite3* db) {
    std::ostringstream out;
    std::vector<std::string> tables;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name",
                           -1, &s, nullptr) != SQLITE_OK) {
        return std::string("dump failed: ") + sqlite3_errmsg(db);
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        out << "schema " << reinterpret_cast<const char*>(sqlite3_column_text(s, 1)) << "\n";
    }
    sqlite3_finalize(s);
    for (const auto& t : tables) {
        out << "## " << t << "\n";
        // First learn the column count, then order by every column: a total, stable order.
        std::string sql = "SELECT * FROM \"" + t + "\"";
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            return std::string("dump failed: ") + sqlite3_errmsg(db);
        }
        const int n = sqlite3_column_count(s);
        sqlite3_finalize(s);
        sql += " ORDER BY ";
        for (int c = 1; c <= n; ++c) sql += (c > 1 ? "," : "") + std::to_string(c);
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            return std::string("dump failed: ") + sqlite3_errmsg(db);
        }
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            for (int c = 0; c < n; ++c) {
                switch (sqlite3_column_type(s, c)) {
                    case SQLITE_NULL:
                        out << "NULL";
                        break;
                    case SQLITE_BLOB:
                        out << hex(static_cast<const unsigned char*>(sqlite3_column_blob(s, c)),
                                   sqlite3_column_bytes(s, c));
                        break;
                    default:
                        out << reinterpret_cast<const char*>(sqlite3_column_text(s, c));
                }
                out << '|';
            }
            out << '\n';
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) return std::string("dump failed: ") + sqlite3_errmsg(db);
    }
    return out.str();
}

std::string integrity(sqlite3* db) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) != SQLITE_OK) {
        return std::string("integrity_check failed to run: ") + sqlite3_errmsg(db);
    }
    std::string result;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (!result.empty()) result += "; ";
        result += reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return result;
}

SqlitePtr open_plain(const std::string& path, const char* vfs) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, vfs);
    SqlitePtr db(raw);
    if (rc != SQLITE_OK) {
        throw std::runtime_error("cannot open " + path + ": " +
                                 (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    return db;
}

void Checks::expect(bool ok, const std::string& what) {
    if (ok) {
        ++passed_;
        return;
    }
    ++failed_;
    if (failed_ <= 50) std::fprintf(stderr, "FAILED: %s\n", what.c_str());
}

int Checks::summary() const {
    std::printf("%d passed, %d failed\n", passed_, failed_);
    return failed_ == 0 ? 0 : 1;
}

}  // namespace leandesk::faults

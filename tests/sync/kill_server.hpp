// A real leandesk-server process for the kill tests (sync_kill_test.cpp): TLS material made with
// openssl, a config file rewritten before each start (so a start can turn the test-only push delay
// on or off), start, SIGKILL, accounts through the HTTP API, and read access to its database.
#pragma once

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "nlohmann/json.hpp"

namespace leandesk::killtest {

namespace fs = std::filesystem;
using Json = nlohmann::json;
inline const char* const kPassword = "correct horse battery";

class ServerProcess {
  public:
    explicit ServerProcess(fs::path dir) : dir_(std::move(dir)) {
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "mail");
        const std::string d = dir_.string();
        const std::string make =
            "cd " + d +
            " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
            "-subj '/CN=LeanDesk Kill Test CA' && openssl req -newkey rsa:2048 -nodes -keyout "
            "server.key -out server.csr -subj '/CN=localhost' && printf "
            "'subjectAltName=DNS:localhost\\n' > ext.cnf && openssl x509 -req -in server.csr -CA "
            "ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf";
        ok_ = std::system(("(" + make + ") >/dev/null 2>&1").c_str()) == 0;
        port_ = 20000 + (::getpid() * 7 + 13) % 20000;
    }
    ~ServerProcess() {
        kill(SIGKILL);
        fs::remove_all(dir_);
    }
    [[nodiscard]] bool ok() const { return ok_; }
    [[nodiscard]] const fs::path& dir() const { return dir_; }
    [[nodiscard]] std::string url() const { return "https://localhost:" + std::to_string(port_); }
    [[nodiscard]] std::string ca() const { return (dir_ / "ca.pem").string(); }
    [[nodiscard]] std::string database() const { return (dir_ / "server.db").string(); }

    /// Starts the server; `delay_ms` > 0 makes every push sleep at `phase` (test-only keys).
    /// Returns false when it does not answer its health check.
    bool start(int delay_ms = 0, const std::string& phase = "before_commit") {
        const std::string d = dir_.string();
        Json config{{"listen_address", "127.0.0.1"}, {"port", port_},
                    {"tls_cert", d + "/server.pem"}, {"tls_key", d + "/server.key"},
                    {"database", d + "/server.db"},  {"mail_pickup_dir", d + "/mail"},
                    {"password_opslimit", 1},        {"password_memlimit", 8192},
                    {"requests_per_minute", 1000000}};
        if (delay_ms > 0) {
            config["test_push_delay_ms"] = delay_ms;
            config["test_push_delay_phase"] = phase;
        }
        std::ofstream(dir_ / "config.json") << config.dump();
        pid_ = ::fork();
        if (pid_ == 0) {
            const std::string log = (dir_ / "server.log").string();
            if (std::freopen(log.c_str(), "a", stderr) == nullptr) _exit(127);
            ::execl(LEANDESK_SERVER_BIN, "leandesk-server", "--config",
                    (dir_ / "config.json").c_str(), nullptr);
            _exit(127);
        }
        for (int i = 0; i < 200; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (std::system(
                    ("curl -s --cacert " + ca() + " " + url() + "/v1/health >/dev/null 2>&1")
                        .c_str()) == 0) {
                return true;
            }
        }
        return false;
    }

    void kill(int sig) {
        if (pid_ <= 0) return;
        ::kill(pid_, sig);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    /// How many times the server's log holds `event` (e.g. "test_push_delay").
    [[nodiscard]] int events(const std::string& event) const {
        std::ifstream in(dir_ / "server.log");
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            if (line.find("\"event\":\"" + event + "\"") != std::string::npos) ++n;
        }
        return n;
    }

    /// Waits until the log holds `event` more than `before` times; false after `seconds`.
    bool wait_event(const std::string& event, int before, int seconds) const {
        for (int i = 0; i < seconds * 20; ++i) {
            if (events(event) > before) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    /// Signs up and activates an account through the HTTP API.
    bool account(const std::string& email) {
        post("/v1/accounts",
             {{"email", email}, {"first_name", "F"}, {"last_name", "L"}, {"password", kPassword}});
        std::string code;
        for (const auto& f : fs::directory_iterator(dir_ / "mail")) {
            std::ifstream in(f.path());
            const std::string text{std::istreambuf_iterator<char>(in),
                                   std::istreambuf_iterator<char>()};
            if (text.find(email) == std::string::npos) continue;
            const auto at = text.find("\n    ");
            if (at == std::string::npos) continue;
            code = text.substr(at + 5, text.find_first_of("\r\n", at + 5) - at - 5);
        }
        if (code.empty()) return false;
        post("/v1/accounts/activate", {{"code", code}});
        return true;
    }

  private:
    void post(const std::string& path, const Json& body) {
        const std::string file = (dir_ / "body.json").string();
        std::ofstream(file) << body.dump();
        const std::string cmd = "curl -s --cacert " + ca() + " -X POST " + url() + path +
                                " --data-binary @" + file + " >/dev/null";
        (void)std::system(cmd.c_str());
    }

    fs::path dir_;
    bool ok_ = false;
    int port_ = 0;
    pid_t pid_ = -1;
};

/// One integer from a query on a database file (opened read-write: a killed writer's WAL is
/// recovered on open, as the app's next start would).
inline std::int64_t query_int(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    std::int64_t out = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW) {
            out = sqlite3_column_int64(s, 0);
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return out;
}

/// PRAGMA integrity_check's first line ("ok" when the file is sound).
inline std::string integrity(const std::string& path) {
    sqlite3* db = nullptr;
    std::string out = "cannot open";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW) {
            out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return out;
}

}  // namespace leandesk::killtest

// End to end: a real leandesk-server process on loopback over TLS (a CA and a certificate made at
// test time with openssl), replicas through the C API (HTTPS via libcurl).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "leandesk/leandesk.h"
#include "leandesk/sync.h"
#include "nlohmann/json.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
const char* const kPassword = "correct horse battery";
constexpr int kSessionMs = 3000;

std::string take(char* s) {
    std::string out = s == nullptr ? "" : s;
    ld_string_free(s);
    return out;
}

class E2E : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("leandesk-e2e-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir / "mail");
        const std::string d = dir.string();
        const std::string make =
            "cd " + d +
            " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
            "-subj '/CN=LeanDesk Test CA' && openssl req -x509 -newkey rsa:2048 -nodes -keyout "
            "other.key "
            "-out other.pem -days 2 -subj '/CN=Unknown CA' && openssl req -newkey rsa:2048 -nodes "
            "-keyout server.key -out server.csr -subj '/CN=localhost' && printf "
            "'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ext.cnf && openssl x509 -req -in "
            "server.csr "
            "-CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf";
        ASSERT_EQ(std::system((make + " >/dev/null 2>&1").c_str()), 0);
        port = 20000 + ::getpid() % 20000;
        std::ofstream(dir / "config.json") << Json{
            {"listen_address", "127.0.0.1"},
            {"port", port},
            {"tls_cert", d + "/server.pem"},
            {"tls_key", d + "/server.key"},
            {"database", d + "/server.db"},
            {"mail_pickup_dir", d + "/mail"},
            {"password_opslimit", 1},
            {"password_memlimit", 8192},
            {"session_lifetime_ms", session_ms()}}.dump();
        start_server();
    }
    void TearDown() override {
        stop_server();
        fs::remove_all(dir);
    }
    void start_server() {
        pid = ::fork();
        if (pid == 0) {
            const std::string log = (dir / "server.log").string();
            if (std::freopen(log.c_str(), "a", stderr) == nullptr) _exit(127);
            ::execl(LEANDESK_SERVER_BIN, "leandesk-server", "--config",
                    (dir / "config.json").c_str(), nullptr);
            _exit(127);
        }
        for (int i = 0; i < 100; ++i) {  // wait until it listens
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            const std::string cmd = "curl -s --cacert " + (dir / "ca.pem").string() +
                                    " https://localhost:" + std::to_string(port) +
                                    "/v1/health >/dev/null 2>&1";
            if (std::system(cmd.c_str()) == 0) return;
        }
        FAIL() << "the server did not start";
    }
    void stop_server(int sig = SIGTERM) {
        if (pid <= 0) return;
        ::kill(pid, sig);
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
    }
    /// Short sessions only where the test waits for one to expire: elsewhere a slow machine
    /// must not see sessions end mid-test.
    static int session_ms() {
        const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        return name.find("Expired") != std::string::npos ? kSessionMs : 3600 * 1000;
    }
    std::string url() const { return "https://localhost:" + std::to_string(port); }
    std::string post(const std::string& path, const Json& body) {
        const std::string file = (dir / "body.json").string();
        std::ofstream(file) << body.dump();
        const std::string cmd = "curl -s --cacert " + (dir / "ca.pem").string() + " -X POST " +
                                url() + path + " --data-binary @" + file + " > " +
                                (dir / "reply.json").string();
        EXPECT_EQ(std::system(cmd.c_str()), 0);
        std::ifstream in(dir / "reply.json");
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    /// Signs up and activates through the HTTP API (the code comes from the pickup directory).
    void account(const std::string& email) {
        post("/v1/accounts",
             {{"email", email}, {"first_name", "F"}, {"last_name", "L"}, {"password", kPassword}});
        std::string code;
        for (const auto& f : fs::directory_iterator(dir / "mail")) {
            std::ifstream in(f.path());
            std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            if (text.find(email) == std::string::npos) continue;
            const auto at = text.find("\n    ");
            code = text.substr(at + 5, text.find_first_of("\r\n", at + 5) - at - 5);
        }
        ASSERT_FALSE(code.empty());
        post("/v1/accounts/activate", {{"code", code}});
    }
    struct Replica {
        ld_db* db = nullptr;
        ld_session* s = nullptr;
        ~Replica() {
            ld_session_free(s);
            ld_db_close(db);
        }
        Json run(const char* command, const Json& args) {
            char* out = nullptr;
            const int rc = ld_session_execute(&out, s, command, args.dump().c_str());
            EXPECT_EQ(rc, LD_OK) << command << ": " << ld_last_error();
            return Json::parse(take(out));
        }
    };
    std::unique_ptr<Replica> replica(const std::string& email, const std::string& ca,
                                     const std::string& file = "") {
        auto r = std::make_unique<Replica>();
        const std::string path = (dir / (file.empty() ? email + ".db" : file)).string();
        EXPECT_EQ(ld_sync_open(&r->db, path.c_str(),
                               R"({"password_opslimit":1,"password_memlimit":8192})", url().c_str(),
                               ca.c_str(), nullptr),
                  LD_OK)
            << ld_last_error();
        const int rc = ld_sync_sign_in(&r->s, r->db, email.c_str(), kPassword);
        EXPECT_EQ(rc, LD_OK) << ld_last_error();
        return r;
    }

    fs::path dir;
    int port = 0;
    pid_t pid = -1;
};

TEST_F(E2E, ConflictsAndAServerRestartOverTls) {
    account("ann@example.com");
    account("bob@example.com");
    const std::string ca = (dir / "ca.pem").string();
    auto ann = replica("ann@example.com", ca);
    auto bob = replica("bob@example.com", ca);
    const Json g = ann->run("create_group", {{"input", {{"name", "Plant"}}}});
    ann->run("add_member", {{"group_id", g["id"]}, {"email", "bob@example.com"}});
    const Json p =
        ann->run("create_project", {{"input", {{"group_id", g["id"]}, {"name", "Scrap"}}}});
    ASSERT_EQ(ld_sync_now(ann->db, nullptr, nullptr), LD_OK) << ld_last_error();
    const Json bob_id = Json::parse(take([&] {
        char* o = nullptr;
        ld_session_info(&o, bob->s);
        return o;
    }()))["user_id"];
    ann->run("add_participant", {{"project_id", p["id"]}, {"user_id", bob_id}});
    const Json a =
        ann->run("create_action", {{"input", {{"project_id", p["id"]}, {"title", "Measure"}}}});
    ASSERT_EQ(ld_sync_now(ann->db, nullptr, nullptr), LD_OK) << ld_last_error();
    ASSERT_EQ(ld_sync_now(bob->db, nullptr, nullptr), LD_OK) << ld_last_error();

    // Different fields both survive; the same field takes the later edit.
    ann->run("update_action", {{"action_id", a["id"]}, {"patch", {{"title", "Ann's"}}}});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    bob->run("update_action",
             {{"action_id", a["id"]}, {"patch", {{"title", "Bob's"}, {"progress", 30}}}});
    ASSERT_EQ(ld_sync_now(bob->db, nullptr, nullptr), LD_OK);
    ASSERT_EQ(ld_sync_now(ann->db, nullptr, nullptr), LD_OK);
    for (auto* r : {ann.get(), bob.get()}) {
        ASSERT_EQ(ld_sync_now(r->db, nullptr, nullptr), LD_OK);
        const Json got = r->run("get_action", {{"action_id", a["id"]}})["action"];
        EXPECT_EQ(got["title"], "Bob's");
        EXPECT_EQ(got["progress"], 30);
    }

    // The server killed (SIGKILL) and restarted: queued commands survive, none is applied twice.
    for (int i = 0; i < 20; ++i) {
        bob->run("add_comment",
                 {{"action_id", a["id"]}, {"input", {{"body", "c" + std::to_string(i)}}}});
    }
    stop_server(SIGKILL);
    EXPECT_EQ(ld_sync_now(bob->db, nullptr, nullptr), LD_ENETWORK);
    char* status = nullptr;
    ASSERT_EQ(ld_sync_status(&status, bob->db), LD_OK);
    EXPECT_EQ(Json::parse(take(status))["pending"], 20);
    start_server();
    ASSERT_EQ(ld_sync_now(bob->db, nullptr, nullptr), LD_OK) << ld_last_error();
    ASSERT_EQ(ld_sync_now(bob->db, nullptr, nullptr), LD_OK);
    ASSERT_EQ(ld_sync_now(ann->db, nullptr, nullptr), LD_OK);
    EXPECT_EQ(ann->run("get_action", {{"action_id", a["id"]}})["comments"].size(), 20U);
}

TEST_F(E2E, AnExpiredSessionFailsAndSigningInAgainKeepsTheOutbox) {
    account("ann@example.com");
    const std::string ca = (dir / "ca.pem").string();
    auto ann = replica("ann@example.com", ca);
    const Json g = ann->run("create_group", {{"input", {{"name", "Plant"}}}});
    ASSERT_EQ(ld_sync_now(ann->db, nullptr, nullptr), LD_OK) << ld_last_error();
    std::this_thread::sleep_for(std::chrono::milliseconds(kSessionMs + 500));
    ann->run("update_group", {{"group_id", g["id"]}, {"patch", {{"name", "Plant 2"}}}});
    EXPECT_EQ(ld_sync_now(ann->db, nullptr, nullptr), LD_ESESSION) << ld_last_error();
    char* status = nullptr;
    ASSERT_EQ(ld_sync_status(&status, ann->db), LD_OK);
    const Json st = Json::parse(take(status));
    EXPECT_EQ(st["pending"], 1);
    EXPECT_EQ(st["last_error"]["code"], LD_ESESSION);
    ld_session_free(ann->s);
    ann->s = nullptr;
    ASSERT_EQ(ld_sync_sign_in(&ann->s, ann->db, "ann@example.com", kPassword), LD_OK);
    ASSERT_EQ(ld_sync_now(ann->db, nullptr, nullptr), LD_OK) << ld_last_error();
    // A second device of hers gets the edit from the server.
    auto again = replica("ann@example.com", ca, "second-device.db");
    ASSERT_EQ(ld_sync_now(again->db, nullptr, nullptr), LD_OK) << ld_last_error();
    EXPECT_EQ(again->run("get_group", {{"group_id", g["id"]}})["name"], "Plant 2");
}

TEST_F(E2E, AServerCertificateFromAnUnknownCaIsRefused) {
    account("cat@example.com");
    ld_db* db = nullptr;
    const std::string path = (dir / "cat.db").string();
    ASSERT_EQ(ld_sync_open(&db, path.c_str(), nullptr, url().c_str(), (dir / "other.pem").c_str(),
                           nullptr),
              LD_OK);
    ld_session* s = nullptr;
    EXPECT_EQ(ld_sync_sign_in(&s, db, "cat@example.com", kPassword), LD_ENETWORK);
    EXPECT_NE(std::string(ld_last_error()).find("securely"), std::string::npos) << ld_last_error();
    EXPECT_EQ(s, nullptr);
    ld_db_close(db);
    // Plain HTTP is not even attempted.
    EXPECT_EQ(ld_sync_open(&db, path.c_str(), nullptr,
                           ("http://localhost:" + std::to_string(port)).c_str(), nullptr, nullptr),
              LD_EINVAL);
}

}  // namespace

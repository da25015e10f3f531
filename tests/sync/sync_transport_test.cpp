// The HTTPS transport against a scripted HTTPS server in the test process (cpp-httplib over
// OpenSSL, a CA and certificate made by openssl at test time): which answers are retried and for
// how long (a 429 on sign-in never, a Retry-After beyond the retry budget never), a cancel during a
// back-off, TLS 1.2 at least whatever the system's OpenSSL policy, and the replica's files made
// 0600. Retries are counted through an injected sleep and the server's request counts, never timed.
//
// main() restarts the test with OPENSSL_CONF pointing at a permissive configuration (TLS 1.0 and
// security level 0 allowed), so that a refused TLS 1.0/1.1 handshake is the transport's own doing
// and not the system's default policy.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/ssl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "leandesk/leandesk.h"
#include "leandesk/sync.h"
#include "sync/http_transport.hpp"

namespace {

namespace fs = std::filesystem;
using leandesk::Errc;
using leandesk::Error;
using leandesk::Json;
using leandesk::Millis;
using leandesk::sync::HttpOptions;
using leandesk::sync::HttpTransport;
using leandesk::sync::RetryLater;

fs::path g_dir;  // certificates, replicas; made by main()

/// A CA and a certificate for localhost / 127.0.0.1 signed by it.
bool make_certificates(const fs::path& dir) {
    const std::string make =
        "(cd " + dir.string() +
        " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj '/CN=LeanDesk Transport Test CA' && openssl req -newkey rsa:2048 -nodes "
        "-keyout server.key -out server.csr -subj '/CN=localhost' && printf "
        "'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ext.cnf && openssl x509 -req -in "
        "server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
        "-extfile ext.cnf)";
    return std::system((make + " >/dev/null 2>&1").c_str()) == 0;
}

/// The user a scripted sign-in answers with (the 12 person fields of protocol.md).
Json sign_in_answer() {
    return Json{
        {"token", "server-token-1"},
        {"user", Json::array({"0190a000-0000-7000-8000-000000000001", "ann@example.com", "Ann",
                              "Lee", nullptr, "none", 1700000000000, 0, 1700000000000, 0, 1, 1})}};
}

Json error_body(int code, const std::string& name, const std::string& message) {
    return Json{{"error", {{"code", code}, {"name", name}, {"message", message}}}};
}

/// An HTTPS server on 127.0.0.1 answering each route with a scripted handler, counting requests.
/// `max_tls`: the newest TLS version it speaks (0: OpenSSL's default).
class ScriptedServer {
  public:
    using Handler = std::function<void(httplib::Response&)>;

    explicit ScriptedServer(int max_tls = 0)
        : server_([max_tls](SSL_CTX& ctx) {
              const std::string cert = (g_dir / "server.pem").string();
              const std::string key = (g_dir / "server.key").string();
              if (SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1 ||
                  SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
                  return false;
              }
              if (max_tls != 0) {
                  // Old protocols need security level 0 in OpenSSL 3 (SHA-1 in the handshake).
                  SSL_CTX_set_security_level(&ctx, 0);
                  SSL_CTX_set_cipher_list(&ctx, "DEFAULT:@SECLEVEL=0");
                  SSL_CTX_set_min_proto_version(&ctx, TLS1_VERSION);
                  SSL_CTX_set_max_proto_version(&ctx, max_tls);
              }
              return true;
          }) {}

    ~ScriptedServer() { stop(); }
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    void on(const std::string& path, Handler handler) {
        server_.Post(path, [this, path, handler](const httplib::Request&, httplib::Response& res) {
            {
                std::lock_guard lock(mutex_);
                ++counts_[path];
            }
            handler(res);
        });
    }
    void start() {
        ASSERT_TRUE(server_.is_valid());
        port_ = server_.bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // The socket listens already; wait for the loop, so that stop() finds it running.
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    void stop() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    int count(const std::string& path) {
        std::lock_guard lock(mutex_);
        return counts_[path];
    }
    std::string url() const { return "https://localhost:" + std::to_string(port_); }

  private:
    httplib::SSLServer server_;
    std::thread thread_;
    int port_ = 0;
    std::mutex mutex_;
    std::map<std::string, int> counts_;
};

void answer(httplib::Response& res, int status, const Json& body, long retry_after_s = -1) {
    res.status = status;
    if (retry_after_s >= 0) res.set_header("Retry-After", std::to_string(retry_after_s));
    res.set_content(body.dump(), "application/json");
}

/// A transport to `server` whose sleeps are recorded, never slept.
struct Client {
    std::vector<Millis> sleeps;
    std::function<void()> during_sleep;
    std::atomic<bool> cancel{false};
    std::unique_ptr<HttpTransport> transport;

    explicit Client(const ScriptedServer& server) {
        HttpOptions o;
        o.base_url = server.url();
        o.ca_file = (g_dir / "ca.pem").string();
        o.sleep = [this](Millis ms) {
            sleeps.push_back(ms);
            if (during_sleep) during_sleep();
        };
        o.cancelled = [this] { return cancel.load(); };
        transport = std::make_unique<HttpTransport>(std::move(o));
    }
};

std::string take(char* s) {
    std::string out = s == nullptr ? "" : s;
    ld_string_free(s);
    return out;
}

/// A fresh database path for one test.
std::string db_path(const std::string& name) {
    const fs::path p = g_dir / (name + ".db");
    for (const char* suffix : {"", "-wal", "-shm", ".sync-key"}) fs::remove(p.string() + suffix);
    return p.string();
}

// ---- Retries ------------------------------------------------------------------------------------

TEST(Transport, ARateLimitedSignInReturnsAtOnceWithTheTimeToWait) {
    ScriptedServer server;
    server.on("/v1/sessions", [](httplib::Response& res) {
        answer(
            res, 429,
            error_body(-12, "rate limited", "too many failed sign-ins; try again in a few minutes"),
            60);
    });
    server.start();
    Client client(server);
    try {
        client.transport->sign_in("ann@example.com", "wrong");
        FAIL() << "a rate-limited sign-in succeeded";
    } catch (const RetryLater& e) {
        EXPECT_EQ(e.code(), Errc::rate_limited);
        EXPECT_EQ(e.retry_after_ms(), 60000);
        EXPECT_EQ(std::string(e.what()),
                  "too many failed sign-ins; try again in a few minutes (retry after 60 s)");
    } catch (const Error& e) {
        ADD_FAILURE() << "not a RetryLater: " << e.what();
    }
    EXPECT_EQ(server.count("/v1/sessions"), 1);  // one round trip
    EXPECT_TRUE(client.sleeps.empty());
}

TEST(Transport, ARetryAfterBeyondTheRetryBudgetIsNotWaitedFor) {
    ScriptedServer server;
    server.on("/v1/sync/pull", [](httplib::Response& res) {
        answer(res, 429, error_body(-12, "rate limited", "too many requests; slow down"), 3600);
    });
    server.start();
    Client client(server);
    try {
        client.transport->pull("token", Json::object());
        FAIL() << "a refused pull succeeded";
    } catch (const RetryLater& e) {
        EXPECT_EQ(e.code(), Errc::rate_limited);
        EXPECT_EQ(e.retry_after_ms(), 3600 * 1000);
    }
    EXPECT_EQ(server.count("/v1/sync/pull"), 1);
    EXPECT_TRUE(client.sleeps.empty());
}

TEST(Transport, TransientAnswersAreRetriedWithinTheBudgetHonouringRetryAfter) {
    ScriptedServer server;
    std::atomic<int> calls{0};
    server.on("/v1/sync/pull", [&](httplib::Response& res) {
        if (++calls <= 2) {
            answer(res, 503, error_body(-10, "busy", "the server is busy"), 2);
        } else {
            answer(res, 200, Json{{"more", false}});
        }
    });
    server.start();
    Client client(server);
    const Json page = client.transport->pull("token", Json::object());
    EXPECT_EQ(page, (Json{{"more", false}}));
    EXPECT_EQ(server.count("/v1/sync/pull"), 3);
    ASSERT_EQ(client.sleeps.size(), 2U);
    for (const Millis s : client.sleeps) EXPECT_GE(s, 2000);
}

TEST(Transport, TheRetryBudgetBoundsTheWaitsOfOneRequest) {
    ScriptedServer server;
    server.on("/v1/sync/pull", [](httplib::Response& res) {
        answer(res, 503, error_body(-10, "busy", "the server is busy"), 12);
    });
    server.start();
    Client client(server);
    try {
        client.transport->pull("token", Json::object());
        FAIL() << "a refused pull succeeded";
    } catch (const RetryLater& e) {
        EXPECT_EQ(e.code(), Errc::busy);
        EXPECT_EQ(e.retry_after_ms(), 12000);
    }
    // 12 s + 12 s fit in the 30 s budget, a third 12 s does not.
    EXPECT_EQ(server.count("/v1/sync/pull"), 3);
    EXPECT_EQ(client.sleeps.size(), 2U);
}

TEST(Transport, ACancelDuringABackOffStopsTheRequest) {
    ScriptedServer server;
    server.on("/v1/sync/pull", [](httplib::Response& res) {
        answer(res, 503, error_body(-10, "busy", "the server is busy"), 1);
    });
    server.start();
    Client client(server);
    client.during_sleep = [&] { client.cancel = true; };
    try {
        client.transport->pull("token", Json::object());
        FAIL() << "a cancelled pull succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::cancelled) << e.what();
    }
    EXPECT_EQ(server.count("/v1/sync/pull"), 1);  // no attempt after the cancel
    EXPECT_EQ(client.sleeps.size(), 1U);
}

// ---- Through the C API --------------------------------------------------------------------------

struct Replica {
    ld_db* db = nullptr;
    ld_session* s = nullptr;
    ~Replica() {
        ld_session_free(s);
        ld_db_close(db);
    }
};

void open_replica(Replica& r, const std::string& path, const ScriptedServer& server) {
    const std::string ca = (g_dir / "ca.pem").string();
    ASSERT_EQ(ld_sync_open(&r.db, path.c_str(), nullptr, server.url().c_str(), ca.c_str(), nullptr),
              LD_OK)
        << ld_last_error();
}

TEST(TransportCApi, ARateLimitedSignInReturnsAtOnceWithTheTimeToWait) {
    ScriptedServer server;
    server.on("/v1/sessions", [](httplib::Response& res) {
        answer(
            res, 429,
            error_body(-12, "rate limited", "too many failed sign-ins; try again in a few minutes"),
            60);
    });
    server.start();
    Replica r;
    open_replica(r, db_path("rate-limited"), server);
    ASSERT_EQ(ld_sync_sign_in(&r.s, r.db, "ann@example.com", "wrong"), LD_ERATELIMIT);
    EXPECT_EQ(ld_last_error_retry_after_ms(), 60000);
    EXPECT_EQ(std::string(ld_last_error()),
              "too many failed sign-ins; try again in a few minutes (retry after 60 s)");
    EXPECT_EQ(server.count("/v1/sessions"), 1);
    // The next call's outcome replaces it.
    char* status = nullptr;
    ASSERT_EQ(ld_sync_status(&status, r.db), LD_OK);
    take(status);
    EXPECT_EQ(ld_last_error_retry_after_ms(), -1);
}

TEST(TransportCApi, ACancelDuringABackOffEndsSyncNowWithoutAnotherAttempt) {
    ScriptedServer server;
    Replica r;
    std::thread canceller;
    server.on("/v1/sessions", [](httplib::Response& res) { answer(res, 200, sign_in_answer()); });
    // Busy, come back in 20 s (within the retry budget, so the transport waits); the app
    // cancels once the transport has had the answer, as a user would while the sync waits.
    server.on("/v1/sync/pull", [&](httplib::Response& res) {
        answer(res, 503, error_body(-10, "busy", "the server is busy"), 20);
        if (canceller.joinable()) return;  // a second attempt: the test fails on the count below
        canceller = std::thread([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            ld_sync_cancel(r.db);
        });
    });
    server.start();
    open_replica(r, db_path("cancel"), server);
    ASSERT_EQ(ld_sync_sign_in(&r.s, r.db, "ann@example.com", "pw"), LD_OK) << ld_last_error();
    const int rc = ld_sync_now(r.db, nullptr, nullptr);
    if (canceller.joinable()) canceller.join();
    EXPECT_EQ(rc, LD_ECANCELLED) << ld_last_error();
    EXPECT_EQ(server.count("/v1/sync/pull"), 1);
}

TEST(TransportCApi, AStaleCancelDoesNotStopASignIn) {
    ScriptedServer server;
    std::atomic<int> calls{0};
    server.on("/v1/sessions", [&](httplib::Response& res) {
        if (++calls == 1) {
            answer(res, 503, error_body(-10, "busy", "the server is busy"), 0);
        } else {
            answer(res, 200, sign_in_answer());
        }
    });
    server.start();
    Replica r;
    open_replica(r, db_path("stale-cancel"), server);
    ASSERT_EQ(ld_sync_cancel(r.db), LD_OK);  // no sync runs: nothing to cancel
    ASSERT_EQ(ld_sync_sign_in(&r.s, r.db, "ann@example.com", "pw"), LD_OK) << ld_last_error();
    EXPECT_EQ(server.count("/v1/sessions"), 2);
}

// ---- TLS versions -------------------------------------------------------------------------------

int sign_in_over(int max_tls, int* requests) {
    ScriptedServer server(max_tls);
    server.on("/v1/sessions", [](httplib::Response& res) { answer(res, 200, sign_in_answer()); });
    server.start();
    Replica r;
    open_replica(r, db_path("tls-" + std::to_string(max_tls)), server);
    const int rc = ld_sync_sign_in(&r.s, r.db, "ann@example.com", "pw");
    *requests = server.count("/v1/sessions");
    return rc;
}

TEST(TransportTls, AServerSpeakingAtMostTls11IsRefused) {
    int requests = 0;
    EXPECT_EQ(sign_in_over(TLS1_1_VERSION, &requests), LD_ENETWORK);
    EXPECT_NE(std::string(ld_last_error()).find("securely"), std::string::npos) << ld_last_error();
    EXPECT_EQ(requests, 0);
}

TEST(TransportTls, AServerSpeakingAtMostTls10IsRefused) {
    int requests = 0;
    EXPECT_EQ(sign_in_over(TLS1_VERSION, &requests), LD_ENETWORK);
    EXPECT_EQ(requests, 0);
}

TEST(TransportTls, AServerSpeakingTls12IsAccepted) {
    int requests = 0;
    EXPECT_EQ(sign_in_over(TLS1_2_VERSION, &requests), LD_OK) << ld_last_error();
    EXPECT_EQ(requests, 1);
}

// The permissive OPENSSL_CONF is in effect in this process: libcurl left to its defaults speaks
// TLS 1.1 to the same server, so the refusals above are the transport's own doing.
TEST(TransportTls, ThisProcessWouldSpeakTls11WithoutTheTransportsMinimum) {
    ScriptedServer server(TLS1_1_VERSION);
    server.on("/v1/sessions", [](httplib::Response& res) { answer(res, 200, sign_in_answer()); });
    server.start();
    CURL* c = curl_easy_init();
    ASSERT_NE(c, nullptr);
    const std::string url = server.url() + "/v1/sessions";
    const std::string ca = (g_dir / "ca.pem").string();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{}");
    curl_easy_setopt(
        c, CURLOPT_WRITEFUNCTION,
        +[](char*, std::size_t size, std::size_t n, void*) { return size * n; });
    const CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
    EXPECT_EQ(server.count("/v1/sessions"), 1);
}

// ---- Files --------------------------------------------------------------------------------------

TEST(TransportFiles, AReplicasFilesAreMadeOwnerOnlyWhateverTheUmask) {
    ScriptedServer server;
    server.on("/v1/sessions", [](httplib::Response& res) { answer(res, 200, sign_in_answer()); });
    server.start();
    const mode_t old = ::umask(022);
    const std::string path = db_path("modes");
    {
        Replica r;
        open_replica(r, path, server);
        ASSERT_EQ(ld_sync_sign_in(&r.s, r.db, "ann@example.com", "pw"), LD_OK) << ld_last_error();
        for (const char* suffix : {"", "-wal", "-shm", ".sync-key"}) {
            struct stat st {};
            ASSERT_EQ(::stat((path + suffix).c_str(), &st), 0) << suffix;
            EXPECT_EQ(st.st_mode & 0777, 0600U) << path << suffix;
        }
    }
    ::umask(old);
}

}  // namespace

int main(int argc, char** argv) {
    g_dir = fs::temp_directory_path() / ("leandesk-transport-" + std::to_string(::getpid()));
    // OpenSSL reads its configuration once, possibly before main() (a library's constructor):
    // the permissive one is put in place and the test started again with it (same pid, same
    // directory) before anything else.
    const fs::path conf = g_dir / "openssl-legacy.cnf";
    const char* current = std::getenv("OPENSSL_CONF");
    if (current == nullptr || conf.string() != current) {
        fs::remove_all(g_dir);
        fs::create_directories(g_dir);
        std::ofstream(conf) << "openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n"
                               "[ssl_sect]\nsystem_default = system_default_sect\n"
                               "[system_default_sect]\nMinProtocol = TLSv1\n"
                               "CipherString = DEFAULT:@SECLEVEL=0\n";
        ::setenv("OPENSSL_CONF", conf.c_str(), 1);
        ::execv("/proc/self/exe", argv);
        std::perror("cannot restart the test with its OpenSSL configuration");
        return 1;
    }
    ::testing::InitGoogleTest(&argc, argv);
    int rc = 1;
    if (::testing::GTEST_FLAG(list_tests)) {
        rc = RUN_ALL_TESTS();  // test discovery
    } else if (!make_certificates(g_dir)) {
        std::fprintf(stderr, "cannot make the test certificates with openssl\n");
    } else {
        rc = RUN_ALL_TESTS();
    }
    fs::remove_all(g_dir);
    return rc;
}

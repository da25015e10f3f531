// leandesk-server under many connections (not a test; figures go to docs/performance.md and
// docs/server.md). Against the real binary over loopback TLS:
//   1. N idle TLS connections opened and held (handshake done, no request): the server's RSS
//      per idle connection;
//   2. while they are held, T slow-trickle connections (one header byte a second each, reopened
//      when the server cuts them at the header deadline): health checks on new connections and a
//      replica's syncs, with their p50/p99;
//   3. K replicas (1, then each --replicas value) each pushing 200 queued commands at the same
//      moment: commands/s, per-replica sync latency p50/p99/max, the server's CPU use.
// Smoke mode (default; the bench suite runs it): 200 idle, 20 trickling, K = 1 and 5.
// Full mode (LEANDESK_BENCH_FULL=1): 10,000 idle, 200 trickling, K = 1, 50 and 500.
//   server_connections_bench [--idle N] [--trickle T] [--replicas 50,500] [--health S]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.hpp"
#include "sync/http_transport.hpp"
#include "sync/replica.hpp"

using namespace leandesk;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

namespace {

const char* const kPassword = "correct horse battery";

double ms_since(Steady::time_point t) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

long proc_status_kib(pid_t pid, const char* key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::string(key).size()));
    }
    return -1;
}

/// The server's user + system CPU time so far, in seconds.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> f; ++i) {
        if (i == 14) utime = std::stol(f);
        if (i == 15) {
            stime = std::stol(f);
            break;
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void raise_nofile() {
    rlimit l{};
    getrlimit(RLIMIT_NOFILE, &l);
    l.rlim_cur = l.rlim_max;
    setrlimit(RLIMIT_NOFILE, &l);
}

struct Tls {
    int fd = -1;
    SSL* ssl = nullptr;
    Tls() = default;
    Tls(const Tls&) = delete;
    Tls& operator=(const Tls&) = delete;
    Tls(Tls&& o) noexcept : fd(o.fd), ssl(o.ssl) {
        o.fd = -1;
        o.ssl = nullptr;
    }
    Tls& operator=(Tls&& o) noexcept {
        std::swap(fd, o.fd);
        std::swap(ssl, o.ssl);
        return *this;
    }
    ~Tls() {
        if (ssl != nullptr) SSL_free(ssl);
        if (fd >= 0) ::close(fd);
    }
    bool ok() const { return ssl != nullptr; }
};

Tls tls_connect(SSL_CTX* ctx, int port) {
    Tls t;
    t.fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (t.fd < 0) return t;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(t.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return t;
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, t.fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (SSL_connect(ssl) != 1) {
        SSL_free(ssl);
        return t;
    }
    t.ssl = ssl;
    return t;
}

/// One health check on a new connection (handshake included): its time in ms, or -1.
double health_check(SSL_CTX* ctx, int port) {
    const auto t0 = Steady::now();
    Tls t = tls_connect(ctx, port);
    if (!t.ok()) return -1;
    const std::string req =
        "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    if (SSL_write(t.ssl, req.data(), static_cast<int>(req.size())) <= 0) return -1;
    char buf[1024];
    std::string got;
    int n = 0;
    while ((n = SSL_read(t.ssl, buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    return got.rfind("HTTP/1.1 200", 0) == 0 ? ms_since(t0) : -1;
}

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    return {};
}

std::string sh(const std::string& cmd) {
    return std::system(cmd.c_str()) == 0 ? "ok" : "failed";
}

struct Bench {
    std::string dir, url, ca;
    std::vector<Id> projects;  // replica i works in projects[i], its own user's
    int port = 0;
    pid_t server = -1;
};

/// A replica of ann's, signed in and synced once.
struct ReplicaBox {
    std::unique_ptr<Engine> db;
    std::unique_ptr<sync::Replica> replica;
    Actor actor = Actor::user("");
};

ReplicaBox make_replica(const Bench& b, std::size_t i) {
    ReplicaBox r;
    EngineOptions o(b.dir + "/replica" + std::to_string(i) + ".db");
    o.password_params = auth::PasswordParams::fastest_for_tests();
    r.db = std::make_unique<Engine>(std::move(o));
    sync::Replica::attach(*r.db, {b.url, b.ca, ""});
    sync::HttpOptions http;
    http.base_url = b.url;
    http.ca_file = b.ca;
    r.replica = std::make_unique<sync::Replica>(*r.db, std::make_shared<sync::HttpTransport>(http));
    const Session s = r.replica->sign_in("user" + std::to_string(i) + "@example.com", kPassword);
    r.actor = Actor::user(s.user_id);
    r.replica->sync_now();
    return r;
}

void queue_commands(ReplicaBox& r, const Id& project, int n, const std::string& tag) {
    r.db->batch([&] {
        for (int j = 0; j < n; ++j) {
            r.db->create_action(r.actor,
                                {{"project_id", project}, {"title", tag + std::to_string(j)}});
        }
    });
}

/// K replicas push 200 queued commands each at the same moment.
Json concurrent_push(Bench& b, std::vector<ReplicaBox>& replicas, std::size_t k) {
    constexpr int kCommands = 200;
    for (std::size_t i = 0; i < k; ++i) queue_commands(replicas[i], b.projects[i], kCommands, "c");
    std::vector<double> latency(k, 0);
    std::atomic<int> failures{0};
    std::barrier start(static_cast<std::ptrdiff_t>(k) + 1);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < k; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            const auto t0 = Steady::now();
            try {
                replicas[i].replica->sync_now();
            } catch (const std::exception& e) {
                ++failures;
                std::fprintf(stderr, "replica %zu: %s\n", i, e.what());
            }
            latency[i] = ms_since(t0);
        });
    }
    const double cpu0 = cpu_seconds(b.server);
    const auto t0 = Steady::now();
    start.arrive_and_wait();
    for (auto& t : threads) t.join();
    const double wall_s = ms_since(t0) / 1000;
    const double cpu_s = cpu_seconds(b.server) - cpu0;
    return Json{{"replicas", k},
                {"commands", k * kCommands},
                {"failures", failures.load()},
                {"wall_s", wall_s},
                {"commands_per_s", static_cast<double>(k * kCommands) / wall_s},
                {"sync_ms_p50", percentile(latency, 0.5)},
                {"sync_ms_p99", percentile(latency, 0.99)},
                {"sync_ms_max", percentile(latency, 1.0)},
                {"server_cpu_s", cpu_s},
                {"server_cpu_share_of_2_cores", cpu_s / wall_s / 2}};
}

}  // namespace

int main(int argc, char** argv) {
    const bool full = std::getenv("LEANDESK_BENCH_FULL") != nullptr;
    int idle = full ? 10000 : 200;
    int trickle = full ? 200 : 20;
    int health_samples = full ? 300 : 40;
    std::vector<std::size_t> ks =
        full ? std::vector<std::size_t>{50, 500} : std::vector<std::size_t>{5};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--idle") idle = std::stoi(argv[i + 1]);
        if (a == "--trickle") trickle = std::stoi(argv[i + 1]);
        if (a == "--health") health_samples = std::stoi(argv[i + 1]);
        if (a == "--replicas") {
            ks.clear();
            std::stringstream list(argv[i + 1]);
            for (std::string item; std::getline(list, item, ',');) ks.push_back(std::stoul(item));
        }
    }
    ::signal(SIGPIPE, SIG_IGN);
    raise_nofile();
    Bench b;
    b.dir = (fs::temp_directory_path() / ("leandesk-conn-bench-" + std::to_string(::getpid())))
                .string();
    fs::remove_all(b.dir);
    fs::create_directories(b.dir);
    b.ca = b.dir + "/server.pem";
    if (sh("cd " + b.dir +
           " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
           "-keyout server.key -out server.pem -days 2 -subj /CN=localhost -addext "
           "subjectAltName=DNS:localhost >/dev/null 2>&1") != "ok")
        return 1;
    {
        auto mail = std::make_shared<RecordingMailSender>();
        EngineOptions o(b.dir + "/server.db");
        o.mail = mail;
        o.password_params = auth::PasswordParams::fastest_for_tests();
        Engine server(std::move(o));
        // One user with a group and a project per replica: a replica pulls back its own
        // commands only, so the figures are the server's, not K replicas applying each other's.
        std::size_t users = 1;
        for (auto k : ks) users = std::max(users, k);
        for (std::size_t i = 0; i < users; ++i) {
            const User u = server.sign_up({{"email", "user" + std::to_string(i) + "@example.com"},
                                           {"first_name", "Ann"},
                                           {"last_name", "Archer"},
                                           {"password", kPassword}});
            server.activate_account(code_in(mail->sent().back()));
            const Actor ann = Actor::user(u.id);
            const Id g = server.create_group(ann, {{"name", "Plant"}}).id;
            b.projects.push_back(
                server.create_project(ann, {{"group_id", g}, {"name", "Bench"}}).id);
        }
        server.checkpoint();
    }
    {
        const int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
        b.port = ntohs(a.sin_port);
        ::close(s);
    }
    b.url = "https://localhost:" + std::to_string(b.port);
    // The defaults but for what a benchmark from one address needs: the caps and the rate limit
    // (every connection comes from 127.0.0.1) and a long idle deadline (the idle connections are
    // the load).
    std::ofstream(b.dir + "/config.json") << Json{
        {"listen_address", "127.0.0.1"},
        {"port", b.port},
        {"tls_cert", b.dir + "/server.pem"},
        {"tls_key", b.dir + "/server.key"},
        {"database", b.dir + "/server.db"},
        {"password_opslimit", 1},
        {"password_memlimit", 8192},
        {"log_level", "info"},
        {"requests_per_minute", 1000000},
        {"max_connections", 20000},
        {"max_connections_per_address", 20000},
        {"max_queued_requests", 2048},
        {"idle_timeout_ms", 3600000}}.dump();
    b.server = ::fork();
    if (b.server == 0) {
        const int log = ::open((b.dir + "/server.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (log >= 0) ::dup2(log, 2);
        ::execl(LEANDESK_SERVER_BIN, "leandesk-server", "--config",
                (b.dir + "/config.json").c_str(), nullptr);
        _exit(127);
    }
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, b.ca.c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    bool up = false;
    for (int i = 0; i < 200 && !up; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        up = health_check(ctx, b.port) >= 0;
    }
    int rc = up ? 0 : 1;
    if (up) {
        Json report{{"mode", full ? "full" : "smoke"}};
        // 1. Idle connections.
        for (int i = 0; i < 20; ++i) health_check(ctx, b.port);  // warm
        const long rss_before = proc_status_kib(b.server, "VmRSS:");
        std::vector<Tls> held;
        held.reserve(static_cast<std::size_t>(idle));
        const auto t_idle = Steady::now();
        for (int i = 0; i < idle; ++i) {
            Tls t = tls_connect(ctx, b.port);
            if (!t.ok()) break;
            held.push_back(std::move(t));
        }
        const double open_s = ms_since(t_idle) / 1000;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const long rss_idle = proc_status_kib(b.server, "VmRSS:");
        report["idle"] = Json{{"wanted", idle},
                              {"held", held.size()},
                              {"open_s", open_s},
                              {"server_rss_kib_before", rss_before},
                              {"server_rss_kib_with_idle", rss_idle},
                              {"server_kib_per_idle_connection",
                               held.empty() ? 0.0
                                            : static_cast<double>(rss_idle - rss_before) /
                                                  static_cast<double>(held.size())}};

        // 2. Trickling connections, health checks and a replica's syncs meanwhile.
        std::atomic<bool> trickling{true};
        std::atomic<long> trickle_reopened{0};
        std::thread trickler([&] {
            std::vector<Tls> slow;
            const auto open_one = [&] {
                Tls t = tls_connect(ctx, b.port);
                if (t.ok()) {
                    const std::string start = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-S: ";
                    SSL_write(t.ssl, start.data(), static_cast<int>(start.size()));
                }
                return t;
            };
            for (int i = 0; i < trickle; ++i) slow.push_back(open_one());
            while (trickling) {
                for (auto& t : slow) {
                    if (!t.ok() || SSL_write(t.ssl, "a", 1) <= 0) {
                        t = open_one();
                        ++trickle_reopened;
                    }
                }
                for (int i = 0; i < 10 && trickling; ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
        ReplicaBox probe = make_replica(b, 0);
        std::vector<double> health, syncs;
        int health_failed = 0;
        for (int i = 0; i < health_samples; ++i) {
            const double ms = health_check(ctx, b.port);
            if (ms < 0)
                ++health_failed;
            else
                health.push_back(ms);
            if (i % 5 == 0) {
                queue_commands(probe, b.projects[0], 5, "probe");
                const auto t0 = Steady::now();
                probe.replica->sync_now();
                syncs.push_back(ms_since(t0));
            }
        }
        report["under_idle_and_trickle"] = Json{{"trickling", trickle},
                                                {"health_checks", health.size()},
                                                {"health_failed", health_failed},
                                                {"health_ms_p50", percentile(health, 0.5)},
                                                {"health_ms_p99", percentile(health, 0.99)},
                                                {"syncs", syncs.size()},
                                                {"sync_ms_p50", percentile(syncs, 0.5)},
                                                {"sync_ms_p99", percentile(syncs, 0.99)}};
        trickling = false;
        trickler.join();
        report["under_idle_and_trickle"]["trickle_reopened_after_header_deadline"] =
            trickle_reopened.load();
        held.clear();

        // 3. Concurrent replicas pushing at the same moment.
        std::size_t most = 1;
        for (auto k : ks) most = std::max(most, k);
        std::vector<ReplicaBox> replicas;
        replicas.push_back(std::move(probe));
        for (std::size_t i = 1; i < most; ++i) replicas.push_back(make_replica(b, i));
        Json runs = Json::array();
        const Json single = concurrent_push(b, replicas, 1);
        runs.push_back(single);
        for (auto k : ks) {
            Json run = concurrent_push(b, replicas, k);
            run["ratio_to_single_commands_per_s"] =
                run["commands_per_s"].get<double>() / single["commands_per_s"].get<double>();
            runs.push_back(run);
        }
        report["concurrent_push"] = runs;
        report["server_peak_rss_kib"] = proc_status_kib(b.server, "VmHWM:");
        // The answers' statuses by route, from the server's request lines.
        Json statuses = Json::object();
        std::ifstream log(b.dir + "/server.log");
        for (std::string line; std::getline(log, line);) {
            const Json e = Json::parse(line, nullptr, false);
            if (!e.is_object() || e.value("event", "") != "request") continue;
            const std::string key =
                (e["route"].is_string() ? e["route"].get<std::string>() : std::string("none")) +
                " " + std::to_string(e.value("status", 0));
            statuses[key] = statuses.value(key, 0) + 1;
        }
        report["server_answers"] = statuses;
        std::printf("%s\n", report.dump(2).c_str());
        replicas.clear();
    }
    SSL_CTX_free(ctx);
    ::kill(b.server, SIGTERM);
    int status = 0;
    ::waitpid(b.server, &status, 0);
    fs::remove_all(b.dir);
    return rc;
}

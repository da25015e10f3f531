// Sync throughput (not a test; figures go to docs/performance.md): the initial download of a
// project of N actions into an empty replica over loopback HTTPS from a real leandesk-server, the
// replica's peak RSS during it, and pushing 10,000 queued commands.
//   leandesk_sync_bench --actions 100000 [--push 10000] [--dir /tmp/x]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "engine/engine.hpp"
#include "sync/http_transport.hpp"
#include "sync/replica.hpp"

using namespace leandesk;
namespace fs = std::filesystem;

namespace {

const char* const kPassword = "correct horse battery";

long peak_rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

void reset_peak_rss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    long actions = 10000;
    long to_push = 10000;
    fs::path dir =
        fs::temp_directory_path() / ("leandesk-sync-bench-" + std::to_string(::getpid()));
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--actions")
            actions = std::stol(argv[i + 1]);
        else if (a == "--push")
            to_push = std::stol(argv[i + 1]);
        else if (a == "--dir")
            dir = argv[i + 1];
    }
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string d = dir.string();
    const std::string certs =
        "cd " + d +
        " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj '/CN=Bench CA' && openssl req -newkey rsa:2048 -nodes -keyout server.key -out "
        "server.csr "
        "-subj '/CN=localhost' && printf 'subjectAltName=DNS:localhost\\n' > ext.cnf && openssl "
        "x509 "
        "-req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
        "-extfile ext.cnf >/dev/null 2>&1";
    if (std::system((certs + " >/dev/null 2>&1").c_str()) != 0) return 1;

    // The server's data, written before the server starts: one user, one project of N actions.
    Id project;
    {
        auto mail = std::make_shared<RecordingMailSender>();
        EngineOptions o(d + "/server.db");
        o.mail = mail;
        o.password_params = auth::PasswordParams::fastest_for_tests();
        Engine server(std::move(o));
        const User u = server.sign_up({{"email", "ann@example.com"},
                                       {"first_name", "Ann"},
                                       {"last_name", "Archer"},
                                       {"password", kPassword}});
        server.activate_account(code_in(mail->sent().back()));
        const Actor ann = Actor::user(u.id);
        const Id g = server.create_group(ann, {{"name", "Plant"}}).id;
        project = server.create_project(ann, {{"group_id", g}, {"name", "Big"}}).id;
        for (long done = 0; done < actions;) {
            server.batch([&] {
                for (int i = 0; i < 1000 && done < actions; ++i, ++done) {
                    server.create_action(
                        ann, {{"project_id", project},
                              {"title", "Action " + std::to_string(done)},
                              {"description", "Measure the scrap rate on line 2 every shift"},
                              {"priority", done % 4}});
                }
            });
        }
        server.checkpoint();
    }
    const int port = 30000 + ::getpid() % 20000;
    std::ofstream(dir / "config.json") << Json{
        {"listen_address", "127.0.0.1"}, {"port", port},
        {"tls_cert", d + "/server.pem"}, {"tls_key", d + "/server.key"},
        {"database", d + "/server.db"},  {"password_opslimit", 1},
        {"password_memlimit", 8192},     {"log_level", "warning"},
        {"requests_per_minute", 1000000}}.dump();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execl(LEANDESK_SERVER_BIN, "leandesk-server", "--config", (dir / "config.json").c_str(),
                nullptr);
        _exit(127);
    }
    const std::string url = "https://localhost:" + std::to_string(port);
    bool up = false;
    for (int i = 0; i < 200 && !up; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        up = std::system(("curl -s --cacert " + d + "/ca.pem " + url + "/v1/health >/dev/null 2>&1")
                             .c_str()) == 0;
    }
    int rc = up ? 0 : 1;
    if (up) {
        EngineOptions o(d + "/replica.db");
        o.password_params = auth::PasswordParams::fastest_for_tests();
        Engine replica_db(std::move(o));
        sync::Replica::attach(replica_db, {url, d + "/ca.pem", ""});
        sync::HttpOptions http;
        http.base_url = url;
        http.ca_file = d + "/ca.pem";
        sync::Replica replica(replica_db, std::make_shared<sync::HttpTransport>(http));
        const Session s = replica.sign_in("ann@example.com", kPassword);
        const Actor ann = Actor::user(s.user_id);
        reset_peak_rss();
        const long rss_before = peak_rss_kib();
        auto t0 = std::chrono::steady_clock::now();
        replica.sync_now();
        const double download_s = seconds_since(t0);
        const long rss_peak = peak_rss_kib();
        const auto got = replica_db.project_actions(ann, project).size();

        for (long i = 0; i < to_push; i += 1000) {
            replica_db.batch([&] {
                for (long j = i; j < i + 1000 && j < to_push; ++j) {
                    replica_db.create_action(
                        ann, {{"project_id", project}, {"title", "Queued " + std::to_string(j)}});
                }
            });
        }
        t0 = std::chrono::steady_clock::now();
        replica.sync_now();
        const double push_s = seconds_since(t0);
        std::printf("%s\n", Json{{"actions", actions},
                                 {"downloaded", got},
                                 {"download_s", download_s},
                                 {"download_actions_per_s", static_cast<double>(got) / download_s},
                                 {"replica_rss_kib_before", rss_before},
                                 {"replica_peak_rss_kib", rss_peak},
                                 {"pushed", to_push},
                                 {"push_and_pull_back_s", push_s},
                                 {"push_commands_per_s", static_cast<double>(to_push) / push_s}}
                                .dump(2)
                                .c_str());
    }
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    fs::remove_all(dir);
    return rc;
}

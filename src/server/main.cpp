// leandesk-server: the self-hostable sync server (docs/sync.md). Usage:
//   leandesk-server --config /etc/leandesk/server.json
// Stops cleanly on SIGTERM or SIGINT: no new connections, requests in flight finish, the database
// is closed (every acknowledged push was committed before its answer was sent).
#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "common/error.hpp"
#include "server/config.hpp"
#include "server/http_api.hpp"
#include "server/mail_setup.hpp"
#include "server/server_log.hpp"
#include "sync/authority.hpp"

using namespace leandesk;
using namespace leandesk::server;

namespace {

std::string read_secret_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::io, "cannot read the operator secret file");
    std::string s{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

int run(const Config& config, Log& log) {
    EngineOptions options(config.database);
    options.accounts.session_lifetime = config.session_lifetime;
    options.accounts.session_idle_timeout = config.session_idle_timeout;
    options.accounts.max_failed_sign_ins = config.max_failed_sign_ins;
    options.accounts.link_base = config.link_base;
    if (config.password_opslimit != 0) options.password_params.opslimit = config.password_opslimit;
    if (config.password_memlimit != 0) options.password_params.memlimit = config.password_memlimit;
    options.mail = make_mail_sender(config, log);
    options.log = log.engine_sink();
    Engine engine(std::move(options));
    if (!config.operator_secret_file.empty()) {
        try {
            engine.set_operator_secret("", read_secret_file(config.operator_secret_file));
            log.write(LogLevel::info, "operator_secret_set");
        } catch (const Error& e) {
            // Already set on an earlier start: the stored credential stays.
            log.write(LogLevel::info, "operator_secret_kept",
                      Json{{"reason", std::string(errc_name(e.code()))}});
        }
    }
    sync::Authority authority(engine);
    if (config.test_push_delay_ms > 0) {
        log.write(LogLevel::warning, "test_push_delay_enabled",
                  Json{{"ms", config.test_push_delay_ms}, {"phase", config.test_push_delay_phase}});
        authority.test_hook = [&config, &log](const char* phase) {
            if (config.test_push_delay_phase != phase) return;
            log.write(LogLevel::warning, "test_push_delay", Json{{"phase", phase}});
            std::this_thread::sleep_for(std::chrono::milliseconds(config.test_push_delay_ms));
        };
    }

    httplib::SSLServer http(config.tls_cert.c_str(), config.tls_key.c_str());
    if (!http.is_valid()) {
        log.write(LogLevel::error, "tls_setup_failed", Json{{"cert", config.tls_cert}});
        return 2;
    }
    const int threads = config.threads;
    http.new_task_queue = [threads] {
        return new httplib::ThreadPool(static_cast<std::size_t>(threads));
    };
    http.set_payload_max_length(config.max_body_bytes);
    http.set_read_timeout(30);
    // An idle keep-alive connection holds one of the worker threads, and a SIGTERM stop waits for
    // it to time out (cpp-httplib's keep-alive wait does not watch for the stop). A sync's requests
    // follow each other within milliseconds, so one second loses no reuse that matters and keeps
    // a stop prompt (the default, 5 s, made every stop after a sync take 5 s).
    http.set_keep_alive_timeout(1);
    http.set_write_timeout(30);
    RateLimiter limiter(config.requests_per_minute);
    install_routes(http, engine, authority, config, log, limiter);

    if (!http.bind_to_port(config.listen_address, config.port)) {
        log.write(LogLevel::error, "bind_failed",
                  Json{{"address", config.listen_address}, {"port", config.port}});
        return 2;
    }
    // Signals are taken by one thread with sigwait (blocked everywhere else, including the
    // server's worker threads created below), which then stops the listener.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::atomic<bool> signalled{false};
    std::thread stopper([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        signalled = true;
        log.write(LogLevel::info, "stopping",
                  Json{{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        http.stop();
    });
    log.write(LogLevel::info, "listening",
              Json{{"address", config.listen_address}, {"port", config.port}});
    http.listen_after_bind();
    // listen ended without a signal (an error): wake the stopper so it can be joined.
    if (!signalled) pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
    engine.checkpoint();
    log.write(LogLevel::info, "stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg == "--help" || arg == "-h") {
            std::printf("usage: leandesk-server --config <file.json>\n");
            return 0;
        } else {
            std::fprintf(stderr, "usage: leandesk-server --config <file.json>\n");
            return 64;
        }
    }
    if (config_path.empty()) {
        std::fprintf(stderr, "usage: leandesk-server --config <file.json>\n");
        return 64;
    }
    Log bootstrap(LogLevel::info);
    try {
        const Config config = load_config(config_path);
        Log log(log_level_from(config.log_level));
        return run(config, log);
    } catch (const Error& e) {
        bootstrap.write(LogLevel::error, "fatal",
                        Json{{"code", std::string(errc_name(e.code()))}, {"message", e.what()}});
        return 1;
    } catch (const std::exception& e) {
        bootstrap.write(LogLevel::error, "fatal", Json{{"message", e.what()}});
        return 1;
    }
}

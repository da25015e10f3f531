// leandesk-server: the self-hostable sync server (docs/sync.md). Usage:
//   leandesk-server --config /etc/leandesk/server.json
// Stops cleanly on SIGTERM or SIGINT: no new connections, idle ones closed at once, requests in
// flight finish (bounded by shutdown_timeout_ms), the database is checkpointed and closed (every
// acknowledged push was committed before its answer was sent).
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "common/error.hpp"
#include "server/config.hpp"
#include "server/http_api.hpp"
#include "server/http_layer.hpp"
#include "server/http_server.hpp"
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

/// Every connection is a descriptor: the soft limit goes up to the hard one, and a limit below
/// max_connections is said at start-up (the connections beyond it would fail to be accepted).
void raise_open_files_limit(const Config& config, Log& log) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    const auto needed = static_cast<rlim_t>(config.max_connections) + 64;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
        log.write(LogLevel::warning, "open_files_limit_low",
                  Json{{"limit", static_cast<std::uint64_t>(limit.rlim_cur)},
                       {"max_connections", config.max_connections}});
    }
}

int run(const Config& config, Log& log) {
    EngineOptions options(config.database);
    options.accounts.session_lifetime = config.session_lifetime;
    options.accounts.session_idle_timeout = config.session_idle_timeout;
    options.accounts.max_failed_sign_ins = config.max_failed_sign_ins;
    options.accounts.max_failed_sign_ins_per_client = config.max_failed_sign_ins_per_client;
    options.accounts.max_mails_per_recipient_per_hour = config.max_mails_per_recipient_per_hour;
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
    sync::Authority authority(engine, config.max_clock_skew_ms);
    if (config.test_push_delay_ms > 0) {
        log.write(LogLevel::warning, "test_push_delay_enabled",
                  Json{{"ms", config.test_push_delay_ms}, {"phase", config.test_push_delay_phase}});
        authority.test_hook = [&config, &log](const char* phase) {
            if (config.test_push_delay_phase != phase) return;
            log.write(LogLevel::warning, "test_push_delay", Json{{"phase", phase}});
            std::this_thread::sleep_for(std::chrono::milliseconds(config.test_push_delay_ms));
        };
    }

    raise_open_files_limit(config, log);
    // Signals are taken by one thread with sigwait (blocked everywhere else, including the
    // server's I/O and worker threads, created after this), which then stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    RateLimiter limiter(config.requests_per_minute);
    ApiContext context{engine, authority, log, limiter};
    // The operator secret's guesses are throttled as a user's sign-in is.
    SecretThrottle throttle(config.max_failed_sign_ins, AccountPolicy{}.failed_sign_in_window,
                            system_clock());
    HttpServer http(config, log, [&context, &throttle](const ApiRequest& request) {
        return serve(context, throttle, request);
    });
    if (!http.open()) return 2;

    std::atomic<bool> signalled{false};
    std::atomic<bool> done{false};
    std::thread stopper([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        if (done) return;  // woken after run() ended on its own
        signalled = true;
        log.write(LogLevel::info, "stopping",
                  Json{{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        http.stop();
    });
    log.write(LogLevel::info, "listening",
              Json{{"address", config.listen_address}, {"port", config.port}});
    http.run();
    done = true;
    // run ended without a signal (it does not today): wake the stopper so it can be joined.
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

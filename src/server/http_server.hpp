// The HTTPS transport of leandesk-server (docs/server.md): event-driven, Boost.Beast's HTTP/1.1
// over Boost.Asio and OpenSSL. A few I/O threads (`io_threads`) hold every connection, idle ones
// included, without a thread each; the requests themselves run on a bounded pool of worker
// threads (`threads`, queue `max_queued_requests`), because handle_request() may block (Argon2id,
// SQLite, the engine's lock). Deadlines on the TLS handshake, the header, the body, an answer's
// write and idle keep-alive; caps on connections overall and per client address; TLS 1.2 at least.
// Every refused or timed-out connection and every request refused before routing is logged with
// the client's address.
#pragma once

#include <functional>
#include <memory>

#include "server/config.hpp"
#include "server/http_api.hpp"
#include "server/server_log.hpp"

namespace leandesk::server {

class HttpServer {
  public:
    /// Runs one request on a worker thread; must not throw.
    using Handler = std::function<ApiReply(const ApiRequest&)>;

    HttpServer(const Config& config, Log& log, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Loads the certificate and key, binds and listens. False (and logged) when it cannot.
    bool open();
    /// Serves until stop() has run its course; blocks. Call once, after open().
    void run();
    /// Any thread: stop accepting, close idle connections at once, let the requests in flight
    /// finish (at most `shutdown_timeout_ms`), then make run() return.
    void stop();

    struct Impl;  // in http_server.cpp (public so that its connections can name it)

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace leandesk::server

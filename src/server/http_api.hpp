// The HTTP API (docs/openapi.yaml): accounts, sessions, sync push/pull, blobs, the operator and a
// health check, each a thin translation between HTTP and the engine or the sync authority.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "engine/engine.hpp"
#include "server/config.hpp"
#include "server/server_log.hpp"
#include "sync/authority.hpp"

namespace leandesk::server {

/// A per-address fixed-window request counter (one minute windows).
class RateLimiter {
  public:
    explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}
    /// True when the request may go on; otherwise `retry_after_s` says when to come back.
    bool allow(const std::string& address, int& retry_after_s);

  private:
    struct Window {
        std::int64_t start = 0;
        int count = 0;
    };
    int per_minute_;
    std::mutex mutex_;
    std::map<std::string, Window> windows_;
};

/// Registers every route on `http`.
void install_routes(httplib::Server& http, Engine& engine, sync::Authority& authority,
                    const Config& config, Log& log, RateLimiter& limiter);

}  // namespace leandesk::server

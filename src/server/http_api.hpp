// The HTTP API (docs/openapi.yaml): accounts, sessions, sync push/pull, blobs, the operator and a
// health check, each a thin translation between a request and the engine or the sync authority.
//
// The handling is transport-free: handle_request() takes a method, a path, the Authorization
// header, the client's address and the body, and returns the status, body and headers of the
// answer. The HTTPS transport (server/http_server.hpp) calls it on its worker threads; the fuzz
// targets tests/fuzz/fuzz_server_requests.cpp and fuzz_http_layer.cpp call it directly.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// What a request is handled with. The references must outlive every request.
struct ApiContext {
    Engine& engine;
    sync::Authority& authority;
    Log& log;
    RateLimiter& limiter;
};

/// One request, as the transport received it.
struct ApiRequest {
    std::string_view method;          // "GET", "POST", ...
    std::string_view path;            // "/v1/sync/push" (decoded, without the query)
    std::string_view authorization;   // the Authorization header's value; empty when absent
    std::string_view remote_address;  // the client's address (the rate limit's key)
    std::string_view body;
};

/// The answer: status, body (JSON unless `content_type` says otherwise; empty for 204) and extra
/// headers (Retry-After).
struct ApiReply {
    int status = 200;
    std::string body;
    std::string content_type;  // empty when there is no body
    std::vector<std::pair<std::string, std::string>> headers;
};

/// Handles one request: rate limit, session, the route's work, errors as JSON
/// ({"error": {"code", "name", "message"}}), one log line. Never throws. A method and path no
/// route takes gets 404 {"error": ... "no such endpoint"} (an unknown method 400). Every request
/// is logged with the client's address.
ApiReply handle_request(ApiContext& context, const ApiRequest& request);

}  // namespace leandesk::server

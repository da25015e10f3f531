// How a replica reaches its server. The replica speaks in protocol messages (JSON, see
// docs/protocol.md); a transport carries them: over HTTPS (HttpTransport, libcurl) or by direct
// calls into an Authority in the same process (InProcessTransport, for tests).
//
// Failures are thrown as Error: session_expired / not_signed_in when the server refuses the
// token, network for anything that did not get an answer, and the server's own code otherwise.
// An answer that says when to come back (Retry-After) and is not retried is a RetryLater.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "engine/engine.hpp"

namespace leandesk::sync {

class Authority;

/// A refusal that says how long to wait before asking again (HTTP 429, or 503 with Retry-After),
/// raised at once or after the retry budget ran out. Its code is the server's (rate_limited for
/// 429); its message ends with " (retry after N s)"; the C API hands the wait to the caller through
/// ld_last_error_retry_after_ms().
class RetryLater : public Error {
  public:
    RetryLater(Errc code, const std::string& message, std::int64_t retry_after_ms)
        : Error(code, message), retry_after_ms_(retry_after_ms) {}
    [[nodiscard]] std::int64_t retry_after_ms() const noexcept { return retry_after_ms_; }

  private:
    std::int64_t retry_after_ms_;
};

class Transport {
  public:
    virtual ~Transport() = default;
    virtual Json sign_in(const std::string& email, const std::string& password) = 0;
    virtual Json push(const std::string& token, const Json& request) = 0;
    virtual Json pull(const std::string& token, const Json& request) = 0;
    virtual void put_blob(const std::string& token, const std::string& hash,
                          const std::vector<unsigned char>& bytes) = 0;
    virtual std::vector<unsigned char> get_blob(const std::string& token,
                                                const std::string& hash) = 0;
};

/// Calls an Authority directly, through the same JSON text a network would carry (so the wire
/// shapes are exercised), authenticating the token with the server engine.
class InProcessTransport : public Transport {
  public:
    InProcessTransport(Engine& server, Authority& authority)
        : server_(server), authority_(authority) {}

    Json sign_in(const std::string& email, const std::string& password) override;
    Json push(const std::string& token, const Json& request) override;
    Json pull(const std::string& token, const Json& request) override;
    void put_blob(const std::string& token, const std::string& hash,
                  const std::vector<unsigned char>& bytes) override;
    std::vector<unsigned char> get_blob(const std::string& token, const std::string& hash) override;

    /// Test hook: when set, called before each request; it may throw (e.g. Error(network)) to
    /// simulate a link that fails.
    std::function<void(const char* what)> before_request;

  private:
    Engine& server_;
    Authority& authority_;
};

}  // namespace leandesk::sync

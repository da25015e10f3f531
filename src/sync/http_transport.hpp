// The HTTPS transport (libcurl): HTTPS only, TLS 1.2 at least (whatever the system's OpenSSL
// policy allows), the server's certificate and host name always verified (there is no switch to
// turn that off), an optional CA file for intranet certificates, optional public-key pinning,
// connect and low-speed timeouts, and retries with exponential backoff and jitter for transient
// failures only (no answer, 429, 502, 503, 504), honouring Retry-After within a retry budget
// (docs/sync.md, "Retries"). A 429 on sign-in is never retried. Push is idempotent (command ids),
// so every request may be retried. A cancel (HttpOptions::cancelled) is seen during a back-off
// and during a transfer.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.hpp"
#include "sync/transport.hpp"

namespace leandesk::sync {

struct HttpOptions {
    std::string base_url;    // "https://sync.example.com" (no trailing slash needed)
    std::string ca_file;     // PEM bundle; empty: the system's trust store
    std::string pinned_key;  // "sha256//<base64>[;sha256//...]"; empty: no pinning
    long connect_timeout_ms = 10000;
    long low_speed_bytes = 1;     // a transfer slower than this...
    long low_speed_seconds = 30;  // ...for this long is abandoned
    int max_attempts = 5;         // per request, the first one included
    Millis backoff_base_ms = 250;
    Millis backoff_max_ms = 30000;
    // The most one request waits between its attempts, in all. A retry whose wait (the backoff,
    // or the server's Retry-After when longer) would go beyond what is left of it is not made:
    // the answer goes to the caller at once, with the time to wait (RetryLater).
    Millis retry_budget_ms = 30000;
    RandomSource random;  // jitter; defaults to libsodium's
    // Waits between attempts; defaults to a real sleep that wakes early when `cancelled` turns
    // true. Either way `cancelled` is asked again after it returns.
    std::function<void(Millis)> sleep;
    // Polled before each retry, during the default sleep and during a transfer; true stops the
    // request with Error(cancelled). Empty: never cancelled.
    std::function<bool()> cancelled;
};

/// The JSON of a server's answer, checked as the replica needs before anything reads it: at most
/// 32 levels deep, well-formed UTF-8, valid JSON. Throws Error(network) otherwise. Public for the
/// fuzz target that feeds the replica hostile answers (tests/fuzz/fuzz_pull_answer.cpp).
Json parse_server_answer(const std::string& text);

class HttpTransport : public Transport {
  public:
    explicit HttpTransport(HttpOptions options);
    ~HttpTransport() override;
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    Json sign_in(const std::string& email, const std::string& password) override;
    Json push(const std::string& token, const Json& request) override;
    Json pull(const std::string& token, const Json& request) override;
    void put_blob(const std::string& token, const std::string& hash,
                  const std::vector<unsigned char>& bytes) override;
    std::vector<unsigned char> get_blob(const std::string& token, const std::string& hash) override;

    /// The delay before retry number `attempt` (1-based), given the server's Retry-After (s, or
    /// -1): exponential, capped, with jitter in [50%, 100%]. Public for tests.
    Millis backoff(int attempt, long retry_after_s);

    /// Which transient answers a request retries: all of them, or all but 429 (sign-in: an
    /// account locked after failed passwords does not open by asking again).
    enum class Retry { transient, transient_but_429 };

    struct Reply {
        long status = 0;
        std::string body;
        long retry_after_s = -1;
    };

  private:
    Reply request(const char* method, const std::string& path, const std::string& token,
                  const std::string& body, const char* content_type,
                  Retry retry = Retry::transient);
    Reply attempt(const char* method, const std::string& url, const std::string& token,
                  const std::string& body, const char* content_type);
    Json json_call(const char* method, const std::string& path, const std::string& token,
                   const Json& body, Retry retry = Retry::transient);
    void check_cancelled() const;

    HttpOptions options_;
    std::mutex mutex_;  // one transfer at a time on the shared connection
    struct Handle;
    std::unique_ptr<Handle> handle_;
};

}  // namespace leandesk::sync

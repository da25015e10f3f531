// The HTTP/1.1 layer between the sockets (server/http_server.hpp) and handle_request(): Beast's
// request parser with the server's limits, the checks it does not make itself (header field count
// and line length), the refusals (400, 413, 431, 503) as JSON errors, the translation of a parsed
// request to an ApiRequest and of an ApiReply to a response, and the guards that run before
// handle_request (the operator secret's failed-attempt throttle). Socket-free, so the fuzz target
// tests/fuzz/fuzz_http_layer.cpp drives the same code with raw bytes.
#pragma once

#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "server/config.hpp"
#include "server/http_api.hpp"

namespace leandesk::server {

namespace http = boost::beast::http;

/// What a request may hold (Config keys of the same names).
struct HttpLimits {
    std::size_t max_header_bytes = 16384;
    std::size_t max_header_fields = 100;
    std::size_t max_header_line_bytes = 8192;
    std::size_t max_body_bytes = 16U * 1024U * 1024U;

    static HttpLimits from(const Config& config);
};

using RequestParser = http::request_parser<http::string_body>;
using Response = http::response<http::string_body>;

/// Sets Beast's own limits on a fresh parser: the whole header (request line and fields), and the
/// body, sized or chunked alike (a chunked body is counted as it arrives).
void apply_limits(RequestParser& parser, const HttpLimits& limits);

/// 0 when a parsed header is within the limits Beast does not check (field count, one field's
/// length, the request target's length); otherwise 431.
int check_header(const http::request_header<>& header, const HttpLimits& limits);

/// The status a parse error is refused with: 431 (header too large), 413 (body too large), 400
/// (anything else malformed). 0 for errors that are not the client's request (end of stream).
int refusal_status(const boost::system::error_code& ec);

/// A request with owned strings, as the workers get it (the connection may go on meanwhile).
struct OwnedRequest {
    std::string method;  // HEAD is served as GET (head = true: the answer's body is not sent)
    std::string path;    // percent-decoded, without the query
    std::string authorization;
    std::string remote_address;
    std::string body;
    bool head = false;

    ApiRequest view() const { return {method, path, authorization, remote_address, body}; }
};

OwnedRequest to_owned(http::request<http::string_body>&& message, std::string remote_address);

/// A JSON error answer for a request refused before routing: 400, 408, 413, 431 or 503 (with
/// Retry-After: 1).
ApiReply refusal_reply(int status);

/// The HTTP response for an answer. `keep_alive` false adds Connection: close.
Response to_response(const ApiReply& reply, unsigned version, bool keep_alive, bool head);

/// The operator secret's guesses, throttled as a user's sign-in is (AccountPolicy,
/// docs/accounts.md "Throttling"), per client address: after `max_failures` failed attempts (those
/// being checked count as failures until they end) the address waits `window` after its last
/// failure, doubling with every further failure (at most 64 windows); other addresses are not
/// slowed. A success clears the address's count.
class SecretThrottle {
  public:
    SecretThrottle(int max_failures, Millis window, Clock clock);
    /// True: the attempt may go on and is in flight until end(); false: `retry_after_s` is set.
    bool begin(const std::string& address, int& retry_after_s);
    void end(const std::string& address, bool failed);

  private:
    struct Entry {
        int failed = 0;
        int in_flight = 0;
        Millis last_failure = 0;
    };
    Millis wait_after(int failed) const;

    int max_failures_;
    Millis window_;
    Clock clock_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

/// handle_request() behind the guards that are the transport's (the operator secret throttle).
ApiReply serve(ApiContext& context, SecretThrottle& throttle, const ApiRequest& request);

/// Parses one complete request from `bytes` with the limits, as a connection would: the refusal
/// status (400/413/431) or the request. For the fuzz target and tests.
struct ParseOutcome {
    int refusal = 0;  // 0: `request` is set (or the bytes end before the request does)
    std::optional<OwnedRequest> request;
};
ParseOutcome parse_request(std::string_view bytes, const HttpLimits& limits);

}  // namespace leandesk::server

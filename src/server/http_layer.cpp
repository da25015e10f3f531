#include "server/http_layer.hpp"

#include <algorithm>
#include <boost/asio/buffer.hpp>

#include "common/error.hpp"
#include "model/json.hpp"

namespace leandesk::server {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The target's path, percent-decoded (a malformed escape stays as it is), without the query.
std::string decoded_path(std::string_view target) {
    target = target.substr(0, target.find('?'));
    std::string out;
    out.reserve(target.size());
    for (std::size_t i = 0; i < target.size(); ++i) {
        if (target[i] == '%' && i + 2 < target.size()) {
            const int hi = hex_digit(target[i + 1]);
            const int lo = hex_digit(target[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(target[i]);
    }
    return out;
}

ApiReply error_json(int status, Errc code, const std::string& message) {
    ApiReply r;
    r.status = status;
    r.body = Json{{"error",
                   {{"code", static_cast<int>(code)},
                    {"name", std::string(errc_name(code))},
                    {"message", message}}}}
                 .dump(-1, ' ', false, Json::error_handler_t::replace);
    r.content_type = "application/json";
    return r;
}

}  // namespace

HttpLimits HttpLimits::from(const Config& config) {
    return {config.max_header_bytes, config.max_header_fields, config.max_header_line_bytes,
            config.max_body_bytes};
}

void apply_limits(RequestParser& parser, const HttpLimits& limits) {
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(static_cast<std::uint64_t>(limits.max_body_bytes));
}

int check_header(const http::request_header<>& header, const HttpLimits& limits) {
    if (header.target().size() > limits.max_header_line_bytes) return 431;
    std::size_t fields = 0;
    for (const auto& field : header) {
        if (++fields > limits.max_header_fields) return 431;
        // "name: value\r\n"
        if (field.name_string().size() + field.value().size() + 4 > limits.max_header_line_bytes)
            return 431;
    }
    return 0;
}

int refusal_status(const boost::system::error_code& ec) {
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) return 431;
    if (ec == http::error::body_limit) return 413;
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) return 400;
    return 0;  // the socket's or the TLS layer's error, not the request's
}

OwnedRequest to_owned(http::request<http::string_body>&& message, std::string remote_address) {
    OwnedRequest r;
    r.head = message.method() == http::verb::head;
    r.method = r.head ? std::string("GET") : std::string(message.method_string());
    const auto target = message.target();
    r.path = decoded_path(std::string_view(target.data(), target.size()));
    if (auto it = message.find(http::field::authorization); it != message.end())
        r.authorization = std::string(it->value());
    r.remote_address = std::move(remote_address);
    r.body = std::move(message.body());
    return r;
}

ApiReply refusal_reply(int status) {
    switch (status) {
        case 408:
            return error_json(408, Errc::invalid_argument, "the request took too long to arrive");
        case 413:
            return error_json(413, Errc::invalid_argument, "the request body is too large");
        case 431:
            return error_json(431, Errc::invalid_argument, "the request header is too large");
        case 503: {
            ApiReply r = error_json(503, Errc::busy, "the server is busy; try again shortly");
            r.headers.emplace_back("Retry-After", "1");
            return r;
        }
        default:
            return error_json(400, Errc::invalid_argument, "the request is malformed");
    }
}

Response to_response(const ApiReply& reply, unsigned version, bool keep_alive, bool head) {
    Response res;
    res.version(version);
    res.result(static_cast<unsigned>(reply.status));
    for (const auto& [name, value] : reply.headers) res.set(name, value);
    if (!reply.content_type.empty()) res.set(http::field::content_type, reply.content_type);
    res.keep_alive(keep_alive);
    if (head) {
        res.content_length(reply.body.size());
    } else {
        res.body() = reply.body;
        res.prepare_payload();
    }
    return res;
}

SecretThrottle::SecretThrottle(int max_failures, Millis window, Clock clock)
    : max_failures_(max_failures), window_(window), clock_(std::move(clock)) {}

Millis SecretThrottle::wait_after(int failed) const {
    const int doublings = std::clamp(failed - max_failures_, 0, 6);  // 1, 2, 4 ... 64 windows
    return window_ * (Millis{1} << doublings);
}

bool SecretThrottle::begin(const std::string& address, int& retry_after_s) {
    const Millis now = clock_();
    std::lock_guard lock(mutex_);
    if (entries_.size() > 100000) entries_.clear();  // bounded memory under address floods
    Entry& e = entries_[address];
    if (e.failed > 0 && e.failed < max_failures_ && now - e.last_failure >= window_) e.failed = 0;
    if (e.failed + e.in_flight >= max_failures_) {
        const Millis wait = wait_after(e.failed);
        const Millis left = e.failed > 0 ? e.last_failure + wait - now : 0;
        if (e.in_flight > 0 || left > 0) {
            retry_after_s = static_cast<int>(std::max<Millis>(1, (left + 999) / 1000));
            return false;
        }
    }
    ++e.in_flight;
    return true;
}

void SecretThrottle::end(const std::string& address, bool failed) {
    const Millis now = clock_();
    std::lock_guard lock(mutex_);
    Entry& e = entries_[address];
    if (e.in_flight > 0) --e.in_flight;
    if (failed) {
        ++e.failed;
        e.last_failure = now;
    } else {
        e.failed = 0;
    }
    if (e.failed == 0 && e.in_flight == 0) entries_.erase(address);
}

ApiReply serve(ApiContext& context, SecretThrottle& throttle, const ApiRequest& request) {
    if (request.method != "POST" || request.path != "/v1/operator/sessions")
        return handle_request(context, request);
    int retry_after = 0;
    const std::string address(request.remote_address);
    if (!throttle.begin(address, retry_after)) {
        try {
            ApiReply r = error_json(429, Errc::rate_limited,
                                    "too many failed sign-ins; try again in a few minutes");
            r.headers.emplace_back("Retry-After", std::to_string(retry_after));
            context.log.write(LogLevel::warning, "operator_sign_in_throttled",
                              Json{{"address", request.remote_address}, {"status", 429}});
            return r;
        } catch (...) {
            ApiReply r;
            r.status = 500;
            return r;
        }
    }
    ApiReply reply = handle_request(context, request);
    throttle.end(address, reply.status == 401);
    return reply;
}

ParseOutcome parse_request(std::string_view bytes, const HttpLimits& limits) {
    RequestParser parser;
    apply_limits(parser, limits);
    parser.eager(true);
    ParseOutcome out;
    boost::system::error_code ec;
    bool checked = false;
    while (!parser.is_done()) {
        const std::size_t n = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
        bytes.remove_prefix(n);
        if (ec == http::error::need_more || (!ec && n == 0)) {
            ec = {};
            if (n == 0) {
                parser.put_eof(ec);
                if (ec || !parser.is_done()) {
                    out.refusal = refusal_status(ec);
                    return out;
                }
            }
        } else if (ec) {
            out.refusal = refusal_status(ec);
            return out;
        }
        if (!checked && parser.is_header_done()) {
            checked = true;
            if (const int status = check_header(parser.get(), limits); status != 0) {
                out.refusal = status;
                return out;
            }
        }
    }
    out.request = to_owned(parser.release(), "fuzz");
    return out;
}

}  // namespace leandesk::server

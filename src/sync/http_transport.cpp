#include "sync/http_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/error.hpp"
#include "model/json.hpp"
#include "sync/protocol.hpp"

namespace leandesk::sync {
namespace {

constexpr std::size_t kMaxReplyBytes = std::size_t{64} * 1024 * 1024;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
    std::string data;
    bool too_large = false;
};

std::size_t on_body(char* ptr, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    if (sink->data.size() + size * n > kMaxReplyBytes) {
        sink->too_large = true;
        return 0;
    }
    sink->data.append(ptr, size * n);
    return size * n;
}

std::size_t on_header(char* buffer, std::size_t size, std::size_t n, void* user) {
    auto* retry_after = static_cast<long*>(user);
    const std::string line(buffer, size * n);
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size()) {
        std::string head = line.substr(0, name.size());
        std::transform(head.begin(), head.end(), head.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (head == name) {
            // Seconds only; an HTTP date is rare from our own server and is treated as absent.
            const std::string v = line.substr(name.size());
            try {
                *retry_after = std::clamp(std::stol(v), 0L, 3600L);
            } catch (...) {
                *retry_after = -1;
            }
        }
    }
    return size * n;
}

// Certificate and pinning failures are never retried: they do not heal by waiting.
bool transient(CURLcode rc) {
    switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            return true;
        default:
            return false;
    }
}

bool transient_status(long status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
}

// The server's JSON error as an Error with its code; with the time to wait when the server gave
// one on a transient answer (RetryLater, message ending " (retry after N s)").
[[noreturn]] void raise(const HttpTransport::Reply& r) {
    Errc code = r.status == 401 ? Errc::not_signed_in : Errc::network;
    std::string message = "the server answered HTTP " + std::to_string(r.status);
    const Json body = Json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        const Json& e = body["error"];
        if (e.contains("code") && e["code"].is_number_integer())
            code = errc_from_wire(e["code"].get<std::int64_t>()).value_or(code);
        if (e.contains("message") && e["message"].is_string())
            message = e["message"].get<std::string>();
    }
    if (r.status == 429) code = Errc::rate_limited;
    if (transient_status(r.status) && r.retry_after_s >= 0) {
        throw RetryLater(code, message + " (retry after " + std::to_string(r.retry_after_s) + " s)",
                         static_cast<std::int64_t>(r.retry_after_s) * 1000);
    }
    throw Error(code, message);
}

// libcurl's progress callback: a non-zero return aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancelled = static_cast<const std::function<bool()>*>(user);
    return (*cancelled)() ? 1 : 0;
}

[[noreturn]] void raise_cancelled() {
    throw Error(Errc::cancelled, "sync cancelled");
}

}  // namespace

// The server's answers: pull pages run to megabytes, so they are parsed without the per-event
// callback parse_json uses for its depth limit; the depth is checked by one pass over the text
// instead (nesting is what a hostile answer could abuse). The text's UTF-8 is not checked apart:
// nlohmann's lexer refuses every ill-formed byte inside a string (overlong forms and surrogates
// included), and outside strings only JSON's ASCII tokens parse.
Json parse_server_answer(const std::string& text) {
    constexpr int kMaxDepth = 32;
    const auto bad = [] {
        return Error(Errc::network, "sync: the server's answer is not valid JSON");
    };
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) throw bad();
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) throw bad();
    return parsed;
}

struct HttpTransport::Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl != nullptr) curl_easy_cleanup(curl);
    }
};

HttpTransport::HttpTransport(HttpOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
    if (options_.base_url.rfind("https://", 0) != 0)
        throw_invalid("the server URL must be an https:// URL");
    while (!options_.base_url.empty() && options_.base_url.back() == '/')
        options_.base_url.pop_back();
    if (!options_.random) options_.random = system_random();
    if (!options_.sleep) {
        // In slices, so that a cancel ends the wait within one.
        options_.sleep = [this](Millis ms) {
            constexpr Millis kSlice = 50;
            for (Millis left = ms; left > 0; left -= kSlice) {
                if (options_.cancelled && options_.cancelled()) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(std::min(left, kSlice)));
            }
        };
    }
    if (options_.max_attempts < 1) options_.max_attempts = 1;
    global_init();
    handle_->curl = curl_easy_init();
    if (handle_->curl == nullptr) throw Error(Errc::no_memory, "cannot start an HTTP client");
}

HttpTransport::~HttpTransport() = default;

void HttpTransport::check_cancelled() const {
    if (options_.cancelled && options_.cancelled()) raise_cancelled();
}

Millis HttpTransport::backoff(int attempt, long retry_after_s) {
    const int shift = std::min(attempt - 1, 20);
    const Millis exp = std::min(options_.backoff_max_ms, options_.backoff_base_ms << shift);
    unsigned char r[2];
    options_.random(r, sizeof r);
    const double jitter = 0.5 + 0.5 * (static_cast<double>(r[0] << 8 | r[1]) / 65535.0);
    Millis delay = static_cast<Millis>(static_cast<double>(exp) * jitter);
    if (retry_after_s >= 0) delay = std::max(delay, static_cast<Millis>(retry_after_s) * 1000);
    return delay;
}

HttpTransport::Reply HttpTransport::attempt(const char* method, const std::string& url,
                                            const std::string& token, const std::string& body,
                                            const char* content_type) {
    CURL* c = handle_->curl;
    curl_easy_reset(c);
    Sink sink;
    Reply reply;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    // TLS 1.2 at least, whatever the system's OpenSSL configuration would allow.
    curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.pinned_key.empty())
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, options_.pinned_key.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options_.low_speed_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply.retry_after_s);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (options_.cancelled) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &options_.cancelled);
    }
    curl_slist* headers = nullptr;
    const std::string auth = "Authorization: Bearer " + token;
    if (!token.empty()) headers = curl_slist_append(headers, auth.c_str());
    const std::string type = std::string("Content-Type: ") + content_type;
    headers = curl_slist_append(headers, type.c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (std::string_view(method) != "GET") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    if (sink.too_large) throw Error(Errc::network, "the server's answer is too large");
    if (rc == CURLE_ABORTED_BY_CALLBACK) raise_cancelled();
    if (rc != CURLE_OK) {
        const std::string what = curl_easy_strerror(rc);
        if (transient(rc)) {
            reply.status = -1;
            reply.body = what;
            return reply;
        }
        // TLS: an unknown CA, a wrong host name or a pin mismatch. Never retried, never bypassed.
        throw Error(Errc::network, "cannot reach the server securely: " + what);
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
    reply.body = std::move(sink.data);
    return reply;
}

HttpTransport::Reply HttpTransport::request(const char* method, const std::string& path,
                                            const std::string& token, const std::string& body,
                                            const char* content_type, Retry retry) {
    std::lock_guard lock(mutex_);
    const std::string url = options_.base_url + path;
    Millis waited = 0;  // against the retry budget
    for (int n = 1;; ++n) {
        check_cancelled();
        Reply r = attempt(method, url, token, body, content_type);
        const bool retryable =
            r.status == -1 ||
            (transient_status(r.status) && !(r.status == 429 && retry == Retry::transient_but_429));
        if (!retryable) return r;
        // The last attempt, or a wait beyond the budget: the caller gets this answer now (with
        // the server's Retry-After, see raise()) rather than a call blocked for minutes.
        const Millis delay = n < options_.max_attempts ? backoff(n, r.retry_after_s) : 0;
        if (n >= options_.max_attempts || delay > options_.retry_budget_ms - waited) {
            if (r.status == -1) throw Error(Errc::network, "cannot reach the server: " + r.body);
            return r;
        }
        options_.sleep(delay);
        waited += delay;
    }
}

Json HttpTransport::json_call(const char* method, const std::string& path, const std::string& token,
                              const Json& body, Retry retry) {
    const Reply r = request(method, path, token, body.dump(), "application/json", retry);
    if (r.status < 200 || r.status >= 300) raise(r);
    return parse_server_answer(r.body);
}

Json HttpTransport::sign_in(const std::string& email, const std::string& password) {
    return json_call("POST", "/v1/sessions", "", Json{{"email", email}, {"password", password}},
                     Retry::transient_but_429);
}

Json HttpTransport::push(const std::string& token, const Json& request_body) {
    return json_call("POST", "/v1/sync/push", token, request_body);
}

Json HttpTransport::pull(const std::string& token, const Json& request_body) {
    return json_call("POST", "/v1/sync/pull", token, request_body);
}

void HttpTransport::put_blob(const std::string& token, const std::string& hash,
                             const std::vector<unsigned char>& bytes) {
    const Reply r = request("PUT", "/v1/blobs/" + hash, token,
                            std::string(bytes.begin(), bytes.end()), "application/octet-stream");
    if (r.status < 200 || r.status >= 300) raise(r);
}

std::vector<unsigned char> HttpTransport::get_blob(const std::string& token,
                                                   const std::string& hash) {
    const Reply r = request("GET", "/v1/blobs/" + hash, token, "", "application/octet-stream");
    if (r.status < 200 || r.status >= 300) raise(r);
    return {r.body.begin(), r.body.end()};
}

}  // namespace leandesk::sync

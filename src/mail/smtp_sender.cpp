#include "mail/smtp_sender.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <array>
#include <cstring>
#include <memory>
#include <mutex>

#include "common/error.hpp"
#include "mail/mime.hpp"
#include "model/validate.hpp"

namespace leandesk::mail {
namespace {

void global_init() {
    static std::once_flag once;
    // curl_global_init is not thread-safe; every sender goes through here first.
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
struct UrlDeleter {
    void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};

struct Upload {
    const std::string* data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* userdata) {
    auto* up = static_cast<Upload*>(userdata);
    const std::size_t n = std::min(size * count, up->data->size() - up->offset);
    std::memcpy(buffer, up->data->data() + up->offset, n);
    up->offset += n;
    return n;
}

std::string hex(const unsigned char* b, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += kHex[b[i] >> 4], s += kHex[b[i] & 15];
    return s;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
    std::string h = host;
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    if (h == "localhost") return true;  // libcurl resolves it to loopback itself, never via DNS
    in_addr v4{};
    if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

SmtpSender::SmtpSender(SmtpConfig config, Clock clock, RandomSource random)
    : config_(std::move(config)), clock_(std::move(clock)), random_(std::move(random)) {
    global_init();
    std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
    if (!url || curl_url_set(url.get(), CURLUPART_URL, config_.url.c_str(), 0) != CURLUE_OK) {
        throw_invalid("smtp: 'url' is not a valid URL (smtps://host:465 or smtp://host:587)");
    }
    char* scheme = nullptr;
    char* host = nullptr;
    curl_url_get(url.get(), CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(url.get(), CURLUPART_HOST, &host, 0);
    const std::string s = scheme ? scheme : "";
    const std::string h = host ? host : "";
    curl_free(scheme);
    curl_free(host);
    if (s != "smtp" && s != "smtps")
        throw_invalid("smtp: 'url' must start with smtps:// or smtp://");
    if (h.empty()) throw_invalid("smtp: 'url' names no host");
    const std::string from = validate::email(config_.from);
    domain_ = from.substr(from.find('@') + 1);
    validate::text("from_name", config_.from_name, 200, true);
    if (config_.timeout_ms < 1000 || config_.timeout_ms > 600000) {
        throw_invalid("smtp: 'timeout_ms' must be between 1000 and 600000");
    }
    // smtps:// is TLS from the first byte; smtp:// must upgrade with STARTTLS, except to a
    // loopback relay the configuration explicitly allows to speak plain text.
    tls_required_ = !(s == "smtp" && config_.allow_plaintext_loopback && is_loopback_host(h));
    if (s == "smtp" && config_.allow_plaintext_loopback && !is_loopback_host(h)) {
        throw_invalid("smtp: plain text is allowed only to a loopback address, not to '" + h + "'");
    }
}

void SmtpSender::send(const Mail& mail) {
    std::array<unsigned char, 16> rnd{};
    random_(rnd.data(), rnd.size());
    MessageIds ids;
    ids.message_id = "<" + hex(rnd.data(), 12) + "@" + domain_ + ">";
    ids.boundary = "=_leandesk_" + hex(rnd.data() + 12, 4) + hex(rnd.data(), 8);
    const std::string message = build_message(mail, config_.from, config_.from_name, clock_(), ids);
    const std::string to = validate::email(mail.to);

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) throw Error(Errc::no_memory, "smtp: cannot start a transfer");
    CURL* c = curl.get();
    std::array<char, CURL_ERROR_SIZE> errbuf{};
    std::unique_ptr<curl_slist, SlistDeleter> rcpt(
        curl_slist_append(nullptr, ("<" + to + ">").c_str()));
    Upload upload{&message};
    const std::string mail_from = "<" + validate::email(config_.from) + ">";
    curl_easy_setopt(c, CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     static_cast<long>(tls_required_ ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    // TLS 1.2 at least (smtps:// and STARTTLS), whatever the system's OpenSSL policy allows.
    curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!config_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config_.ca_file.c_str());
    if (!config_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(config_.timeout_ms, 15000L));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, config_.timeout_ms);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf.data());
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return;
    // The message names the failure and the server's answer, never the credentials.
    std::string why = errbuf[0] != '\0' ? errbuf.data() : curl_easy_strerror(rc);
    if (rc == CURLE_USE_SSL_FAILED)
        why = "the server does not offer TLS (STARTTLS), and TLS is required";
    const Errc code = rc == CURLE_LOGIN_DENIED ? Errc::auth_failed : Errc::network;
    throw Error(code, "smtp: the mail to " + to + " was not sent: " + why);
}

}  // namespace leandesk::mail

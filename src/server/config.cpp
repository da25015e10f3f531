#include "server/config.hpp"

#include <fstream>
#include <iterator>

#include "common/error.hpp"
#include "model/json.hpp"

namespace leandesk::server {
namespace {

/// How account mails leave the server is decided here, at start-up, so that a configuration
/// that cannot deliver them as the admin meant is refused before the first sign-up.
void check_mail_settings(const Config& c, bool smtp_options) {
    if (!c.smtp_url.empty() && !c.mail_pickup_dir.empty()) {
        throw_invalid(
            "'smtp_url' and 'mail_pickup_dir' are both set: account mails go one way, set only "
            "one of them");
    }
    if (c.smtp_url.empty()) {
        if (smtp_options) {
            throw_invalid("an 'smtp_*' setting is given without 'smtp_url'");
        }
        return;
    }
    if (c.smtp_url.find('@') != std::string::npos) {
        // The URL is logged at start-up; credentials belong in their own settings.
        throw_invalid(
            "'smtp_url' must not hold credentials: use 'smtp_user' and 'smtp_password_file'");
    }
    if (c.smtp_user.empty() != c.smtp_password_file.empty()) {
        throw_invalid("'smtp_user' and 'smtp_password_file' go together: set both or neither");
    }
}

}  // namespace

Config load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::io, "cannot read the configuration file " + path);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const Json json = parse_json(text, "the configuration file");
    JsonReader r(json, "configuration");
    Config c;
    constexpr std::int64_t kYear = 366LL * 24 * 3600 * 1000;
    if (auto v = r.opt_string("listen_address", 255)) c.listen_address = *v;
    if (auto v = r.opt_int("port", 0, 65535)) c.port = static_cast<int>(*v);
    c.tls_cert = r.string("tls_cert", 4096);
    c.tls_key = r.string("tls_key", 4096);
    c.database = r.string("database", 4096);
    if (auto v = r.opt_int("session_lifetime_ms", 1000, 10 * kYear)) c.session_lifetime = *v;
    if (auto v = r.opt_int("session_idle_timeout_ms", 60000, 10 * kYear))
        c.session_idle_timeout = *v;
    if (auto v = r.opt_int("requests_per_minute", 1, 1000000))
        c.requests_per_minute = static_cast<int>(*v);
    if (auto v = r.opt_int("max_failed_sign_ins", 1, 1000))
        c.max_failed_sign_ins = static_cast<int>(*v);
    if (auto v = r.opt_int("max_failed_sign_ins_per_client", 1, 1000000))
        c.max_failed_sign_ins_per_client = static_cast<int>(*v);
    if (auto v = r.opt_int("max_mails_per_recipient_per_hour", 1, 1000))
        c.max_mails_per_recipient_per_hour = static_cast<int>(*v);
    if (auto v = r.opt_int("max_body_bytes", 1024, 1LL << 30))
        c.max_body_bytes = static_cast<std::size_t>(*v);
    if (auto v = r.opt_int("threads", 1, 256)) c.threads = static_cast<int>(*v);
    const auto int_key = [&r](const char* key, int& out, std::int64_t lo, std::int64_t hi) {
        if (auto v = r.opt_int(key, lo, hi)) out = static_cast<int>(*v);
    };
    const auto size_key = [&r](const char* key, std::size_t& out, std::int64_t lo,
                               std::int64_t hi) {
        if (auto v = r.opt_int(key, lo, hi)) out = static_cast<std::size_t>(*v);
    };
    int_key("io_threads", c.io_threads, 1, 64);
    int_key("max_connections", c.max_connections, 1, 1000000);
    int_key("max_connections_per_address", c.max_connections_per_address, 1, 1000000);
    int_key("max_queued_requests", c.max_queued_requests, 1, 1000000);
    int_key("handshake_timeout_ms", c.handshake_timeout_ms, 100, 3600000);
    int_key("header_timeout_ms", c.header_timeout_ms, 100, 3600000);
    int_key("body_timeout_ms", c.body_timeout_ms, 100, 3600000);
    int_key("idle_timeout_ms", c.idle_timeout_ms, 100, 24 * 3600000);
    int_key("write_timeout_ms", c.write_timeout_ms, 100, 3600000);
    int_key("shutdown_timeout_ms", c.shutdown_timeout_ms, 0, 3600000);
    size_key("max_header_bytes", c.max_header_bytes, 1024, 1 << 20);
    size_key("max_header_fields", c.max_header_fields, 8, 10000);
    size_key("max_header_line_bytes", c.max_header_line_bytes, 256, 1 << 20);
    if (auto v = r.opt_string("link_base", 1000)) c.link_base = *v;
    // Read before the keys are consumed: an SMTP setting without 'smtp_url' is a mistake.
    const bool smtp_options = r.has("smtp_user") || r.has("smtp_password_file") ||
                              r.has("smtp_ca_file") || r.has("smtp_allow_plaintext_loopback") ||
                              r.has("smtp_timeout_ms");
    if (auto v = r.opt_string("smtp_url", 1000)) c.smtp_url = *v;
    if (auto v = r.opt_string("smtp_user", 255)) c.smtp_user = *v;
    if (auto v = r.opt_string("smtp_password_file", 4096)) c.smtp_password_file = *v;
    if (auto v = r.opt_string("smtp_ca_file", 4096)) c.smtp_ca_file = *v;
    if (auto v = r.opt_bool("smtp_allow_plaintext_loopback")) c.smtp_allow_plaintext_loopback = *v;
    if (auto v = r.opt_int("smtp_timeout_ms", 1000, 600000))
        c.smtp_timeout_ms = static_cast<long>(*v);
    if (auto v = r.opt_string("mail_from", 255)) c.mail_from = *v;
    if (auto v = r.opt_string("mail_pickup_dir", 4096)) c.mail_pickup_dir = *v;
    if (auto v = r.opt_string("operator_secret_file", 4096)) c.operator_secret_file = *v;
    if (auto v = r.opt_string("log_level", 16)) c.log_level = *v;
    if (auto v = r.opt_int("max_clock_skew_ms", 1000, 5LL * 60 * 1000)) c.max_clock_skew_ms = *v;
    if (auto v = r.opt_int("password_opslimit", 1, 64))
        c.password_opslimit = static_cast<std::uint64_t>(*v);
    if (auto v = r.opt_int("password_memlimit", 8192, 4LL << 30))
        c.password_memlimit = static_cast<std::size_t>(*v);
    if (auto v = r.opt_int("test_push_delay_ms", 0, 600000))
        c.test_push_delay_ms = static_cast<int>(*v);
    if (auto v = r.opt_string("test_push_delay_phase", 32)) c.test_push_delay_phase = *v;
    r.finish();
    if (c.test_push_delay_phase != "before_commit" && c.test_push_delay_phase != "after_commit") {
        throw_invalid("'test_push_delay_phase' must be before_commit or after_commit");
    }
    if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warning" &&
        c.log_level != "error") {
        throw_invalid("'log_level' must be debug, info, warning or error");
    }
    check_mail_settings(c, smtp_options);
    return c;
}

}  // namespace leandesk::server

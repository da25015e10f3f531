// A MailSender that delivers through an SMTP server with libcurl. TLS is required: implicit TLS
// (smtps://, usually port 465) or STARTTLS on smtp:// (usually port 587) with CURLUSESSL_ALL, so a
// server that does not offer TLS is refused rather than spoken to in clear. The one exception is
// a server on a loopback address (127.0.0.0/8, ::1, localhost) when `allow_plaintext_loopback` is
// set, for a local relay or tests. The server's certificate is always verified.
#pragma once

#include <string>

#include "auth/mail.hpp"
#include "common/clock.hpp"

namespace leandesk::mail {

struct SmtpConfig {
    std::string url;        // "smtps://mail.example.com:465" or "smtp://mail.example.com:587"
    std::string username;   // empty: no authentication
    std::string password;   // never logged, never in an error message
    std::string from;       // sender address
    std::string from_name;  // sender display name, may be empty
    bool allow_plaintext_loopback = false;
    std::string ca_file;  // a CA bundle for a self-hosted server; empty: the system's store
    long timeout_ms = 30000;
};

class SmtpSender : public MailSender {
  public:
    /// Checks the configuration (invalid_argument: bad URL or scheme, bad sender address, plain
    /// text to a non-loopback host). Clock and random source make Date and Message-ID testable.
    explicit SmtpSender(SmtpConfig config, Clock clock = system_clock(),
                        RandomSource random = system_random());

    /// Sends one mail; throws Error(network) when the server cannot be reached or refuses it,
    /// auth_failed when it refuses the credentials, invalid_argument for a bad recipient.
    void send(const Mail& mail) override;

    [[nodiscard]] const SmtpConfig& config() const { return config_; }
    /// False only for plain text to a loopback relay explicitly allowed by the configuration.
    [[nodiscard]] bool tls_required() const { return tls_required_; }

  private:
    SmtpConfig config_;
    Clock clock_;
    RandomSource random_;
    bool tls_required_ = true;
    std::string domain_;  // of the sender address, for Message-IDs
};

/// True for "localhost", 127.0.0.0/8 and ::1 (with or without brackets).
bool is_loopback_host(const std::string& host);

}  // namespace leandesk::mail

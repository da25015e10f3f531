// Account mails through an SMTP relay: src/mail's SmtpSender, configured from the server's
// settings, with what a server needs around it. The password is read from its own file (never
// from the config, never logged). A delivery failure is logged (why, never the credentials or the
// recipient) and reported to the engine as an I/O error, so that a client asking to sign up sees
// "mail could not be delivered" (HTTP 500) instead of the relay's own refusal, which for a
// rejected SMTP login would otherwise read as the client's own authentication failure (401).
#pragma once

#include <string>

#include "auth/mail.hpp"
#include "mail/smtp_sender.hpp"
#include "server/config.hpp"
#include "server/server_log.hpp"

namespace leandesk::server {

/// "Name <address>" or "address" (mail_from), split; the address is not checked here.
struct Sender {
    std::string name;
    std::string address;
};
Sender parse_mail_from(const std::string& mail_from);

class ServerSmtpSender : public MailSender {
  public:
    /// Reads the password file and checks the settings; throws Error(invalid_argument) naming the
    /// setting (bad URL, unusable mail_from, plain text to a remote host), Error(io) for an
    /// unreadable or empty password file.
    ServerSmtpSender(const Config& config, Log& log);

    void send(const Mail& mail) override;

    /// False only for a loopback relay allowed to speak plain text.
    [[nodiscard]] bool tls_required() const;

  private:
    mail::SmtpSender smtp_;
    Log& log_;
};

}  // namespace leandesk::server

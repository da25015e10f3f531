// How leandesk-server delivers account mails (activation, password reset, e-mail change), chosen
// once at start-up from its configuration (docs/sync.md, "Mail"):
//   smtp_url         an SMTP relay, through src/mail's SmtpSender (TLS required, certificate
//   checked) mail_pickup_dir  one .eml file per mail in a folder (tests, relays that watch a
//   folder) neither          no sender: the server starts (accounts may be provisioned another way)
//   but
//                    logs a warning, and each sign-up or reset then fails with an I/O error
// load_config() already refused both at once.
#pragma once

#include <memory>

#include "auth/mail.hpp"
#include "server/config.hpp"
#include "server/server_log.hpp"

namespace leandesk::server {

/// The engine's mail sender for `config`, or nullptr when none is configured; logs the choice
/// (never a password). Throws Error (invalid_argument, io) naming the setting at fault.
std::shared_ptr<MailSender> make_mail_sender(const Config& config, Log& log);

}  // namespace leandesk::server

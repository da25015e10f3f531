#include "server/mail_setup.hpp"

#include "server/mail_smtp.hpp"
#include "server/pickup_mail.hpp"

namespace leandesk::server {

std::shared_ptr<MailSender> make_mail_sender(const Config& config, Log& log) {
    if (!config.smtp_url.empty()) {
        auto sender = std::make_shared<ServerSmtpSender>(config, log);
        log.write(LogLevel::info, "mail_smtp",
                  Json{{"url", config.smtp_url},
                       {"tls", sender->tls_required() ? "required" : "off (loopback relay)"},
                       {"authenticated", !config.smtp_user.empty()},
                       {"ca_file", config.smtp_ca_file.empty() ? "system" : config.smtp_ca_file}});
        return sender;
    }
    if (!config.mail_pickup_dir.empty()) {
        log.write(LogLevel::info, "mail_pickup", Json{{"dir", config.mail_pickup_dir}});
        return std::make_shared<PickupMailSender>(config.mail_pickup_dir, config.mail_from);
    }
    log.write(LogLevel::warning, "mail_not_configured",
              Json{{"message",
                    "neither 'smtp_url' nor 'mail_pickup_dir' is set: account mails cannot be "
                    "delivered, so sign-ups and password resets will fail"}});
    return nullptr;
}

}  // namespace leandesk::server

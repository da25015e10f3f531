#include "server/mail_smtp.hpp"

#include <fstream>
#include <iterator>

#include "common/error.hpp"
#include "model/validate.hpp"

namespace leandesk::server {
namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::string read_password_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    // The messages name the setting and the path, never what the file holds.
    if (!in) throw Error(Errc::io, "cannot read 'smtp_password_file' " + path);
    std::string s{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (s.empty()) throw Error(Errc::io, "'smtp_password_file' " + path + " is empty");
    return s;
}

mail::SmtpConfig smtp_config(const Config& config) {
    const Sender from = parse_mail_from(config.mail_from);
    try {
        validate::email(from.address);
    } catch (const Error&) {
        throw_invalid("'mail_from' holds no usable sender address for SMTP ('" + from.address +
                      "'); write it as \"LeanDesk <no-reply@example.com>\"");
    }
    mail::SmtpConfig smtp;
    smtp.url = config.smtp_url;
    smtp.username = config.smtp_user;
    if (!config.smtp_password_file.empty())
        smtp.password = read_password_file(config.smtp_password_file);
    smtp.from = from.address;
    smtp.from_name = from.name;
    smtp.allow_plaintext_loopback = config.smtp_allow_plaintext_loopback;
    smtp.ca_file = config.smtp_ca_file;
    smtp.timeout_ms = config.smtp_timeout_ms;
    return smtp;
}

/// SmtpSender's messages read "smtp: the mail to <address> was not sent: <why>": the log keeps
/// the why, not the address (logs hold user ids, not e-mail addresses).
std::string reason(const std::string& message) {
    const std::string marker = " was not sent: ";
    const auto at = message.find(marker);
    return at == std::string::npos ? message : message.substr(at + marker.size());
}

}  // namespace

Sender parse_mail_from(const std::string& mail_from) {
    const auto open = mail_from.rfind('<');
    if (open == std::string::npos || mail_from.empty() || mail_from.back() != '>') {
        return {"", trim(mail_from)};
    }
    std::string name = trim(mail_from.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        name = name.substr(1, name.size() - 2);
    return {name, trim(mail_from.substr(open + 1, mail_from.size() - open - 2))};
}

ServerSmtpSender::ServerSmtpSender(const Config& config, Log& log)
    : smtp_(smtp_config(config)), log_(log) {}

bool ServerSmtpSender::tls_required() const {
    return smtp_.tls_required();
}

void ServerSmtpSender::send(const Mail& mail) {
    try {
        smtp_.send(mail);
        log_.write(LogLevel::info, "mail_sent", Json{{"subject", mail.subject}});
    } catch (const Error& e) {
        log_.write(LogLevel::error, "mail_failed",
                   Json{{"code", std::string(errc_name(e.code()))}, {"reason", reason(e.what())}});
        throw Error(Errc::io, "the account mail could not be delivered (see the server's log)");
    }
}

}  // namespace leandesk::server

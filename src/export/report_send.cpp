// R15: mailing the report to participants.
#include "common/error.hpp"
#include "export/report.hpp"

namespace leandesk::exports {

std::vector<PersonView> send_project_report(Engine& engine, const Actor& actor,
                                            const Id& project_id,
                                            const std::vector<Id>& recipient_ids,
                                            MailSender* sender) {
    // The rule first: nothing is read or sent for a refused request.
    std::vector<PersonView> recipients = engine.report_recipients(actor, project_id, recipient_ids);
    MailSender* via = sender != nullptr ? sender : engine.options().mail.get();
    if (via == nullptr)
        throw Error(Errc::io, "no mail sender is configured: the report cannot be sent");
    const RenderedReport report = project_report(engine, actor, project_id);
    std::size_t sent = 0;
    for (const auto& r : recipients) {
        Mail mail;
        mail.to = r.email.value_or("");
        mail.to_name =
            r.activated ? r.display_name : "";  // R16: before activation the name is the address
        mail.subject = report.subject;
        mail.text = report.text;
        mail.html = report.html;
        try {
            via->send(mail);
        } catch (const Error& e) {
            throw Error(e.code(), std::string(e.what()) + " (the report went to " +
                                      std::to_string(sent) + " of " +
                                      std::to_string(recipients.size()) + " recipients)");
        }
        ++sent;
    }
    return recipients;
}

}  // namespace leandesk::exports

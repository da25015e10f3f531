// The mail-sender interface the engine uses for activation, reset and report mails. The SMTP
// sender comes with the export/mail module; tests use RecordingMailSender, the demo prints.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace leandesk {

struct Mail {
    std::string to;       // address
    std::string to_name;  // display name, may be empty
    std::string subject;
    std::string text;  // plain-text body
    std::string html;  // HTML body, may be empty
};

class MailSender {
  public:
    virtual ~MailSender() = default;
    /// Delivers or throws Error (network, invalid_argument). Called from the committing thread.
    virtual void send(const Mail& mail) = 0;
};

/// Keeps every mail in memory (tests, demos).
class RecordingMailSender : public MailSender {
  public:
    void send(const Mail& mail) override {
        std::lock_guard lock(mutex_);
        sent_.push_back(mail);
    }
    std::vector<Mail> sent() const {
        std::lock_guard lock(mutex_);
        return sent_;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<Mail> sent_;
};

}  // namespace leandesk

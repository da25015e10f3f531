// Delivers account mails as files in a pickup directory (one RFC 5322 .eml per mail), written
// atomically (temporary name, then rename) so a watcher never reads half a mail.
#pragma once

#include <atomic>
#include <string>

#include "auth/mail.hpp"

namespace leandesk::server {

class PickupMailSender : public MailSender {
  public:
    PickupMailSender(std::string dir, std::string from)
        : dir_(std::move(dir)), from_(std::move(from)) {}
    void send(const Mail& mail) override;

  private:
    std::string dir_;
    std::string from_;
    std::atomic<unsigned> counter_{0};
};

}  // namespace leandesk::server

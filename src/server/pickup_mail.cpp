#include "server/pickup_mail.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "mail/mime.hpp"

namespace leandesk::server {

void PickupMailSender::send(const Mail& mail) {
    // Header fields come from the engine (validated addresses, fixed subjects): no CR/LF inside.
    for (const std::string* h : {&mail.to, &mail.to_name, &mail.subject}) {
        if (h->find_first_of("\r\n") != std::string::npos)
            throw_invalid("a mail header holds a line break");
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    const std::string name =
        std::to_string(ms) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++);
    const std::filesystem::path tmp = std::filesystem::path(dir_) / (name + ".tmp");
    const std::filesystem::path final_path = std::filesystem::path(dir_) / (name + ".eml");
    // The file holds activation and reset codes: it is created owner-only (0600) whatever the
    // umask, before any byte is written, and a write that fails leaves no .tmp behind.
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw Error(Errc::io, "cannot write to the mail pickup directory");
    ::close(fd);
    struct RemoveUnlessKept {
        const std::filesystem::path& path;
        bool kept = false;
        ~RemoveUnlessKept() {
            std::error_code ignored;
            if (!kept) std::filesystem::remove(path, ignored);
        }
    } cleanup{tmp};
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(Errc::io, "cannot write to the mail pickup directory");
        // The display name and subject are encoded (a quoted string, or RFC 2047 words), never
        // written raw: a name such as "Mallory <m@evil.example>, IT" stays one display name.
        out << "From: " << from_ << "\r\n"
            << "To: " << mail::mailbox(mail.to_name, mail.to) << "\r\n"
            << "Subject: " << mail::encode_unstructured(mail.subject) << "\r\n"
            << "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            << mail.text;
        if (!out.flush()) throw Error(Errc::io, "cannot write to the mail pickup directory");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, final_path, ec);
    if (ec) throw Error(Errc::io, "cannot write to the mail pickup directory");
    cleanup.kept = true;
}

}  // namespace leandesk::server

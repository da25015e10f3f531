// A leandesk-server of the demo's own, on loopback over HTTPS: its folder (TLS material, config,
// database, log and mail pickup folder), its process, and the two account calls an app's sign-up
// screen makes. Account mails land in the pickup folder as .eml files, where the demo reads the
// activation code the way a person reads it in their mailbox.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "certificates.hpp"
#include "https_client.hpp"
#include "server_process.hpp"

namespace demo {

/// An activation mail as it arrived in the pickup folder.
struct ActivationMail {
    std::string subject;
    std::filesystem::path file;
    std::string code;  // the line of the text that starts with four spaces
};

class LocalServer {
  public:
    /// Makes the TLS material and the config in `folder` (which must exist and be empty).
    LocalServer(std::filesystem::path binary, std::filesystem::path folder);

    /// Starts the server and waits until it answers its health check (at most 10 s); throws
    /// std::runtime_error with the end of its log when it does not. The first start picks a free
    /// port; later starts reuse it, since the replicas know the server by its URL.
    void start();
    /// Stops it with SIGTERM; returns how it ended ("exit 0").
    std::string stop();

    [[nodiscard]] pid_t pid() const;
    [[nodiscard]] std::string url() const;  // https://localhost:<port>
    [[nodiscard]] const TlsFiles& tls() const { return tls_; }
    [[nodiscard]] const std::filesystem::path& log_file() const { return log_; }

    /// POST /v1/accounts, then the activation mail to `email` from the pickup folder. Throws
    /// std::runtime_error when the server refuses or no mail came.
    ActivationMail sign_up(const std::string& email, const std::string& first_name,
                           const std::string& last_name, const std::string& password);
    /// POST /v1/accounts/activate with the mailed code.
    void activate(const std::string& code);

  private:
    void write_config() const;
    bool wait_until_ready();
    [[nodiscard]] std::string log_tail() const;
    [[nodiscard]] HttpsClient client() const;

    std::filesystem::path binary_;
    std::filesystem::path folder_;
    std::filesystem::path mail_dir_;
    std::filesystem::path log_;
    TlsFiles tls_;
    int port_ = 0;
    std::optional<ServerProcess> process_;
};

}  // namespace demo

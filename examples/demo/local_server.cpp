#include "local_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"

namespace demo {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

/// A port nobody listens on now, chosen by the kernel (so parallel runs do not collide).
int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("cannot open a socket to find a free port");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    ::close(fd);
    if (port == 0) throw std::runtime_error("cannot find a free port on 127.0.0.1");
    return port;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The activation mail to `email` in the pickup folder, if it came: "To:" names the address.
std::optional<ActivationMail> find_mail(const fs::path& dir, const std::string& email) {
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".eml") continue;
        std::istringstream text(read_file(entry.path()));
        ActivationMail mail{{}, entry.path(), {}};
        bool to_them = false;
        for (std::string line; std::getline(text, line);) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.rfind("To: ", 0) == 0)
                to_them =
                    line.find("<" + email + ">") != std::string::npos || line == "To: " + email;
            if (line.rfind("Subject: ", 0) == 0) mail.subject = line.substr(9);
            if (line.rfind("    ", 0) == 0 && line.size() > 4) mail.code = line.substr(4);
        }
        if (to_them && !mail.code.empty()) return mail;
    }
    return std::nullopt;
}

std::string error_message(const HttpReply& reply) {
    const Json body = Json::parse(reply.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].contains("message"))
        return body["error"]["message"].get<std::string>();
    return "HTTP " + std::to_string(reply.status);
}

}  // namespace

LocalServer::LocalServer(fs::path binary, fs::path folder)
    : binary_(std::move(binary)),
      folder_(std::move(folder)),
      mail_dir_(folder_ / "mail"),
      log_(folder_ / "server.log"),
      tls_(make_certificates(folder_ / "tls")) {
    fs::create_directories(mail_dir_);
}

void LocalServer::write_config() const {
    // The keys of docs/sync.md, "Running a server". Everything else keeps its production default
    // (Argon2id at its interactive cost, 600 requests a minute, 30-day sessions).
    const Json config{{"listen_address", "127.0.0.1"},
                      {"port", port_},
                      {"tls_cert", fs::absolute(tls_.server_cert).string()},
                      {"tls_key", fs::absolute(tls_.server_key).string()},
                      {"database", fs::absolute(folder_ / "server.db").string()},
                      {"mail_pickup_dir", fs::absolute(mail_dir_).string()},
                      {"mail_from", "LeanDesk demo <no-reply@leandesk.example>"},
                      {"threads", 2}};
    std::ofstream(folder_ / "server.json") << config.dump(2) << '\n';
}

void LocalServer::start() {
    const bool first = port_ == 0;
    std::string ended;
    // A free port may be taken by someone else between choosing it and binding it: try again.
    for (int attempt = 0; attempt < (first ? 3 : 1); ++attempt) {
        if (first) port_ = free_loopback_port();
        write_config();
        process_.emplace(binary_,
                         std::vector<std::string>{"--config", (folder_ / "server.json").string()},
                         log_);
        if (wait_until_ready()) return;
        ended = process_->stop();
        if (log_tail().find("bind_failed") == std::string::npos) break;
    }
    throw std::runtime_error("leandesk-server did not start (" + ended + "); the end of " +
                             log_.string() + ":\n" + log_tail());
}

bool LocalServer::wait_until_ready() {
    const HttpsClient http = client();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_->running()) return false;
        try {
            if (http.get("/v1/health").status == 200) return true;
        } catch (const std::runtime_error&) {
            // Not listening yet.
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::string LocalServer::stop() {
    if (!process_) return "not started";
    const std::string how = process_->stop();
    process_.reset();
    return how;
}

pid_t LocalServer::pid() const {
    return process_ ? process_->pid() : -1;
}

std::string LocalServer::url() const {
    return "https://localhost:" + std::to_string(port_);
}

HttpsClient LocalServer::client() const {
    return HttpsClient(url(), tls_.ca_cert.string());
}

std::string LocalServer::log_tail() const {
    const std::string text = read_file(log_);
    return text.size() > 1500 ? text.substr(text.size() - 1500) : text;
}

ActivationMail LocalServer::sign_up(const std::string& email, const std::string& first_name,
                                    const std::string& last_name, const std::string& password) {
    const Json body{{"email", email},
                    {"first_name", first_name},
                    {"last_name", last_name},
                    {"password", password}};
    const HttpReply reply = client().post_json("/v1/accounts", body.dump());
    if (reply.status != 201) {
        throw std::runtime_error("the server refused the sign-up of " + email + ": " +
                                 error_message(reply));
    }
    // The server wrote the mail before it answered: it is in the folder now.
    if (auto mail = find_mail(mail_dir_, email)) return *mail;
    throw std::runtime_error("no activation mail to " + email + " in " + mail_dir_.string());
}

void LocalServer::activate(const std::string& code) {
    const HttpReply reply =
        client().post_json("/v1/accounts/activate", Json{{"code", code}}.dump());
    if (reply.status != 200) {
        throw std::runtime_error("the server refused the activation code: " + error_message(reply));
    }
}

}  // namespace demo

// The few HTTPS calls the demo makes itself, with libcurl: the server's health check and the
// account sign-up and activation, which an app's sign-up screen would make. (Sync itself goes
// through the LeanDesk library.) The server's certificate is checked against the CA of this run.
#pragma once

#include <string>

namespace demo {

struct HttpReply {
    long status = 0;
    std::string body;
};

class HttpsClient {
  public:
    HttpsClient(std::string base_url, std::string ca_file);

    /// POSTs `json_body` to `path` (e.g. "/v1/accounts"). Throws std::runtime_error when no
    /// answer came (connection refused, TLS failure, timeout); any HTTP status is an answer.
    [[nodiscard]] HttpReply post_json(const std::string& path, const std::string& json_body) const;
    /// GETs `path`; as post_json().
    [[nodiscard]] HttpReply get(const std::string& path) const;

  private:
    [[nodiscard]] HttpReply perform(const std::string& path, const std::string* json_body) const;

    std::string base_url_;
    std::string ca_file_;
};

}  // namespace demo

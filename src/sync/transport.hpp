// How a replica reaches its server. The replica speaks in protocol messages (JSON, see
// docs/protocol.md); a transport carries them: over HTTPS (HttpTransport, libcurl) or by direct
// calls into an Authority in the same process (InProcessTransport, for tests).
//
// Failures are thrown as Error: session_expired / not_signed_in when the server refuses the
// token, network for anything that did not get an answer, and the server's own code otherwise.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace leandesk::sync {

class Authority;

class Transport {
  public:
    virtual ~Transport() = default;
    virtual Json sign_in(const std::string& email, const std::string& password) = 0;
    virtual Json push(const std::string& token, const Json& request) = 0;
    virtual Json pull(const std::string& token, const Json& request) = 0;
    virtual void put_blob(const std::string& token, const std::string& hash,
                          const std::vector<unsigned char>& bytes) = 0;
    virtual std::vector<unsigned char> get_blob(const std::string& token,
                                                const std::string& hash) = 0;
};

/// Calls an Authority directly, through the same JSON text a network would carry (so the wire
/// shapes are exercised), authenticating the token with the server engine.
class InProcessTransport : public Transport {
  public:
    InProcessTransport(Engine& server, Authority& authority)
        : server_(server), authority_(authority) {}

    Json sign_in(const std::string& email, const std::string& password) override;
    Json push(const std::string& token, const Json& request) override;
    Json pull(const std::string& token, const Json& request) override;
    void put_blob(const std::string& token, const std::string& hash,
                  const std::vector<unsigned char>& bytes) override;
    std::vector<unsigned char> get_blob(const std::string& token, const std::string& hash) override;

    /// Test hook: when set, called before each request; it may throw (e.g. Error(network)) to
    /// simulate a link that fails.
    std::function<void(const char* what)> before_request;

  private:
    Engine& server_;
    Authority& authority_;
};

}  // namespace leandesk::sync

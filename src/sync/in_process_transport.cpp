#include "sync/authority.hpp"
#include "sync/transport.hpp"

namespace leandesk::sync {
namespace {

// A round trip through text, as over the network.
Json wire(const Json& message) {
    return parse_json(message.dump(), "sync message");
}

}  // namespace

Json InProcessTransport::sign_in(const std::string& email, const std::string& password) {
    if (before_request) before_request("sign_in");
    return wire(authority_.sign_in(email, password));
}

Json InProcessTransport::push(const std::string& token, const Json& request) {
    if (before_request) before_request("push");
    return wire(authority_.push(server_.authenticate(token), wire(request)));
}

Json InProcessTransport::pull(const std::string& token, const Json& request) {
    if (before_request) before_request("pull");
    return parse_json(authority_.pull_text(server_.authenticate(token), wire(request)),
                      "sync message");
}

void InProcessTransport::put_blob(const std::string& token, const std::string& hash,
                                  const std::vector<unsigned char>& bytes) {
    if (before_request) before_request("put_blob");
    authority_.put_blob(server_.authenticate(token), hash, bytes);
}

std::vector<unsigned char> InProcessTransport::get_blob(const std::string& token,
                                                        const std::string& hash) {
    if (before_request) before_request("get_blob");
    return authority_.get_blob(server_.authenticate(token), hash);
}

}  // namespace leandesk::sync

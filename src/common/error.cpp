#include "common/error.hpp"

#include <algorithm>

namespace leandesk {

std::string_view errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::ok:
            return "ok";
        case Errc::error:
            return "error";
        case Errc::not_found:
            return "not found";
        case Errc::permission_denied:
            return "permission denied";
        case Errc::invalid_argument:
            return "invalid argument";
        case Errc::conflict:
            return "conflict";
        case Errc::not_signed_in:
            return "not signed in";
        case Errc::session_expired:
            return "session expired";
        case Errc::network:
            return "network";
        case Errc::io:
            return "i/o";
        case Errc::busy:
            return "busy";
        case Errc::no_memory:
            return "out of memory";
        case Errc::rate_limited:
            return "rate limited";
        case Errc::cancelled:
            return "cancelled";
        case Errc::corrupt:
            return "corrupt";
        case Errc::internal:
            return "internal";
        case Errc::auth_failed:
            return "authentication failed";
    }
    return "error";
}

void throw_invalid(const std::string& message) {
    throw Error(Errc::invalid_argument, message);
}

void throw_not_found(const std::string& what, std::string_view id) {
    // Messages are UTF-8 and short: an id that is not plain printable ASCII of a sane length is not
    // echoed (it may be invalid UTF-8, or 100 KB of it).
    const bool printable = id.size() <= 80 && std::all_of(id.begin(), id.end(), [](char c) {
                               return c >= 0x20 && c <= 0x7E;
                           });
    throw Error(Errc::not_found,
                what + " " + (printable ? std::string(id) : "(malformed id)") + " not found");
}

void throw_denied(std::string_view rule, const std::string& reason) {
    throw Error(Errc::permission_denied, std::string(rule) + ": " + reason);
}

}  // namespace leandesk

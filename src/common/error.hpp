// Error codes and the one exception type the engine throws.
//
// The numeric values are the C ABI's LD_E* codes (include/leandesk/leandesk.h): the C shims map an
// Error to its code without a table, so these numbers are part of the stable ABI and never change.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace leandesk {

enum class Errc : int {
    ok = 0,
    error = -1,              // unclassified failure
    not_found = -2,          // the id names nothing the actor may see
    permission_denied = -3,  // a rule R1–R17 refuses; the message names the rule
    invalid_argument = -4,   // bad input: shape, type, length, encoding, enum, date, ...
    conflict = -5,           // unique key taken, state changed under the caller, ...
    not_signed_in = -6,
    session_expired = -7,
    network = -8,
    io = -9,
    busy = -10,
    no_memory = -11,
    rate_limited = -12,
    cancelled = -13,
    corrupt = -14,      // the database or an imported file is damaged
    internal = -15,     // a bug: an invariant did not hold
    auth_failed = -16,  // wrong e-mail or password, or an unknown or used token
};

/// Short stable name of a code ("permission denied"), used in messages and by the bindings.
std::string_view errc_name(Errc code) noexcept;

class Error : public std::runtime_error {
  public:
    Error(Errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] Errc code() const noexcept { return code_; }

  private:
    Errc code_;
};

[[noreturn]] void throw_invalid(const std::string& message);
[[noreturn]] void throw_not_found(const std::string& what, std::string_view id);
[[noreturn]] void throw_denied(std::string_view rule, const std::string& reason);

}  // namespace leandesk

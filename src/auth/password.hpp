// Password hashing with Argon2id (libsodium crypto_pwhash_str). Only the encoded hash string is
// ever stored; it carries its own salt and parameters, so a change of parameters is detected at the
// next sign-in and the hash is renewed then.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leandesk::auth {

struct PasswordParams {
    // Defaults: libsodium's "interactive" level — Argon2id, t = 2 passes, m = 64 MiB, p = 1 — above
    // OWASP's minimum for Argon2id (m = 19 MiB, t = 2, p = 1).
    unsigned long long opslimit = 2;
    std::size_t memlimit = std::size_t{64} * 1024 * 1024;

    /// The smallest parameters libsodium accepts: for tests only, where speed matters more.
    static PasswordParams fastest_for_tests();
};

inline constexpr std::size_t kMinPasswordChars = 10;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

/// Checks a new password: length bounds, valid UTF-8, and not the e-mail address itself.
void check_new_password(std::string_view password, std::string_view email);

/// Argon2id hash in libsodium's encoded form ("$argon2id$v=19$m=...").
std::string hash_password(std::string_view password, const PasswordParams& params);

/// Constant-time verification of `password` against an encoded hash.
bool verify_password(const std::string& encoded, std::string_view password);

/// True when `encoded` was made with other parameters than `params` (time to rehash).
bool needs_rehash(const std::string& encoded, const PasswordParams& params);

/// Spends the time of one verification, so an unknown e-mail answers as slowly as a wrong password.
void burn_verification_time(const PasswordParams& params);

}  // namespace leandesk::auth

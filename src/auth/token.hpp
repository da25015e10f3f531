// Secret tokens (sessions, activation, password reset, e-mail change): 256 random bits, handed to
// the user once, stored only as a BLAKE2b hash and compared in constant time.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace leandesk::auth {

inline constexpr std::size_t kTokenBytes = 32;  // 256 bits (the policy asks for at least 128)

/// A new token as URL-safe base64 text (43 characters).
std::string new_token(const RandomSource& random);

/// The stored form of a token: hex of its BLAKE2b-256 hash. Tokens carry 256 bits of entropy, so
/// a fast hash is enough (no dictionary to attack); Argon2 is for low-entropy passwords.
std::string token_hash(std::string_view token);

/// Constant-time equality of two hashes.
bool same_hash(std::string_view a, std::string_view b);

/// Plausibility check before any lookup: length and alphabet of new_token's output.
bool looks_like_token(std::string_view token);

}  // namespace leandesk::auth

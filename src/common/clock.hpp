// Time and randomness are injected so that tests are deterministic (expiries, ids, tokens).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace leandesk {

/// Milliseconds since the Unix epoch, UTC.
using Millis = std::int64_t;

/// Returns "now". The default reads the system clock.
using Clock = std::function<Millis()>;

/// Fills `size` bytes at `out` with unpredictable bytes. The default is libsodium's
/// randombytes_buf.
using RandomSource = std::function<void(unsigned char* out, std::size_t size)>;

Clock system_clock();
RandomSource system_random();

/// A clock that returns *now and can be moved by the test that owns `now`.
Clock manual_clock(const std::shared_ptr<Millis>& now);

/// A deterministic generator (splitmix64) for tests: same seed, same bytes.
RandomSource seeded_random(std::uint64_t seed);

/// "YYYY-MM-DD" of a UTC time.
std::string iso_date(Millis at);

}  // namespace leandesk

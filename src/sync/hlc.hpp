// Hybrid logical clock stamps (docs/protocol.md, "Clocks"). A stamp is the wall time in ms, a
// counter for events within the same millisecond (or while the wall clock lags behind a stamp
// already seen), and the node id of the replica that made it. Its text form sorts as the stamps
// do: "%015lld-%06lld-<node>".
//
// Both parts have a fixed width, so every stamp this header makes stays inside it: a counter that
// would pass 999999 moves the stamp to the next millisecond instead (tick), and a stored pair out
// of range is brought back into it (normalized) before it is used.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "common/clock.hpp"

namespace leandesk::sync {

/// The largest wall time and counter the text form holds (15 and 6 digits).
inline constexpr Millis kMaxHlcWall = 999'999'999'999'999;
inline constexpr std::int64_t kMaxHlcCounter = 999'999;

/// How far ahead of the server's wall clock a pushed command's stamp may be (the server's
/// `max_clock_skew_ms`, this by default and at most): beyond it the push is refused whole.
inline constexpr Millis kDefaultMaxClockSkewMs = 5LL * 60 * 1000;
/// How far ahead of the device's wall clock a replica accepts a server stamp, and keeps its own
/// clock. Twice the server's bound: the server hands out stamps up to its bound ahead of its own
/// wall clock, so a replica whose clock is within the bound of the server's never sees one further
/// ahead than this; a stamp beyond it is refused (docs/protocol.md, "Clocks").
inline constexpr Millis kReplicaMaxClockAheadMs = 2 * kDefaultMaxClockSkewMs;

struct Hlc {
    Millis wall = 0;
    std::int64_t counter = 0;

    /// The stamp of a local event at wall time `now`: later than this one and than `now`. A
    /// counter at its width's end moves on to the next millisecond; only a stamp at the very end
    /// of the text form (year 33658) stays where it is.
    [[nodiscard]] Hlc tick(Millis now) const {
        const Hlc self = normalized();
        if (now > self.wall) return Hlc{std::min(now, kMaxHlcWall), 0};
        if (self.counter < kMaxHlcCounter) return {self.wall, self.counter + 1};
        if (self.wall < kMaxHlcWall) return {self.wall + 1, 0};
        return self;
    }
    /// This clock after seeing `other` (a stamp from elsewhere): later than both.
    [[nodiscard]] Hlc merge(const Hlc& other) const {
        return other.after(*this) ? other.normalized() : normalized();
    }
    /// True when this stamp is later than `other`.
    [[nodiscard]] bool after(const Hlc& other) const {
        return wall > other.wall || (wall == other.wall && counter > other.counter);
    }
    /// The same instant inside the text form's range: a counter past 999999 (which an earlier
    /// version could store) is the next millisecond; negative parts are 0.
    [[nodiscard]] Hlc normalized() const {
        Hlc h{std::clamp<Millis>(wall, 0, kMaxHlcWall), std::max<std::int64_t>(counter, 0)};
        if (h.counter > kMaxHlcCounter) {
            h.counter = 0;
            if (h.wall < kMaxHlcWall) {
                ++h.wall;
            } else {
                h.counter = kMaxHlcCounter;
            }
        }
        return h;
    }
    [[nodiscard]] std::string text(const std::string& node) const {
        const Hlc h = normalized();
        char buf[48];
        std::snprintf(buf, sizeof buf, "%015lld-%06lld-", static_cast<long long>(h.wall),
                      static_cast<long long>(h.counter));
        return buf + node;
    }
    /// Reads the wall and counter of a stamp's text form; nullopt when it is not one.
    static std::optional<Hlc> parse(const std::string& s) {
        if (s.size() < 24 || s.size() > 64 || s[15] != '-' || s[22] != '-') return std::nullopt;
        for (std::size_t i = 0; i < 22; ++i) {
            if (i == 15) continue;
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
        }
        for (std::size_t i = 23; i < s.size(); ++i) {
            const char c = s[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
        }
        return Hlc{std::stoll(s.substr(0, 15)), std::stoll(s.substr(16, 6))};
    }
};

/// "N s" or "N min" for messages about clocks.
inline std::string describe_ms(Millis ms) {
    if (ms >= 120'000) return std::to_string(ms / 60'000) + " min";
    return std::to_string(ms / 1000) + " s";
}

}  // namespace leandesk::sync

// Hybrid logical clock stamps (docs/protocol.md, "Clocks"). A stamp is the wall time in ms, a
// counter for events within the same millisecond (or while the wall clock lags behind a stamp
// already seen), and the node id of the replica that made it. Its text form sorts as the stamps
// do: "%015lld-%06lld-<node>".
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "common/clock.hpp"

namespace leandesk::sync {

struct Hlc {
    Millis wall = 0;
    std::int64_t counter = 0;

    /// The stamp of a local event at wall time `now`: later than this one and than `now`.
    [[nodiscard]] Hlc tick(Millis now) const {
        if (now > wall) return {now, 0};
        return {wall, counter + 1};
    }
    /// This clock after seeing `other` (a stamp from elsewhere): later than both.
    [[nodiscard]] Hlc merge(const Hlc& other) const {
        if (other.wall > wall || (other.wall == wall && other.counter > counter)) return other;
        return *this;
    }
    [[nodiscard]] std::string text(const std::string& node) const {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%015lld-%06lld-", static_cast<long long>(wall),
                      static_cast<long long>(counter));
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

}  // namespace leandesk::sync

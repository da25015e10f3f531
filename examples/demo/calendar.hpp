// Dates for the walkthrough. Every date is relative to today (the engine's real clock), so that
// whenever the demo runs, one action is a little late and the rest are on time.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace demo {

/// The ISO date ("YYYY-MM-DD") `days` away from `now` (negative: in the past).
std::string date_in(leandesk::Millis now, int days);

/// The ISO week ("YYYY-Www") of the day `days` away from `now`: the key of indicator values.
std::string week_in(leandesk::Millis now, int days);

/// How an ISO date reads next to today: "today", "tomorrow", "in 5 days", "2 days ago".
std::string relative_to_today(leandesk::Millis now, std::string_view iso_date);

}  // namespace demo

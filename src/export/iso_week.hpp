// ISO-8601 weeks ("2026-W09") and their Monday, for the indicators' weekly values.
#pragma once

#include <string>

namespace leandesk::exports {

/// The Monday of ISO week `week` ("YYYY-Www", already validated) as "YYYY-MM-DD".
std::string iso_week_monday(const std::string& week);

}  // namespace leandesk::exports

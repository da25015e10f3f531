#include "export/iso_week.hpp"

#include <chrono>
#include <cstdio>

namespace leandesk::exports {

std::string iso_week_monday(const std::string& week) {
    using namespace std::chrono;
    const int y = std::stoi(week.substr(0, 4));
    const int n = std::stoi(week.substr(6, 2));
    // Week 1 is the week that holds January 4th.
    const sys_days jan4 = sys_days(year(y) / January / 4);
    const sys_days monday = jan4 - days(weekday(jan4).iso_encoding() - 1) + days(7 * (n - 1));
    const year_month_day ymd(monday);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

}  // namespace leandesk::exports

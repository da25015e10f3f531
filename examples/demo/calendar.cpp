#include "calendar.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace demo {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

sys_days day_of(leandesk::Millis at) {
    return std::chrono::floor<days>(sys_days() + std::chrono::milliseconds(at));
}

sys_days parse_iso_date(std::string_view text) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    if (std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) {
        throw std::invalid_argument("not an ISO date: " + std::string(text));
    }
    return sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

}  // namespace

std::string date_in(leandesk::Millis now, int offset) {
    const std::chrono::year_month_day ymd(day_of(now) + days(offset));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string week_in(leandesk::Millis now, int offset) {
    using namespace std::chrono;
    const sys_days day = day_of(now) + days(offset);
    // ISO 8601: a week belongs to the year of its Thursday, and week 1 holds the year's first one.
    const sys_days monday = day - (weekday(day) - Monday);  // weeks run Monday to Sunday
    const sys_days thursday = monday + days(3);
    const year y = year_month_day(thursday).year();
    const auto week = (thursday - sys_days(y / January / 1)).count() / 7 + 1;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(y), static_cast<int>(week));
    return buf;
}

std::string relative_to_today(leandesk::Millis now, std::string_view iso_date) {
    const auto delta = (parse_iso_date(iso_date) - day_of(now)).count();
    if (delta == 0) return "today";
    if (delta == 1) return "tomorrow";
    if (delta == -1) return "yesterday";
    if (delta > 1) return "in " + std::to_string(delta) + " days";
    return std::to_string(-delta) + " days ago";
}

}  // namespace demo

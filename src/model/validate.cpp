#include "model/validate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "common/error.hpp"

namespace leandesk::validate {
bool is_valid_utf8(std::string_view value);
namespace {

std::string quote(std::string_view field) {
    return "'" + std::string(field) + "'";
}

// A bad value echoed in a message only when it is short, valid UTF-8 text.
std::string shown(std::string_view value) {
    return value.size() <= 80 && is_valid_utf8(value) && value.find('\0') == std::string_view::npos
               ? std::string(value)
               : std::string("(not shown)");
}

bool is_hex_lower(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

int digits(std::string_view s, std::size_t pos, std::size_t n) {
    int value = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (i >= s.size() || !is_digit(s[i])) return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

// Decodes one code point at s[i]; returns its length or 0 when the sequence is not valid UTF-8.
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((b0 & 0xE0U) == 0xC0U) {
        len = 2, cp = b0 & 0x1FU, min = 0x80;
    } else if ((b0 & 0xF0U) == 0xE0U) {
        len = 3, cp = b0 & 0x0FU, min = 0x800;
    } else if ((b0 & 0xF8U) == 0xF0U) {
        len = 4, cp = b0 & 0x07U, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0U) != 0x80U) return 0;
        cp = (cp << 6U) | (b & 0x3FU);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

}  // namespace

bool is_valid_utf8(std::string_view value) {
    for (std::size_t i = 0; i < value.size();) {
        char32_t cp = 0;
        const std::size_t n = utf8_sequence(value, i, cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

void text(std::string_view field, std::string_view value, std::size_t max_chars, bool allow_empty,
          bool multiline) {
    // Bytes bound first so a huge string is refused before it is walked.
    if (value.size() > max_chars * 4) {
        throw_invalid(quote(field) + " is too long (at most " + std::to_string(max_chars) +
                      " characters)");
    }
    std::size_t chars = 0;
    bool blank = true;
    for (std::size_t i = 0; i < value.size();) {
        char32_t cp = 0;
        const std::size_t n = utf8_sequence(value, i, cp);
        if (n == 0) throw_invalid(quote(field) + " is not valid UTF-8");
        if (cp == 0) throw_invalid(quote(field) + " contains a NUL character");
        if (cp < 0x20 || cp == 0x7F) {
            const bool allowed = multiline && (cp == '\n' || cp == '\t' || cp == '\r');
            if (!allowed) throw_invalid(quote(field) + " contains a control character");
        }
        if (cp != ' ' && cp != '\n' && cp != '\t' && cp != '\r') blank = false;
        ++chars;
        i += n;
    }
    if (chars > max_chars) {
        throw_invalid(quote(field) + " is too long (at most " + std::to_string(max_chars) +
                      " characters)");
    }
    if (blank && !allow_empty) throw_invalid(quote(field) + " must not be empty");
}

std::string email(std::string_view value) {
    text("email", value, limits::email);
    const auto at = value.find('@');
    const bool one_at =
        at != std::string_view::npos && value.find('@', at + 1) == std::string_view::npos;
    const auto domain = one_at ? value.substr(at + 1) : std::string_view{};
    const auto dot = domain.rfind('.');
    const bool shape = one_at && at > 0 && at <= 64 && dot != std::string_view::npos && dot > 0 &&
                       dot + 2 <= domain.size() && domain.front() != '.' &&
                       domain.find("..") == std::string_view::npos;
    const bool clean = std::none_of(value.begin(), value.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"';
    });
    if (!shape || !clean) throw_invalid("'email' is not an e-mail address: " + std::string(value));
    std::string lower(value);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return lower;
}

void id(std::string_view field, std::string_view value) {
    bool ok = value.size() == 36;
    for (std::size_t i = 0; ok && i < value.size(); ++i) {
        const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
        ok = dash_here ? value[i] == '-' : is_hex_lower(value[i]);
    }
    if (!ok) throw_invalid(quote(field) + " is not a valid id (expected a lower-case UUID)");
}

void date(std::string_view field, std::string_view value) {
    using namespace std::chrono;
    const bool shape = value.size() == 10 && value[4] == '-' && value[7] == '-';
    const int y = shape ? digits(value, 0, 4) : -1;
    const int m = shape ? digits(value, 5, 2) : -1;
    const int d = shape ? digits(value, 8, 2) : -1;
    const bool ok =
        y >= 1900 && m >= 1 && d >= 1 &&
        year_month_day(year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d)))
            .ok();
    if (!ok) throw_invalid(quote(field) + " is not a date YYYY-MM-DD: " + shown(value));
}

void week(std::string_view field, std::string_view value) {
    using namespace std::chrono;
    const bool shape = value.size() == 8 && value[4] == '-' && value[5] == 'W';
    const int y = shape ? digits(value, 0, 4) : -1;
    const int w = shape ? digits(value, 6, 2) : -1;
    bool ok = y >= 1900 && w >= 1 && w <= 53;
    if (ok && w == 53) {
        // A year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a
        // Wednesday.
        const year yr(y);
        const unsigned jan1 = weekday(sys_days(yr / January / 1)).iso_encoding();
        ok = jan1 == 4 || (yr.is_leap() && jan1 == 3);
    }
    if (!ok) throw_invalid(quote(field) + " is not an ISO week YYYY-Www: " + shown(value));
}

void range(std::string_view field, std::int64_t value, std::int64_t lo, std::int64_t hi) {
    if (value < lo || value > hi) {
        throw_invalid(quote(field) + " must be between " + std::to_string(lo) + " and " +
                      std::to_string(hi));
    }
}

void finite(std::string_view field, double value) {
    if (!std::isfinite(value) || std::fabs(value) > 1e15) {
        throw_invalid(quote(field) + " must be a finite number of at most 1e15 in size");
    }
}

void url(std::string_view field, std::string_view value) {
    text(field, value, limits::url);
    const bool scheme = value.rfind("https://", 0) == 0 || value.rfind("http://", 0) == 0;
    const bool clean = std::none_of(value.begin(), value.end(), [](char c) { return c == ' '; });
    if (!scheme || !clean) throw_invalid(quote(field) + " must be an http(s) URL");
}

}  // namespace leandesk::validate

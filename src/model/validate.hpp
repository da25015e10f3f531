// Validation of every value that enters the engine, whoever sends it (C API, bindings, sync,
// imported files). Each check throws Error(invalid_argument) with a message naming the field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leandesk::limits {
inline constexpr std::size_t name = 200;         // group, project, step, indicator, person names
inline constexpr std::size_t title = 300;        // action titles
inline constexpr std::size_t long_text = 20000;  // descriptions, notes, comments
inline constexpr std::size_t short_text = 200;   // context, unit, caption
inline constexpr std::size_t email = 254;        // RFC 5321 path limit
inline constexpr std::size_t url = 2048;
}  // namespace leandesk::limits

namespace leandesk::validate {

/// Valid UTF-8 (no overlongs, no surrogates), no NUL or other C0 control except tab/newline when
/// `multiline`, at most `max_chars` code points, and not blank unless `allow_empty`.
void text(std::string_view field, std::string_view value, std::size_t max_chars,
          bool allow_empty = false, bool multiline = false);

/// Returns the address lower-cased after checking its shape (local@domain.tld, no spaces).
std::string email(std::string_view value);

/// A canonical UUID: 36 characters, lower-case hex, dashes at 8-13-18-23.
void id(std::string_view field, std::string_view value);

/// A calendar date "YYYY-MM-DD" between 1900-01-01 and 9999-12-31.
void date(std::string_view field, std::string_view value);

/// An ISO week "YYYY-Www" that exists in that year.
void week(std::string_view field, std::string_view value);

void range(std::string_view field, std::int64_t value, std::int64_t lo, std::int64_t hi);
void finite(std::string_view field, double value);

/// http(s) URL without spaces or control characters.
void url(std::string_view field, std::string_view value);

bool is_valid_utf8(std::string_view value);

}  // namespace leandesk::validate

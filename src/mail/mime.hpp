// Building an Internet message (RFC 5322 + MIME) from a Mail: Date, Message-ID, From, To,
// Subject (RFC 2047 encoded words for non-ASCII), MIME-Version, and a multipart/alternative body
// (text, then HTML) in quoted-printable. Pure functions, so every byte is testable without a
// server.
#pragma once

#include <string>
#include <string_view>

#include "auth/mail.hpp"
#include "common/clock.hpp"

namespace leandesk::mail {

/// "Fri, 27 Nov 2026 05:54:03 +0000" (RFC 5322 date-time, UTC).
std::string rfc5322_date(Millis at);

/// A header phrase: plain ASCII as a quoted string when needed, anything else as RFC 2047
/// "=?UTF-8?B?...?=" words (each at most 75 characters, folded with CRLF SP). Line breaks in
/// `text` become spaces, so a value can never start a new header.
std::string encode_phrase(std::string_view text);

/// An unstructured header value (Subject): printable ASCII as it is (quotes there would be shown
/// to the reader), anything else as RFC 2047 words like encode_phrase(). Line breaks become
/// spaces.
std::string encode_unstructured(std::string_view text);

/// "Name <address>", or the bare "<address>" when `name` is empty.
std::string mailbox(std::string_view name, std::string_view address);

/// Quoted-printable (RFC 2045): CRLF line ends, lines of at most 76 characters, "=", non-ASCII
/// bytes, controls and line-final spaces encoded.
std::string quoted_printable(std::string_view text);

struct MessageIds {
    std::string message_id;  // "<...@domain>"
    std::string boundary;    // MIME boundary (never found in quoted-printable output)
};

/// The whole message, ready for SMTP DATA (CRLF line ends; libcurl does the dot-stuffing).
/// Throws Error(invalid_argument) for an invalid recipient or sender address.
std::string build_message(const Mail& mail, std::string_view from_address,
                          std::string_view from_name, Millis date, const MessageIds& ids);

}  // namespace leandesk::mail

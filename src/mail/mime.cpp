#include "mail/mime.hpp"

#include <sodium.h>

#include <cstdio>
#include <ctime>

#include "common/error.hpp"
#include "model/validate.hpp"

namespace leandesk::mail {
namespace {

bool is_ascii_printable(std::string_view s) {
    for (const unsigned char c : s) {
        if (c < 0x20 || c > 0x7E) return false;
    }
    return true;
}

std::string one_line(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c == '\r' || c == '\n' || c == '\t') c = ' ';
    }
    return out;
}

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

// Length of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte).
std::size_t utf8_len(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

}  // namespace

std::string rfc5322_date(Millis at) {
    const std::time_t t = static_cast<std::time_t>(at / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::string encode_phrase(std::string_view text) {
    const std::string s = one_line(text);
    if (is_ascii_printable(s)) {
        // A quoted-string is valid for any printable ASCII once " and \ are escaped.
        std::string q = "\"";
        for (const char c : s) {
            if (c == '"' || c == '\\') q += '\\';
            q += c;
        }
        return q + "\"";
    }
    // Encoded words of at most 45 bytes of text (60 base64 characters + 12 = 72 <= 75), cut only
    // between UTF-8 sequences so each word decodes on its own (RFC 2047 section 5).
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t end = i;
        while (end < s.size()) {
            const std::size_t n = utf8_len(static_cast<unsigned char>(s[end]));
            if (end + n - i > 45) break;
            end += n;
        }
        if (end == i) end = std::min(s.size(), i + 1);
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(std::string_view(s).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string encode_unstructured(std::string_view text) {
    const std::string s = one_line(text);
    // Printable ASCII needs no quoting in an unstructured field; anything else is encoded words.
    return is_ascii_printable(s) ? s : encode_phrase(s);
}

std::string mailbox(std::string_view name, std::string_view address) {
    if (name.empty()) return "<" + std::string(address) + ">";
    return encode_phrase(name) + " <" + std::string(address) + ">";
}

std::string quoted_printable(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t col = 0;
    const auto put = [&](const std::string& token) {
        if (col + token.size() > 75) {  // 75 + the soft break's "=" = 76
            out += "=\r\n";
            col = 0;
        }
        out += token;
        col += token.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            continue;  // CRLF: the LF ends the line
        if (c == '\n' || c == '\r') {
            out += "\r\n";
            col = 0;
            continue;
        }
        const bool line_end = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
        const bool literal =
            (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
        // A "." alone at a line start is kept literal: libcurl dot-stuffs the DATA section.
        if (literal) {
            put(std::string(1, static_cast<char>(c)));
        } else {
            put(std::string{'=', kHex[c >> 4], kHex[c & 0x0F]});
        }
    }
    return out;
}

std::string build_message(const Mail& mail, std::string_view from_address,
                          std::string_view from_name, Millis date, const MessageIds& ids) {
    const std::string to = validate::email(mail.to);
    const std::string from = validate::email(from_address);
    std::string m;
    m += "Date: " + rfc5322_date(date) + "\r\n";
    m += "Message-ID: " + ids.message_id + "\r\n";
    m += "From: " + mailbox(from_name, from) + "\r\n";
    m += "To: " + mailbox(mail.to_name, to) + "\r\n";
    m += "Subject: " + encode_unstructured(mail.subject) + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    const auto part = [](const char* type, const std::string& body) {
        return std::string("Content-Type: ") + type +
               "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
               quoted_printable(body) + "\r\n";
    };
    if (mail.html.empty()) {
        m += part("text/plain", mail.text);
        return m;
    }
    // The boundary holds "=_", which quoted-printable output can never contain ("=" is always
    // followed by two hex digits or a line end there).
    m += "Content-Type: multipart/alternative; boundary=\"" + ids.boundary + "\"\r\n\r\n";
    m += "This is a message in MIME format.\r\n";
    m += "--" + ids.boundary + "\r\n" + part("text/plain", mail.text);
    m += "--" + ids.boundary + "\r\n" + part("text/html", mail.html);
    m += "--" + ids.boundary + "--\r\n";
    return m;
}

}  // namespace leandesk::mail

// The message the SMTP sender hands to the server, byte by byte; and the sender's refusal of
// configurations that would send in clear. Delivery itself is test_smtp.py (a real server).
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "mail/mime.hpp"
#include "mail/smtp_sender.hpp"

namespace leandesk::testing {
namespace {

using namespace leandesk::mail;

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

TEST(Mime, DateIsRfc5322Utc) {
    EXPECT_EQ(rfc5322_date(1772442000000), "Mon, 02 Mar 2026 09:00:00 +0000");
    EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(Mime, PhrasesAreQuotedOrEncoded) {
    EXPECT_EQ(encode_phrase("Ann Archer"), "\"Ann Archer\"");
    EXPECT_EQ(encode_phrase("Bob \"the\" \\ Baker"), "\"Bob \\\"the\\\" \\\\ Baker\"");
    EXPECT_EQ(encode_phrase("Zoë"), "=?UTF-8?B?Wm/Dqw==?=");
    // Line breaks never reach the header: they would start a new one (header injection).
    EXPECT_EQ(encode_phrase("a\r\nBcc: x@evil.test"), "\"a  Bcc: x@evil.test\"");
    // Long non-ASCII text: several words of at most 75 characters, folded, cut between characters.
    const std::string longer = encode_phrase(std::string(40, 'a') + "ééééééééééééééééééééééééé");
    std::size_t start = 0;
    int words = 0;
    while (start < longer.size()) {
        std::size_t end = longer.find("\r\n ", start);
        if (end == std::string::npos) end = longer.size();
        const std::string word = longer.substr(start, end - start);
        EXPECT_LE(word.size(), 75U) << word;
        EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0U);
        ++words;
        start = end == longer.size() ? end : end + 3;
    }
    EXPECT_GE(words, 2);
}

TEST(Mime, SubjectsAreNotQuoted) {
    // A quoted string is a phrase, not unstructured text: mail readers would show the quotes.
    EXPECT_EQ(encode_unstructured("Activate your LeanDesk account"), "Activate your LeanDesk account");
    EXPECT_EQ(encode_unstructured("Say \"hi\""), "Say \"hi\"");
    EXPECT_EQ(encode_unstructured("a\r\nBcc: x@evil.test"), "a  Bcc: x@evil.test");
    EXPECT_EQ(encode_unstructured("Zoë"), "=?UTF-8?B?Wm/Dqw==?=");
}

TEST(Mime, QuotedPrintable) {
    EXPECT_EQ(quoted_printable("plain text"), "plain text");
    EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
    EXPECT_EQ(quoted_printable("Zoë"), "Zo=C3=AB");
    EXPECT_EQ(quoted_printable("line one\nline two"), "line one\r\nline two");
    EXPECT_EQ(quoted_printable("ends with space \nx"), "ends with space=20\r\nx");
    const std::string long_line = quoted_printable(std::string(200, 'x'));
    for (std::size_t start = 0, end; start < long_line.size(); start = end + 2) {
        end = long_line.find("\r\n", start);
        if (end == std::string::npos) end = long_line.size();
        EXPECT_LE(end - start, 76U);
    }
    EXPECT_TRUE(contains(long_line, "=\r\n")) << "soft line breaks";
}

TEST(Mime, MultipartAlternativeWithHeaders) {
    Mail m{"dan@example.com", "Dan Dïaz", "Rapport – Zoë", "Text ✓\n", "<p>HTML ✓</p>"};
    const std::string msg = build_message(m, "noreply@example.com", "LeanDesk", 1772442000000,
                                          {"<abc@example.com>", "=_leandesk_1234"});
    EXPECT_EQ(msg.rfind("Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n", 0), 0U);
    EXPECT_TRUE(contains(msg, "\r\nMessage-ID: <abc@example.com>\r\n"));
    EXPECT_TRUE(contains(msg, "\r\nFrom: \"LeanDesk\" <noreply@example.com>\r\n"));
    EXPECT_TRUE(contains(msg, "\r\nTo: =?UTF-8?B?"));
    EXPECT_TRUE(contains(msg, "\r\nSubject: =?UTF-8?B?"));
    EXPECT_TRUE(contains(msg, "\r\nMIME-Version: 1.0\r\n"));
    EXPECT_TRUE(contains(msg, "Content-Type: multipart/alternative; boundary=\"=_leandesk_1234\""));
    EXPECT_LT(msg.find("text/plain"), msg.find("text/html")) << "the preferred part comes last";
    EXPECT_TRUE(contains(msg, "--=_leandesk_1234--\r\n"));
    EXPECT_FALSE(contains(msg, "\n\n")) << "every line ends with CRLF";
    // A bad recipient never reaches the wire.
    m.to = "dan@example.com\r\nRCPT TO:<x@evil.test>";
    EXPECT_THROW(build_message(m, "noreply@example.com", "", 0, {"<a@b>", "=_x"}), Error);
}

TEST(Mime, TextOnlyMailIsOnePart) {
    const std::string msg = build_message(Mail{"a@example.com", "", "Hi", "Body", ""},
                                          "noreply@example.com", "", 0, {"<a@b>", "=_x"});
    EXPECT_TRUE(contains(msg, "Content-Type: text/plain; charset=UTF-8\r\n"));
    EXPECT_FALSE(contains(msg, "multipart"));
    EXPECT_TRUE(contains(msg, "\r\nTo: <a@example.com>\r\n"));
}

TEST(SmtpConfig, PlainTextOnlyToLoopback) {
    EXPECT_TRUE(is_loopback_host("127.0.0.1"));
    EXPECT_TRUE(is_loopback_host("127.9.9.9"));
    EXPECT_TRUE(is_loopback_host("[::1]"));
    EXPECT_TRUE(is_loopback_host("localhost"));
    EXPECT_FALSE(is_loopback_host("128.0.0.1"));
    EXPECT_FALSE(is_loopback_host("mail.example.com"));
    EXPECT_FALSE(is_loopback_host("localhost.example.com"));
    SmtpConfig c;
    c.from = "noreply@example.com";
    c.url = "smtp://mail.example.com:587";
    c.allow_plaintext_loopback = true;
    EXPECT_THROW(SmtpSender{c}, Error) << "plain text to a remote host";
    c.allow_plaintext_loopback = false;
    EXPECT_NO_THROW(SmtpSender{c}) << "STARTTLS required";
    c.url = "http://mail.example.com";
    EXPECT_THROW(SmtpSender{c}, Error);
    c.url = "smtps://mail.example.com";
    c.from = "not an address";
    EXPECT_THROW(SmtpSender{c}, Error);
}

}  // namespace
}  // namespace leandesk::testing

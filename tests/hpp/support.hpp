// Shared fixture of the leandesk.hpp tests: a temporary database with fast password hashing, a
// mail sender that keeps every mail, and a helper that makes activated, signed-in users.
#pragma once

#include <gtest/gtest.h>
#include <leandesk/leandesk.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ld_test {

/// Open options that keep Argon2id cheap (the library's minimum) so tests run fast.
inline ld::json fast_options(ld::json extra = ld::json::object()) {
    ld::json options = {{"password_opslimit", 1}, {"password_memlimit", 8192}};
    options.update(extra);
    return options;
}

/// The password every test user gets.
inline const std::string kPassword = "correct horse battery";

/// Mails a test database sent, shared with the sender lambda.
struct Mailbox {
    std::mutex mutex;
    std::vector<ld::Mail> mails;

    void add(const ld::Mail& m) {
        std::lock_guard<std::mutex> lock(mutex);
        mails.push_back(m);
    }
    /// The last mail sent to `to` (fails the test when none).
    ld::Mail last_to(const std::string& to) {
        std::lock_guard<std::mutex> lock(mutex);
        for (auto it = mails.rbegin(); it != mails.rend(); ++it) {
            if (it->to == to) return *it;
        }
        ADD_FAILURE() << "no mail to " << to;
        return {};
    }
    std::size_t size() {
        std::lock_guard<std::mutex> lock(mutex);
        return mails.size();
    }
};

/// The single-use code in a mail's text: the first run of exactly 43 URL-safe base64 characters.
/// (A scan, not std::regex: GCC 12 reports a false "maybe uninitialized" inside <regex> in the
/// sanitizer build, where warnings are errors.)
inline std::string code_in(const ld::Mail& mail) {
    const auto is_code_char = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    };
    const std::string& text = mail.text;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_code_char(text[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && is_code_char(text[end])) ++end;
        if (end - i == 43) return text.substr(i, 43);
        i = end;
    }
    ADD_FAILURE() << "no code in mail: " << text;
    return {};
}

/// A fresh in-memory database with a capturing mail sender.
class HppTest : public ::testing::Test {
  protected:
    HppTest() : db(":memory:", fast_options()), mailbox(std::make_shared<Mailbox>()) {
        auto box = mailbox;
        db.set_mail_sender([box](const ld::Mail& m) { box->add(m); });
    }

    /// Signs up, activates and signs in a user named `first` (e-mail first@example.com).
    ld::Session user(const std::string& first, const std::string& last = "Tester") {
        const std::string email = lower(first) + "@example.com";
        db.account_sign_up(ld::SignUp{first, last, email, kPassword});
        db.account_activate(code_in(mailbox->last_to(email)));
        return ld::Session::sign_in(db, email, kPassword);
    }

    static std::string lower(std::string s) {
        for (char& c : s) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        return s;
    }

    ld::Database db;
    std::shared_ptr<Mailbox> mailbox;
};

/// Runs `fn`, expects it to throw `E`, and returns the message.
template <typename E, typename Fn>
std::string expect_throw(Fn&& fn) {
    try {
        fn();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected " << typeid(E).name() << ", got " << typeid(e).name() << ": "
                      << e.what();
        return {};
    }
    ADD_FAILURE() << "expected " << typeid(E).name() << ", nothing was thrown";
    return {};
}

/// Bytes that pass the library's image check (a PNG signature and a little more).
inline std::vector<std::uint8_t> tiny_png() {
    return {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3};
}

}  // namespace ld_test

/// The fixture under a name TEST_F accepts (it needs an unqualified one).
using HppTest = ld_test::HppTest;

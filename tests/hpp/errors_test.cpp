// Status codes become ld::Error subclasses carrying the code and the library's message.
#include "support.hpp"

using ld_test::expect_throw;

namespace {

const char* const kUnknownId = "00000000-0000-4000-8000-000000000000";

template <typename E>
void expect_maps(int code) {
    try {
        ld::throw_error(code, "boom");
    } catch (const E& e) {
        EXPECT_EQ(e.code(), code);
        EXPECT_STREQ(e.what(), "boom");
        EXPECT_STREQ(e.name(), ld_error_name(code));
        return;
    } catch (...) {
    }
    ADD_FAILURE() << "code " << code << " did not map to the expected class";
}

}  // namespace

TEST(HppErrors, EveryCodeMapsToItsClass) {
    expect_maps<ld::NotFound>(LD_ENOTFOUND);
    expect_maps<ld::PermissionDenied>(LD_EPERM);
    expect_maps<ld::InvalidArgument>(LD_EINVAL);
    expect_maps<ld::Conflict>(LD_ECONFLICT);
    expect_maps<ld::NotSignedIn>(LD_ENOTSIGNEDIN);
    expect_maps<ld::SessionExpired>(LD_ESESSION);
    expect_maps<ld::NetworkError>(LD_ENETWORK);
    expect_maps<ld::IoError>(LD_EIO);
    expect_maps<ld::Busy>(LD_EBUSY);
    expect_maps<ld::OutOfMemory>(LD_ENOMEM);
    expect_maps<ld::RateLimited>(LD_ERATELIMIT);
    expect_maps<ld::Cancelled>(LD_ECANCELLED);
    expect_maps<ld::Corrupt>(LD_ECORRUPT);
    expect_maps<ld::InternalError>(LD_EINTERNAL);
    expect_maps<ld::AuthFailed>(LD_EAUTH);
    expect_maps<ld::Error>(LD_ERROR);
    expect_maps<ld::Error>(-999);  // a code from a newer library still throws
}

TEST(HppErrors, CheckPassesOkAndThrowsTheLastError) {
    EXPECT_NO_THROW(ld::check(LD_OK));
    ld_db* raw = nullptr;
    const int rc = ld_db_open(&raw, ":memory:", "{\"no_such_option\": 1}");
    try {
        ld::check(rc);
        ADD_FAILURE() << "no exception";
    } catch (const ld::InvalidArgument& e) {
        EXPECT_EQ(e.code(), LD_EINVAL);
        EXPECT_NE(std::string(e.what()).find("no_such_option"), std::string::npos) << e.what();
    }
    EXPECT_EQ(raw, nullptr);
}

TEST(HppErrors, BadOpenOptionsThrowInvalidArgument) {
    expect_throw<ld::InvalidArgument>([] {
        ld::Database db(":memory:", {{"max_blob_bytes", "x"}});
    });
    expect_throw<ld::InvalidArgument>([] { ld::Database db(":memory:", ld::json::array()); });
}

TEST_F(HppTest, R9ViolationThrowsPermissionDenied) {
    ld::Session alice = user("Alice");  // group manager, not a participant of Bob's project
    ld::Session bob = user("Bob");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    alice.group_add_member(g.id, "bob@example.com");
    const ld::Project p = bob.project_create({{"group_id", g.id}, {"name", "Shorter queues"}});
    const auto seq = db.changes_since(0, 100000).back().seq;

    try {
        alice.action_create({{"project_id", p.id}, {"title", "Sneak in"}});
        ADD_FAILURE() << "the manager who is not a participant created an action";
    } catch (const ld::Error& e) {  // caught as the base class too
        EXPECT_EQ(e.code(), LD_EPERM);
        EXPECT_NE(dynamic_cast<const ld::PermissionDenied*>(&e), nullptr);
        EXPECT_EQ(std::string(e.what()).rfind("R9:", 0), 0U) << e.what();
        EXPECT_STREQ(e.name(), ld_error_name(LD_EPERM));
        EXPECT_EQ(dynamic_cast<const ld::PermissionDenied&>(e).rule(), "R9");
    }
    EXPECT_TRUE(bob.project_actions(p.id).empty());          // nothing changed
    EXPECT_EQ(db.changes_since(0, 100000).back().seq, seq);  // nothing logged
}

TEST(HppErrors, PermissionDeniedRuleIsEmptyWhenTheMessageNamesNone) {
    EXPECT_EQ(ld::PermissionDenied("R12: only the operator").rule(), "R12");
    EXPECT_EQ(ld::PermissionDenied("refused").rule(), "");
    EXPECT_EQ(ld::PermissionDenied("R: odd").rule(), "");
    EXPECT_EQ(ld::PermissionDenied("R7").rule(), "");
}

TEST_F(HppTest, CommonCodesMapToClasses) {
    ld::Session alice = user("Alice");
    expect_throw<ld::NotFound>([&] { alice.group_get(kUnknownId); });
    expect_throw<ld::InvalidArgument>([&] { alice.group_create({{"nmae", "typo"}}); });
    expect_throw<ld::InvalidArgument>([&] {
        alice.group_create({{"name", std::string("\xff\xfe")}});
    });
    // (A sign-up for a taken address is no conflict: it answers like any other, docs/accounts.md.)
    const auto mine = alice.group_create({{"name", "Mine"}});
    expect_throw<ld::Conflict>([&] { alice.group_add_member(mine.id, "alice@example.com"); });
    expect_throw<ld::AuthFailed>(
        [&] { ld::Session::sign_in(db, "alice@example.com", "wrong password!"); });
    expect_throw<ld::AuthFailed>([&] { db.account_activate(std::string(43, 'A')); });
    expect_throw<ld::NotSignedIn>([&] { ld::Session::resume(db, "not a token"); });
    alice.sign_out();
    expect_throw<ld::SessionExpired>([&] { alice.me_get(); });
}

TEST_F(HppTest, MessagesComeFromTheCallingThread) {
    ld::Session alice = user("Alice");
    const std::string message = expect_throw<ld::NotFound>([&] { alice.project_get(kUnknownId); });
    EXPECT_FALSE(message.empty());
    EXPECT_NO_THROW(alice.group_list());  // a success in between does not disturb later errors
    EXPECT_EQ(expect_throw<ld::NotFound>([&] { alice.project_get(kUnknownId); }), message);
}

TEST(HppErrors, RateLimitedAndBusyCarryTheServersTimeToWait) {
    try {
        ld::throw_error(LD_ERATELIMIT, "rate limited (retry after 60 s)", 60000);
        ADD_FAILURE() << "no throw";
    } catch (const ld::RateLimited& e) {
        ASSERT_TRUE(e.retry_after().has_value());
        EXPECT_EQ(e.retry_after()->count(), 60000);
    }
    try {
        ld::throw_error(LD_EBUSY, "busy (retry after 2 s)", 2000);
        ADD_FAILURE() << "no throw";
    } catch (const ld::Busy& e) {
        ASSERT_TRUE(e.retry_after().has_value());
        EXPECT_EQ(e.retry_after()->count(), 2000);
    }
    // No wait given (negative, the default, or ld_last_error_retry_after_ms() after a success).
    try {
        ld::throw_error(LD_ERATELIMIT, "rate limited");
    } catch (const ld::RateLimited& e) {
        EXPECT_FALSE(e.retry_after().has_value());
    }
    ld::check_version();  // a success: the thread's last failure has no time to wait
    EXPECT_EQ(ld_last_error_retry_after_ms(), -1);
    try {
        ld::check(LD_ERATELIMIT);
    } catch (const ld::RateLimited& e) {
        EXPECT_FALSE(e.retry_after().has_value());
    }
}

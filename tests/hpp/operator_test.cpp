// The operator's functions (R12) and the own-account functions (R11) through the wrapper.
#include "support.hpp"

using ld_test::expect_throw;
using ld_test::kPassword;

namespace {

const char* const kSecret = "operator secret 0123456789";

class HppOperator : public ld_test::HppTest {
  protected:
    HppOperator() {
        db.operator_set_secret("", kSecret);
        op = std::make_unique<ld::Session>(ld::Session::operator_sign_in(db, kSecret));
    }
    std::unique_ptr<ld::Session> op;
};

}  // namespace

TEST_F(HppOperator, SecretAndSignIn) {
    expect_throw<ld::AuthFailed>(
        [&] { ld::Session::operator_sign_in(db, "wrong secret 0123456789"); });
    expect_throw<ld::AuthFailed>([&] { db.operator_set_secret("wrong secret 0123456789", "x"); });
    db.operator_set_secret(kSecret, "a brand new secret 42");
    expect_throw<ld::SessionExpired>([&] { op->operator_active_users(); });  // sessions ended
    EXPECT_TRUE(ld::Session::operator_sign_in(db, "a brand new secret 42").info().is_operator);
}

TEST_F(HppOperator, StatusDeactivationLoginEmailReset) {
    ld::Session alice = user("Alice");
    const std::string id = alice.me_get().id;

    EXPECT_EQ(op->operator_set_user_status(id, "gold").status, "gold");
    expect_throw<ld::InvalidArgument>([&] { op->operator_set_user_status(id, "platinum"); });
    expect_throw<ld::PermissionDenied>([&] { alice.operator_set_user_status(id, "silver"); });
    EXPECT_EQ(op->operator_get_user(id).status, "gold");

    EXPECT_TRUE(op->operator_set_user_deactivated(id, true).deactivated);
    expect_throw<ld::SessionExpired>([&] { alice.me_get(); });  // R12: every session ends at once
    const std::string denied = expect_throw<ld::PermissionDenied>(
        [&] { ld::Session::sign_in(db, "alice@example.com", kPassword); });
    EXPECT_EQ(denied.rfind("R12:", 0), 0U) << denied;
    EXPECT_FALSE(op->operator_set_user_deactivated(id, false).deactivated);

    ld::Session bob = user("Bob");
    expect_throw<ld::Conflict>([&] { op->operator_change_login_email(id, "bob@example.com"); });
    EXPECT_EQ(op->operator_change_login_email(id, "alice@new.example.com").email,
              "alice@new.example.com");
    ld::Session again = ld::Session::sign_in(db, "alice@new.example.com", kPassword);

    op->operator_reset_password(id);
    expect_throw<ld::SessionExpired>([&] { again.me_get(); });
    db.account_reset_password(ld_test::code_in(mailbox->last_to("alice@new.example.com")),
                              "reset by the operator");
    EXPECT_NO_THROW(ld::Session::sign_in(db, "alice@new.example.com", "reset by the operator"));
}

TEST_F(HppOperator, ActiveUsersAndNewsletter) {
    ld::Session alice = user("Alice");
    ld::Session bob = user("Bob");
    bob.me_update({{"newsletter_opt_in", false}});
    EXPECT_EQ(op->operator_active_users().size(), 2U);
    const auto newsletter = op->operator_newsletter_recipients();
    ASSERT_EQ(newsletter.size(), 1U);
    EXPECT_EQ(newsletter[0].email, "alice@example.com");
    expect_throw<ld::PermissionDenied>([&] { alice.operator_newsletter_recipients(); });
}

TEST_F(HppTest, OwnAccount) {
    ld::Session alice = user("Alice");
    ld::Session second = ld::Session::sign_in(db, "alice@example.com", kPassword);
    expect_throw<ld::AuthFailed>(
        [&] { alice.me_change_password("not my password", "a new long password"); });
    alice.me_change_password(kPassword, "a new long password");
    expect_throw<ld::SessionExpired>([&] { second.me_get(); });  // other sessions end
    EXPECT_NO_THROW(alice.me_get());

    const ld::User with_avatar = alice.me_set_avatar(ld_test::tiny_png());
    ASSERT_TRUE(with_avatar.avatar.has_value());
    EXPECT_EQ(alice.blob_read(*with_avatar.avatar), ld_test::tiny_png());
    EXPECT_FALSE(alice.me_set_avatar({}).avatar.has_value());

    alice.me_request_email_change("alice@elsewhere.example.com");
    const ld::User moved =
        db.account_activate(ld_test::code_in(mailbox->last_to("alice@elsewhere.example.com")));
    EXPECT_EQ(moved.email, "alice@elsewhere.example.com");

    alice.me_delete_account("a new long password");
    expect_throw<ld::AuthFailed>(
        [&] { ld::Session::sign_in(db, "alice@elsewhere.example.com", "a new long password"); });
}

// Accounts that reveal nothing and cannot be taken over (issue 20 item 3, issue 21 items 5 and 6):
// a sign-up is a claim that only a verified address turns into an account; sign-up, sign-in and
// reset answer the same for known and unknown addresses; failed sign-ins slow the client that
// makes them, not the owner; account mails per recipient are capped. Every time runs on the
// injected clock.
#include <sstream>

#include "auth/token.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"
#include "test_support.hpp"

namespace leandesk::testing {
namespace {

constexpr Millis kMinute = 60LL * 1000;
constexpr Millis kHour = 60 * kMinute;
const std::string kPassword = "correct horse battery";
const std::string kMallorys = "mallory's own secret";
const std::string kAttacker = "203.0.113.66";
const std::string kOwnerHome = "198.51.100.7";

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    return {};
}

/// A mail relay that is down.
class FailingMailSender : public MailSender {
  public:
    void send(const Mail&) override { throw Error(Errc::network, "the relay refused the mail"); }
};

}  // namespace

class AccountsPrivacyTest : public EngineTest {
  protected:
    void SetUp() override {
        dir = std::make_unique<TempDir>();
        db_path = dir->file("accounts.db");
        reopen();
    }

    void reopen() {
        engine.reset();
        EngineOptions o;
        o.path = db_path;
        o.clock = manual_clock(now);
        o.random = seeded_random(11 + static_cast<std::uint64_t>(*now));
        o.mail = mail;
        o.password_params = auth::PasswordParams::fastest_for_tests();
        o.accounts = policy;
        o.log = [this](LogLevel, const std::string& line) { log_lines.push_back(line); };
        engine = std::make_unique<Engine>(std::move(o));
    }

    User sign_up(const std::string& email, const std::string& first, const std::string& last,
                 const std::string& password = kPassword) {
        return engine->sign_up(
            {{"email", email}, {"first_name", first}, {"last_name", last}, {"password", password}});
    }

    /// Signs up and activates; returns the user id.
    Id account(const std::string& email, const std::string& first, const std::string& last) {
        const User u = sign_up(email, first, last);
        engine->activate_account(code_in(mail->sent().back()));
        return u.id;
    }

    std::vector<Mail> mails_to(const std::string& address) const {
        std::vector<Mail> out;
        for (const Mail& m : mail->sent()) {
            if (m.to == address) out.push_back(m);
        }
        return out;
    }

    AccountPolicy policy;
    std::shared_ptr<RecordingMailSender> mail = std::make_shared<RecordingMailSender>();
    std::vector<std::string> log_lines;
};

// ---- issue 20 item 3: a refusal by R3 is permission denied, like every rule ---------------------

TEST_F(AccountsPrivacyTest, R3_ManagerDeletingTheirAccountIsPermissionDeniedNamingTheRule) {
    const Actor a = Actor::user(account("ann@example.com", "Ann", "Archer"));
    engine->create_group(a, {{"name", "Team"}});
    expect_denied("R3", [&] { engine->delete_account(a, kPassword); });
}

// ---- issue 21 item 5: an invitee's record is claimed only through a verified address ----------

TEST_F(AccountsPrivacyTest, R16_NoSessionBeforeTheAddressIsVerified) {
    sign_up("zoe@example.com", "Zoe", "Zed");
    const std::string msg =
        expect_error(Errc::auth_failed, [&] { engine->sign_in("zoe@example.com", kPassword); });
    EXPECT_EQ(msg, expect_error(Errc::auth_failed,
                                [&] { engine->sign_in("nobody@example.com", kPassword); }))
        << "a pending account answers like an unknown one";
    engine->activate_account(code_in(mail->sent().back()));
    EXPECT_NO_THROW(engine->sign_in("zoe@example.com", kPassword));
}

TEST_F(AccountsPrivacyTest, R16_AClaimOnAnInviteeGetsNothingAndTheVerifiedOwnerWins) {
    const Actor a = Actor::user(account("ann@example.com", "Ann", "Archer"));
    const Group g = engine->create_group(a, {{"name", "Team"}});
    const PersonView invitee = engine->add_member(a, g.id, "newhire@example.com");

    // Mallory claims the invitee's address. She learns nothing and gets no session.
    const User mallorys = sign_up("newhire@example.com", "IT", "Support", kMallorys);
    EXPECT_FALSE(mallorys.activated());
    const std::string mallorys_code = code_in(mails_to("newhire@example.com").back());
    expect_error(Errc::auth_failed, [&] { engine->sign_in("newhire@example.com", kMallorys); });
    EXPECT_EQ(engine->get_user(op, invitee.id).first_name, "") << "unverified names are not set";

    // The rightful owner signs up too: not locked out (no 409), their own code comes.
    const User own = sign_up("newhire@example.com", "Nina", "Hire");
    EXPECT_EQ(own.id, invitee.id);
    const std::string own_code = code_in(mails_to("newhire@example.com").back());
    ASSERT_NE(own_code, mallorys_code);

    const User activated = engine->activate_account(own_code);
    EXPECT_EQ(activated.id, invitee.id);
    EXPECT_EQ(activated.display_name(), "Nina Hire");
    // Every other claim died with its code; Mallory's password opens nothing.
    expect_error(Errc::auth_failed, [&] { engine->activate_account(mallorys_code); });
    expect_error(Errc::auth_failed, [&] { engine->sign_in("newhire@example.com", kMallorys); });
    const Session s = engine->sign_in("newhire@example.com", kPassword);
    EXPECT_EQ(s.user_id, invitee.id);
    EXPECT_EQ(engine->my_groups(engine->authenticate(s.token)).size(), 1U);
}

TEST_F(AccountsPrivacyTest, R16_AnyPendingClaimMayWinAndTheOthersDie) {
    sign_up("pat@example.com", "First", "Try", "first password here");
    const std::string first_code = code_in(mail->sent().back());
    sign_up("pat@example.com", "Second", "Try", "second password here");
    const std::string second_code = code_in(mail->sent().back());
    EXPECT_EQ(engine->activate_account(first_code).display_name(), "First Try");
    expect_error(Errc::auth_failed, [&] { engine->activate_account(second_code); });
    expect_error(Errc::auth_failed,
                 [&] { engine->sign_in("pat@example.com", "second password here"); });
    EXPECT_NO_THROW(engine->sign_in("pat@example.com", "first password here"));
}

TEST_F(AccountsPrivacyTest, ActivationMailCarriesNoUnverifiedName) {
    sign_up("newhire@example.com", "Mallory <mallory@evil.example>, IT-Support", "X");
    const Mail m = mail->sent().back();
    EXPECT_EQ(m.to, "newhire@example.com");
    EXPECT_EQ(m.to_name, "") << "the name typed at sign-up is not verified";
    EXPECT_EQ(m.text.find("Mallory"), std::string::npos) << m.text;
}

// ---- issue 21 item 6: answers reveal no account -------------------------------------------------

TEST_F(AccountsPrivacyTest, SignUpForATakenAddressAnswersTheSameAndTellsTheOwner) {
    const Id ann_id = account("ann@example.com", "Ann", "Archer");
    const std::size_t before = mail->sent().size();
    const User answer = sign_up("Ann@Example.com", "Not", "Ann", kMallorys);
    const User fresh = sign_up("fresh@example.com", "Not", "Ann", kMallorys);
    // Same shape for both: not activated, the address, the names given, an id.
    EXPECT_FALSE(answer.activated());
    EXPECT_EQ(answer.email, "ann@example.com");
    EXPECT_EQ(answer.display_name(), "ann@example.com");
    EXPECT_EQ(answer.first_name, fresh.first_name);
    EXPECT_NE(answer.id, ann_id) << "the answer names no existing account";
    EXPECT_EQ(answer.id.size(), fresh.id.size());
    expect_error(Errc::not_found, [&] { engine->get_user(op, answer.id); });
    // One mail each: the owner hears someone tried; nothing of the account changed.
    ASSERT_EQ(mail->sent().size(), before + 2);
    const Mail told = mail->sent()[before];
    EXPECT_EQ(told.to, "ann@example.com");
    EXPECT_NE(told.subject.find("tried"), std::string::npos) << told.subject;
    EXPECT_TRUE(code_in(told).empty()) << "the owner's mail carries no code";
    EXPECT_EQ(engine->get_user(op, ann_id).display_name(), "Ann Archer");
    expect_error(Errc::auth_failed, [&] { engine->sign_in("ann@example.com", kMallorys); });
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword));
}

TEST_F(AccountsPrivacyTest, SignInThrottleAnswersTheSameForUnknownAddresses) {
    account("ann@example.com", "Ann", "Archer");
    for (const std::string address : {"ann@example.com", "nobody@example.com"}) {
        for (int i = 0; i < 5; ++i) {
            expect_error(Errc::auth_failed,
                         [&] { engine->sign_in(address, "wrong password!", kAttacker); });
        }
        expect_error(Errc::rate_limited,
                     [&] { engine->sign_in(address, "wrong password!", kAttacker); });
    }
}

TEST_F(AccountsPrivacyTest, AnAttackersGuessesNeverLockTheOwnerOut) {
    account("ann@example.com", "Ann", "Archer");
    // Five wrong guesses every quarter of an hour, all day long, from the attacker's address.
    for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < 5; ++i) {
            try {
                engine->sign_in("ann@example.com", "wrong password!", kAttacker);
            } catch (const Error&) {
            }
        }
        // The attacker's client waits, right password or not.
        expect_error(Errc::rate_limited,
                     [&] { engine->sign_in("ann@example.com", kPassword, kAttacker); });
        EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword, kOwnerHome))
            << "the owner signs in from elsewhere in round " << round;
        *now += 15 * kMinute;
    }
}

TEST_F(AccountsPrivacyTest, EachFurtherFailureDoublesThePairsWait) {
    account("ann@example.com", "Ann", "Archer");
    const auto guess = [&] { engine->sign_in("ann@example.com", "wrong password!", kAttacker); };
    for (int i = 0; i < 5; ++i) expect_error(Errc::auth_failed, guess);
    *now += 15 * kMinute - 1;
    expect_error(Errc::rate_limited, guess);
    *now += 1;
    expect_error(Errc::auth_failed, guess);  // one more try after the wait: wrong again
    *now += 30 * kMinute - 1;
    expect_error(Errc::rate_limited, guess);  // the wait doubled
    *now += 1;
    expect_error(Errc::auth_failed, guess);
    *now += 60 * kMinute - 1;
    expect_error(Errc::rate_limited, guess);
    *now += 1;
    // The right password ends the count.
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword, kAttacker));
    expect_error(Errc::auth_failed, guess);
}

TEST_F(AccountsPrivacyTest, AClientHasABudgetOfFailuresAcrossAddresses) {
    policy.max_failed_sign_ins_per_client = 12;
    reopen();
    account("ann@example.com", "Ann", "Archer");
    for (int i = 0; i < 12; ++i) {
        expect_error(Errc::auth_failed, [&] {
            engine->sign_in("person" + std::to_string(i) + "@example.com", "wrong password!",
                            kAttacker);
        });
    }
    expect_error(Errc::rate_limited,
                 [&] { engine->sign_in("ann@example.com", kPassword, kAttacker); });
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword, kOwnerHome));
    *now += 15 * kMinute;
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword, kAttacker));
}

TEST_F(AccountsPrivacyTest, ResetAnswersTheSameWhenTheRelayFails) {
    account("ann@example.com", "Ann", "Archer");
    engine.reset();
    EngineOptions o;
    o.path = db_path;
    o.clock = manual_clock(now);
    o.mail = std::make_shared<FailingMailSender>();
    o.password_params = auth::PasswordParams::fastest_for_tests();
    o.log = [this](LogLevel, const std::string& line) { log_lines.push_back(line); };
    engine = std::make_unique<Engine>(std::move(o));
    EXPECT_NO_THROW(engine->request_password_reset("nobody@example.com"));
    EXPECT_NO_THROW(engine->request_password_reset("ann@example.com"));
    bool logged = false;
    for (const auto& line : log_lines)
        logged = logged || line.find("not sent") != std::string::npos;
    EXPECT_TRUE(logged) << "the failure is logged for the operator";
}

TEST_F(AccountsPrivacyTest, AccountMailsPerRecipientAreCappedPerHour) {
    policy.max_mails_per_recipient_per_hour = 3;
    reopen();
    account("ann@example.com", "Ann", "Archer");  // its activation mail is the first of the hour
    for (int i = 0; i < 5; ++i) engine->request_password_reset("ann@example.com");
    sign_up("ann@example.com", "Someone", "Else");  // "someone tried": dropped as well
    EXPECT_EQ(mails_to("ann@example.com").size(), 3U);
    *now += kHour;
    engine->request_password_reset("ann@example.com");
    EXPECT_EQ(mails_to("ann@example.com").size(), 4U);
}

TEST_F(AccountsPrivacyTest, SignUpsCannotFloodAnAddress) {
    policy.max_mails_per_recipient_per_hour = 2;
    reopen();
    for (int i = 0; i < 6; ++i) sign_up("victim@example.com", "Spam", std::to_string(i));
    EXPECT_EQ(mails_to("victim@example.com").size(), 2U);
    engine->resend_activation("victim@example.com");
    EXPECT_EQ(mails_to("victim@example.com").size(), 2U);
}

// ---- the migration: a pending sign-up of schema 5 becomes a claim -------------------------------

TEST_F(AccountsPrivacyTest, APendingSignUpOfSchema5KeepsItsCodeAndGetsNoSession) {
    engine.reset();
    const std::string path = dir->file("v5.db");
    const std::string code(43, 'a');  // the shape of a token
    {
        store::Database db(path);
        store::migrate(db, 5);
        db.exec(
            "INSERT INTO users (id, email, first_name, last_name, created_at) VALUES "
            "('u1', 'old@example.com', 'Old', 'Timer', 1)");
        db.prepare("INSERT INTO credentials (user_id, password_hash) VALUES ('u1', ?)")
            .bind(1, auth::hash_password(kPassword, auth::PasswordParams::fastest_for_tests()))
            .run();
        db.prepare(
              "INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at) VALUES "
              "(?, 'u1', 'activate', ?)")
            .bind_all(auth::token_hash(code), kStartTime + kHour)
            .run();
    }
    db_path = path;
    reopen();
    expect_error(Errc::auth_failed, [&] { engine->sign_in("old@example.com", kPassword); });
    EXPECT_EQ(engine->activate_account(code).display_name(), "Old Timer");
    EXPECT_NO_THROW(engine->sign_in("old@example.com", kPassword));
}

}  // namespace leandesk::testing

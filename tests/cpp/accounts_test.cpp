// Accounts: sign-up and activation, sessions, passwords, e-mail changes, deletion, the operator,
// privacy-policy versions, newsletter consent and anonymous usage figures. Every expiry runs on the
// injected clock.
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "auth/token.hpp"
#include "test_support.hpp"

namespace leandesk::testing {
namespace {

constexpr Millis kHour = 3600LL * 1000;
constexpr Millis kDay = 24 * kHour;
const std::string kPassword = "correct horse battery";

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    return {};
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

class AccountsTest : public EngineTest {
  protected:
    void SetUp() override {
        dir = std::make_unique<TempDir>();
        db_path = dir->file("accounts.db");
        reopen();
    }

    void reopen(auth::PasswordParams params = auth::PasswordParams::fastest_for_tests()) {
        engine.reset();
        EngineOptions o;
        o.path = db_path;
        o.clock = manual_clock(now);
        o.random = seeded_random(7 + static_cast<std::uint64_t>(*now));
        o.mail = mail;
        o.password_params = params;
        o.log = [this](LogLevel, const std::string& line) { log_lines.push_back(line); };
        engine = std::make_unique<Engine>(std::move(o));
    }

    /// Signs up and activates an account; returns its user id.
    Id signed_up(const std::string& email, const std::string& first, const std::string& last) {
        const User u = engine->sign_up({{"email", email},
                                        {"first_name", first},
                                        {"last_name", last},
                                        {"password", kPassword}});
        engine->activate_account(code_in(mail->sent().back()));
        return u.id;
    }

    Session operator_session() {
        engine->set_operator_secret("", "operator secret of sixteen+");
        return engine->operator_sign_in("operator secret of sixteen+");
    }

    std::shared_ptr<RecordingMailSender> mail = std::make_shared<RecordingMailSender>();
    std::vector<std::string> log_lines;
};

TEST_F(AccountsTest, SignUpMailsAnActivationCodeThatActivatesOnce) {
    const User u = engine->sign_up({{"email", "Marie@Example.com"},
                                    {"first_name", "Marie"},
                                    {"last_name", "Curie"},
                                    {"password", kPassword}});
    EXPECT_EQ(u.email, "marie@example.com");
    EXPECT_FALSE(u.activated());
    EXPECT_EQ(u.display_name(), "marie@example.com");  // R16 before activation
    ASSERT_EQ(mail->sent().size(), 1U);
    const Mail m = mail->sent()[0];
    EXPECT_EQ(m.to, "marie@example.com");
    EXPECT_NE(m.subject.find("Activate"), std::string::npos);
    const std::string code = code_in(m);
    EXPECT_TRUE(auth::looks_like_token(code));

    const User active = engine->activate_account(code);
    EXPECT_TRUE(active.activated());
    EXPECT_EQ(active.display_name(), "Marie Curie");  // R16 after activation
    expect_error(Errc::auth_failed, [&] { engine->activate_account(code); });  // single use
}

TEST_F(AccountsTest, ActivationCodeExpires) {
    engine->sign_up({{"email", "late@example.com"},
                     {"first_name", "L"},
                     {"last_name", "Ate"},
                     {"password", kPassword}});
    *now += 49 * kHour;
    const std::string msg = expect_error(
        Errc::auth_failed, [&] { engine->activate_account(code_in(mail->sent().back())); });
    EXPECT_NE(msg.find("expired"), std::string::npos);
    engine->resend_activation("late@example.com");
    ASSERT_EQ(mail->sent().size(), 2U);
    EXPECT_TRUE(engine->activate_account(code_in(mail->sent().back())).activated());
}

TEST_F(AccountsTest, SignUpRefusesBadPasswordsAndDuplicates) {
    const auto attempt = [&](const std::string& email, const std::string& password) {
        return engine->sign_up(
            {{"email", email}, {"first_name", "A"}, {"last_name", "B"}, {"password", password}});
    };
    EXPECT_NE(expect_error(Errc::invalid_argument, [&] { attempt("a@example.com", "short"); })
                  .find("too short"),
              std::string::npos);
    expect_error(Errc::invalid_argument, [&] { attempt("a@example.com", std::string(2000, 'x')); });
    expect_error(Errc::invalid_argument,
                 [&] { attempt("long.address@example.com", "LONG.address@example.com"); });
    expect_error(Errc::invalid_argument, [&] { attempt("not-an-email", kPassword); });
    expect_error(Errc::invalid_argument, [&] {
        engine->sign_up({{"email", "a@example.com"}, {"password", kPassword}});
    });
    expect_error(Errc::invalid_argument, [&] {
        engine->sign_up({{"email", "a@example.com"},
                         {"first_name", "A"},
                         {"last_name", "B"},
                         {"password", kPassword},
                         {"postal_address", "1 Main St"}});
    });
    EXPECT_TRUE(mail->sent().empty()) << "refused sign-ups send nothing";
    // A second sign-up for the same address is no conflict: it is another claim, with its own
    // code, and the verified one wins (accounts_privacy_test.cpp).
    attempt("a@example.com", kPassword);
    attempt("A@example.com", kPassword);
    EXPECT_EQ(mail->sent().size(), 2U);
}

TEST_F(AccountsTest, R16_SignUpClaimsTheUserAddedByEmailBefore) {
    const Id ann_id = signed_up("ann@example.com", "Ann", "Archer");
    const Actor a = Actor::user(ann_id);
    const Group g = engine->create_group(a, {{"name", "Team"}});
    const PersonView added = engine->add_member(a, g.id, "newbie@example.com");
    EXPECT_FALSE(added.activated);
    const Project p = engine->create_project(a, {{"group_id", g.id}, {"name", "P"}});
    engine->add_participant(a, p.id, added.id);
    const Action act = engine->create_action(
        a, {{"project_id", p.id}, {"title", "For the newbie"}, {"owner_id", added.id}});

    const User claimed = engine->sign_up({{"email", "newbie@example.com"},
                                          {"first_name", "New"},
                                          {"last_name", "Bie"},
                                          {"password", kPassword}});
    EXPECT_EQ(claimed.id, added.id);
    engine->activate_account(code_in(mail->sent().back()));
    const Actor newbie = Actor::user(claimed.id);
    EXPECT_EQ(engine->my_groups(newbie).size(), 1U);
    EXPECT_EQ(engine->dashboard(newbie).at(0).id, act.id);
}

TEST_F(AccountsTest, SignInGivesAFreshSessionEachTime) {
    const Id id = signed_up("ann@example.com", "Ann", "Archer");
    const Session s1 = engine->sign_in("ANN@example.com", kPassword);
    const Session s2 = engine->sign_in("ann@example.com", kPassword);
    EXPECT_NE(s1.token, s2.token);
    EXPECT_TRUE(auth::looks_like_token(s1.token));
    EXPECT_EQ(s1.user_id, id);
    EXPECT_EQ(s1.expires_at, *now + AccountPolicy{}.session_lifetime);
    EXPECT_EQ(engine->authenticate(s1.token).user_id, id);
    EXPECT_EQ(engine->authenticate(s2.token).user_id, id);
}

TEST_F(AccountsTest, WrongPasswordAndUnknownEmailLookTheSame) {
    signed_up("ann@example.com", "Ann", "Archer");
    const std::string wrong = expect_error(
        Errc::auth_failed, [&] { engine->sign_in("ann@example.com", "wrong password!"); });
    const std::string unknown =
        expect_error(Errc::auth_failed, [&] { engine->sign_in("nobody@example.com", kPassword); });
    EXPECT_EQ(wrong, unknown);
}

TEST_F(AccountsTest, FailedSignInsAreRateLimitedPerAccount) {
    signed_up("ann@example.com", "Ann", "Archer");
    signed_up("bob@example.com", "Bob", "Baker");
    for (int i = 0; i < 5; ++i) {
        expect_error(Errc::auth_failed,
                     [&] { engine->sign_in("ann@example.com", "wrong password!"); });
    }
    expect_error(Errc::rate_limited, [&] { engine->sign_in("ann@example.com", kPassword); });
    EXPECT_NO_THROW(engine->sign_in("bob@example.com", kPassword))
        << "other accounts are not affected";
    *now += 16 * 60 * 1000;
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword));
}

TEST_F(AccountsTest, SessionsEndAtTheirAbsoluteLifetime) {
    signed_up("ann@example.com", "Ann", "Archer");
    const Session s = engine->sign_in("ann@example.com", kPassword);
    for (int day = 0; day < 29; ++day) {  // used every day, so never idle
        *now += kDay;
        engine->authenticate(s.token);
    }
    *now += 2 * kDay;
    expect_error(Errc::session_expired, [&] { engine->authenticate(s.token); });
}

TEST_F(AccountsTest, SessionsEndWhenIdle) {
    signed_up("ann@example.com", "Ann", "Archer");
    const Session s = engine->sign_in("ann@example.com", kPassword);
    *now += 13 * kDay;
    EXPECT_NO_THROW(engine->authenticate(s.token));
    *now += 14 * kDay;
    expect_error(Errc::session_expired, [&] { engine->authenticate(s.token); });
}

TEST_F(AccountsTest, SignOutEndsTheSessionAndBadTokensAreNotSignedIn) {
    signed_up("ann@example.com", "Ann", "Archer");
    const Session s = engine->sign_in("ann@example.com", kPassword);
    engine->sign_out(s.token);
    expect_error(Errc::session_expired, [&] { engine->authenticate(s.token); });
    expect_error(Errc::not_signed_in, [&] { engine->authenticate(""); });
    expect_error(Errc::not_signed_in, [&] { engine->authenticate("'; DROP TABLE sessions; --"); });
}

TEST_F(AccountsTest, PasswordChangeNeedsTheCurrentOneAndEndsOtherSessions) {
    signed_up("ann@example.com", "Ann", "Archer");
    const Session here = engine->sign_in("ann@example.com", kPassword);
    const Session elsewhere = engine->sign_in("ann@example.com", kPassword);
    expect_error(Errc::auth_failed, [&] {
        engine->change_password(here.token, "not it at all", "a brand new secret");
    });
    engine->change_password(here.token, kPassword, "a brand new secret");
    EXPECT_NO_THROW(engine->authenticate(here.token));
    expect_error(Errc::session_expired, [&] { engine->authenticate(elsewhere.token); });
    expect_error(Errc::auth_failed, [&] { engine->sign_in("ann@example.com", kPassword); });
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", "a brand new secret"));
}

TEST_F(AccountsTest, PasswordResetByMailedCodeEndsEverySession) {
    signed_up("ann@example.com", "Ann", "Archer");
    const Session s = engine->sign_in("ann@example.com", kPassword);
    const auto before = mail->sent().size();
    engine->request_password_reset("nobody@example.com");
    EXPECT_EQ(mail->sent().size(), before) << "unknown addresses get nothing, and no error";
    engine->request_password_reset("ann@example.com");
    ASSERT_EQ(mail->sent().size(), before + 1);
    const std::string code = code_in(mail->sent().back());
    expect_error(Errc::invalid_argument, [&] { engine->reset_password(code, "short"); });
    engine->reset_password(code, "reset and renewed");
    expect_error(Errc::session_expired, [&] { engine->authenticate(s.token); });
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", "reset and renewed"));
    expect_error(Errc::auth_failed, [&] { engine->reset_password(code, "another new one"); });
}

TEST_F(AccountsTest, R11_EmailChangeAppliesOnlyOnceTheNewAddressIsVerified) {
    const Id id = signed_up("ann@example.com", "Ann", "Archer");
    const Actor a = Actor::user(id);
    expect_error(Errc::invalid_argument, [&] {
        engine->update_profile(a, id, {{"email", "x@example.com"}});
    });
    engine->request_email_change(a, "ann.archer@example.org");
    const Mail m = mail->sent().back();
    EXPECT_EQ(m.to, "ann.archer@example.org");
    EXPECT_EQ(engine->get_user(a, id).email, "ann@example.com");
    engine->activate_account(code_in(m));
    EXPECT_EQ(engine->get_user(a, id).email, "ann.archer@example.org");
    EXPECT_NO_THROW(engine->sign_in("ann.archer@example.org", kPassword));
}

TEST_F(AccountsTest, AvatarIsSetAndRemovedAndVisibleToGroupMates) {
    const Id ann_id = signed_up("ann@example.com", "Ann", "Archer");
    const Id bob_id = signed_up("bob@example.com", "Bob", "Baker");
    const Id dan_id = signed_up("dan@example.com", "Dan", "Diaz");
    const Actor a = Actor::user(ann_id);
    const Group g = engine->create_group(a, {{"name", "G"}});
    engine->add_member(a, g.id, "bob@example.com");
    const std::vector<unsigned char> png = {0x89, 'P',  'N', 'G', 0x0D, 0x0A,
                                            0x1A, 0x0A, 0,   0,   0,    13};
    const User u = engine->set_avatar(Actor::user(bob_id), png);
    ASSERT_TRUE(u.avatar.has_value());
    EXPECT_EQ(engine->read_blob(a, *u.avatar), png);  // R13: a group mate sees it
    expect_error(Errc::not_found, [&] { engine->read_blob(Actor::user(dan_id), *u.avatar); });
    expect_error(Errc::invalid_argument, [&] {
        engine->set_avatar(Actor::user(bob_id), {'G', 'I', 'F', '8'});
    });
    engine->set_avatar(Actor::user(bob_id), {});
    expect_error(Errc::not_found, [&] { engine->read_blob(a, *u.avatar); });
}

TEST_F(AccountsTest, DeletingAnAccountErasesThePersonButKeepsTheWork) {
    const Id ann_id = signed_up("ann@example.com", "Ann", "Archer");
    const Id bob_id = signed_up("bob@example.com", "Bob", "Baker");
    const Actor a = Actor::user(ann_id);
    const Actor b = Actor::user(bob_id);
    const Group g = engine->create_group(a, {{"name", "G"}});
    engine->add_member(a, g.id, "bob@example.com");
    const Project p = engine->create_project(a, {{"group_id", g.id}, {"name", "P"}});
    engine->add_participant(a, p.id, bob_id);
    const Action act =
        engine->create_action(b, {{"project_id", p.id}, {"title", "Bob's"}, {"owner_id", bob_id}});
    const Project bobs = engine->create_project(b, {{"group_id", g.id}, {"name", "Bob's own"}});

    expect_error(Errc::permission_denied,
                 [&] { engine->delete_account(a, kPassword); });  // manager first hands over (R3)
    expect_error(Errc::auth_failed, [&] { engine->delete_account(b, "wrong password!"); });
    engine->delete_account(b, kPassword);

    expect_error(Errc::not_found, [&] { engine->get_user(op, bob_id); });
    EXPECT_EQ(engine->group_members(a, g.id).size(), 1U);
    EXPECT_FALSE(engine->get_action(a, act.id).action.owner_id.has_value());
    EXPECT_EQ(engine->get_project(a, bobs.id).owner_id, ann_id)
        << "the manager inherits the project";
    expect_error(Errc::auth_failed, [&] { engine->sign_in("bob@example.com", kPassword); });
}

TEST_F(AccountsTest, PasswordIsRehashedWhenTheParametersChange) {
    signed_up("ann@example.com", "Ann", "Archer");
    const auto stored_hash = [&] {
        engine->checkpoint();
        sqlite3* db = nullptr;
        sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "SELECT password_hash FROM credentials", -1, &s, nullptr);
        sqlite3_step(s);
        std::string h = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
        sqlite3_close(db);
        return h;
    };
    const std::string before = stored_hash();
    EXPECT_EQ(before.rfind("$argon2id$", 0), 0U);
    auth::PasswordParams stronger = auth::PasswordParams::fastest_for_tests();
    stronger.opslimit += 1;
    reopen(stronger);
    engine->sign_in("ann@example.com", kPassword);
    const std::string after = stored_hash();
    EXPECT_NE(before, after);
    EXPECT_NE(after.find("t=" + std::to_string(stronger.opslimit)), std::string::npos) << after;
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword));
}

TEST_F(AccountsTest, DefaultPasswordParametersMeetOwaspMinimum) {
    const auth::PasswordParams d;
    EXPECT_GE(d.opslimit, 2U);
    EXPECT_GE(d.memlimit, 19U * 1024U * 1024U);
}

// ---- the operator (R12) -----------------------------------------------------------------------

TEST_F(AccountsTest, R12_OperatorHasItsOwnCredential) {
    expect_error(Errc::auth_failed, [&] { engine->operator_sign_in("anything at all here"); });
    const Session s = operator_session();
    EXPECT_TRUE(engine->authenticate(s.token).is_operator);
    expect_error(Errc::auth_failed,
                 [&] { engine->set_operator_secret("wrong", "another secret of 16+"); });
    engine->set_operator_secret("operator secret of sixteen+", "another secret of 16+");
    expect_error(Errc::session_expired, [&] { engine->authenticate(s.token); });
    expect_error(Errc::auth_failed,
                 [&] { engine->operator_sign_in("operator secret of sixteen+"); });
}

TEST_F(AccountsTest, R12_DeactivationEndsEverySessionAtOnce) {
    const Id id = signed_up("ann@example.com", "Ann", "Archer");
    const Session user_session = engine->sign_in("ann@example.com", kPassword);
    const Actor oper = engine->authenticate(operator_session().token);
    engine->set_user_deactivated(oper, id, true);
    expect_error(Errc::session_expired, [&] { engine->authenticate(user_session.token); });
    const std::string msg = expect_error(Errc::permission_denied,
                                         [&] { engine->sign_in("ann@example.com", kPassword); });
    EXPECT_EQ(msg.rfind("R12:", 0), 0U);
    engine->set_user_deactivated(oper, id, false);
    EXPECT_NO_THROW(engine->sign_in("ann@example.com", kPassword));
}

TEST_F(AccountsTest, R12_OperatorChangesLoginEmailAndResetsPasswords) {
    const Id id = signed_up("ann@example.com", "Ann", "Archer");
    const Session user_session = engine->sign_in("ann@example.com", kPassword);
    const Actor oper = engine->authenticate(operator_session().token);
    engine->change_login_email(oper, id, "ann@company.example");
    EXPECT_NO_THROW(engine->sign_in("ann@company.example", kPassword));
    engine->operator_reset_password(oper, id);
    expect_error(Errc::session_expired, [&] { engine->authenticate(user_session.token); });
    EXPECT_EQ(mail->sent().back().to, "ann@company.example");
    engine->reset_password(code_in(mail->sent().back()), "chosen after reset");
    EXPECT_NO_THROW(engine->sign_in("ann@company.example", "chosen after reset"));
    const Actor ann_actor = Actor::user(id);
    expect_denied("R12", [&] { engine->operator_reset_password(ann_actor, id); });
}

// ---- privacy choices ----------------------------------------------------------------------------

TEST_F(AccountsTest, PolicyNoticeIsShownUntilAcknowledged) {
    const Id id = signed_up("ann@example.com", "Ann", "Archer");
    EXPECT_FALSE(engine->sign_in("ann@example.com", kPassword).policy_notice_required);
    const Actor oper = engine->authenticate(operator_session().token);
    expect_denied("R12", [&] { engine->publish_policy(Actor::user(id), "sneaky"); });
    const PolicyVersion v = engine->publish_policy(oper, "We now keep backups for 30 days.");
    EXPECT_EQ(v.version, 1);
    const Session s = engine->sign_in("ann@example.com", kPassword);
    EXPECT_TRUE(s.policy_notice_required);
    EXPECT_EQ(s.policy_version, 1);
    expect_error(Errc::invalid_argument, [&] { engine->acknowledge_policy(Actor::user(id), 2); });
    EXPECT_EQ(engine->acknowledge_policy(Actor::user(id), 1).accepted_policy_version, 1);
    EXPECT_FALSE(engine->sign_in("ann@example.com", kPassword).policy_notice_required);
}

TEST_F(AccountsTest, OperatorListsUsersActiveInTheLastThreeMonths) {
    signed_up("old@example.com", "Old", "Timer");
    engine->sign_in("old@example.com", kPassword);
    *now += 100 * kDay;
    signed_up("new@example.com", "New", "Comer");
    const Session s = engine->sign_in("new@example.com", kPassword);
    *now += 2 * kDay;
    engine->authenticate(s.token);  // activity after sign-in counts too
    const Actor oper = engine->authenticate(operator_session().token);
    const auto active = engine->recently_active_users(oper);
    ASSERT_EQ(active.size(), 1U);
    EXPECT_EQ(active[0].email, "new@example.com");
    EXPECT_EQ(*active[0].last_active_at, *now);
    expect_denied("R12", [&] { engine->recently_active_users(Actor::user(active[0].id)); });
}

TEST_F(AccountsTest, NewsletterConsentIsOnAtSignUpAndCanBeWithdrawnAndGiven) {
    const Id ann_id = signed_up("ann@example.com", "Ann", "Archer");
    signed_up("bob@example.com", "Bob", "Baker");
    const Actor oper = engine->authenticate(operator_session().token);
    EXPECT_EQ(engine->newsletter_recipients(oper).size(), 2U);
    engine->update_profile(Actor::user(ann_id), ann_id, {{"newsletter_opt_in", false}});
    ASSERT_EQ(engine->newsletter_recipients(oper).size(), 1U);
    EXPECT_EQ(engine->newsletter_recipients(oper)[0].email, "bob@example.com");
    engine->update_profile(Actor::user(ann_id), ann_id, {{"newsletter_opt_in", true}});
    EXPECT_EQ(engine->newsletter_recipients(oper).size(), 2U);
}

TEST_F(AccountsTest, UsageFiguresAreAnonymousCountsThatCanBeTurnedOff) {
    const UsageEvent start{"app_start", "android", "14", "2.1.0", "phone"};
    engine->record_usage(start);
    engine->record_usage(start);
    engine->record_usage({"app_start", "ios", "18.1", "2.1.0", "tablet"});
    engine->set_usage_enabled(false);
    EXPECT_FALSE(engine->usage_enabled());
    engine->record_usage(start);
    const Actor oper = engine->authenticate(operator_session().token);
    const auto report = engine->usage_report(oper);
    ASSERT_EQ(report.size(), 2U);
    EXPECT_EQ(report[0].what.platform, "android");
    EXPECT_EQ(report[0].count, 2);
    expect_error(Errc::invalid_argument, [&] { engine->record_usage({"", "x", "y", "z", "w"}); });
    expect_error(Errc::invalid_argument, [&] {
        engine->record_usage({"e", std::string(100, 'x'), "", "", ""});
    });
}

// ---- no secret anywhere
// --------------------------------------------------------------------------

TEST_F(AccountsTest, NoPasswordTokenOrHashInLogsReturnedJsonOrTheDatabase) {
    const Id id = signed_up("ann@example.com", "Ann", "Archer");
    std::vector<std::string> secrets = {kPassword, code_in(mail->sent().front())};
    const Session s = engine->sign_in("ann@example.com", kPassword);
    secrets.push_back(s.token);
    engine->request_password_reset("ann@example.com");
    secrets.push_back(code_in(mail->sent().back()));
    engine->reset_password(secrets.back(), "second password here");
    secrets.emplace_back("second password here");
    const Session s2 = engine->sign_in("ann@example.com", "second password here");
    secrets.push_back(s2.token);
    const Session ops = operator_session();
    secrets.push_back(ops.token);
    secrets.emplace_back("operator secret of sixteen+");

    const Actor a = engine->authenticate(s2.token);
    Json outputs = Json::array();
    outputs.push_back(engine->get_user(a, id));
    outputs.push_back(engine->execute(a, "get_user", {{"user_id", id}}));
    outputs.push_back(engine->changes_since(0, 100000));
    const std::string out_text = outputs.dump();
    engine->checkpoint();
    const std::string db_text = file_bytes(db_path) + file_bytes(db_path + "-wal");

    ASSERT_FALSE(log_lines.empty());
    for (const auto& secret : secrets) {
        for (const auto& line : log_lines) EXPECT_EQ(line.find(secret), std::string::npos) << line;
        EXPECT_EQ(out_text.find(secret), std::string::npos) << "returned JSON holds a secret";
        EXPECT_EQ(db_text.find(secret), std::string::npos)
            << "the database holds a secret in clear";
        // Nor its stored hash in logs or outputs.
        const std::string hash = auth::token_hash(secret);
        EXPECT_EQ(out_text.find(hash), std::string::npos);
        for (const auto& line : log_lines) EXPECT_EQ(line.find(hash), std::string::npos);
    }
    EXPECT_EQ(out_text.find("argon2"), std::string::npos);
    for (const auto& line : log_lines) EXPECT_EQ(line.find("argon2"), std::string::npos);
}

}  // namespace leandesk::testing

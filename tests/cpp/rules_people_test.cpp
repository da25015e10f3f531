// Rules R11, R12, R13, R16 and R17 through the real engine: profiles, the operator's powers, what
// members see of each other, people invited by e-mail, and the personal data never collected.
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace leandesk::testing {
namespace {

// A valid 1×1 grey PNG.
const std::vector<unsigned char> kPng = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
    0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xAF, 0xA4, 0x71, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

const PersonView* find_person(const std::vector<PersonView>& people, const Id& id) {
    const auto it =
        std::find_if(people.begin(), people.end(), [&](const PersonView& p) { return p.id == id; });
    return it == people.end() ? nullptr : &*it;
}

// Field names R17 forbids, as a client might send them.
const std::vector<std::string> kForbidden = {
    "address",     "postal_address", "street",      "postcode",     "zip",     "city",
    "card_number", "iban",           "credit_card", "bank_account", "payment", "billing_address"};

}  // namespace

class RulesPeople : public EngineTest {
  protected:
    /// The member list of `group` as `viewer` sees it, the entry for `person`.
    PersonView seen_by(const Actor& viewer, const Group& g, const Actor& person) {
        const auto people = engine->group_members(viewer, g.id);
        const PersonView* p = find_person(people, person.user_id);
        if (p == nullptr) throw std::runtime_error("person not in the member list");
        return *p;
    }
    /// Reopens the engine on the same database with a mail sender, for the verification mails.
    void reopen_with_mail(std::shared_ptr<MailSender> mail) {
        engine.reset();
        EngineOptions o;
        o.path = db_path;
        o.clock = manual_clock(now);
        o.random = seeded_random(4242);
        o.mail = std::move(mail);
        engine = std::make_unique<Engine>(std::move(o));
    }
    /// The code in a verification mail: the line indented by four spaces.
    static std::string code_in(const std::string& text) {
        const auto at = text.find("\n    ");
        if (at == std::string::npos) return {};
        const auto start = at + 5;
        return text.substr(start, text.find('\n', start) - start);
    }
};

// ---- R11: a user edits their own profile; nobody but the operator changes a status
// ----------------

TEST_F(RulesPeople, R11_UserMayEditOwnProfile) {
    const User u = engine->update_profile(bob, bob.user_id,
                                          {{"first_name", "Robert"},
                                           {"last_name", "Baker-Smith"},
                                           {"newsletter_opt_in", false},
                                           {"show_open_actions_on_dashboard", false}});
    EXPECT_EQ(u.first_name, "Robert");
    const User stored = engine->get_user(bob, bob.user_id);
    EXPECT_EQ(stored.first_name, "Robert");
    EXPECT_EQ(stored.last_name, "Baker-Smith");
    EXPECT_FALSE(stored.newsletter_opt_in);
    EXPECT_FALSE(stored.show_open_actions_on_dashboard);
    EXPECT_EQ(stored.display_name(), "Robert Baker-Smith");
    EXPECT_TRUE(stored.activated());  // a name change needs no new verification
}

TEST_F(RulesPeople, R11_EmailIsNotChangedWithoutVerification) {
    // The profile patch does not take an address: it changes through request_email_change, which
    // verifies the new address first.
    expect_unchanged(Errc::invalid_argument, [&] {
        engine->update_profile(bob, bob.user_id, {{"email", "robert@example.com"}});
    });
}

TEST_F(RulesPeople, R11_UserMayChangeOwnEmailOnceTheNewAddressIsVerified) {
    auto mail = std::make_shared<RecordingMailSender>();
    reopen_with_mail(mail);
    const Group g = make_group(ann, "Plant 2", {bob});
    engine->request_email_change(bob, "Robert@Example.com");
    // Until confirmed, the account keeps its address.
    EXPECT_EQ(engine->get_user(bob, bob.user_id).email, "bob@example.com");
    const auto sent = mail->sent();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].to, "robert@example.com");
    const std::string token = code_in(sent[0].text);
    ASSERT_FALSE(token.empty()) << sent[0].text;
    engine->activate_account(token);
    EXPECT_EQ(engine->get_user(bob, bob.user_id).email, "robert@example.com");
    EXPECT_EQ(seen_by(ann, g, bob).email.value_or(""), "robert@example.com");
}

TEST_F(RulesPeople, R11_OperatorMayNotRequestAnEmailChangeAsAUser) {
    auto mail = std::make_shared<RecordingMailSender>();
    reopen_with_mail(mail);
    // The request always concerns the actor's own account; the operator has no account.
    expect_denied("R11", [&] { engine->request_email_change(op, "op@example.com"); });
    EXPECT_TRUE(mail->sent().empty());
}

TEST_F(RulesPeople, R11_UserMaySetAndClearOwnAvatar) {
    const User with = engine->set_avatar(bob, kPng);
    ASSERT_TRUE(with.avatar.has_value());
    EXPECT_EQ(engine->get_user(bob, bob.user_id).avatar, with.avatar);
    EXPECT_EQ(engine->read_blob(bob, *with.avatar), kPng);
    const User without = engine->set_avatar(bob, {});
    EXPECT_FALSE(without.avatar.has_value());
    // The blob went with it: nothing references it any more.
    expect_error(Errc::not_found, [&] { engine->read_blob(op, *with.avatar); });
}

TEST_F(RulesPeople, R11_UserMayNotEditAnotherUsersProfile) {
    make_group(ann, "Plant 2", {bob});
    expect_denied("R11", [&] {
        engine->update_profile(bob, ann.user_id, {{"first_name", "Anna"}});
    });
    // Not even the manager of their group.
    expect_denied("R11", [&] {
        engine->update_profile(ann, bob.user_id, {{"first_name", "Bobby"}});
    });
}

TEST_F(RulesPeople, R11_UserMayNotReadAnotherUsersFullRecord) {
    expect_denied("R11", [&] { engine->get_user(bob, ann.user_id); });
}

TEST_F(RulesPeople, R11_UserMayNotChangeOwnStatusThroughProfile) {
    expect_denied("R11", [&] { engine->update_profile(bob, bob.user_id, {{"status", "gold"}}); });
    expect_denied("R11", [&] {
        engine->update_profile(bob, bob.user_id, {{"first_name", "Bob"}, {"status", "silver"}});
    });
}

TEST_F(RulesPeople, R11_UserMayNotSetAnyStatus) {
    expect_denied("R11", [&] { engine->set_user_status(bob, bob.user_id, UserStatus::gold); });
    expect_denied("R11", [&] { engine->set_user_status(ann, bob.user_id, UserStatus::bronze); });
    expect_denied("R11", [&] {
        engine->execute(bob, "set_user_status", {{"user_id", bob.user_id}, {"status", "gold"}});
    });
}

TEST_F(RulesPeople, R11_OperatorDoesNotEditProfileFields) {
    // The operator's powers are listed in R12; names and preferences are the user's own.
    expect_denied("R11", [&] { engine->update_profile(op, bob.user_id, {{"first_name", "Op"}}); });
}

// ---- R12: the operator's powers; deactivated accounts are refused
// ----------------------------------

TEST_F(RulesPeople, R12_OperatorMaySetEveryStatus) {
    for (const UserStatus s :
         {UserStatus::bronze, UserStatus::silver, UserStatus::gold, UserStatus::none}) {
        EXPECT_EQ(engine->set_user_status(op, bob.user_id, s).status, s);
        EXPECT_EQ(engine->get_user(bob, bob.user_id).status, s);
    }
}

TEST_F(RulesPeople, R12_OperatorMayDeactivateAndReactivate) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Project p = make_project(bob, g, "Scrap", {});
    EXPECT_TRUE(engine->set_user_deactivated(op, bob.user_id, true).deactivated);
    EXPECT_TRUE(engine->get_user(op, bob.user_id).deactivated);

    // A deactivated account is refused every command.
    expect_denied("R12", [&] { engine->create_project(bob, {{"group_id", g.id}, {"name", "X"}}); });
    expect_denied("R12", [&] { make_action(bob, p, "Late"); });
    expect_denied("R12", [&] { engine->update_project(bob, p.id, {{"name", "Renamed"}}); });
    expect_denied("R12", [&] { engine->leave_group(bob, g.id); });
    expect_denied("R12", [&] { engine->set_avatar(bob, kPng); });
    expect_denied("R1", [&] { engine->create_group(bob, {{"name", "Mine"}}); });

    EXPECT_FALSE(engine->set_user_deactivated(op, bob.user_id, false).deactivated);
    EXPECT_EQ(make_action(bob, p, "Back at work").title, "Back at work");
}

TEST_F(RulesPeople, R12_DeactivatedUserMayNotEditProfile) {
    // A deactivated account is refused every write, its own profile included.
    engine->set_user_deactivated(op, bob.user_id, true);
    expect_denied("R12", [&] {
        engine->update_profile(bob, bob.user_id, {{"first_name", "Rob"}});
    });
}

TEST_F(RulesPeople, R12_OperatorMayChangeLoginEmail) {
    const User u = engine->change_login_email(op, bob.user_id, "Robert.Baker@Example.com");
    EXPECT_EQ(u.email, "robert.baker@example.com");
    EXPECT_EQ(engine->get_user(bob, bob.user_id).email, "robert.baker@example.com");
    // Adding the new address finds Bob instead of inventing someone (R16).
    const Group g = make_group(ann, "Plant 2");
    EXPECT_EQ(engine->add_member(ann, g.id, "robert.baker@example.com").id, bob.user_id);
}

TEST_F(RulesPeople, R12_OperatorMayReadAnyUser) {
    EXPECT_EQ(engine->get_user(op, bob.user_id).email, "bob@example.com");
}

TEST_F(RulesPeople, R12_UserMayNotDeactivateOrReactivateAnAccount) {
    make_group(ann, "Plant 2", {bob});
    // Not even the manager of the person's group.
    expect_denied("R12", [&] { engine->set_user_deactivated(ann, bob.user_id, true); });
    expect_denied("R12", [&] { engine->set_user_deactivated(bob, bob.user_id, true); });
    engine->set_user_deactivated(op, bob.user_id, true);
    expect_denied("R12", [&] { engine->set_user_deactivated(bob, bob.user_id, false); });
    expect_denied("R12", [&] { engine->set_user_deactivated(ann, bob.user_id, false); });
}

TEST_F(RulesPeople, R12_UserMayNotChangeALoginEmail) {
    expect_denied("R12", [&] { engine->change_login_email(bob, bob.user_id, "b@example.com"); });
    expect_denied("R12", [&] { engine->change_login_email(bob, ann.user_id, "a@example.com"); });
}

TEST_F(RulesPeople, R12_OperatorDoesNotActOnGroupData) {
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R12", [&] {
        engine->create_project(op, {{"group_id", g.id}, {"name", "Op's"}});
    });
    expect_denied("R12", [&] { engine->add_member(op, g.id, "cat@example.com"); });
}

// ---- R13: what members see of each other; nothing of a group for a non-member
// ----------------------

TEST_F(RulesPeople, R13_MembersSeeEachOthersDisplayNameAvatarAndStatus) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    const User c = engine->set_avatar(cat, kPng);
    engine->set_user_status(op, cat.user_id, UserStatus::silver);
    const PersonView v = seen_by(bob, g, cat);
    EXPECT_EQ(v.display_name, "Cat Cooper");
    EXPECT_EQ(v.avatar, c.avatar);
    EXPECT_EQ(v.status, UserStatus::silver);
    EXPECT_EQ(engine->read_blob(bob, *c.avatar), kPng);  // the avatar image itself
    EXPECT_FALSE(v.email.has_value());
}

TEST_F(RulesPeople, R13_EmailVisibleToTheUserThemself) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    EXPECT_EQ(seen_by(bob, g, bob).email.value_or(""), "bob@example.com");
}

TEST_F(RulesPeople, R13_EmailVisibleToTheManagerOfACommonGroup) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    EXPECT_EQ(seen_by(ann, g, bob).email.value_or(""), "bob@example.com");
    EXPECT_EQ(seen_by(ann, g, cat).email.value_or(""), "cat@example.com");
}

TEST_F(RulesPeople, R13_EmailVisibleToCoParticipants) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    make_project(bob, g, "Scrap", {cat});
    EXPECT_EQ(seen_by(bob, g, cat).email.value_or(""), "cat@example.com");
    EXPECT_EQ(seen_by(cat, g, bob).email.value_or(""), "bob@example.com");
}

TEST_F(RulesPeople, R13_EmailHiddenFromPlainFellowMembers) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    make_project(bob, g, "Scrap", {});
    EXPECT_FALSE(seen_by(bob, g, cat).email.has_value());
    EXPECT_FALSE(seen_by(cat, g, bob).email.has_value());
    // A member does not see the manager's address either: only the manager sees members' ones.
    EXPECT_FALSE(seen_by(bob, g, ann).email.has_value());
    // Name, avatar and status remain visible.
    EXPECT_EQ(seen_by(bob, g, cat).display_name, "Cat Cooper");
}

TEST_F(RulesPeople, R13_NonMemberSeesNothingOfTheGroup) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    engine->add_resource(ann, g.id, {{"name", "Wiki"}});
    const Project p = make_project(bob, g, "Scrap", {cat});
    const Action a = make_action(bob, p, "Measure scrap");
    const Photo ph = engine->add_photo(bob, a.id, kPng, Json::object());
    const User c = engine->set_avatar(cat, kPng);

    EXPECT_TRUE(engine->my_groups(dan).empty());
    EXPECT_TRUE(engine->my_projects(dan).empty());
    expect_denied("R13", [&] { engine->get_group(dan, g.id); });
    expect_denied("R13", [&] { engine->group_members(dan, g.id); });
    expect_denied("R13", [&] { engine->group_steps(dan, g.id); });
    expect_denied("R13", [&] { engine->group_resources(dan, g.id); });
    expect_denied("R13", [&] { engine->group_projects(dan, g.id); });
    expect_denied("R13", [&] { engine->get_project(dan, p.id); });
    expect_denied("R13", [&] { engine->project_participants(dan, p.id); });
    expect_denied("R13", [&] { engine->project_actions(dan, p.id); });
    expect_denied("R13", [&] { engine->get_action(dan, a.id); });
    // Blobs answer "not found" to whoever may not see them: a known hash reveals nothing.
    expect_unchanged(Errc::not_found, [&] { engine->read_blob(dan, ph.blob); });
    expect_unchanged(Errc::not_found, [&] { engine->read_blob(dan, *c.avatar); });
}

TEST_F(RulesPeople, R13_NonMemberMayNotWriteToTheGroup) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Project p = make_project(bob, g, "Scrap", {});
    expect_denied("R13", [&] { engine->update_group(dan, g.id, {{"name", "Dan's"}}); });
    expect_denied("R13", [&] { engine->add_step(dan, g.id, {{"name", "Dan's step"}}); });
    expect_denied("R13", [&] { engine->add_member(dan, g.id, "dan2@example.com"); });
    expect_denied("R13", [&] { make_action(dan, p, "Dan's action"); });
    expect_denied("R13", [&] { engine->add_participant(dan, p.id, dan.user_id); });
}

TEST_F(RulesPeople, R13_FormerMemberSeesNothingAnyMore) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    const Project p = make_project(cat, g, "Scrap", {bob});
    engine->remove_member(ann, g.id, bob.user_id);
    expect_denied("R13", [&] { engine->group_members(bob, g.id); });
    expect_denied("R13", [&] { engine->get_project(bob, p.id); });
}

// ---- R16: a person added by e-mail is a non-activated user others can work for
// -------------------

TEST_F(RulesPeople, R16_AddingUnknownEmailCreatesNonActivatedUser) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const PersonView eve = engine->add_member(ann, g.id, "Eve.Evans@Example.com");
    EXPECT_FALSE(eve.activated);
    EXPECT_EQ(eve.display_name, "eve.evans@example.com");
    const PersonView listed = seen_by(ann, g, Actor::user(eve.id));
    EXPECT_FALSE(listed.activated);
    EXPECT_EQ(listed.display_name, "eve.evans@example.com");
    EXPECT_EQ(engine->get_user(op, eve.id).email, "eve.evans@example.com");
}

TEST_F(RulesPeople, R16_DisplayNameIsFirstLastOnceActivated) {
    // Sign-up gives the names first; until the address is verified the e-mail is shown.
    const Group g = make_group(ann, "Plant 2");
    const Actor eve = make_user("eve@example.com", "Eve", "Evans", /*activated=*/false);
    engine->add_member(ann, g.id, "eve@example.com");
    EXPECT_EQ(seen_by(ann, g, eve).display_name, "eve@example.com");
    engine->activate_user(eve.user_id);
    EXPECT_EQ(seen_by(ann, g, eve).display_name, "Eve Evans");
    EXPECT_TRUE(seen_by(ann, g, eve).activated);
}

TEST_F(RulesPeople, R16_InvitedPersonGetsFirstLastAfterActivatingAndNamingThemself) {
    const Group g = make_group(ann, "Plant 2");
    const Actor eve = Actor::user(engine->add_member(ann, g.id, "eve@example.com").id);
    engine->activate_user(eve.user_id);
    EXPECT_EQ(seen_by(ann, g, eve).display_name, "eve@example.com");  // no name given yet
    engine->update_profile(eve, eve.user_id, {{"first_name", "Eve"}, {"last_name", "Evans"}});
    EXPECT_EQ(seen_by(ann, g, eve).display_name, "Eve Evans");
}

TEST_F(RulesPeople, R16_NonActivatedUserMayOwnActionsOthersManage) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    const Project p = make_project(bob, g, "Scrap", {cat});
    const Id eve = engine->add_member(ann, g.id, "eve@example.com").id;
    engine->add_participant(bob, p.id, eve);

    const Action a = engine->create_action(
        cat, {{"project_id", p.id}, {"title", "Weigh bins"}, {"owner_id", eve}});
    EXPECT_EQ(a.owner_id, eve);
    const Action b = make_action(bob, p, "Label bins");
    EXPECT_EQ(engine->update_action(bob, b.id, {{"owner_id", eve}}).owner_id, eve);
    // Others manage them on her behalf.
    const Step done = step_of_kind(bob, g, StepKind::done);
    EXPECT_TRUE(engine->move_action(bob, a.id, done.id).done_at.has_value());
    const auto everyone = engine->project_participants(cat, p.id);
    const PersonView* e = find_person(everyone, eve);
    ASSERT_NE(e, nullptr);
    EXPECT_FALSE(e->activated);
    // And she receives the report (R15).
    EXPECT_EQ(engine->report_recipients(cat, p.id, {eve}).size(), 1U);
}

TEST_F(RulesPeople, R16_NonParticipantCannotOwnAction) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    const Project p = make_project(bob, g, "Scrap", {});
    const Id eve = engine->add_member(ann, g.id, "eve@example.com").id;  // member, not participant
    const Action a = make_action(bob, p, "Weigh bins");
    const std::string msg = expect_unchanged(Errc::invalid_argument, [&] {
        engine->create_action(bob, {{"project_id", p.id}, {"title", "X"}, {"owner_id", eve}});
    });
    EXPECT_NE(msg.find("owner_id"), std::string::npos) << msg;
    expect_unchanged(Errc::invalid_argument, [&] {
        engine->update_action(bob, a.id, {{"owner_id", cat.user_id}});
    });
    expect_unchanged(Errc::invalid_argument, [&] {
        engine->update_action(bob, a.id, {{"owner_id", dan.user_id}});
    });
}

TEST_F(RulesPeople, R16_NonActivatedUserMayNotActUntilActivated) {
    // Others act for them; they themselves act once their account is activated (R1/R12).
    const Group g = make_group(ann, "Plant 2");
    const Actor eve = Actor::user(engine->add_member(ann, g.id, "eve@example.com").id);
    expect_denied("R12", [&] {
        engine->create_project(eve, {{"group_id", g.id}, {"name", "Eve's"}});
    });
    engine->activate_user(eve.user_id);
    EXPECT_EQ(engine->create_project(eve, {{"group_id", g.id}, {"name", "Eve's"}}).owner_id,
              eve.user_id);
}

// ---- R17: nothing is asked or stored about payment means or postal addresses
// ----------------------

TEST_F(RulesPeople, R17_CreateUserRefusesAddressAndPaymentFields) {
    for (const auto& key : kForbidden) {
        const std::string msg = expect_unchanged(Errc::invalid_argument, [&] {
            engine->create_user({{"email", "new@example.com"}, {"first_name", "New"}, {key, "x"}});
        });
        EXPECT_EQ(msg.rfind("R17:", 0), 0U) << msg;
        EXPECT_NE(msg.find(key), std::string::npos) << msg;
    }
}

TEST_F(RulesPeople, R17_UpdateProfileRefusesAddressAndPaymentFields) {
    for (const auto& key : kForbidden) {
        const std::string msg = expect_unchanged(Errc::invalid_argument, [&] {
            engine->update_profile(bob, bob.user_id, {{"first_name", "Rob"}, {key, "12 Main St"}});
        });
        EXPECT_EQ(msg.rfind("R17:", 0), 0U) << msg;
    }
}

TEST_F(RulesPeople, R17_CommandEntryPointRefusesForbiddenFields) {
    const std::string msg = expect_unchanged(Errc::invalid_argument, [&] {
        engine->execute(
            bob, "update_profile",
            {{"user_id", bob.user_id}, {"patch", {{"iban", "DE89370400440532013000"}}}});
    });
    EXPECT_NE(msg.find("R17"), std::string::npos) << msg;
}

TEST_F(RulesPeople, R17_OrdinaryFieldsAreAccepted) {
    const User u = engine->create_user({{"email", "New@Example.com"},
                                        {"first_name", "Nina"},
                                        {"last_name", "New"},
                                        {"activated", true}});
    EXPECT_EQ(u.email, "new@example.com");
    EXPECT_EQ(u.display_name(), "Nina New");
    const User v = engine->update_profile(Actor::user(u.id), u.id,
                                          {{"last_name", "Newman"}, {"newsletter_opt_in", false}});
    EXPECT_EQ(v.last_name, "Newman");
    EXPECT_FALSE(v.newsletter_opt_in);
}

TEST_F(RulesPeople, R17_NoTableHasAnAddressOrPaymentColumn) {
    engine->checkpoint();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(
                  db,
                  "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                  "WHERE m.type = 'table'",
                  -1, &s, nullptr),
              SQLITE_OK);
    int columns = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const std::string table = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        const std::string column = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
        ++columns;
        EXPECT_FALSE(rules::is_forbidden_personal_field(column)) << table << "." << column;
        for (const char* word :
             {"postal", "street", "card", "iban", "billing", "payment", "bank"}) {
            EXPECT_EQ(column.find(word), std::string::npos) << table << "." << column;
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    EXPECT_GT(columns, 0);
}

}  // namespace leandesk::testing

// Rules R6, R7, R8 and R15 through the real engine: participants, the group manager's reach, what
// participants read and see of each other, and who a report may be sent to.
#include <algorithm>

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
// A valid 1×1 white PNG (different bytes, so a different blob).
const std::vector<unsigned char> kPngWhite = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
    0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0xF8, 0x0F, 0x00, 0x01, 0x01, 0x01, 0x00, 0xB1, 0x38, 0xF6, 0x14, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

const PersonView* find_person(const std::vector<PersonView>& people, const Id& id) {
    const auto it =
        std::find_if(people.begin(), people.end(), [&](const PersonView& p) { return p.id == id; });
    return it == people.end() ? nullptr : &*it;
}

bool has_person(const std::vector<PersonView>& people, const Id& id) {
    return find_person(people, id) != nullptr;
}

bool has_project(const std::vector<Project>& projects, const Id& id) {
    return std::any_of(projects.begin(), projects.end(),
                       [&](const Project& p) { return p.id == id; });
}

}  // namespace

class RulesProjects : public EngineTest {
  protected:
    // Ann manages the group; Bob, Cat and Dan are members. Bob owns the project, Cat takes part,
    // Dan is a member outside the project, and Ann is not a participant.
    void SetUp() override {
        EngineTest::SetUp();
        group = make_group(ann, "Plant 2", {bob, cat, dan});
        project = make_project(bob, group, "Scrap reduction", {cat});
    }
    Actor outsider() { return make_user("out@example.com", "Olga", "Out"); }

    Group group;
    Project project;
};

// ---- R6: participants are group members; owner and manager add and remove; anyone may leave
// ---------

TEST_F(RulesProjects, R6_OwnerMayAddParticipant) {
    const Participant part = engine->add_participant(bob, project.id, dan.user_id);
    EXPECT_EQ(part.user_id, dan.user_id);
    EXPECT_EQ(part.added_by, bob.user_id);
    EXPECT_TRUE(has_person(engine->project_participants(bob, project.id), dan.user_id));
    EXPECT_TRUE(has_project(engine->my_projects(dan), project.id));
}

TEST_F(RulesProjects, R6_ManagerMayAddParticipantWithoutBeingOne) {
    engine->add_participant(ann, project.id, dan.user_id);
    EXPECT_TRUE(has_person(engine->project_participants(bob, project.id), dan.user_id));
    EXPECT_FALSE(has_person(engine->project_participants(bob, project.id), ann.user_id));
}

TEST_F(RulesProjects, R6_ParticipantWhoIsNotOwnerMayNotAddParticipant) {
    expect_denied("R6", [&] { engine->add_participant(cat, project.id, dan.user_id); });
}

TEST_F(RulesProjects, R6_MemberOutsideProjectMayNotAddThemself) {
    expect_denied("R6", [&] { engine->add_participant(dan, project.id, dan.user_id); });
}

TEST_F(RulesProjects, R6_NonGroupMemberCannotBeParticipant) {
    const Actor olga = outsider();
    expect_denied("R6", [&] { engine->add_participant(bob, project.id, olga.user_id); });
    expect_denied("R6", [&] { engine->add_participant(ann, project.id, olga.user_id); });
}

TEST_F(RulesProjects, R6_OwnerMayRemoveParticipant) {
    engine->remove_participant(bob, project.id, cat.user_id);
    EXPECT_FALSE(has_person(engine->project_participants(bob, project.id), cat.user_id));
    EXPECT_FALSE(has_project(engine->my_projects(cat), project.id));
}

TEST_F(RulesProjects, R6_ManagerMayRemoveParticipant) {
    engine->remove_participant(ann, project.id, cat.user_id);
    EXPECT_FALSE(has_person(engine->project_participants(bob, project.id), cat.user_id));
}

TEST_F(RulesProjects, R6_ParticipantMayNotRemoveAnotherParticipant) {
    engine->add_participant(bob, project.id, dan.user_id);
    expect_denied("R6", [&] { engine->remove_participant(cat, project.id, dan.user_id); });
    expect_denied("R6", [&] { engine->remove_participant(cat, project.id, bob.user_id); });
}

TEST_F(RulesProjects, R6_NobodyMayRemoveTheOwner) {
    expect_denied("R6", [&] { engine->remove_participant(ann, project.id, bob.user_id); });
}

TEST_F(RulesProjects, R6_AnyParticipantMayLeave) {
    engine->add_participant(bob, project.id, dan.user_id);
    engine->leave_project(cat, project.id);
    engine->remove_participant(dan, project.id, dan.user_id);  // removing oneself is leaving
    const auto people = engine->project_participants(bob, project.id);
    ASSERT_EQ(people.size(), 1U);
    EXPECT_EQ(people[0].id, bob.user_id);
}

TEST_F(RulesProjects, R6_LeavingParticipantsActionsLoseTheirOwner) {
    const Action a = engine->create_action(
        bob, {{"project_id", project.id}, {"title", "Sort bins"}, {"owner_id", cat.user_id}});
    engine->leave_project(cat, project.id);
    EXPECT_FALSE(engine->get_action(bob, a.id).action.owner_id.has_value());
}

TEST_F(RulesProjects, R6_NonParticipantMayNotLeaveProject) {
    expect_denied("R6", [&] { engine->leave_project(dan, project.id); });
    expect_denied("R6", [&] { engine->leave_project(ann, project.id); });
}

TEST_F(RulesProjects, R6_OwnerMayNotLeaveBeforeHandingOver) {
    // Engine reading of "any participant may leave" + "the owner role can be handed over": like
    // the manager (R3), the owner hands over first so the project always has an owner.
    expect_denied("R6", [&] { engine->leave_project(bob, project.id); });
}

TEST_F(RulesProjects, R6_OwnerMayHandOverToAnotherParticipantThenLeave) {
    EXPECT_EQ(engine->transfer_project(bob, project.id, cat.user_id).owner_id, cat.user_id);
    EXPECT_EQ(engine->get_project(bob, project.id).owner_id, cat.user_id);
    // The new owner has the owner's powers, the former one has lost them.
    engine->add_participant(cat, project.id, dan.user_id);
    expect_denied("R6", [&] { engine->remove_participant(bob, project.id, dan.user_id); });
    engine->leave_project(bob, project.id);
    EXPECT_FALSE(has_person(engine->project_participants(cat, project.id), bob.user_id));
}

TEST_F(RulesProjects, R6_OwnershipOnlyGoesToAParticipant) {
    expect_denied("R6", [&] { engine->transfer_project(bob, project.id, dan.user_id); });
    const Actor olga = outsider();
    expect_denied("R6", [&] { engine->transfer_project(bob, project.id, olga.user_id); });
}

TEST_F(RulesProjects, R6_ParticipantWhoIsNotOwnerMayNotHandOverOwnership) {
    expect_denied("R6", [&] { engine->transfer_project(cat, project.id, cat.user_id); });
}

// ---- R7: the group manager reads everything, deletes projects, manages participants
// ---------------

TEST_F(RulesProjects, R7_ManagerReadsAllDataWithoutBeingParticipant) {
    const Action a = make_action(cat, project, "Measure scrap");
    const Photo ph = engine->add_photo(cat, a.id, kPng, {{"caption", "Line 3"}});
    engine->add_comment(cat, a.id, {{"body", "Started"}});
    const Indicator ind =
        engine->create_indicator(bob, {{"project_id", project.id}, {"name", "Scrap rate"}});
    engine->set_indicator_value(bob, ind.id, "2026-W10", 4.5);

    ASSERT_FALSE(has_person(engine->project_participants(ann, project.id), ann.user_id));
    EXPECT_TRUE(has_project(engine->group_projects(ann, group.id), project.id));
    EXPECT_EQ(engine->get_project(ann, project.id).name, "Scrap reduction");
    EXPECT_EQ(engine->project_actions(ann, project.id).size(), 1U);
    const ProjectReview review = engine->project_review(ann, project.id);
    EXPECT_EQ(review.participants.size(), 2U);
    EXPECT_EQ(review.indicators.size(), 1U);
    const ActionDetail detail = engine->get_action(ann, a.id);
    ASSERT_EQ(detail.photos.size(), 1U);
    EXPECT_EQ(detail.comments.size(), 1U);
    EXPECT_EQ(engine->read_blob(ann, ph.blob), kPng);
    EXPECT_EQ(engine->project_indicators(ann, project.id).size(), 1U);
    const auto curve = engine->indicator_curve(ann, ind.id);
    ASSERT_FALSE(curve.empty());
    EXPECT_EQ(curve.front().actual.value_or(-1), 4.5);
    // As the manager of a common group, Ann sees the participants' addresses (R13).
    for (const auto& p : engine->project_participants(ann, project.id)) {
        EXPECT_TRUE(p.email.has_value()) << p.id;
    }
}

TEST_F(RulesProjects, R7_ManagerMayDeleteAnyProject) {
    make_action(cat, project, "Measure scrap");
    engine->delete_project(ann, project.id);
    EXPECT_FALSE(has_project(engine->group_projects(ann, group.id), project.id));
    EXPECT_FALSE(has_project(engine->my_projects(bob), project.id));
    expect_error(Errc::not_found, [&] { engine->get_project(ann, project.id); });
}

TEST_F(RulesProjects, R7_OwnerMayDeleteTheirProject) {
    // The engine also lets the project's owner delete it (DESIGN names only the manager in R7).
    engine->delete_project(bob, project.id);
    EXPECT_FALSE(has_project(engine->group_projects(ann, group.id), project.id));
}

TEST_F(RulesProjects, R7_ParticipantWhoIsNotOwnerMayNotDeleteProject) {
    make_action(cat, project, "Measure scrap");
    expect_denied("R7", [&] { engine->delete_project(cat, project.id); });
    expect_denied("R7", [&] { engine->delete_project(dan, project.id); });
}

TEST_F(RulesProjects, R7_ManagerMayAddAndRemoveParticipants) {
    engine->add_participant(ann, project.id, dan.user_id);
    engine->remove_participant(ann, project.id, cat.user_id);
    const auto people = engine->project_participants(ann, project.id);
    EXPECT_TRUE(has_person(people, dan.user_id));
    EXPECT_FALSE(has_person(people, cat.user_id));
}

TEST_F(RulesProjects, R7_ManagerMayEditProjectFieldsWithoutBeingParticipant) {
    const Project p = engine->update_project(
        ann, project.id, {{"description", "Halve scrap"}, {"status", "closed"}});
    EXPECT_EQ(p.description, "Halve scrap");
    EXPECT_EQ(engine->get_project(bob, project.id).status, ProjectStatus::closed);
}

TEST_F(RulesProjects, R7_ManagerWhoIsNotParticipantMayNotEditActions) {
    const Action a = make_action(cat, project, "Measure scrap");
    const Step done = step_of_kind(ann, group, StepKind::done);
    expect_denied("R9", [&] { make_action(ann, project, "Manager's own"); });
    expect_denied("R9", [&] { engine->update_action(ann, a.id, {{"title", "Changed"}}); });
    expect_denied("R9", [&] { engine->move_action(ann, a.id, done.id); });
    expect_denied("R9", [&] { engine->delete_action(ann, a.id); });
    expect_denied("R9", [&] { engine->add_photo(ann, a.id, kPng, Json::object()); });
    expect_denied("R9", [&] {
        engine->create_indicator(ann, {{"project_id", project.id}, {"name", "X"}});
    });
}

TEST_F(RulesProjects, R7_ManagerWhoJoinsAsParticipantMayEditActions) {
    const Action a = make_action(cat, project, "Measure scrap");
    engine->add_participant(ann, project.id, ann.user_id);
    EXPECT_EQ(engine->update_action(ann, a.id, {{"title", "Measure scrap daily"}}).title,
              "Measure scrap daily");
}

// ---- R8: every participant reads the project and sees co-participants' details
// ----------------------

TEST_F(RulesProjects, R8_ParticipantReadsAllProjectData) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Photo ph = engine->add_photo(bob, a.id, kPng, Json::object());
    engine->add_comment(bob, a.id, {{"body", "Started"}});
    const Indicator ind =
        engine->create_indicator(bob, {{"project_id", project.id}, {"name", "Scrap rate"}});
    engine->set_indicator_value(bob, ind.id, "2026-W10", 3.0);

    // Cat is a plain participant, neither owner nor manager.
    EXPECT_EQ(engine->get_project(cat, project.id).id, project.id);
    EXPECT_TRUE(has_project(engine->group_projects(cat, group.id), project.id));
    EXPECT_EQ(engine->project_actions(cat, project.id).size(), 1U);
    const ProjectReview review = engine->project_review(cat, project.id);
    std::size_t actions = 0;
    for (const auto& s : review.steps) actions += s.actions.size();
    EXPECT_EQ(actions, 1U);
    const ActionDetail detail = engine->get_action(cat, a.id);
    EXPECT_EQ(detail.photos.size(), 1U);
    EXPECT_EQ(detail.comments.size(), 1U);
    EXPECT_EQ(engine->read_blob(cat, ph.blob), kPng);
    EXPECT_EQ(engine->project_indicators(cat, project.id).size(), 1U);
    EXPECT_FALSE(engine->indicator_curve(cat, ind.id).empty());
}

TEST_F(RulesProjects, R8_ParticipantSeesCoParticipantsNameEmailStatusAndAvatar) {
    const User with_avatar = engine->set_avatar(cat, kPngWhite);
    ASSERT_TRUE(with_avatar.avatar.has_value());
    engine->set_user_status(op, cat.user_id, UserStatus::gold);

    const auto people = engine->project_participants(bob, project.id);
    const PersonView* c = find_person(people, cat.user_id);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->first_name, "Cat");
    EXPECT_EQ(c->last_name, "Cooper");
    EXPECT_EQ(c->display_name, "Cat Cooper");
    EXPECT_EQ(c->email.value_or(""), "cat@example.com");
    EXPECT_EQ(c->status, UserStatus::gold);
    EXPECT_EQ(c->avatar, with_avatar.avatar);
    EXPECT_EQ(engine->read_blob(bob, *c->avatar), kPngWhite);
    // And the other way round.
    const auto seen_by_cat = engine->project_participants(cat, project.id);
    const PersonView* b = find_person(seen_by_cat, bob.user_id);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->email.value_or(""), "bob@example.com");
}

TEST_F(RulesProjects, R8_MemberWhoIsNotParticipantMayNotReadProject) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Indicator ind =
        engine->create_indicator(bob, {{"project_id", project.id}, {"name", "Scrap rate"}});
    EXPECT_FALSE(has_project(engine->group_projects(dan, group.id), project.id));
    expect_denied("R8", [&] { engine->get_project(dan, project.id); });
    expect_denied("R8", [&] { engine->project_actions(dan, project.id); });
    expect_denied("R8", [&] { engine->project_review(dan, project.id); });
    expect_denied("R8", [&] { engine->project_participants(dan, project.id); });
    expect_denied("R8", [&] { engine->project_indicators(dan, project.id); });
    expect_denied("R8", [&] { engine->indicator_curve(dan, ind.id); });
    expect_denied("R8", [&] { engine->get_action(dan, a.id); });
}

TEST_F(RulesProjects, R8_FormerParticipantLosesAccess) {
    engine->leave_project(cat, project.id);
    expect_denied("R8", [&] { engine->get_project(cat, project.id); });
    EXPECT_FALSE(has_project(engine->group_projects(cat, group.id), project.id));
}

// ---- R15: any participant may have the report sent to participants, activated or not
// ----------------

TEST_F(RulesProjects, R15_ParticipantMaySendReportToParticipantsActivatedOrNot) {
    // Eve is invited by e-mail and has no account yet (R16); she still receives reports.
    const PersonView eve = engine->add_member(ann, group.id, "eve@example.com");
    ASSERT_FALSE(eve.activated);
    engine->add_participant(bob, project.id, eve.id);

    const auto to = engine->report_recipients(cat, project.id, {bob.user_id, eve.id});
    ASSERT_EQ(to.size(), 2U);
    EXPECT_EQ(to[0].id, bob.user_id);
    EXPECT_EQ(to[0].email.value_or(""), "bob@example.com");
    EXPECT_EQ(to[1].id, eve.id);
    EXPECT_FALSE(to[1].activated);
    EXPECT_EQ(to[1].email.value_or(""), "eve@example.com");
}

TEST_F(RulesProjects, R15_ParticipantMaySendReportToThemself) {
    const auto to = engine->report_recipients(cat, project.id, {cat.user_id});
    ASSERT_EQ(to.size(), 1U);
    EXPECT_EQ(to[0].email.value_or(""), "cat@example.com");
}

TEST_F(RulesProjects, R15_NonParticipantMayNotSendReport) {
    expect_denied("R15", [&] { engine->report_recipients(dan, project.id, {bob.user_id}); });
    // Not even the group manager, who reads the project (R7) but is not a participant.
    expect_denied("R15", [&] { engine->report_recipients(ann, project.id, {bob.user_id}); });
}

TEST_F(RulesProjects, R15_ReportMayNotGoToNonParticipant) {
    expect_denied("R15", [&] {
        engine->report_recipients(cat, project.id, {bob.user_id, dan.user_id});
    });
    expect_denied("R15", [&] { engine->report_recipients(cat, project.id, {ann.user_id}); });
    const Actor olga = outsider();
    expect_denied("R15", [&] { engine->report_recipients(cat, project.id, {olga.user_id}); });
}

TEST_F(RulesProjects, R15_OutsiderOfTheGroupIsRefusedBeforeR15) {
    const Actor olga = outsider();
    expect_denied("R13", [&] { engine->report_recipients(olga, project.id, {bob.user_id}); });
}

}  // namespace leandesk::testing

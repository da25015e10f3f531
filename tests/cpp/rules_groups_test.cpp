// Rules R1–R5 through the real engine: creating groups, the manager's powers, leaving and removing
// members, creating projects. Every refusal is checked with expect_denied, which compares the whole
// database before and after.
#include <algorithm>

#include "test_support.hpp"

namespace leandesk::testing {
namespace {

bool has_person(const std::vector<PersonView>& people, const Id& id) {
    return std::any_of(people.begin(), people.end(),
                       [&](const PersonView& p) { return p.id == id; });
}

bool has_project(const std::vector<Project>& projects, const Id& id) {
    return std::any_of(projects.begin(), projects.end(),
                       [&](const Project& p) { return p.id == id; });
}

bool has_group(const std::vector<Group>& groups, const Id& id) {
    return std::any_of(groups.begin(), groups.end(), [&](const Group& g) { return g.id == id; });
}

}  // namespace

class RulesGroups : public EngineTest {};

// ---- R1: any active, signed-in user may create a group and becomes its one manager
// ----------------

TEST_F(RulesGroups, R1_ActiveUserMayCreateGroup) {
    const Group g = engine->create_group(bob, {{"name", "Plant 2"}});
    EXPECT_EQ(g.name, "Plant 2");
    EXPECT_EQ(g.manager_id, bob.user_id);
    EXPECT_EQ(engine->get_group(bob, g.id).manager_id, bob.user_id);
    const auto members = engine->group_members(bob, g.id);
    ASSERT_EQ(members.size(), 1U);
    EXPECT_EQ(members[0].id, bob.user_id);
    EXPECT_TRUE(has_group(engine->my_groups(bob), g.id));
    // New groups get the default steps, the first one being the open step.
    const auto steps = engine->group_steps(bob, g.id);
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.front().kind, StepKind::open);
}

TEST_F(RulesGroups, R1_NonActivatedUserMayNotCreateGroup) {
    const Actor eve = make_user("eve@example.com", "Eve", "Evans", /*activated=*/false);
    expect_denied("R1", [&] { engine->create_group(eve, {{"name", "Too early"}}); });
}

TEST_F(RulesGroups, R1_DeactivatedUserMayNotCreateGroup) {
    engine->set_user_deactivated(op, bob.user_id, true);
    expect_denied("R1", [&] { engine->create_group(bob, {{"name", "Gone"}}); });
}

TEST_F(RulesGroups, R1_ReactivatedUserMayCreateGroupAgain) {
    engine->set_user_deactivated(op, bob.user_id, true);
    engine->set_user_deactivated(op, bob.user_id, false);
    const Group g = engine->create_group(bob, {{"name", "Back"}});
    EXPECT_EQ(g.manager_id, bob.user_id);
}

TEST_F(RulesGroups, R1_UnknownUserOrOperatorMayNotCreateGroup) {
    const Actor ghost = Actor::user("00000000-0000-4000-8000-000000000000");
    expect_denied("R1", [&] { engine->create_group(ghost, {{"name", "Ghosts"}}); });
    expect_denied("R1", [&] { engine->create_group(op, {{"name", "Operators"}}); });
}

TEST_F(RulesGroups, R1_ActivatingAUserLetsThemCreateGroup) {
    const Actor eve = make_user("eve@example.com", "Eve", "Evans", /*activated=*/false);
    engine->activate_user(eve.user_id);
    EXPECT_EQ(engine->create_group(eve, {{"name", "Now"}}).manager_id, eve.user_id);
}

// ---- R2: only the manager renames, edits members, steps, resources, hands over, deletes ---------

TEST_F(RulesGroups, R2_ManagerMayRenameGroup) {
    const Group g = make_group(ann, "Plant 2", {bob});
    EXPECT_EQ(engine->update_group(ann, g.id, {{"name", "Plant Two"}}).name, "Plant Two");
    EXPECT_EQ(engine->get_group(bob, g.id).name, "Plant Two");
}

TEST_F(RulesGroups, R2_MemberMayNotRenameGroup) {
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R2", [&] { engine->update_group(bob, g.id, {{"name", "Bob's"}}); });
}

TEST_F(RulesGroups, R2_ManagerMayAddMemberByEmail) {
    const Group g = make_group(ann, "Plant 2");
    const PersonView v = engine->add_member(ann, g.id, "Bob@Example.com");
    EXPECT_EQ(v.id, bob.user_id);  // the address is matched case-insensitively
    EXPECT_TRUE(has_person(engine->group_members(ann, g.id), bob.user_id));
    EXPECT_TRUE(has_group(engine->my_groups(bob), g.id));
}

TEST_F(RulesGroups, R2_MemberMayNotAddMember) {
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R2", [&] { engine->add_member(bob, g.id, "cat@example.com"); });
    // Nor may they invite someone unknown (which would create a user, R16).
    expect_denied("R2", [&] { engine->add_member(bob, g.id, "nobody@example.com"); });
}

TEST_F(RulesGroups, R2_ManagerMayRemoveMember) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    engine->remove_member(ann, g.id, cat.user_id);
    EXPECT_FALSE(has_person(engine->group_members(ann, g.id), cat.user_id));
    EXPECT_FALSE(has_group(engine->my_groups(cat), g.id));
}

TEST_F(RulesGroups, R2_MemberMayNotRemoveAnotherMember) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    expect_denied("R2", [&] { engine->remove_member(bob, g.id, cat.user_id); });
    // Nor the manager.
    expect_denied("R2", [&] { engine->remove_member(bob, g.id, ann.user_id); });
}

TEST_F(RulesGroups, R2_ManagerMayEditSteps) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const std::size_t before = engine->group_steps(ann, g.id).size();
    const Step added = engine->add_step(ann, g.id, {{"name", "Check"}, {"kind", "active"}});
    EXPECT_EQ(engine->group_steps(bob, g.id).size(), before + 1);
    EXPECT_EQ(engine->update_step(ann, added.id, {{"name", "Verify"}}).name, "Verify");
    const auto reordered = engine->move_step(ann, added.id, 0);
    EXPECT_EQ(reordered.front().id, added.id);
    EXPECT_EQ(engine->group_steps(bob, g.id).front().id, added.id);
    engine->remove_step(ann, added.id);
    EXPECT_EQ(engine->group_steps(bob, g.id).size(), before);
}

TEST_F(RulesGroups, R2_MemberMayNotAddStep) {
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R2", [&] { engine->add_step(bob, g.id, {{"name", "Check"}}); });
}

TEST_F(RulesGroups, R2_MemberMayNotRenameStep) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Step s = step_of_kind(bob, g, StepKind::active);
    expect_denied("R2", [&] { engine->update_step(bob, s.id, {{"name", "Doing"}}); });
}

TEST_F(RulesGroups, R2_MemberMayNotReorderSteps) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Step s = step_of_kind(bob, g, StepKind::done);
    expect_denied("R2", [&] { engine->move_step(bob, s.id, 0); });
}

TEST_F(RulesGroups, R2_MemberMayNotRemoveStep) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Step s = engine->add_step(ann, g.id, {{"name", "Unused"}});
    expect_denied("R2", [&] { engine->remove_step(bob, s.id); });
}

TEST_F(RulesGroups, R2_ManagerMayEditResources) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Resource r =
        engine->add_resource(ann, g.id, {{"name", "Wiki"}, {"url", "https://wiki.example.com"}});
    ASSERT_EQ(engine->group_resources(bob, g.id).size(), 1U);
    EXPECT_EQ(engine->update_resource(ann, r.id, {{"note", "Read first"}}).note.value_or(""),
              "Read first");
    engine->remove_resource(ann, r.id);
    EXPECT_TRUE(engine->group_resources(bob, g.id).empty());
}

TEST_F(RulesGroups, R2_MemberMayNotEditResources) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Resource r = engine->add_resource(ann, g.id, {{"name", "Wiki"}});
    expect_denied("R2", [&] { engine->add_resource(bob, g.id, {{"name", "Mine"}}); });
    expect_denied("R2", [&] { engine->update_resource(bob, r.id, {{"name", "Renamed"}}); });
    expect_denied("R2", [&] { engine->remove_resource(bob, r.id); });
}

TEST_F(RulesGroups, R2_ManagerMayHandOverRoleAndThereIsStillExactlyOneManager) {
    const Group g = make_group(ann, "Plant 2", {bob});
    EXPECT_EQ(engine->transfer_group(ann, g.id, bob.user_id).manager_id, bob.user_id);
    EXPECT_EQ(engine->get_group(ann, g.id).manager_id, bob.user_id);
    // Ann stays a member but has lost the manager's powers; Bob has them.
    EXPECT_TRUE(has_person(engine->group_members(bob, g.id), ann.user_id));
    expect_denied("R2", [&] { engine->update_group(ann, g.id, {{"name", "Ann's"}}); });
    EXPECT_EQ(engine->update_group(bob, g.id, {{"name", "Bob's"}}).name, "Bob's");
}

TEST_F(RulesGroups, R2_MemberMayNotHandOverRole) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    expect_denied("R2", [&] { engine->transfer_group(bob, g.id, cat.user_id); });
    expect_denied("R2", [&] { engine->transfer_group(bob, g.id, bob.user_id); });
}

TEST_F(RulesGroups, R2_ManagerMayNotHandOverRoleToNonMemberOrSelf) {
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R2", [&] { engine->transfer_group(ann, g.id, dan.user_id); });
    expect_denied("R2", [&] { engine->transfer_group(ann, g.id, ann.user_id); });
}

TEST_F(RulesGroups, R2_ManagerMayDeleteGroup) {
    const Group g = make_group(ann, "Plant 2", {bob});
    engine->delete_group(ann, g.id);
    EXPECT_FALSE(has_group(engine->my_groups(ann), g.id));
    EXPECT_FALSE(has_group(engine->my_groups(bob), g.id));
    expect_error(Errc::not_found, [&] { engine->get_group(ann, g.id); });
}

TEST_F(RulesGroups, R2_MemberMayNotDeleteGroup) {
    const Group g = make_group(ann, "Plant 2", {bob});
    make_project(bob, g, "Scrap", {});
    expect_denied("R2", [&] { engine->delete_group(bob, g.id); });
}

// ---- R3: the manager can neither leave nor be removed
// ----------------------------------------------

TEST_F(RulesGroups, R3_ManagerMayNotLeaveGroup) {
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R3", [&] { engine->leave_group(ann, g.id); });
}

TEST_F(RulesGroups, R3_ManagerMayNotBeRemoved) {
    const Group g = make_group(ann, "Plant 2", {bob});
    // Removing oneself as manager is refused the same way as leaving.
    expect_denied("R3", [&] { engine->remove_member(ann, g.id, ann.user_id); });
}

TEST_F(RulesGroups, R3_ManagerMayLeaveAfterHandingOverTheRole) {
    const Group g = make_group(ann, "Plant 2", {bob});
    engine->transfer_group(ann, g.id, bob.user_id);
    engine->leave_group(ann, g.id);
    EXPECT_FALSE(has_person(engine->group_members(bob, g.id), ann.user_id));
    EXPECT_EQ(engine->get_group(bob, g.id).manager_id, bob.user_id);
}

TEST_F(RulesGroups, R3_NewManagerMayNotBeRemovedButFormerManagerMay) {
    const Group g = make_group(ann, "Plant 2", {bob});
    engine->transfer_group(ann, g.id, bob.user_id);
    expect_denied("R3", [&] { engine->remove_member(bob, g.id, bob.user_id); });
    expect_denied("R3", [&] { engine->leave_group(bob, g.id); });
    engine->remove_member(bob, g.id, ann.user_id);
    EXPECT_FALSE(has_person(engine->group_members(bob, g.id), ann.user_id));
}

// ---- R4: a member may leave; leaving or being removed ends every participation in the group
// -------

TEST_F(RulesGroups, R4_MemberMayLeaveGroup) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    engine->leave_group(bob, g.id);
    EXPECT_FALSE(has_person(engine->group_members(ann, g.id), bob.user_id));
    EXPECT_FALSE(has_group(engine->my_groups(bob), g.id));
    // Once out, nothing of the group is visible any more (R13).
    expect_denied("R13", [&] { engine->group_members(bob, g.id); });
}

TEST_F(RulesGroups, R4_MemberMayLeaveByRemovingThemself) {
    const Group g = make_group(ann, "Plant 2", {bob});
    engine->remove_member(bob, g.id, bob.user_id);
    EXPECT_FALSE(has_person(engine->group_members(ann, g.id), bob.user_id));
}

TEST_F(RulesGroups, R4_LeavingRemovesFromEveryProjectOfTheGroup) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    const Group other = make_group(cat, "Plant 3", {bob});
    const Project p1 = make_project(cat, g, "Scrap", {bob});
    const Project p2 = make_project(ann, g, "Energy", {bob});
    const Project p3 = make_project(cat, other, "Safety", {bob});
    const Action owned = engine->create_action(
        cat, {{"project_id", p1.id}, {"title", "Count scrap"}, {"owner_id", bob.user_id}});

    engine->leave_group(bob, g.id);

    EXPECT_FALSE(has_person(engine->project_participants(ann, p1.id), bob.user_id));
    EXPECT_FALSE(has_person(engine->project_participants(ann, p2.id), bob.user_id));
    // A project of another group is untouched.
    EXPECT_TRUE(has_person(engine->project_participants(cat, p3.id), bob.user_id));
    const auto mine = engine->my_projects(bob);
    ASSERT_EQ(mine.size(), 1U);
    EXPECT_EQ(mine[0].id, p3.id);
    // Their action stays in the plan, without an owner.
    EXPECT_FALSE(engine->get_action(cat, owned.id).action.owner_id.has_value());
}

TEST_F(RulesGroups, R4_RemovingMemberRemovesFromEveryProjectOfTheGroup) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    const Project p1 = make_project(cat, g, "Scrap", {bob});
    const Project p2 = make_project(ann, g, "Energy", {bob});
    engine->remove_member(ann, g.id, bob.user_id);
    EXPECT_FALSE(has_person(engine->project_participants(ann, p1.id), bob.user_id));
    EXPECT_FALSE(has_person(engine->project_participants(ann, p2.id), bob.user_id));
    EXPECT_TRUE(engine->my_projects(bob).empty());
    expect_denied("R13", [&] { engine->get_project(bob, p1.id); });
}

TEST_F(RulesGroups, R4_LeavingOwnerHandsTheirProjectsToTheManager) {
    // Engine choice (DESIGN is silent): a project whose owner leaves the group passes to the
    // group's manager, who becomes a participant, so every project keeps an owner.
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    const Project p = make_project(bob, g, "Scrap", {cat});
    engine->leave_group(bob, g.id);
    const Project after = engine->get_project(ann, p.id);
    EXPECT_EQ(after.owner_id, ann.user_id);
    EXPECT_TRUE(has_person(engine->project_participants(ann, p.id), ann.user_id));
    EXPECT_FALSE(has_person(engine->project_participants(ann, p.id), bob.user_id));
}

TEST_F(RulesGroups, R4_NonMemberMayNotLeaveGroup) {
    // The pure rule refuses with R4; the engine checks visibility first, so a non-member is
    // refused by R13 (nothing of a group is visible to a non-member) before R4 is asked.
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R13", [&] { engine->leave_group(dan, g.id); });
    engine->leave_group(bob, g.id);
    expect_denied("R13", [&] { engine->leave_group(bob, g.id); });
}

TEST_F(RulesGroups, R4_MemberMayNotRemoveOthers) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    make_project(cat, g, "Scrap", {bob});
    expect_denied("R2", [&] { engine->remove_member(cat, g.id, bob.user_id); });
}

// ---- R5: any group member may create a project; the creator is owner and first participant
// ----------

TEST_F(RulesGroups, R5_MemberMayCreateProject) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Project p = engine->create_project(bob, {{"group_id", g.id}, {"name", "Scrap"}});
    EXPECT_EQ(p.owner_id, bob.user_id);
    EXPECT_EQ(p.group_id, g.id);
    const auto participants = engine->project_participants(bob, p.id);
    ASSERT_EQ(participants.size(), 1U);
    EXPECT_EQ(participants[0].id, bob.user_id);
    EXPECT_TRUE(has_project(engine->my_projects(bob), p.id));
    EXPECT_TRUE(has_project(engine->group_projects(ann, g.id), p.id));
}

TEST_F(RulesGroups, R5_ManagerMayCreateProject) {
    const Group g = make_group(ann, "Plant 2", {bob});
    const Project p = engine->create_project(ann, {{"group_id", g.id}, {"name", "Energy"}});
    EXPECT_EQ(p.owner_id, ann.user_id);
    EXPECT_TRUE(has_person(engine->project_participants(ann, p.id), ann.user_id));
}

TEST_F(RulesGroups, R5_NonMemberMayNotCreateProject) {
    const Group g = make_group(ann, "Plant 2", {bob});
    expect_denied("R5", [&] {
        engine->create_project(dan, {{"group_id", g.id}, {"name", "Mine"}});
    });
}

TEST_F(RulesGroups, R5_FormerMemberMayNotCreateProject) {
    const Group g = make_group(ann, "Plant 2", {bob});
    engine->leave_group(bob, g.id);
    expect_denied("R5", [&] {
        engine->create_project(bob, {{"group_id", g.id}, {"name", "Late"}});
    });
}

}  // namespace leandesk::testing

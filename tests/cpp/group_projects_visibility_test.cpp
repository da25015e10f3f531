// Which projects `group_projects` lists to whom (issue 20 item 6; docs/api.md states the rule).
// The design gives the group manager every project of the group without being a participant (R7),
// and a participant the data of their project (R8); a member who takes no part in a project gets
// no read of it (get_project is refused with R8), so the list does not name it either: a member
// sees exactly the projects they take part in, the manager sees all of them, and a non-member is
// refused (R13). Visibility follows the current role and participation, not the past.
#include <string>
#include <vector>

#include "test_support.hpp"

namespace leandesk::testing {
namespace {

std::vector<std::string> names(const std::vector<Project>& projects) {
    std::vector<std::string> out;
    out.reserve(projects.size());
    for (const auto& p : projects) out.push_back(p.name);
    return out;
}

using Names = std::vector<std::string>;

}  // namespace

class GroupProjectsVisibility : public EngineTest {
  protected:
    // Ann manages the group and takes part in no project. Bob owns "Scrap reduction" with Cat as a
    // participant; Cat owns "Audit" alone. Dan is a member of the group in no project.
    void SetUp() override {
        EngineTest::SetUp();
        group = make_group(ann, "Plant 2", {bob, cat, dan});
        scrap = make_project(bob, group, "Scrap reduction", {cat});
        audit = make_project(cat, group, "Audit");
    }

    Group group;
    Project scrap, audit;
};

TEST_F(GroupProjectsVisibility, R7_ManagerSeesEveryProjectWithoutBeingAParticipant) {
    ASSERT_TRUE(engine->my_projects(ann).empty());
    EXPECT_EQ(names(engine->group_projects(ann, group.id)), (Names{"Audit", "Scrap reduction"}));
    // Listed, and readable: the list names nothing the manager could not open.
    for (const auto& p : engine->group_projects(ann, group.id))
        EXPECT_EQ(engine->get_project(ann, p.id).id, p.id);
}

TEST_F(GroupProjectsVisibility, R8_ParticipantSeesTheProjectsTheyTakePartIn) {
    EXPECT_EQ(names(engine->group_projects(bob, group.id)), (Names{"Scrap reduction"}));
    EXPECT_EQ(names(engine->group_projects(cat, group.id)), (Names{"Audit", "Scrap reduction"}));
    // Bob takes no part in Audit: not listed, and not readable either.
    expect_denied("R8", [&] { engine->get_project(bob, audit.id); });
}

TEST_F(GroupProjectsVisibility, R8_MemberWhoIsNotAParticipantSeesNoProject) {
    // Not refused (Dan is a member, R13), but the list is empty: being in the group does not
    // reveal its projects.
    EXPECT_TRUE(engine->group_projects(dan, group.id).empty());
    expect_denied("R8", [&] { engine->get_project(dan, scrap.id); });
    expect_denied("R8", [&] { engine->get_project(dan, audit.id); });
}

TEST_F(GroupProjectsVisibility, R8_VisibilityFollowsParticipation) {
    engine->add_participant(bob, scrap.id, dan.user_id);
    EXPECT_EQ(names(engine->group_projects(dan, group.id)), (Names{"Scrap reduction"}));
    engine->leave_project(dan, scrap.id);
    EXPECT_TRUE(engine->group_projects(dan, group.id).empty());
}

TEST_F(GroupProjectsVisibility, R7_VisibilityFollowsTheManagerRole) {
    engine->transfer_group(ann, group.id, dan.user_id);
    // Dan now manages the group without taking part in a project: he sees both.
    EXPECT_EQ(names(engine->group_projects(dan, group.id)), (Names{"Audit", "Scrap reduction"}));
    // Ann is now a plain member in no project: she sees none.
    EXPECT_TRUE(engine->group_projects(ann, group.id).empty());
    expect_denied("R8", [&] { engine->get_project(ann, scrap.id); });
}

TEST_F(GroupProjectsVisibility, R13_NonMemberIsRefused) {
    const Actor olga = make_user("olga@example.com", "Olga", "Out");
    expect_denied("R13", [&] { engine->group_projects(olga, group.id); });
}

}  // namespace leandesk::testing

// A walk through the main flows: the fixture itself, groups, projects, actions, dashboard.
#include "test_support.hpp"

namespace leandesk::testing {

class SmokeTest : public EngineTest {};

TEST_F(SmokeTest, GroupProjectActionFlow) {
    const Group g = make_group(ann, "Plant 2", {bob, cat});
    EXPECT_EQ(engine->group_members(ann, g.id).size(), 3U);
    const auto steps = engine->group_steps(ann, g.id);
    ASSERT_EQ(steps.size(), 4U);
    EXPECT_EQ(steps.front().kind, StepKind::open);
    const Project p = make_project(bob, g, "Scrap reduction", {cat});
    const Action a = make_action(cat, p, "Measure scrap at line 3");
    EXPECT_EQ(a.step_id, steps.front().id);
    const Action moved = engine->move_action(cat, a.id, steps[3].id);
    EXPECT_TRUE(moved.done_at.has_value());
    EXPECT_EQ(engine->project_actions(ann, p.id).size(), 1U);  // R7: manager reads
    const auto changes = engine->changes_since(0);
    EXPECT_FALSE(changes.empty());
}

}  // namespace leandesk::testing

// The order of lists (docs/api.md, "Order"): every list query has an explicit, total order whose
// last key is unique, and records made in the same millisecond come back in the order they were
// made. The fixture's clock stands still, so every record of these tests shares one millisecond.
#include <algorithm>

#include "engine/engine_impl.hpp"
#include "test_support.hpp"

namespace leandesk::testing {
namespace {

const std::vector<unsigned char> kPng = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7, 7};

template <typename T>
std::vector<Id> ids_of(const std::vector<T>& items) {
    std::vector<Id> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
}

class ListOrderTest : public EngineTest {
  protected:
    void SetUp() override {
        EngineTest::SetUp();
        g = make_group(ann, "Plant", {bob});
        p = make_project(ann, g, "Less scrap", {bob});
        a = make_action(ann, p, "Measure");
    }
    Group g;
    Project p;
    Action a;
};

TEST_F(ListOrderTest, IdsMadeInOneMillisecondGrowInTheOrderTheyWereMade) {
    std::vector<Id> ids;
    for (int i = 0; i < 2000; ++i) ids.push_back(engine->new_id());
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "two equal ids";
    // Still version 7 with the RFC 9562 variant, still carrying the clock's millisecond.
    for (const Id& id : ids) {
        ASSERT_EQ(id.size(), 36U);
        EXPECT_EQ(id[14], '7') << id;
        EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    }
    // A clock that goes back does not make a smaller id.
    const Id before = engine->new_id();
    *now -= 60000;
    const Id after = engine->new_id();
    EXPECT_LT(before, after);
    // A clock that moves on starts from fresh random bits at the new millisecond.
    *now += 120000;
    const Id later = engine->new_id();
    EXPECT_LT(after, later);
    EXPECT_NE(later.substr(0, 13), after.substr(0, 13));
}

TEST_F(ListOrderTest, PhotosOfOneMillisecondListInTheOrderTheyWereAdded) {
    std::vector<Id> added;
    for (int i = 0; i < 30; ++i) {
        added.push_back(
            engine->add_photo(bob, a.id, kPng, {{"caption", "photo " + std::to_string(i)}}).id);
    }
    const auto photos = engine->get_action(ann, a.id).photos;
    for (const auto& ph : photos) EXPECT_EQ(ph.created_at, photos.front().created_at);
    EXPECT_EQ(ids_of(photos), added);
}

TEST_F(ListOrderTest, CommentsOfOneMillisecondListInTheOrderTheyWereAdded) {
    std::vector<Id> added;
    for (int i = 0; i < 30; ++i) {
        added.push_back(
            engine->add_comment(i % 2 ? ann : bob, a.id, {{"body", "c" + std::to_string(i)}}).id);
    }
    EXPECT_EQ(ids_of(engine->get_action(ann, a.id).comments), added);
}

TEST_F(ListOrderTest, ActionsOfAStepListInTheOrderTheyWereCreated) {
    std::vector<Id> added{a.id};
    for (int i = 0; i < 30; ++i)
        added.push_back(make_action(bob, p, "Action " + std::to_string(i)).id);
    EXPECT_EQ(ids_of(engine->project_actions(ann, p.id)), added);
    const auto review = engine->project_review(ann, p.id);
    std::vector<Id> in_step;
    for (const auto& sa : review.steps) {
        if (sa.step.id == a.step_id) in_step = ids_of(sa.actions);
    }
    EXPECT_EQ(in_step, added);
}

TEST_F(ListOrderTest, ActionsOfEqualPositionAreOrderedByCreationTimeThenId) {
    // Equal positions happen when two replicas move actions to the same place; the tie is broken
    // by created_at, then id, never by where the rows happen to lie in the file.
    std::vector<Id> made{a.id};
    for (int i = 0; i < 5; ++i) made.push_back(make_action(bob, p, "A" + std::to_string(i)).id);
    auto& db = engine->internals().db;
    db.exec("UPDATE actions SET position = 7");
    // Reverse the creation times: the newest row now carries the earliest time.
    for (std::size_t i = 0; i < made.size(); ++i) {
        db.prepare("UPDATE actions SET created_at = ? WHERE id = ?")
            .bind_all(kStartTime - static_cast<Millis>(i), made[i])
            .run();
    }
    std::vector<Id> expected(made.rbegin(), made.rend());
    EXPECT_EQ(ids_of(engine->project_actions(ann, p.id)), expected);
    // And with equal times too, the id decides: the ids grew in creation order.
    db.exec("UPDATE actions SET created_at = 5");
    EXPECT_EQ(ids_of(engine->project_actions(ann, p.id)), made);
}

TEST_F(ListOrderTest, StepsListInTheOrderTheyWereAddedAndTiesById) {
    const auto before = engine->group_steps(ann, g.id);
    std::vector<Id> added;
    for (int i = 0; i < 10; ++i) {
        added.push_back(engine->add_step(ann, g.id, {{"name", "Step " + std::to_string(i)}}).id);
    }
    auto steps = engine->group_steps(ann, g.id);
    ASSERT_EQ(steps.size(), before.size() + added.size());
    std::vector<Id> tail;
    for (std::size_t i = before.size(); i < steps.size(); ++i) tail.push_back(steps[i].id);
    EXPECT_EQ(tail, added);
    // Two steps at one position (possible in a replica before its next pull): by id. Inserted
    // here in descending id order, so the file's order is the opposite of the expected one.
    auto& db = engine->internals().db;
    for (auto it = added.rbegin(); it != added.rend(); ++it) {
        db.prepare("UPDATE steps SET position = 100 WHERE id = ?").bind_all(*it).run();
    }
    steps = engine->group_steps(ann, g.id);
    tail.clear();
    for (const auto& st : steps) {
        if (st.position == 100) tail.push_back(st.id);
    }
    std::vector<Id> by_id = added;
    std::sort(by_id.begin(), by_id.end());
    EXPECT_EQ(tail, by_id);
    EXPECT_EQ(tail, added) << "ids made in one millisecond grow in creation order";
}

TEST_F(ListOrderTest, IndicatorValuesListByWeekWhateverTheOrderTheyWereSet) {
    const Indicator ind = engine->create_indicator(
        bob, {{"project_id", p.id}, {"name", "Scrap"}, {"baseline", 10}, {"target", 5}});
    for (const char* w : {"2026-W12", "2026-W10", "2026-W11"})
        engine->set_indicator_value(bob, ind.id, w, 1.0);
    const auto curve = engine->indicator_curve(ann, ind.id);
    std::vector<std::string> weeks;
    for (const auto& pt : curve) weeks.push_back(pt.week);
    EXPECT_TRUE(std::is_sorted(weeks.begin(), weeks.end()));
    EXPECT_EQ(weeks.front(), "2026-W10");
}

TEST_F(ListOrderTest, DashboardTiesAreBrokenByCreationTimeThenId) {
    // Same due date, priority and title: nothing of the old order told them apart.
    std::vector<Id> made;
    for (int i = 0; i < 8; ++i) {
        made.push_back(
            engine
                ->create_action(bob, {{"project_id", p.id},
                                      {"title", "Same"},
                                      {"owner_id", bob.user_id},
                                      {"due_date", "2026-04-01"},
                                      {"step_id", step_of_kind(bob, g, StepKind::active).id}})
                .id);
    }
    EXPECT_EQ(ids_of(engine->dashboard(bob)), made);
    auto& db = engine->internals().db;
    for (std::size_t i = 0; i < made.size(); ++i) {
        db.prepare("UPDATE actions SET created_at = ? WHERE id = ?")
            .bind_all(kStartTime - static_cast<Millis>(i), made[i])
            .run();
    }
    EXPECT_EQ(ids_of(engine->dashboard(bob)), std::vector<Id>(made.rbegin(), made.rend()));
}

}  // namespace
}  // namespace leandesk::testing

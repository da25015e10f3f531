// Conflicts (docs/sync.md): per field the later stamp wins, a delete wins over any edit, an edit
// to a deleted record is dropped; every replica converges to the server's state.
#include "plan_world.hpp"

namespace leandesk::synctest {
namespace {

class Conflicts : public PlanWorld {};

TEST_F(Conflicts, EditsOfDifferentFieldsBothSurvive) {
    tick();
    ann->e().update_action(ann->me, action, {{"title", "Measure scrap"}});
    tick();
    bob->e().update_action(bob->me, action, {{"progress", 40}});
    bob->sync();
    ann->sync();
    bob->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        const Action a = d->e().get_action(d->me, action).action;
        EXPECT_EQ(a.title, "Measure scrap");
        EXPECT_EQ(a.progress, 40);
    }
    const Action s = server->get_action(ann->me, action).action;
    EXPECT_EQ(s.title, "Measure scrap");
    EXPECT_EQ(s.progress, 40);
    EXPECT_TRUE(ann->rejections.empty());
    EXPECT_TRUE(bob->rejections.empty());
}

TEST_F(Conflicts, SameFieldTakesTheLaterEditWhateverTheOrderOfPushes) {
    tick();
    ann->e().update_action(ann->me, action, {{"title", "earlier (Ann)"}});
    tick();
    bob->e().update_action(bob->me, action, {{"title", "later (Bob)"}});
    // The later edit reaches the server first; the earlier one arrives after and loses.
    bob->sync();
    ann->sync();
    bob->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        EXPECT_EQ(d->e().get_action(d->me, action).action.title, "later (Bob)");
        EXPECT_EQ(d->status()["pending"], 0);
    }
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "later (Bob)");

    // And in the other order: the later edit arriving last simply applies.
    tick();
    bob->e().update_action(bob->me, action, {{"title", "earlier (Bob)"}});
    tick();
    ann->e().update_action(ann->me, action, {{"title", "later (Ann)"}});
    bob->sync();
    ann->sync();
    bob->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        EXPECT_EQ(d->e().get_action(d->me, action).action.title, "later (Ann)");
    }
}

TEST_F(Conflicts, DeleteWinsOverEditEverywhere) {
    tick();
    bob->e().update_action(bob->me, action, {{"title", "edited offline"}});
    tick();
    ann->e().delete_action(ann->me, action);
    ann->sync();
    bob->sync();  // Bob's edit hits a deleted action: dropped, and undone on his replica
    ann->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        expect_error(Errc::not_found, [&] { d->e().get_action(d->me, action); });
    }
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM actions WHERE id = '" + action + "'"), 0);
    ASSERT_EQ(bob->rejections.size(), 1U);
    EXPECT_EQ(bob->rejections[0].command, "update_action");
    EXPECT_EQ(bob->rejections[0].code, Errc::not_found);
}

TEST_F(Conflicts, DeleteArrivingAfterAnEditStillWins) {
    tick();
    ann->e().delete_action(ann->me, action);
    tick();
    bob->e().update_action(bob->me, action, {{"progress", 90}});
    bob->sync();  // the edit applies first
    ann->sync();  // then the delete, although its stamp is earlier
    bob->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        expect_error(Errc::not_found, [&] { d->e().get_action(d->me, action); });
    }
    EXPECT_TRUE(ann->rejections.empty());
}

TEST_F(Conflicts, MovesAndIndicatorValuesFollowTheLaterStamp) {
    const auto steps = ann->e().group_steps(ann->me, group);
    const Id ind =
        ann->e().create_indicator(ann->me, {{"project_id", project}, {"name", "Scrap"}}).id;
    sync_all();
    tick();
    ann->e().move_action(ann->me, action, steps[1].id);
    ann->e().set_indicator_value(ann->me, ind, "2026-W10", 3.0);
    tick();
    bob->e().move_action(bob->me, action, steps[2].id);
    bob->e().set_indicator_value(bob->me, ind, "2026-W10", 5.0);
    bob->sync();
    ann->sync();
    bob->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        EXPECT_EQ(d->e().get_action(d->me, action).action.step_id, steps[2].id);
        const auto curve = d->e().indicator_curve(d->me, ind);
        bool found = false;
        for (const auto& p : curve) {
            if (p.week == "2026-W10") {
                ASSERT_TRUE(p.actual.has_value());
                EXPECT_DOUBLE_EQ(*p.actual, 5.0);
                found = true;
            }
        }
        EXPECT_TRUE(found);
    }
}

TEST_F(Conflicts, OfflineCreationsOfBothSidesMerge) {
    tick();
    const Id a1 = ann->e().create_action(ann->me, {{"project_id", project}, {"title", "A1"}}).id;
    const Id b1 = bob->e().create_action(bob->me, {{"project_id", project}, {"title", "B1"}}).id;
    bob->e().add_comment(bob->me, action, {{"body", "done on line 2"}});
    ann->sync();
    bob->sync();
    ann->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        EXPECT_EQ(d->e().project_actions(d->me, project).size(), 3U);
        EXPECT_EQ(d->e().get_action(d->me, action).comments.size(), 1U);
        EXPECT_EQ(d->e().get_action(d->me, a1).action.title, "A1");
        EXPECT_EQ(d->e().get_action(d->me, b1).action.title, "B1");
    }
}

}  // namespace
}  // namespace leandesk::synctest

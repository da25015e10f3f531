// The remaining commands of groups, projects and plans, called through the wrapper once each.
#include "support.hpp"

using ld_test::expect_throw;

TEST_F(HppTest, GroupLifecycle) {
    ld::Session alice = user("Alice");
    ld::Session bob = user("Bob");
    ld::Session carl = user("Carl");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    const std::string bob_id = alice.group_add_member(g.id, "bob@example.com").id;
    const std::string carl_id = alice.group_add_member(g.id, "carl@example.com").id;
    expect_throw<ld::Conflict>([&] { alice.group_add_member(g.id, "bob@example.com"); });
    expect_throw<ld::PermissionDenied>([&] { bob.group_update(g.id, {{"name", "Mine"}}); });

    const ld::Step step = alice.step_add(g.id, {{"name", "Check"}, {"kind", "active"}});
    EXPECT_EQ(alice.step_update(step.id, {{"name", "Verify"}, {"kind", "active"}}).name, "Verify");
    alice.step_remove(step.id);
    const ld::Resource r = alice.resource_add(g.id, {{"name", "Note"}, {"note", "Be kind"}});
    EXPECT_EQ(
        alice.resource_update(r.id, {{"name", "Rule"}, {"url", nullptr}, {"note", "Be kind"}}).name,
        "Rule");
    alice.resource_remove(r.id);
    EXPECT_TRUE(alice.resource_list(g.id).empty());

    alice.group_remove_member(g.id, carl_id);
    const std::string hidden = expect_throw<ld::PermissionDenied>([&] { carl.group_get(g.id); });
    EXPECT_EQ(hidden.rfind("R13:", 0), 0U) << hidden;
    const std::string refused =
        expect_throw<ld::PermissionDenied>([&] { alice.group_leave(g.id); });
    EXPECT_EQ(refused.rfind("R3:", 0), 0U) << refused;
    EXPECT_EQ(alice.group_transfer(g.id, bob_id).manager_id, bob_id);
    alice.group_leave(g.id);
    EXPECT_TRUE(alice.group_list().empty());
    bob.group_delete(g.id);
    EXPECT_TRUE(bob.group_list().empty());
}

TEST_F(HppTest, ProjectAndPlanLifecycle) {
    ld::Session alice = user("Alice");
    ld::Session bob = user("Bob");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    const std::string bob_id = alice.group_add_member(g.id, "bob@example.com").id;
    const ld::Project p = alice.project_create({{"group_id", g.id}, {"name", "Queues"}});
    EXPECT_EQ(alice.project_update(p.id, {{"status", "closed"}}).status, "closed");
    alice.project_add_participant(p.id, bob_id);
    EXPECT_EQ(bob.project_list().size(), 1U);
    EXPECT_EQ(alice.group_projects(g.id).size(), 1U);

    const ld::Indicator ind = bob.indicator_create({{"project_id", p.id}, {"name", "Wait"}});
    EXPECT_EQ(bob.indicator_update(ind.id, {{"name", "Waiting time"}, {"unit", "min"}}).unit,
              "min");
    bob.indicator_set_value(ind.id, "2026-W10", 4);
    bob.indicator_clear_value(ind.id, "2026-W10");
    bob.indicator_delete(ind.id);
    EXPECT_TRUE(bob.project_indicators(p.id).empty());

    const ld::Action a = bob.action_create({{"project_id", p.id}, {"title", "Count"}});
    const ld::Comment c = bob.comment_add(a.id, {{"body", "Started"}});
    const ld::Photo ph = bob.photo_add(a.id, ld_test::tiny_png());
    expect_throw<ld::PermissionDenied>([&] { alice.comment_delete(c.id); });  // not her comment
    bob.comment_delete(c.id);
    bob.photo_remove(ph.id);
    expect_throw<ld::NotFound>([&] { bob.blob_read(ph.blob); });
    bob.action_delete(a.id);
    expect_throw<ld::NotFound>([&] { bob.action_get(a.id); });

    EXPECT_EQ(alice.project_transfer(p.id, bob_id).owner_id, bob_id);
    alice.project_leave(p.id);
    bob.project_add_participant(p.id, alice.me_get().id);
    bob.project_remove_participant(p.id, alice.me_get().id);
    EXPECT_EQ(bob.project_participants(p.id).size(), 1U);
    bob.project_delete(p.id);
    expect_throw<ld::NotFound>([&] { bob.project_get(p.id); });
}

TEST_F(HppTest, ResendActivation) {
    db.account_sign_up(ld::SignUp{"Ivy", "Doe", "ivy@example.com", ld_test::kPassword});
    const std::size_t before = mailbox->size();
    db.account_resend_activation("ivy@example.com");
    db.account_resend_activation("nobody@example.com");  // reveals nothing
    EXPECT_EQ(mailbox->size(), before + 1);
    EXPECT_NO_THROW(db.account_activate(ld_test::code_in(mailbox->last_to("ivy@example.com"))));
}

// Typed results: every struct decodes what the C API returns and encodes back to the same JSON.
#include "support.hpp"

namespace {

// The JSON a C call hands back through `out`, for comparing with the typed result.
template <typename Fn>
ld::json raw(Fn&& fn) {
    char* out = nullptr;
    ld::check(fn(&out));
    ld::json j = ld::json::parse(out);
    ld_string_free(out);
    return j;
}

// A typed value encodes back to exactly the JSON it came from.
template <typename T>
void expect_round_trip(const T& typed, const ld::json& from) {
    EXPECT_EQ(ld::json(typed), from);
    EXPECT_EQ(ld::json(from.get<T>()), from);
}

class HppResults : public ld_test::HppTest {
  protected:
    HppResults() : alice(user("Alice", "Martin")), bob(user("Bob", "Durand")) {
        group = alice.group_create({{"name", "Kaizen"}});
        alice.group_add_member(group.id, "bob@example.com");
        carol = alice.group_add_member(group.id, "carol@example.com");  // no account yet (R16)
        project = alice.project_create({{"group_id", group.id},
                                        {"name", "Shorter queues"},
                                        {"description", "Queues are long"},
                                        {"start_date", "2026-01-05"},
                                        {"target_date", "2026-06-30"}});
        participant = alice.project_add_participant(project.id, bob.me_get().id);
        indicator = alice.indicator_create({{"project_id", project.id},
                                            {"name", "Wait"},
                                            {"unit", "min"},
                                            {"baseline", 30},
                                            {"target", 10}});
    }

    ld::Session alice;
    ld::Session bob;
    ld::Group group;
    ld::Person carol;
    ld::Project project;
    ld::Participant participant;
    ld::Indicator indicator;
};

}  // namespace

TEST_F(HppResults, UsersAndSessions) {
    const ld::User me = alice.me_get();
    EXPECT_EQ(me.email, "alice@example.com");
    EXPECT_EQ(me.display_name, "Alice Martin");
    EXPECT_TRUE(me.activated());
    EXPECT_FALSE(me.avatar.has_value());
    EXPECT_EQ(me.status, "none");
    expect_round_trip(me, raw([&](char** o) { return ld_me_get(o, alice.handle()); }));

    const ld::User renamed =
        alice.me_update({{"first_name", "Alicia"}, {"newsletter_opt_in", false}});
    EXPECT_EQ(renamed.display_name, "Alicia Martin");
    EXPECT_FALSE(renamed.newsletter_opt_in);

    const ld::SessionInfo info = alice.info();
    EXPECT_EQ(info.user_id, me.id);
    EXPECT_FALSE(info.is_operator);
    EXPECT_GT(info.expires_at, 0);
    expect_round_trip(info, raw([&](char** o) { return ld_session_info(o, alice.handle()); }));
}

TEST_F(HppResults, GroupsPeopleStepsResources) {
    EXPECT_EQ(group.name, "Kaizen");
    EXPECT_EQ(group.manager_id, alice.me_get().id);
    expect_round_trip(alice.group_get(group.id), raw([&](char** o) {
                          return ld_group_get(o, alice.handle(), group.id.c_str());
                      }));
    expect_round_trip(bob.group_list(),
                      raw([&](char** o) { return ld_group_list(o, bob.handle()); }));

    EXPECT_FALSE(carol.activated);
    EXPECT_EQ(carol.display_name, "carol@example.com");
    EXPECT_EQ(carol.email, std::optional<std::string>("carol@example.com"));  // the manager sees it
    const auto seen_by_bob = bob.group_members(group.id);
    ASSERT_EQ(seen_by_bob.size(), 3U);
    for (const ld::Person& p : seen_by_bob) {
        if (p.id == carol.id) {
            EXPECT_FALSE(p.email.has_value());  // R13: no common project
        }
    }
    expect_round_trip(seen_by_bob, raw([&](char** o) {
                          return ld_group_members(o, bob.handle(), group.id.c_str());
                      }));

    const auto steps = alice.step_list(group.id);
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.front().kind, "open");
    EXPECT_EQ(steps.front().position, 0);
    const ld::Step review = alice.step_add(group.id, {{"name", "Review"}, {"kind", "active"}});
    EXPECT_EQ(review.position, static_cast<std::int64_t>(steps.size()));
    const auto moved = alice.step_move(review.id, 0);
    EXPECT_EQ(moved.front().id, review.id);
    expect_round_trip(
        moved, raw([&](char** o) { return ld_step_list(o, alice.handle(), group.id.c_str()); }));

    const ld::Resource link =
        alice.resource_add(group.id, {{"name", "Wiki"}, {"url", "https://wiki.example.com/"}});
    EXPECT_EQ(link.url, std::optional<std::string>("https://wiki.example.com/"));
    EXPECT_FALSE(link.note.has_value());
    expect_round_trip(alice.resource_list(group.id), raw([&](char** o) {
                          return ld_resource_list(o, alice.handle(), group.id.c_str());
                      }));
}

TEST_F(HppResults, ProjectsActionsIndicatorsPhotos) {
    EXPECT_EQ(project.start_date, std::optional<std::string>("2026-01-05"));
    EXPECT_EQ(project.status, "active");
    EXPECT_EQ(participant.project_id, project.id);
    EXPECT_EQ(participant.added_by, std::optional<std::string>(alice.me_get().id));
    expect_round_trip(bob.project_get(project.id), raw([&](char** o) {
                          return ld_project_get(o, bob.handle(), project.id.c_str());
                      }));
    expect_round_trip(bob.project_participants(project.id), raw([&](char** o) {
                          return ld_project_participants(o, bob.handle(), project.id.c_str());
                      }));

    const std::string bob_id = bob.me_get().id;
    const ld::Action plain = bob.action_create({{"project_id", project.id}, {"title", "Measure"}});
    EXPECT_FALSE(plain.due_date.has_value());
    EXPECT_FALSE(plain.owner_id.has_value());
    EXPECT_FALSE(plain.impact.has_value());
    const ld::Action full = bob.action_create({{"project_id", project.id},
                                               {"title", "Second desk"},
                                               {"owner_id", bob_id},
                                               {"due_date", "2026-03-02"},
                                               {"priority", 3},
                                               {"progress", 40},
                                               {"indicator_id", indicator.id},
                                               {"impact", -12.5}});
    EXPECT_EQ(full.owner_id, std::optional<std::string>(bob_id));
    EXPECT_EQ(full.impact, std::optional<double>(-12.5));
    EXPECT_EQ(full.priority, 3);
    EXPECT_EQ(full.created_by, std::optional<std::string>(bob_id));

    const ld::Comment note = alice.comment_add(full.id, {{"body", "Good idea"}});
    EXPECT_EQ(note.body, "Good idea");
    const ld::Photo photo = bob.photo_add(full.id, ld_test::tiny_png(), {{"caption", "desk"}});
    EXPECT_EQ(photo.mime, "image/png");
    EXPECT_EQ(photo.size, static_cast<std::int64_t>(ld_test::tiny_png().size()));
    EXPECT_EQ(alice.blob_read(photo.blob), ld_test::tiny_png());

    const ld::ActionDetail detail = alice.action_get(full.id);
    ASSERT_EQ(detail.photos.size(), 1U);
    ASSERT_EQ(detail.comments.size(), 1U);
    EXPECT_EQ(detail.comments[0].author_id, std::optional<std::string>(alice.me_get().id));
    expect_round_trip(
        detail, raw([&](char** o) { return ld_action_get(o, alice.handle(), full.id.c_str()); }));

    const auto steps = alice.step_list(group.id);
    const ld::Action done = bob.action_move(plain.id, steps.back().id);
    EXPECT_EQ(done.step_id, steps.back().id);
    const ld::Action first = bob.action_move(full.id, steps.back().id, done.id);
    EXPECT_LT(first.position, done.position);
    const ld::Action patched = bob.action_update(full.id, {{"due_date", nullptr}});
    EXPECT_FALSE(patched.due_date.has_value());

    const ld::IndicatorValue value = bob.indicator_set_value(indicator.id, "2026-W05", 25.5);
    EXPECT_EQ(value.week, "2026-W05");
    EXPECT_DOUBLE_EQ(value.actual, 25.5);
    const auto curve = bob.indicator_curve(indicator.id);
    ASSERT_FALSE(curve.empty());
    bool seen = false;
    for (const ld::IndicatorPoint& point : curve) seen = seen || point.actual.has_value();
    EXPECT_TRUE(seen);
    expect_round_trip(curve, raw([&](char** o) {
                          return ld_indicator_curve(o, bob.handle(), indicator.id.c_str());
                      }));
    expect_round_trip(bob.project_indicators(project.id), raw([&](char** o) {
                          return ld_project_indicators(o, bob.handle(), project.id.c_str());
                      }));

    const ld::ProjectReview review = alice.project_review(project.id);
    EXPECT_EQ(review.project.id, project.id);
    EXPECT_EQ(review.steps.size(), steps.size());
    EXPECT_EQ(review.participants.size(), 2U);
    EXPECT_EQ(review.indicators.size(), 1U);
    expect_round_trip(review, raw([&](char** o) {
                          return ld_project_review(o, alice.handle(), project.id.c_str());
                      }));
    expect_round_trip(bob.dashboard_get(),
                      raw([&](char** o) { return ld_dashboard_get(o, bob.handle()); }));
    expect_round_trip(bob.project_actions(project.id), raw([&](char** o) {
                          return ld_project_actions(o, bob.handle(), project.id.c_str());
                      }));

    const auto recipients = bob.project_report_recipients(project.id, {alice.me_get().id});
    ASSERT_EQ(recipients.size(), 1U);
    EXPECT_EQ(recipients[0].email, std::optional<std::string>("alice@example.com"));

    EXPECT_EQ(bob.execute("project_actions", {{"project_id", project.id}}),
              ld::json(bob.project_actions(project.id)));
}

TEST_F(HppResults, ChangesPolicyAndUsage) {
    const auto changes = db.changes_since(0, 100000);
    ASSERT_FALSE(changes.empty());
    EXPECT_EQ(changes.front().seq, 1);
    bool group_insert = false;
    for (const ld::Change& c : changes) {
        group_insert =
            group_insert || (c.entity == "group" && c.op == "insert" && c.entity_id == group.id);
    }
    EXPECT_TRUE(group_insert);
    expect_round_trip(
        changes, raw([&](char** o) { return ld_db_changes_since(o, db.handle(), 0, 100000); }));

    db.operator_set_secret("", "operator secret 0123456789");
    ld::Session op = ld::Session::operator_sign_in(db, "operator secret 0123456789");
    EXPECT_TRUE(op.info().is_operator);
    EXPECT_FALSE(op.info().user_id.has_value());
    const ld::PolicyVersion policy = op.operator_publish_policy("We keep less");
    EXPECT_EQ(policy.summary, "We keep less");
    EXPECT_GE(policy.version, 1);
    EXPECT_TRUE(ld::Session::sign_in(db, "bob@example.com", ld_test::kPassword)
                    .info()
                    .policy_notice_required);
    EXPECT_EQ(bob.me_acknowledge_policy(policy.version).accepted_policy_version, policy.version);

    db.usage_set_enabled(true);
    EXPECT_TRUE(db.usage_enabled());
    db.usage_record(ld::UsageEvent{"app_start", "linux", "6.1", "0.1.0", "desktop"});
    db.usage_record(ld::UsageEvent{"app_start", "linux", "6.1", "0.1.0", "desktop"});
    const auto usage = op.operator_usage_report();
    ASSERT_EQ(usage.size(), 1U);
    EXPECT_EQ(usage[0].count, 2);
    EXPECT_EQ(usage[0].platform, "linux");
    expect_round_trip(usage,
                      raw([&](char** o) { return ld_operator_usage_report(o, op.handle()); }));
    expect_round_trip(op.operator_active_users(),
                      raw([&](char** o) { return ld_operator_active_users(o, op.handle()); }));
}

TEST(HppResultsDecode, NullableFieldsAndUnknownKeys) {
    const ld::json j = {{"week", "2026-W01"}, {"expected", 3}, {"actual", nullptr}, {"future", 1}};
    const auto point = j.get<ld::IndicatorPoint>();
    EXPECT_EQ(point.week, "2026-W01");
    EXPECT_DOUBLE_EQ(point.expected, 3.0);
    EXPECT_FALSE(point.actual.has_value());
    EXPECT_THROW((ld::json{{"week", "2026-W01"}}.get<ld::IndicatorPoint>()), ld::json::exception);
}

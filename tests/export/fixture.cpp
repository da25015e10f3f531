#include "fixture.hpp"

namespace leandesk::testing {

std::vector<unsigned char> fake_png(int salt) {
    std::vector<unsigned char> b = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    for (int i = 0; i < 64; ++i) b.push_back(static_cast<unsigned char>(salt * 31 + i));
    return b;
}

std::vector<unsigned char> fake_jpeg(int salt) {
    std::vector<unsigned char> b = {0xFF, 0xD8, 0xFF, 0xE0};
    for (int i = 0; i < 64; ++i) b.push_back(static_cast<unsigned char>(salt * 17 + i));
    return b;
}

Fixture make_fixture(Engine& e, Millis& now) {
    const auto tick = [&] { now += 61000; };  // records a minute apart: distinct, ordered times
    Fixture f;
    const auto user = [&](const char* email, const char* first, const char* last) {
        tick();
        return Actor::user(e.create_user(Json{{"email", email},
                                              {"first_name", first},
                                              {"last_name", last},
                                              {"activated", true}})
                               .id);
    };
    f.manager = user("ann@example.com", "Ann", "Archer");
    f.member = user("bob@example.com", "Bob", "Baker \"the builder\"");
    f.unicode = user("zoe@example.com", "Zoë", "Ørsted-Ünal");
    f.outsider = user("eve@example.com", "Eve", "Evans");

    tick();
    f.group = e.create_group(f.manager, Json{{"name", "Atelier <Nord> & Co"}});
    tick();
    e.add_member(f.manager, f.group.id, "bob@example.com");
    tick();
    e.add_member(f.manager, f.group.id, "zoe@example.com");
    tick();
    f.pending = Actor::user(e.add_member(f.manager, f.group.id, "dan@example.com").id);
    tick();
    e.add_resource(f.manager, f.group.id,
                   Json{{"name", "Handbook"}, {"url", "https://example.com/handbook"}});
    const auto steps = e.group_steps(f.manager, f.group.id);

    tick();
    f.project1 = e.create_project(f.manager, Json{{"group_id", f.group.id},
                                                  {"name", "Reduce scrap <quickly>"},
                                                  {"description", "Line 3 & line 4\nsecond line"},
                                                  {"future_state", "Scrap under 2 %"},
                                                  {"start_date", "2026-02-02"},
                                                  {"target_date", "2026-04-27"}});
    tick();
    e.add_participant(f.manager, f.project1.id, f.member.user_id);
    tick();
    e.add_participant(f.manager, f.project1.id, f.unicode.user_id);
    tick();
    e.add_participant(f.manager, f.project1.id, f.pending.user_id);
    tick();
    f.project2 = e.create_project(
        f.member, Json{{"group_id", f.group.id}, {"name", "Ärger-free onboarding"}});

    tick();
    f.indicators.push_back(e.create_indicator(f.manager, Json{{"project_id", f.project1.id},
                                                              {"name", "Scrap rate"},
                                                              {"unit", "%"},
                                                              {"baseline", 8.5},
                                                              {"target", 2}}));
    tick();
    f.indicators.push_back(e.create_indicator(
        f.member, Json{{"project_id", f.project2.id}, {"name", "Days to productive"}}));
    tick();
    e.set_indicator_value(f.manager, f.indicators[0].id, "2026-W06", 8.25);
    tick();
    e.set_indicator_value(f.manager, f.indicators[0].id, "2026-W08", 7);

    const auto action = [&](const Actor& a, Json input) {
        tick();
        f.actions.push_back(e.create_action(a, input));
        return f.actions.back();
    };
    const Action a1 = action(f.manager, Json{{"project_id", f.project1.id},
                                             {"title", "Measure scrap on <line 3>"},
                                             {"description", "Use the \"red\" bins & weigh daily"},
                                             {"owner_id", f.member.user_id},
                                             {"context", "@shopfloor"},
                                             {"due_date", "2026-02-20"},
                                             {"priority", 3},
                                             {"progress", 40},
                                             {"indicator_id", f.indicators[0].id},
                                             {"impact", -1.5}});
    const Action a2 = action(f.manager, Json{{"project_id", f.project1.id},
                                             {"title", "Train the night shift"},
                                             {"owner_id", f.pending.user_id},
                                             {"due_date", "2026-03-30"},
                                             {"step_id", steps[2].id},
                                             {"priority", 1},
                                             {"indicator_id", f.indicators[0].id},
                                             {"impact", -3}});
    const Action a3 = action(f.unicode, Json{{"project_id", f.project1.id},
                                             {"title", "Änderung der Prüfanweisung"},
                                             {"owner_id", f.unicode.user_id},
                                             {"due_date", "2026-01-15"},
                                             {"step_id", steps[3].id},
                                             {"progress", 100}});
    action(f.member, Json{{"project_id", f.project1.id}, {"title", "Idea without owner or date"}});
    const Action a5 = action(f.member, Json{{"project_id", f.project2.id},
                                            {"title", "Write the welcome guide"},
                                            {"owner_id", f.member.user_id},
                                            {"due_date", "2026-02-27"},
                                            {"step_id", steps[1].id},
                                            {"progress", 10},
                                            {"impact", 0.25}});
    (void)a2;
    tick();
    e.add_comment(f.member, a1.id, Json{{"body", "Bins are <b>ordered</b>\nsecond line"}});
    tick();
    e.add_comment(f.unicode, a1.id, Json{{"body", "Merci & à bientôt"}});
    tick();
    e.add_comment(f.member, a5.id, Json{{"body", "Draft is in the share"}});
    tick();
    e.add_photo(f.member, a1.id, fake_png(1), Json{{"caption", "Bin <A>"}});
    tick();
    e.add_photo(f.member, a1.id, fake_jpeg(2),
                Json{{"caption", ""}, {"taken_at", kFixtureTime - 86400000}});
    tick();
    e.add_photo(f.unicode, a3.id, fake_png(1),
                Json::object());  // same bytes as the first: one blob
    return f;
}

}  // namespace leandesk::testing

#include "fault_fixture.hpp"

#include "db_check.hpp"

#include <sstream>
#include <stdexcept>

#include "auth/mail.hpp"
#include "auth/password.hpp"
#include "common/clock.hpp"
#include "engine/engine_impl.hpp"

namespace leandesk::faults {
namespace {

// A valid 1x1 PNG: photos make the deletes cascade into blobs.
const std::vector<unsigned char> kPng = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    throw std::runtime_error("no code in the activation mail");
}

Id signed_up(Engine& e, RecordingMailSender& mail, const std::string& email,
             const std::string& first) {
    const User u = e.sign_up(
        {{"email", email}, {"first_name", first}, {"last_name", "Fault"}, {"password", kPassword}});
    e.activate_account(code_in(mail.sent().back()));
    return u.id;
}

}  // namespace

EngineOptions fixture_options(const std::string& path) {
    EngineOptions o(path);
    o.clock = manual_clock(std::make_shared<Millis>(kNow));
    o.random = seeded_random(2026);
    o.mail = std::make_shared<RecordingMailSender>();
    o.password_params = auth::PasswordParams::fastest_for_tests();
    return o;
}

FixtureIds build_fixture(const std::string& path) {
    EngineOptions o = fixture_options(path);
    auto mail = std::make_shared<RecordingMailSender>();
    o.mail = mail;
    o.random = seeded_random(7);  // not the commands' seed: their ids must not collide with these
    Engine e(std::move(o));
    FixtureIds ids;
    ids.ann = signed_up(e, *mail, "ann@example.com", "Ann");
    ids.bob = signed_up(e, *mail, "bob@example.com", "Bob");
    const Actor ann = Actor::user(ids.ann);
    const Actor bob = Actor::user(ids.bob);
    ids.group = e.create_group(ann, {{"name", "Plant 1"}}).id;
    e.add_member(ann, ids.group, "bob@example.com");
    e.add_member(ann, ids.group, "invited@example.com");  // a non-activated user (R16)
    ids.project = e.create_project(ann, {{"group_id", ids.group}, {"name", "Reduce scrap"}}).id;
    e.add_participant(ann, ids.project, ids.bob);
    ids.action_keep = e.create_action(bob, {{"project_id", ids.project},
                                            {"title", "Measure scrap"},
                                            {"due_date", "2026-03-20"}})
                          .id;
    ids.action_drop = e.create_action(ann, {{"project_id", ids.project}, {"title", "Old idea"}}).id;
    e.add_photo(bob, ids.action_drop, kPng, {{"caption", "before"}});
    e.add_comment(ann, ids.action_drop, {{"body", "not needed any more"}});
    const Id indicator =
        e.create_indicator(ann,
                           {{"project_id", ids.project}, {"name", "Scrap rate"}, {"unit", "%"}})
            .id;
    e.set_indicator_value(ann, indicator, "2026-W10", 4.5);

    ids.project_drop = e.create_project(bob, {{"group_id", ids.group}, {"name", "Pilot line"}}).id;
    for (int i = 0; i < 12; ++i) {
        const Id a = e.create_action(bob, {{"project_id", ids.project_drop},
                                           {"title", "Pilot step " + std::to_string(i)},
                                           {"description", std::string(300, 'd')}})
                         .id;
        if (i % 4 == 0) e.add_comment(bob, a, {{"body", "comment " + std::to_string(i)}});
    }
    const Id first = e.project_actions(bob, ids.project_drop).front().id;
    e.add_photo(bob, first, kPng, {{"caption", "line"}});
    e.create_indicator(bob, {{"project_id", ids.project_drop}, {"name", "Throughput"}});
    e.checkpoint();
    return ids;
}

std::vector<Command> representative_commands() {
    // Ids the commands choose themselves, so a retried command makes the same record.
    static const Id kNewGroup = "6f1c0000-0000-4000-8000-000000000001";
    static const Id kNewAction = "6f1c0000-0000-4000-8000-000000000002";
    return {
        {"create_group",
         [](Engine& e, const FixtureIds& f) {
             e.create_group(Actor::user(f.bob), {{"id", kNewGroup}, {"name", "Bob's own group"}});
         }},
        {"add_member",
         [](Engine& e, const FixtureIds& f) {
             e.add_member(Actor::user(f.ann), f.group, "newcomer@example.com");
         }},
        {"create_action",
         [](Engine& e, const FixtureIds& f) {
             e.create_action(Actor::user(f.bob), {{"id", kNewAction},
                                                  {"project_id", f.project},
                                                  {"title", "Train the night shift"},
                                                  {"description", "two sessions"},
                                                  {"due_date", "2026-04-01"},
                                                  {"priority", 2}});
         }},
        {"edit_action",
         [](Engine& e, const FixtureIds& f) {
             e.update_action(
                 Actor::user(f.ann), f.action_keep,
                 {{"title", "Measure scrap daily"}, {"progress", 50}, {"context", "@floor"}});
         }},
        {"delete_action",
         [](Engine& e, const FixtureIds& f) {
             e.delete_action(Actor::user(f.bob), f.action_drop);
         }},
        {"delete_project",
         [](Engine& e, const FixtureIds& f) {
             e.delete_project(Actor::user(f.ann), f.project_drop);
         }},
        {"sign_in", [](Engine& e, const FixtureIds&) { e.sign_in("bob@example.com", kPassword); }},
    };
}

Reference reference_run(const Command& cmd, const FixtureIds& ids, const std::string& tmpl,
                        const std::string& work) {
    copy_database(tmpl, work);
    Engine e(fixture_options(work));
    Reference r;
    r.before = dump(e.internals().db.handle());
    cmd.run(e, ids);
    r.after = dump(e.internals().db.handle());
    return r;
}

}  // namespace leandesk::faults

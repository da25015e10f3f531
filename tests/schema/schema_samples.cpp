// Runs the real engine through a small but complete scenario and writes what its JSON codec emits,
// so that tests/schema/test_schemas.py can check every sample against docs/schema/.
//
//   leandesk_schema_samples OUT.json
//       Writes {"user": [...], "action": [...], ...}: at least one instance of every entity the
//       engine returns (and of the composite results), with optional fields both set and unset.
//   leandesk_schema_samples --judge-inputs CASES.json OUT.json
//       CASES.json is [{"kind": "action", "input": {...}}, ...]. Runs each input through the
//       matching create command against a prepared world and rolls it back, then writes
//       [{"input": ..., "accepted": bool, "code": "...", "message": "..."}, ...]: which inputs the
//       engine accepts, for comparison with docs/schema/input/. String values "$group", "$project",
//       "$step", "$owner", "$indicator", "$outsider" in an input are replaced by real ids first.
//
// The engine runs on a temporary file with a manual clock and a seeded random source, so the
// output is the same on every run.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "auth/mail.hpp"
#include "auth/password.hpp"
#include "common/error.hpp"
#include "engine/engine.hpp"

namespace ld = leandesk;
using ld::Actor;
using ld::Json;

namespace {

// 2026-03-02T09:00:00Z, a Monday.
constexpr ld::Millis kStart = 1772442000000;
constexpr ld::Millis kMinute = 60'000;
constexpr ld::Millis kDay = 24 * 60 * kMinute;

// Two 1x1 PNG images (transparent, and red), valid down to their CRCs.
const std::vector<unsigned char> kPngClear = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
    0xda, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0xe9, 0xfa, 0xdc, 0xd8,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
const std::vector<unsigned char> kPngRed = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0xda, 0x63, 0xb8, 0xa3, 0xa1, 0xf1, 0x1f, 0x00, 0x05, 0x3c, 0x02, 0x2c, 0xd1, 0x9a,
    0x3d, 0xd5, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/// A temporary directory for the database, removed on exit.
class TempDir {
  public:
    TempDir() {
        path_ = std::filesystem::temp_directory_path() /
                ("leandesk-schema-samples-" + std::to_string(::getpid()));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const {
        return (path_ / name).string();
    }

  private:
    std::filesystem::path path_;
};

/// An engine on a fresh file with a clock the scenario moves by hand.
struct World {
    TempDir dir;
    std::string db_path = dir.file("samples.db");
    std::shared_ptr<ld::Millis> now = std::make_shared<ld::Millis>(kStart);
    std::shared_ptr<ld::RecordingMailSender> mail = std::make_shared<ld::RecordingMailSender>();
    std::unique_ptr<ld::Engine> engine;

    World() {
        ld::EngineOptions o;
        o.path = db_path;
        o.clock = ld::manual_clock(now);
        o.random = ld::seeded_random(20260302);
        o.mail = mail;
        o.password_params = ld::auth::PasswordParams::fastest_for_tests();
        engine = std::make_unique<ld::Engine>(std::move(o));
    }
    /// The code of the last mail sent (the indented line of its text).
    std::string last_code() const {
        const auto sent = mail->sent();
        if (sent.empty()) throw std::runtime_error("no mail was sent");
        std::istringstream in(sent.back().text);
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("    ", 0) == 0) return line.substr(4);
        }
        throw std::runtime_error("no code in the mail");
    }
    void tick(ld::Millis by = kMinute) { *now += by; }
    Actor user(const std::string& email, const std::string& first, const std::string& last) {
        tick();
        const ld::User u = engine->create_user(
            {{"email", email}, {"first_name", first}, {"last_name", last}, {"activated", true}});
        return Actor::user(u.id);
    }
};

/// Collects distinct samples per entity name.
class Samples {
  public:
    template <typename T>
    void add(const std::string& entity, const T& value) {
        Json j = value;
        const std::string key = j.dump();
        if (seen_[entity].insert(key).second) out_[entity].push_back(std::move(j));
    }
    template <typename T>
    void add_all(const std::string& entity, const std::vector<T>& values) {
        for (const auto& v : values) add(entity, v);
    }
    [[nodiscard]] Json json() const {
        Json j = Json::object();
        for (const auto& [entity, list] : out_) j[entity] = list;
        return j;
    }

  private:
    std::map<std::string, std::vector<Json>> out_;
    std::map<std::string, std::set<std::string>> seen_;
};

/// Members are never returned by a query (group_members returns people), and participants only by
/// add_participant, so their rows are read from the database file and put through the codec.
template <typename Row>
std::vector<Row> read_memberships(const std::string& db_path, const char* sql) {
    std::vector<Row> out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + db_path);
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error(std::string("cannot read: ") + sql);
    }
    const auto text = [&](int col) {
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, col)));
    };
    while (sqlite3_step(s) == SQLITE_ROW) {
        Row r{text(0), text(1), std::nullopt, sqlite3_column_int64(s, 3)};
        if (sqlite3_column_type(s, 2) != SQLITE_NULL) r.added_by = text(2);
        out.push_back(std::move(r));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

ld::Step step_of_kind(ld::Engine& e, const Actor& viewer, const ld::Id& group_id,
                      ld::StepKind kind) {
    for (const auto& s : e.group_steps(viewer, group_id)) {
        if (s.kind == kind) return s;
    }
    throw std::runtime_error("no step of that kind");
}

Json run_samples() {
    World w;
    ld::Engine& e = *w.engine;
    Samples out;
    const Actor op = Actor::operator_();

    // ---- people: activated users, one with an avatar, one who signed up without names -------
    const Actor ann = w.user("ann@example.com", "Ann", "Archer");
    const Actor bob = w.user("bob@example.com", "Bob", "Baker");
    const Actor cat = w.user("cat@example.com", "Cat", "Cooper");
    const Actor dan = w.user("dan@example.com", "Dan", "Díaz");
    w.tick();
    out.add("user", e.create_user({{"email", "Eve.Early@Example.com"}}));  // not activated
    out.add("user", e.get_user(ann, ann.user_id));                         // no avatar yet
    w.tick();
    out.add("user", e.set_avatar(ann, kPngClear));
    w.tick();
    out.add("user", e.update_profile(
                        bob, bob.user_id,
                        {{"newsletter_opt_in", false}, {"show_open_actions_on_dashboard", false}}));
    out.add("user", e.set_user_status(op, bob.user_id, ld::UserStatus::silver));
    out.add("user", e.set_user_deactivated(op, dan.user_id, true));
    out.add("user", e.set_user_deactivated(op, dan.user_id, false));
    out.add("user", e.set_user_status(op, cat.user_id, ld::UserStatus::gold));

    // ---- a group with its default steps, members (one without an account yet), resources -----
    w.tick();
    const ld::Group g = e.create_group(ann, {{"name", "Plant 2 — Assembly"}});
    out.add("group", g);
    w.tick();
    out.add("person_view", e.add_member(ann, g.id, "bob@example.com"));
    out.add("person_view", e.add_member(ann, g.id, "cat@example.com"));
    const ld::PersonView zoe_view = e.add_member(ann, g.id, "Zoe@Example.com");  // R16
    out.add("person_view", zoe_view);
    const Actor zoe = Actor::user(zoe_view.id);
    out.add("user", e.get_user(op, zoe.user_id));  // non-activated: display name is the address
    w.tick();
    const ld::Group other = e.create_group(dan, {{"name", "Warehouse"}});
    out.add("group", e.update_group(dan, other.id, {{"name", "Warehouse & shipping"}}));

    const ld::Step check = e.add_step(ann, g.id, {{"name", "Check"}});
    out.add("step", check);
    out.add("step", e.update_step(ann, check.id, {{"name", "Check results"}}));
    out.add_all("step", e.move_step(ann, check.id, 3));
    const ld::Step parked = e.add_step(ann, g.id, {{"name", "Parked"}, {"kind", "open"}});
    out.add("step", parked);
    out.add_all("step", e.group_steps(bob, g.id));
    e.remove_step(ann, parked.id);

    out.add("resource", e.add_resource(ann, g.id,
                                       {{"name", "Line 3 SOP"},
                                        {"url", "https://intranet.example.com/sop/line-3?rev=4"}}));
    out.add("resource", e.add_resource(ann, g.id,
                                       {{"name", "Shift contacts"},
                                        {"note", "Morning: Bob\nEvening: Cat\n\tNight: —"}}));
    const ld::Resource gone = e.add_resource(
        ann, g.id, {{"name", "Old board"}, {"url", "http://board.local/"}, {"note", ""}});
    out.add("resource", gone);
    out.add_all("resource", e.group_resources(cat, g.id));
    out.add("resource", e.update_resource(ann, gone.id, {{"url", nullptr}, {"note", "Moved"}}));
    e.remove_resource(ann, gone.id);

    // ---- projects: one with dates and participants, one bare and closed ----------------------
    w.tick();
    const ld::Project p1 =
        e.create_project(ann, {{"group_id", g.id},
                               {"name", "Scrap reduction"},
                               {"description", "Scrap at line 3 is 12.5 %.\nWe want it halved."},
                               {"future_state", "Scrap under 6 %, measured weekly."},
                               {"start_date", "2026-03-02"},
                               {"target_date", "2026-04-24"}});
    out.add("project", p1);
    out.add("participant", e.add_participant(ann, p1.id, bob.user_id));
    out.add("participant", e.add_participant(ann, p1.id, zoe.user_id));
    w.tick();
    const ld::Project p2 = e.create_project(bob, {{"group_id", g.id}, {"name", "5S in the store"}});
    out.add("project", p2);
    out.add("project", e.update_project(bob, p2.id, {{"status", "closed"}}));
    const ld::Project p3 = e.create_project(
        cat, {{"group_id", g.id}, {"name", "Kaizen week"}, {"start_date", "2026-03-09"}});
    out.add("participant", e.add_participant(cat, p3.id, ann.user_id));
    out.add("project", e.transfer_project(cat, p3.id, ann.user_id));

    // ---- indicators --------------------------------------------------------------------------
    const ld::Indicator scrap = e.create_indicator(ann, {{"project_id", p1.id},
                                                         {"name", "Scrap rate"},
                                                         {"unit", "%"},
                                                         {"baseline", 12.5},
                                                         {"target", 6}});
    out.add("indicator", scrap);
    const ld::Indicator downtime =
        e.create_indicator(bob, {{"project_id", p1.id}, {"name", "Downtime"}});
    out.add("indicator", downtime);
    out.add("indicator",
            e.update_indicator(bob, downtime.id, {{"unit", "min"}, {"target", -1e15}}));
    e.delete_indicator(bob, e.create_indicator(bob, {{"project_id", p1.id}, {"name", "Spare"}}).id);

    // ---- actions: every optional field set, none set, overdue, done, reordered ---------------
    const ld::Step open = step_of_kind(e, ann, g.id, ld::StepKind::open);
    const ld::Step done = step_of_kind(e, ann, g.id, ld::StepKind::done);
    const ld::Step todo = e.group_steps(ann, g.id).at(1);
    w.tick();
    const ld::Action a1 =
        e.create_action(ann, {{"project_id", p1.id},
                              {"title", "Weigh the scrap bins at line 3"},
                              {"description", "Every day at 14:00.\tUse scale B."},
                              {"owner_id", bob.user_id},
                              {"context", "@line-3"},
                              {"due_date", "2026-03-13"},
                              {"priority", 3},
                              {"progress", 40},
                              {"indicator_id", scrap.id},
                              {"impact", -3.5}});
    out.add("action", a1);
    const ld::Action a2 =
        e.create_action(bob, {{"project_id", p1.id}, {"title", "Train the night shift"}});
    out.add("action", a2);
    const ld::Action a3 = e.create_action(ann, {{"project_id", p1.id},
                                                {"title", "Fix the feeder 🔧"},
                                                {"step_id", todo.id},
                                                {"owner_id", zoe.user_id},
                                                {"due_date", "2026-03-04"},
                                                {"indicator_id", scrap.id},
                                                {"impact", -2}});
    out.add("action", a3);
    const ld::Action a4 = e.create_action(
        bob, {{"project_id", p1.id}, {"title", "Label the bins"}, {"step_id", todo.id}});
    w.tick();
    out.add("action", e.move_action(bob, a1.id, done.id));         // done_at set
    out.add("action", e.move_action(bob, a4.id, todo.id, a3.id));  // fractional position
    out.add("action", e.update_action(bob, a2.id,
                                      {{"progress", 100},
                                       {"owner_id", bob.user_id},
                                       {"due_date", "2026-03-20"},
                                       {"priority", 1}}));
    out.add("action", e.update_action(bob, a2.id, {{"owner_id", nullptr}, {"due_date", nullptr}}));
    out.add("action", e.create_action(bob, {{"project_id", p2.id},
                                            {"title", "Sort"},
                                            {"step_id", open.id},
                                            {"owner_id", bob.user_id},
                                            {"due_date", "2026-03-03"}}));
    const ld::Action scratch =
        e.create_action(ann, {{"project_id", p1.id}, {"title", "Scratch"}, {"impact", 1}});
    e.delete_action(ann, scratch.id);

    // ---- photos and comments -----------------------------------------------------------------
    w.tick();
    out.add("photo",
            e.add_photo(bob, a1.id, kPngRed,
                        {{"caption", "Bin 2, Monday"}, {"taken_at", kStart - 3 * 3600000}}));
    out.add("photo", e.add_photo(bob, a1.id, kPngClear, nullptr));  // same blob as the avatar
    const ld::Photo extra = e.add_photo(ann, a3.id, kPngRed, {{"caption", ""}});
    out.add("photo", extra);
    e.remove_photo(ann, extra.id);
    out.add("comment", e.add_comment(bob, a1.id, {{"body", "Weighed: 14 kg.\nBin 2 was full."}}));
    const ld::Comment oops = e.add_comment(ann, a1.id, {{"body", "Typo"}});
    out.add("comment", oops);
    e.delete_comment(ann, oops.id);

    // ---- indicator values and curves (points with and without a measured value) --------------
    w.tick(7 * kDay);  // 2026-03-09: a3 (due 03-04, not done) is now overdue
    out.add("indicator_value", e.set_indicator_value(bob, scrap.id, "2026-W10", 12.1));
    out.add("indicator_value", e.set_indicator_value(bob, scrap.id, "2026-W11", 11));
    out.add("indicator_value", e.set_indicator_value(bob, scrap.id, "2026-W11", 10.75));
    out.add("indicator_value", e.set_indicator_value(ann, downtime.id, "2026-W10", -4));
    e.clear_indicator_value(ann, downtime.id, "2026-W10");
    out.add_all("indicator_point", e.indicator_curve(zoe, scrap.id));
    out.add_all("indicator_point", e.indicator_curve(ann, downtime.id));

    // ---- queries -----------------------------------------------------------------------------
    out.add_all("group", e.my_groups(bob));
    out.add("group", e.get_group(cat, g.id));
    out.add_all("person_view", e.group_members(ann, g.id));  // the manager sees every address
    out.add_all("person_view", e.group_members(cat, g.id));  // cat shares no project: no address
    out.add_all("person_view", e.group_members(bob, g.id));
    out.add_all("person_view", e.project_participants(zoe, p1.id));
    out.add_all("person_view", e.report_recipients(bob, p1.id, {zoe.user_id, ann.user_id}));
    out.add_all("project", e.group_projects(ann, g.id));
    out.add_all("project", e.my_projects(bob));
    out.add("project", e.get_project(ann, p3.id));
    out.add_all("action", e.project_actions(ann, p1.id));
    out.add_all("action", e.dashboard(bob));
    out.add_all("indicator", e.project_indicators(zoe, p1.id));
    const ld::ProjectReview review = e.project_review(ann, p1.id);
    out.add("project_review", review);
    out.add("project_review", e.project_review(bob, p2.id));
    for (const auto& sa : review.steps) out.add("step_actions", sa);
    out.add("action_detail", e.get_action(zoe, a1.id));
    out.add("action_detail", e.get_action(bob, a2.id));

    // Zoe verifies her address (R16: "First Last" from now on), then leaves: her actions lose
    // their owner.
    out.add("user", e.activate_user(zoe.user_id));
    out.add("user", e.update_profile(zoe, zoe.user_id, {{"first_name", "Zoë"}, {"last_name", ""}}));
    e.leave_project(zoe, p1.id);
    out.add("action", e.get_action(ann, a3.id).action);

    // ---- an account's whole life: what points at a deleted user keeps a null link ------------
    w.tick(kDay);
    const char* const password = "correct horse battery staple";
    out.add("user", e.sign_up({{"email", "Fay@Example.com"},
                               {"first_name", "Fay"},
                               {"last_name", "Fischer"},
                               {"password", password}}));
    out.add("user", e.activate_account(w.last_code()));
    const ld::Session session = e.sign_in("fay@example.com", password);
    w.tick();
    const Actor fay = e.authenticate(session.token);  // records last_active_at
    e.publish_policy(op, "Version 1: what we keep, and why.");
    out.add("user", e.acknowledge_policy(fay, 1));
    out.add("user", e.get_user(fay, fay.user_id));
    e.add_member(ann, g.id, "fay@example.com");
    e.add_participant(ann, p1.id, fay.user_id);
    const ld::Group g2 = e.create_group(fay, {{"name", "Night shift"}});
    e.add_member(fay, g2.id, "ann@example.com");  // added by Fay
    out.add("group", e.transfer_group(fay, g2.id, ann.user_id));
    const ld::Project p4 = e.create_project(fay, {{"group_id", g.id}, {"name", "Night audit"}});
    out.add("participant", e.add_participant(fay, p4.id, bob.user_id));  // added by Fay
    const ld::Action a5 = e.create_action(
        fay,
        {{"project_id", p1.id}, {"title", "Audit the night shift"}, {"owner_id", fay.user_id}});
    out.add("action", a5);
    out.add("photo", e.add_photo(fay, a5.id, kPngRed, {{"caption", "Night bins"}}));
    out.add("comment", e.add_comment(fay, a5.id, {{"body", "Starting tonight."}}));
    w.tick();
    e.delete_account(fay, password);
    out.add("action_detail", e.get_action(ann, a5.id));  // created_by, added_by, author now null
    out.add_all("person_view", e.group_members(ann, g2.id));

    // Deletions are tombstones in the log.
    const ld::Project doomed = e.create_project(bob, {{"group_id", g.id}, {"name", "Doomed"}});
    e.delete_project(ann, doomed.id);  // R7: the manager may
    e.delete_group(dan, other.id);

    out.add_all("member", read_memberships<ld::Member>(
                              w.db_path,
                              "SELECT group_id, user_id, added_by, added_at FROM members "
                              "ORDER BY group_id, user_id"));
    out.add_all("participant",
                read_memberships<ld::Participant>(
                    w.db_path,
                    "SELECT project_id, user_id, added_by, added_at FROM participants "
                    "ORDER BY project_id, user_id"));
    out.add_all("change", e.changes_since(0, 100000));
    return out.json();
}

// ---- --judge-inputs -----------------------------------------------------------------------------

struct Rollback {};

Json judge_inputs(const Json& cases) {
    World w;
    ld::Engine& e = *w.engine;
    const Actor ann = w.user("ann@example.com", "Ann", "Archer");
    const Actor bob = w.user("bob@example.com", "Bob", "Baker");
    const Actor dan = w.user("dan@example.com", "Dan", "Diaz");
    const ld::Group g = e.create_group(ann, {{"name", "Plant 2"}});
    e.add_member(ann, g.id, "bob@example.com");
    e.add_member(ann, g.id, "dan@example.com");
    const ld::Project p = e.create_project(
        ann, {{"group_id", g.id}, {"name", "Scrap"}, {"start_date", "2026-03-02"}});
    e.add_participant(ann, p.id, bob.user_id);
    const ld::Indicator ind =
        e.create_indicator(ann, {{"project_id", p.id}, {"name", "Scrap rate"}});
    const ld::Action a = e.create_action(ann, {{"project_id", p.id}, {"title", "Weigh"}});
    const ld::Step step = e.group_steps(ann, g.id).at(1);
    const std::map<std::string, std::string> ids = {
        {"$group", g.id},        {"$project", p.id},     {"$step", step.id},
        {"$owner", bob.user_id}, {"$indicator", ind.id}, {"$outsider", dan.user_id}};

    Json results = Json::array();
    for (const auto& c : cases) {
        Json input = c.at("input");
        if (input.is_object()) {
            for (auto& [key, value] : input.items()) {
                if (value.is_string()) {
                    if (auto it = ids.find(value.get<std::string>()); it != ids.end())
                        value = it->second;
                }
            }
        }
        const std::string kind = c.at("kind").get<std::string>();
        Json r{{"input", input}};
        try {
            e.batch([&] {
                if (kind == "user") {
                    e.create_user(input);
                } else if (kind == "group") {
                    e.create_group(ann, input);
                } else if (kind == "step") {
                    e.add_step(ann, g.id, input);
                } else if (kind == "resource") {
                    e.add_resource(ann, g.id, input);
                } else if (kind == "project") {
                    e.create_project(ann, input);
                } else if (kind == "action") {
                    e.create_action(ann, input);
                } else if (kind == "comment") {
                    e.add_comment(ann, a.id, input);
                } else if (kind == "indicator") {
                    e.create_indicator(ann, input);
                } else if (kind == "photo") {
                    e.add_photo(ann, a.id, kPngClear, input);
                } else {
                    throw std::runtime_error("unknown kind " + kind);
                }
                throw Rollback{};  // accepted: undo it so every case meets the same world
            });
        } catch (const Rollback&) {
            r["accepted"] = true;
        } catch (const ld::Error& err) {
            r["accepted"] = false;
            r["code"] = std::string(ld::errc_name(err.code()));
            r["message"] = err.what();
        }
        results.push_back(std::move(r));
    }
    return results;
}

void write_file(const std::string& path, const Json& j) {
    std::ofstream f(path, std::ios::binary);
    f << j.dump(2) << '\n';
    if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 1 && args[0].rfind("--", 0) != 0) {
            write_file(args[0], run_samples());
            return 0;
        }
        if (args.size() == 3 && args[0] == "--judge-inputs") {
            std::ifstream in(args[1], std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            if (!in) throw std::runtime_error("cannot read " + args[1]);
            write_file(args[2], judge_inputs(Json::parse(text.str())));
            return 0;
        }
        std::cerr << "usage: leandesk_schema_samples OUT.json\n"
                     "       leandesk_schema_samples --judge-inputs CASES.json OUT.json\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "leandesk_schema_samples: " << e.what() << '\n';
        return 1;
    }
}

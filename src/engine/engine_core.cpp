// The engine's plumbing: opening, units of work, the change log, observers, facts for the rules
// and the row loaders every command and query uses.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

#include "engine/engine_impl.hpp"
#include "store/schema.hpp"

namespace leandesk {

const char* const kUserColumns =
    "id, email, first_name, last_name, avatar, status, activated_at, deactivated, "
    "newsletter_opt_in, show_open_actions_on_dashboard, accepted_policy_version, last_active_at, "
    "created_at";
const char* const kActionColumns =
    "a.id, a.project_id, a.title, a.description, a.step_id, a.owner_id, a.context, a.due_date, "
    "a.priority, a.progress, a.indicator_id, a.impact, a.position, a.created_by, a.created_at, "
    "a.updated_at, a.done_at";
const char* const kProjectColumns =
    "p.id, p.group_id, p.name, p.description, p.future_state, p.owner_id, p.start_date, "
    "p.target_date, p.status, p.created_at";

User read_user(const store::Stmt& s) {
    User u;
    u.id = s.text(0);
    u.email = s.text(1);
    u.first_name = s.text(2);
    u.last_name = s.text(3);
    u.avatar = s.opt_text(4);
    u.status = user_status_from(s.text(5));
    u.activated_at = s.opt_int64(6);
    u.deactivated = s.int64(7) != 0;
    u.newsletter_opt_in = s.int64(8) != 0;
    u.show_open_actions_on_dashboard = s.int64(9) != 0;
    u.accepted_policy_version = s.int64(10);
    u.last_active_at = s.opt_int64(11);
    u.created_at = s.int64(12);
    return u;
}

Action read_action(const store::Stmt& s) {
    Action a;
    a.id = s.text(0);
    a.project_id = s.text(1);
    a.title = s.text(2);
    a.description = s.text(3);
    a.step_id = s.text(4);
    a.owner_id = s.opt_text(5);
    a.context = s.text(6);
    a.due_date = s.opt_text(7);
    a.priority = s.int64(8);
    a.progress = s.int64(9);
    a.indicator_id = s.opt_text(10);
    a.impact = s.opt_real(11);
    a.position = s.real(12);
    a.created_by = s.opt_text(13);
    a.created_at = s.int64(14);
    a.updated_at = s.int64(15);
    a.done_at = s.opt_int64(16);
    return a;
}

Project read_project(const store::Stmt& s) {
    Project p;
    p.id = s.text(0);
    p.group_id = s.text(1);
    p.name = s.text(2);
    p.description = s.text(3);
    p.future_state = s.text(4);
    p.owner_id = s.text(5);
    p.start_date = s.opt_text(6);
    p.target_date = s.opt_text(7);
    p.status = project_status_from(s.text(8));
    p.created_at = s.int64(9);
    return p;
}

Step read_step(const store::Stmt& s) {
    Step st;
    st.id = s.text(0);
    st.group_id = s.text(1);
    st.name = s.text(2);
    st.position = s.int64(3);
    st.kind = step_kind_from(s.text(4));
    return st;
}

Engine::Impl::Impl(EngineOptions opts) : options(std::move(opts)), db(options.path) {
    if (!options.clock) options.clock = system_clock();
    if (!options.random) options.random = system_random();
    store::migrate(db);
    load_replica_state();
}

void Engine::Impl::run_unit(std::vector<Change>& committed, bool plan_command, bool isolated,
                            const std::function<void()>& body) {
    std::lock_guard lock(mutex);
    const std::size_t mark = pending.size();
    const bool outermost = db.transaction_depth() == 0;
    if (!plan_command || outermost) plan_facts.clear();
    const std::size_t outer_mark = command_mark;
    command_mark = mark;
    if (!outermost && !isolated) {
        // Inside a batch, without a savepoint (see unit()).
        if (batch_broken) {
            throw Error(Errc::conflict,
                        "an earlier command of this batch failed after writing; the batch will "
                        "be rolled back");
        }
        const auto writes_before = sqlite3_total_changes64(db.handle());
        try {
            body();
            command_mark = outer_mark;
        } catch (...) {
            if (pending.size() != mark || sqlite3_total_changes64(db.handle()) != writes_before) {
                batch_broken = true;
            }
            pending.resize(mark);
            plan_facts.clear();
            command_mark = outer_mark;
            throw;
        }
        return;
    }
    const bool broken_before = batch_broken;
    try {
        store::Transaction tx(db);
        body();
        if (batch_broken) {
            throw Error(Errc::conflict,
                        "a command of this batch failed after writing; the whole batch was rolled "
                        "back");
        }
        tx.commit();
        command_mark = outer_mark;
        if (outermost) {
            committed.swap(pending);
            plan_facts.clear();
        }
    } catch (...) {
        // The transaction (or savepoint) rolled back: forget what it logged and what it learnt;
        // what broke the batch inside it is undone with it.
        pending.resize(mark);
        plan_facts.clear();
        command_mark = outer_mark;
        batch_broken = outermost ? false : broken_before;
        throw;
    }
}

void Engine::Impl::notify(const std::vector<Change>& changes) {
    if (changes.empty()) return;
    std::vector<Observer> targets;
    {
        std::lock_guard lock(observers_mutex);
        for (const auto& [id, fn] : observers) targets.push_back(fn);
    }
    for (const auto& fn : targets) {
        try {
            fn(changes);
        } catch (...) {
            // An observer's failure is the app's; the change is committed and stays so.
        }
    }
}

void Engine::Impl::log(const std::string& entity, const Id& id, const char* op,
                       std::vector<std::string> fields, const Actor& actor,
                       const std::optional<Id>& group_id, const std::optional<Id>& project_id) {
    // Field names are engine identifiers ([a-z_]), so the JSON array is built without escaping.
    std::string fields_json = "[";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) fields_json += ',';
        fields_json += '"';
        fields_json += fields[i];
        fields_json += '"';
    }
    fields_json += ']';
    const Millis at = now();
    std::optional<Id> who;
    if (!actor.is_operator && !actor.user_id.empty()) who = actor.user_id;
    db.prepare(
          "INSERT INTO changes (entity, entity_id, op, fields, at, actor, group_id, project_id) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(entity, id, op, fields_json, at, who, group_id, project_id)
        .run();
    const auto seq = static_cast<std::int64_t>(sqlite3_last_insert_rowid(db.handle()));
    pending.push_back(
        Change{seq, entity, id, op, std::move(fields), at, who, group_id, project_id});
}

rules::AccountFacts Engine::Impl::account(const Actor& actor) {
    rules::AccountFacts facts;
    if (actor.is_operator || actor.user_id.empty()) return facts;
    auto s = db.prepare("SELECT activated_at IS NOT NULL, deactivated FROM users WHERE id = ?");
    s.bind(1, actor.user_id);
    if (s.step()) {
        facts.exists = true;
        facts.active = s.int64(0) != 0 && s.int64(1) == 0;
    }
    return facts;
}

void Engine::Impl::require_user(const Actor& actor) {
    if (actor.is_operator) {
        throw Error(Errc::permission_denied,
                    "R12: the operator administers accounts and does not act on group data");
    }
    const auto facts = account(actor);
    if (!facts.exists) throw Error(Errc::not_signed_in, "no signed-in user");
    if (!facts.active) {
        throw Error(Errc::permission_denied,
                    "R12: this account is not active (not yet activated, or deactivated)");
    }
}

void Engine::Impl::require_account(const Actor& actor) {
    if (actor.is_operator) return;
    auto s = db.prepare("SELECT deactivated FROM users WHERE id = ?");
    s.bind(1, actor.user_id);
    if (!s.step()) throw Error(Errc::not_signed_in, "no signed-in user");
    if (s.int64(0) != 0) {
        throw Error(Errc::permission_denied,
                    "R12: this account has been deactivated by the operator");
    }
}

rules::GroupRole Engine::Impl::group_role(const Actor& actor, const Id& group_id) {
    rules::GroupRole role;
    if (actor.is_operator) return role;
    auto s = db.prepare(
        "SELECT g.manager_id = ?1, EXISTS (SELECT 1 FROM members m WHERE m.group_id = g.id AND "
        "m.user_id = ?1) FROM groups g WHERE g.id = ?2");
    s.bind_all(actor.user_id, group_id);
    if (s.step()) {
        role.manager = s.int64(0) != 0;
        role.member = s.int64(1) != 0;
    }
    return role;
}

rules::ProjectRole Engine::Impl::project_role(const Actor& actor, const Project& project) {
    rules::ProjectRole role;
    if (actor.is_operator) return role;
    role.group = group_role(actor, project.group_id);
    role.owner = project.owner_id == actor.user_id;
    auto s = db.prepare("SELECT 1 FROM participants WHERE project_id = ? AND user_id = ?");
    s.bind_all(project.id, actor.user_id);
    role.participant = s.step();
    return role;
}

Project Engine::Impl::readable_project(const Actor& actor, const Id& project_id) {
    Project p = load_project(project_id);
    const auto role = project_role(actor, p);
    rules::enforce(rules::read_group(role.group));
    rules::enforce(rules::read_project(role));
    return p;
}

Project Engine::Impl::editable_project(const Actor& actor, const Id& project_id) {
    const std::string key = actor.user_id + project_id;
    if (const auto it = plan_facts.editable.find(key); it != plan_facts.editable.end())
        return it->second;
    require_user(actor);
    Project p = load_project(project_id);
    const auto role = project_role(actor, p);
    rules::enforce(rules::read_group(role.group));
    rules::enforce(rules::edit_plan(role));
    plan_facts.editable.emplace(key, p);
    return p;
}

Step Engine::Impl::step_in_group(const Id& step_id, const Id& group_id) {
    auto it = plan_facts.steps.find(step_id);
    if (it == plan_facts.steps.end())
        it = plan_facts.steps.emplace(step_id, load_step(step_id)).first;
    if (it->second.group_id != group_id)
        throw_invalid("'step_id' is not a step of this project's group");
    return it->second;
}

Step Engine::Impl::default_step(const Id& group_id) {
    if (const auto it = plan_facts.default_steps.find(group_id);
        it != plan_facts.default_steps.end()) {
        return it->second;
    }
    auto s = db.prepare(
        "SELECT id, group_id, name, position, kind FROM steps WHERE group_id = ? "
        "ORDER BY kind <> 'open', position, id LIMIT 1");
    s.bind(1, group_id);
    if (!s.step()) throw Error(Errc::conflict, "the group has no workflow step");
    return plan_facts.default_steps.emplace(group_id, read_step(s)).first->second;
}

double Engine::Impl::next_position(const Id& project_id, const Id& step_id) {
    const std::string key = project_id + step_id;
    auto it = plan_facts.next_position.find(key);
    if (it == plan_facts.next_position.end()) {
        auto s =
            db.prepare("SELECT MAX(position) FROM actions WHERE project_id = ? AND step_id = ?");
        s.bind_all(project_id, step_id);
        s.step();
        it = plan_facts.next_position.emplace(key, s.is_null(0) ? 0.0 : s.real(0) + 1.0).first;
    }
    // Positions only need to grow: a gap left by a rolled-back command is harmless.
    const double position = it->second;
    it->second += 1.0;
    return position;
}

std::optional<User> Engine::Impl::find_user(const Id& id) {
    auto s = db.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

std::optional<User> Engine::Impl::find_user_by_email(const std::string& email) {
    auto s = db.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?");
    s.bind(1, email);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

User Engine::Impl::load_user(const Id& id) {
    auto u = find_user(id);
    if (!u) throw_not_found("user", id);
    return *u;
}

Group Engine::Impl::load_group(const Id& id) {
    auto s = db.prepare("SELECT id, name, manager_id, created_at FROM groups WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("group", id);
    return Group{s.text(0), s.text(1), s.text(2), s.int64(3)};
}

Step Engine::Impl::load_step(const Id& id) {
    auto s = db.prepare("SELECT id, group_id, name, position, kind FROM steps WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("step", id);
    return read_step(s);
}

Resource Engine::Impl::load_resource(const Id& id) {
    auto s = db.prepare("SELECT id, group_id, name, url, note FROM resources WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("resource", id);
    return Resource{s.text(0), s.text(1), s.text(2), s.opt_text(3), s.opt_text(4)};
}

Project Engine::Impl::load_project(const Id& id) {
    auto s =
        db.prepare(std::string("SELECT ") + kProjectColumns + " FROM projects p WHERE p.id = ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("project", id);
    return read_project(s);
}

Action Engine::Impl::load_action(const Id& id) {
    auto s = db.prepare(std::string("SELECT ") + kActionColumns + " FROM actions a WHERE a.id = ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("action", id);
    Action a = read_action(s);
    fill_overdue(a, today());
    return a;
}

Indicator Engine::Impl::load_indicator(const Id& id) {
    auto s = db.prepare(
        "SELECT id, project_id, name, unit, baseline, target, created_at FROM indicators WHERE id "
        "= ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("indicator", id);
    return Indicator{s.text(0), s.text(1), s.text(2), s.text(3), s.real(4), s.real(5), s.int64(6)};
}

Photo Engine::Impl::load_photo(const Id& id) {
    auto s = db.prepare(
        "SELECT id, action_id, blob, mime, size, caption, taken_at, added_by, created_at FROM "
        "photos "
        "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("photo", id);
    return Photo{s.text(0), s.text(1),      s.text(2),     s.text(3), s.int64(4),
                 s.text(5), s.opt_int64(6), s.opt_text(7), s.int64(8)};
}

Comment Engine::Impl::load_comment(const Id& id) {
    auto s =
        db.prepare("SELECT id, action_id, author_id, body, created_at FROM comments WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw_not_found("comment", id);
    return Comment{s.text(0), s.text(1), s.opt_text(2), s.text(3), s.int64(4)};
}

PersonView Engine::Impl::person_view(const User& person, const Actor& viewer) {
    PersonView v;
    v.id = person.id;
    v.display_name = person.display_name();
    v.first_name = person.first_name;
    v.last_name = person.last_name;
    v.avatar = person.avatar;
    v.status = person.status;
    v.activated = person.activated();
    rules::EmailVisibility facts;
    facts.self = !viewer.is_operator && viewer.user_id == person.id;
    if (!facts.self && !viewer.is_operator) {
        auto s = db.prepare(
            "SELECT EXISTS (SELECT 1 FROM participants a JOIN participants b "
            "ON a.project_id = b.project_id WHERE a.user_id = ?1 AND b.user_id = ?2), "
            "EXISTS (SELECT 1 FROM groups g JOIN members m ON m.group_id = g.id "
            "WHERE g.manager_id = ?1 AND m.user_id = ?2)");
        s.bind_all(viewer.user_id, person.id);
        s.step();
        facts.co_participant = s.int64(0) != 0;
        facts.manager_of_common_group = s.int64(1) != 0;
    }
    if (viewer.is_operator || rules::may_see_email(facts)) v.email = person.email;
    return v;
}

std::vector<Step> Engine::Impl::steps_of(const Id& group_id) {
    std::vector<Step> out;
    auto s = db.prepare(
        "SELECT id, group_id, name, position, kind FROM steps WHERE group_id = ? ORDER BY "
        "position, id");
    s.bind(1, group_id);
    while (s.step()) out.push_back(read_step(s));
    return out;
}

std::vector<Action> Engine::Impl::actions_of(const Id& project_id) {
    std::vector<Action> out;
    const std::string today_s = today();
    auto s = db.prepare(std::string("SELECT ") + kActionColumns +
                        " FROM actions a JOIN steps st ON st.id = a.step_id WHERE a.project_id = ? "
                        "ORDER BY st.position, st.id, a.position, a.created_at, a.id");
    s.bind(1, project_id);
    while (s.step()) {
        out.push_back(read_action(s));
        fill_overdue(out.back(), today_s);
    }
    return out;
}

void Engine::Impl::fill_overdue(Action& action, const std::string& today_s) {
    // ISO dates compare correctly as strings.
    action.overdue = action.due_date && !action.done_at && *action.due_date < today_s;
}

Id Engine::Impl::new_id() {
    // A version-7 UUID (RFC 9562): 48 bits of the clock's milliseconds, then 74 random bits. Ids
    // made later sort later, so a new record's key lands at the right edge of every id index
    // instead of at a random page: inserts (and a replica's download, which arrives in creation
    // order) touch a few hot pages instead of the whole index. The time in the id is when it was
    // made, which says no more than the record's created_at (docs/schema.md).
    //
    // Monotonic (RFC 9562 section 6.2, method 3): when the clock has not moved past the last id's
    // millisecond (or went back), the new id keeps that millisecond and its random bits are the
    // last ones plus a random step of 1..2^32. Records made in the same millisecond therefore sort
    // by id in the order they were made, which is the last key of every list (docs/api.md,
    // "Order"). 2^74 leaves room for ~2^42 such steps in one millisecond; an overflow carries into
    // the millisecond.
    constexpr std::uint64_t kRandBMask = (std::uint64_t{1} << 62) - 1;
    std::array<unsigned char, 16> b{};
    options.random(b.data(), b.size());
    auto ms = static_cast<std::int64_t>(std::clamp<Millis>(now(), 0, (Millis{1} << 48) - 1));
    std::uint64_t rand_a = ((b[6] & 0x0FU) << 8) | b[7];
    std::uint64_t rand_b = b[8] & 0x3FU;
    for (int i = 9; i < 16; ++i) rand_b = (rand_b << 8) | b[i];
    if (ms <= last_id.ms) {
        ms = last_id.ms;
        const std::uint64_t step = 1 + (((std::uint64_t{b[0]} << 24) | (std::uint64_t{b[1]} << 16) |
                                         (std::uint64_t{b[2]} << 8) | std::uint64_t{b[3]}));
        rand_a = last_id.rand_a;
        rand_b = last_id.rand_b + step;
        if (rand_b > kRandBMask) {
            rand_b &= kRandBMask;
            if (++rand_a > 0xFFFU) {
                rand_a = 0;
                ms = std::min<std::int64_t>(ms + 1, (std::int64_t{1} << 48) - 1);
            }
        }
    }
    last_id = LastId{ms, rand_a, rand_b};
    const auto ums = static_cast<std::uint64_t>(ms);
    for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ums >> (8 * (5 - i)));
    b[6] = static_cast<unsigned char>(0x70U | (rand_a >> 8));  // version 7
    b[7] = static_cast<unsigned char>(rand_a & 0xFFU);
    b[8] = static_cast<unsigned char>(0x80U | (rand_b >> 56));  // RFC 9562 variant
    for (int i = 9; i < 16; ++i) b[i] = static_cast<unsigned char>(rand_b >> (8 * (15 - i)));
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return out;
}

// ---- Engine: lifetime, observers, batches
// ---------------------------------------------------------

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Engine::~Engine() = default;

const EngineOptions& Engine::options() const {
    return impl_->options;
}
Millis Engine::now() const {
    return impl_->now();
}
Id Engine::new_id() {
    std::lock_guard lock(impl_->mutex);
    return impl_->new_id();
}

ObserverId Engine::add_observer(Observer observer) {
    if (!observer) throw_invalid("observer must be callable");
    std::lock_guard lock(impl_->observers_mutex);
    const ObserverId id = impl_->next_observer++;
    impl_->observers.emplace(id, std::move(observer));
    return id;
}

void Engine::remove_observer(ObserverId id) {
    std::lock_guard lock(impl_->observers_mutex);
    impl_->observers.erase(id);
}

void Engine::batch(const std::function<void()>& work) {
    impl_->write([&] { work(); });
}

void Engine::checkpoint() {
    impl_->read([&] { impl_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); });
}

Json Engine::storage_info() {
    return impl_->read([&] {
        auto& db = impl_->db;
        const auto pragma = [&](const char* name) {
            auto s = db.prepare(std::string("PRAGMA ") + name);
            s.step();
            return s.is_null(0) ? Json(nullptr) : Json(s.text(0));
        };
        const auto number = [&](const char* name) {
            auto s = db.prepare(std::string("PRAGMA ") + name);
            s.step();
            return s.int64(0);
        };
        Json info{{"schema_version", store::schema_version(db)},
                  {"journal_mode", pragma("journal_mode")},
                  {"foreign_keys", number("foreign_keys") != 0},
                  {"secure_delete", number("secure_delete") != 0},
                  {"busy_timeout_ms", number("busy_timeout")},
                  {"page_count", number("page_count")},
                  {"page_size", number("page_size")}};
        info["prepared_statements"] = db.cached_statements();
        return info;
    });
}

std::vector<Change> Engine::changes_since(std::int64_t after_seq, std::size_t limit) {
    return impl_->read([&] {
        std::vector<Change> out;
        auto s = impl_->db.prepare(
            "SELECT seq, entity, entity_id, op, fields, at, actor, group_id, project_id FROM "
            "changes "
            "WHERE seq > ? ORDER BY seq LIMIT ?");
        s.bind_all(after_seq, static_cast<std::int64_t>(std::min<std::size_t>(limit, 100000)));
        while (s.step()) {
            Change c;
            c.seq = s.int64(0);
            c.entity = s.text(1);
            c.entity_id = s.text(2);
            c.op = s.text(3);
            c.fields = Json::parse(s.text(4)).get<std::vector<std::string>>();
            c.at = s.int64(5);
            c.actor = s.opt_text(6);
            c.group_id = s.opt_text(7);
            c.project_id = s.opt_text(8);
            out.push_back(std::move(c));
        }
        return out;
    });
}

}  // namespace leandesk

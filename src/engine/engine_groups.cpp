// Groups, members, workflow steps and shared resources (R1–R4, R13, R16).
#include <algorithm>

#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {
namespace {

struct DefaultStep {
    const char* name;
    StepKind kind;
};
// New groups start with these steps; the first, open, one is where actions are recorded before
// they are launched.
constexpr DefaultStep kDefaultSteps[] = {{"Ideas", StepKind::open},
                                         {"To do", StepKind::active},
                                         {"In progress", StepKind::active},
                                         {"Done", StepKind::done}};

}  // namespace

Group Engine::create_group(const Actor& actor, const Json& input) {
    return impl_->write([&] {
        rules::enforce(rules::create_group(impl_->account(actor)));
        JsonReader in(input, "group");
        Group g;
        g.id = in.opt_id("id").value_or("");
        g.name = in.string("name", limits::name);
        in.finish();
        if (g.id.empty()) g.id = impl_->new_id();
        g.manager_id = actor.user_id;
        g.created_at = impl_->now();
        auto& db = impl_->db;
        db.prepare("INSERT INTO groups (id, name, manager_id, created_at) VALUES (?, ?, ?, ?)")
            .bind_all(g.id, g.name, g.manager_id, g.created_at)
            .run();
        db.prepare(
              "INSERT INTO members (group_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)")
            .bind_all(g.id, actor.user_id, actor.user_id, g.created_at)
            .run();
        impl_->log("group", g.id, "insert", {"name", "manager_id"}, actor, g.id, std::nullopt);
        impl_->log("member", g.id + "/" + actor.user_id, "insert", {}, actor, g.id, std::nullopt);
        std::int64_t position = 0;
        for (const auto& d : kDefaultSteps) {
            // Derived from the group id, so a group created offline on a replica has the same
            // steps on the server, and actions created in them right away stay valid there.
            const Id step_id = derived_id(g.id, position);
            db.prepare(
                  "INSERT INTO steps (id, group_id, name, position, kind) VALUES (?, ?, ?, ?, ?)")
                .bind_all(step_id, g.id, d.name, position++, to_string(d.kind))
                .run();
            impl_->log("step", step_id, "insert", {"name", "position", "kind"}, actor, g.id,
                       std::nullopt);
        }
        impl_->record("create_group", actor, [&] { return Json{{"input", with_id(input, g.id)}}; });
        return g;
    });
}

Group Engine::update_group(const Actor& actor, const Id& group_id, const Json& patch) {
    return impl_->write([&] {
        impl_->require_user(actor);
        Group g = impl_->load_group(group_id);
        const auto role = impl_->group_role(actor, g.id);
        rules::enforce(rules::read_group(role));
        rules::enforce(rules::manage_group(role));
        JsonReader in(patch, "group");
        const auto name = in.opt_string("name", limits::name);
        in.finish();
        if (!name) return g;
        g.name = *name;
        impl_->db.prepare("UPDATE groups SET name = ? WHERE id = ?").bind_all(g.name, g.id).run();
        impl_->log("group", g.id, "update", {"name"}, actor, g.id, std::nullopt);
        impl_->record("update_group", actor, [&] {
            return Json{{"group_id", g.id}, {"patch", patch}};
        });
        return g;
    });
}

void Engine::delete_group(const Actor& actor, const Id& group_id) {
    impl_->write([&] {
        impl_->require_user(actor);
        const Group g = impl_->load_group(group_id);
        const auto role = impl_->group_role(actor, g.id);
        rules::enforce(rules::read_group(role));
        rules::enforce(rules::manage_group(role));
        auto& db = impl_->db;
        std::vector<std::string> hashes;
        {
            auto s = db.prepare(
                "SELECT DISTINCT ph.blob FROM photos ph JOIN actions a ON a.id = ph.action_id "
                "JOIN projects p ON p.id = a.project_id WHERE p.group_id = ?");
            s.bind(1, g.id);
            while (s.step()) hashes.push_back(s.text(0));
        }
        // R14: permanent and cascading. Actions go first because they reference the steps.
        db.prepare(
              "DELETE FROM actions WHERE project_id IN (SELECT id FROM projects WHERE group_id = "
              "?)")
            .bind(1, g.id)
            .run();
        db.prepare("DELETE FROM groups WHERE id = ?").bind(1, g.id).run();
        impl_->drop_unreferenced_blobs(hashes);
        // Only the id travels as a tombstone: replicas drop the whole bucket.
        impl_->log("group", g.id, "delete", {}, actor, g.id, std::nullopt);
        impl_->record("delete_group", actor, [&] { return Json{{"group_id", g.id}}; });
    });
}

PersonView Engine::add_member(const Actor& actor, const Id& group_id, const std::string& email) {
    return impl_->write([&] {
        impl_->require_user(actor);
        const Group g = impl_->load_group(group_id);
        const auto role = impl_->group_role(actor, g.id);
        rules::enforce(rules::read_group(role));
        rules::enforce(rules::manage_group(role));
        const std::string address = validate::email(email);
        auto& db = impl_->db;
        auto user = impl_->find_user_by_email(address);
        if (!user) {
            // R16: someone without an account yet becomes a non-activated user others can work for.
            User u;
            u.id = impl_->new_id();
            u.email = address;
            u.created_at = impl_->now();
            db.prepare("INSERT INTO users (id, email, created_at) VALUES (?, ?, ?)")
                .bind_all(u.id, u.email, u.created_at)
                .run();
            impl_->log("user", u.id, "insert", {"email"}, actor, std::nullopt, std::nullopt);
            user = u;
        }
        {
            auto s = db.prepare("SELECT 1 FROM members WHERE group_id = ? AND user_id = ?");
            s.bind_all(g.id, user->id);
            if (s.step())
                throw Error(Errc::conflict, "this person is already a member of the group");
        }
        db.prepare(
              "INSERT INTO members (group_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)")
            .bind_all(g.id, user->id, actor.user_id, impl_->now())
            .run();
        impl_->log("member", g.id + "/" + user->id, "insert", {}, actor, g.id, std::nullopt);
        impl_->record("add_member", actor, [&] {
            return Json{{"group_id", g.id}, {"email", address}};
        });
        return impl_->person_view(*user, actor);
    });
}

// R4: leaving a group (or being removed) also ends every participation in its projects. A project
// the person owned passes to the group manager; actions they owned there lose their owner.
void detach_member(Engine::Impl& impl, const Actor& actor, const Group& g, const Id& user_id) {
    auto& db = impl.db;
    std::vector<Id> projects;
    {
        auto s = db.prepare(
            "SELECT p.id FROM participants pa JOIN projects p ON p.id = pa.project_id "
            "WHERE p.group_id = ? AND pa.user_id = ?");
        s.bind_all(g.id, user_id);
        while (s.step()) projects.push_back(s.text(0));
    }
    for (const Id& pid : projects) {
        const Project p = impl.load_project(pid);
        if (p.owner_id == user_id) {
            db.prepare(
                  "INSERT OR IGNORE INTO participants (project_id, user_id, added_by, added_at) "
                  "VALUES (?, ?, ?, ?)")
                .bind_all(pid, g.manager_id, actor.user_id, impl.now())
                .run();
            if (db.changes() > 0) {
                impl.log("participant", pid + "/" + g.manager_id, "insert", {}, actor, g.id, pid);
            }
            db.prepare("UPDATE projects SET owner_id = ? WHERE id = ?")
                .bind_all(g.manager_id, pid)
                .run();
            impl.log("project", pid, "update", {"owner_id"}, actor, g.id, pid);
        }
        std::vector<Id> owned;
        {
            auto s = db.prepare("SELECT id FROM actions WHERE project_id = ? AND owner_id = ?");
            s.bind_all(pid, user_id);
            while (s.step()) owned.push_back(s.text(0));
        }
        for (const Id& aid : owned) {
            db.prepare("UPDATE actions SET owner_id = NULL, updated_at = ? WHERE id = ?")
                .bind_all(impl.now(), aid)
                .run();
            impl.log("action", aid, "update", {"owner_id"}, actor, g.id, pid);
        }
        db.prepare("DELETE FROM participants WHERE project_id = ? AND user_id = ?")
            .bind_all(pid, user_id)
            .run();
        impl.log("participant", pid + "/" + user_id, "delete", {}, actor, g.id, pid);
    }
    db.prepare("DELETE FROM members WHERE group_id = ? AND user_id = ?")
        .bind_all(g.id, user_id)
        .run();
    impl.log("member", g.id + "/" + user_id, "delete", {}, actor, g.id, std::nullopt);
}

void Engine::remove_member(const Actor& actor, const Id& group_id, const Id& user_id) {
    impl_->write([&] {
        impl_->require_user(actor);
        const Group g = impl_->load_group(group_id);
        const auto role = impl_->group_role(actor, g.id);
        rules::enforce(rules::read_group(role));
        if (user_id == actor.user_id && !role.manager) {
            // Removing oneself is leaving (R4).
            rules::enforce(rules::leave_group(role));
        } else {
            rules::enforce(rules::remove_member(role, user_id == g.manager_id));
        }
        rules::GroupRole target;
        target = impl_->group_role(Actor::user(user_id), g.id);
        if (!target.member) throw_not_found("member", user_id);
        detach_member(*impl_, actor, g, user_id);
        impl_->record("remove_member", actor, [&] {
            return Json{{"group_id", g.id}, {"user_id", user_id}};
        });
    });
}

void Engine::leave_group(const Actor& actor, const Id& group_id) {
    impl_->write([&] {
        impl_->require_user(actor);
        const Group g = impl_->load_group(group_id);
        const auto role = impl_->group_role(actor, g.id);
        rules::enforce(rules::read_group(role));
        rules::enforce(rules::leave_group(role));
        detach_member(*impl_, actor, g, actor.user_id);
        impl_->record("leave_group", actor, [&] { return Json{{"group_id", g.id}}; });
    });
}

Group Engine::transfer_group(const Actor& actor, const Id& group_id, const Id& new_manager) {
    return impl_->write([&] {
        impl_->require_user(actor);
        Group g = impl_->load_group(group_id);
        const auto role = impl_->group_role(actor, g.id);
        rules::enforce(rules::read_group(role));
        const auto target = impl_->group_role(Actor::user(new_manager), g.id);
        rules::enforce(rules::transfer_group(role, target.member, new_manager == actor.user_id));
        g.manager_id = new_manager;
        impl_->db.prepare("UPDATE groups SET manager_id = ? WHERE id = ?")
            .bind_all(g.manager_id, g.id)
            .run();
        impl_->log("group", g.id, "update", {"manager_id"}, actor, g.id, std::nullopt);
        impl_->record("transfer_group", actor, [&] {
            return Json{{"group_id", g.id}, {"user_id", new_manager}};
        });
        return g;
    });
}

// ---- steps ------------------------------------------------------------------------------------

namespace {

void manage(Engine::Impl& impl, const Actor& actor, const Id& group_id) {
    impl.require_user(actor);
    impl.load_group(group_id);
    const auto role = impl.group_role(actor, group_id);
    rules::enforce(rules::read_group(role));
    rules::enforce(rules::manage_group(role));
}

}  // namespace

Step Engine::add_step(const Actor& actor, const Id& group_id, const Json& input) {
    return impl_->write([&] {
        manage(*impl_, actor, group_id);
        JsonReader in(input, "step");
        Step st;
        st.id = in.opt_id("id").value_or("");
        st.name = in.string("name", limits::name);
        const auto kind = in.opt_string("kind", 16);
        in.finish();
        st.kind = kind ? step_kind_from(*kind) : StepKind::active;
        if (st.id.empty()) st.id = impl_->new_id();
        st.group_id = group_id;
        auto s = impl_->db.prepare(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM steps WHERE group_id = ?");
        s.bind(1, group_id);
        s.step();
        st.position = s.int64(0);
        impl_->db
            .prepare(
                "INSERT INTO steps (id, group_id, name, position, kind) VALUES (?, ?, ?, ?, ?)")
            .bind_all(st.id, st.group_id, st.name, st.position, to_string(st.kind))
            .run();
        impl_->log("step", st.id, "insert", {"name", "position", "kind"}, actor, group_id,
                   std::nullopt);
        impl_->record("add_step", actor, [&] {
            return Json{{"group_id", group_id}, {"input", with_id(input, st.id)}};
        });
        return st;
    });
}

Step Engine::update_step(const Actor& actor, const Id& step_id, const Json& patch) {
    return impl_->write([&] {
        Step st = impl_->load_step(step_id);
        manage(*impl_, actor, st.group_id);
        JsonReader in(patch, "step");
        std::vector<std::string> fields;
        if (auto v = in.opt_string("name", limits::name)) st.name = *v, fields.emplace_back("name");
        if (auto v = in.opt_string("kind", 16))
            st.kind = step_kind_from(*v), fields.emplace_back("kind");
        in.finish();
        if (fields.empty()) return st;
        impl_->db.prepare("UPDATE steps SET name = ?, kind = ? WHERE id = ?")
            .bind_all(st.name, to_string(st.kind), st.id)
            .run();
        impl_->log("step", st.id, "update", fields, actor, st.group_id, std::nullopt);
        impl_->record("update_step", actor, [&] {
            return Json{{"step_id", st.id}, {"patch", patch}};
        });
        return st;
    });
}

std::vector<Step> Engine::move_step(const Actor& actor, const Id& step_id, std::int64_t position) {
    return impl_->write([&] {
        const Step moving = impl_->load_step(step_id);
        manage(*impl_, actor, moving.group_id);
        auto steps = impl_->steps_of(moving.group_id);
        validate::range("position", position, 0, static_cast<std::int64_t>(steps.size()) - 1);
        auto it = std::find_if(steps.begin(), steps.end(),
                               [&](const Step& s) { return s.id == step_id; });
        Step moved = *it;
        steps.erase(it);
        steps.insert(steps.begin() + position, moved);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            if (steps[i].position == static_cast<std::int64_t>(i)) continue;
            steps[i].position = static_cast<std::int64_t>(i);
            impl_->db.prepare("UPDATE steps SET position = ? WHERE id = ?")
                .bind_all(steps[i].position, steps[i].id)
                .run();
            impl_->log("step", steps[i].id, "update", {"position"}, actor, moving.group_id,
                       std::nullopt);
        }
        impl_->record("move_step", actor, [&] {
            return Json{{"step_id", step_id}, {"position", position}};
        });
        return steps;
    });
}

void Engine::remove_step(const Actor& actor, const Id& step_id) {
    impl_->write([&] {
        const Step st = impl_->load_step(step_id);
        manage(*impl_, actor, st.group_id);
        auto& db = impl_->db;
        {
            auto s = db.prepare("SELECT COUNT(*) FROM actions WHERE step_id = ?");
            s.bind(1, st.id);
            s.step();
            if (s.int64(0) > 0) {
                throw Error(Errc::conflict, "this step still holds " + std::to_string(s.int64(0)) +
                                                " action(s); move them first");
            }
        }
        if (impl_->steps_of(st.group_id).size() <= 1) {
            throw Error(Errc::conflict, "a group keeps at least one step");
        }
        db.prepare("DELETE FROM steps WHERE id = ?").bind(1, st.id).run();
        impl_->log("step", st.id, "delete", {}, actor, st.group_id, std::nullopt);
        // Close the gap so positions stay 0..n-1.
        db.prepare("UPDATE steps SET position = position - 1 WHERE group_id = ? AND position > ?")
            .bind_all(st.group_id, st.position)
            .run();
        impl_->record("remove_step", actor, [&] { return Json{{"step_id", st.id}}; });
    });
}

// ---- shared resources ---------------------------------------------------------------------------

namespace {

void read_resource_fields(JsonReader& in, Resource& r, std::vector<std::string>& fields) {
    if (auto v = in.opt_string("name", limits::name)) r.name = *v, fields.emplace_back("name");
    if (in.has("url")) {
        fields.emplace_back("url");
        r.url = in.nullable_string("url", limits::url);
        if (r.url) validate::url("url", *r.url);
    }
    if (in.has("note")) {
        fields.emplace_back("note");
        r.note = in.nullable_string("note", limits::long_text, true, true);
    }
}

}  // namespace

Resource Engine::add_resource(const Actor& actor, const Id& group_id, const Json& input) {
    return impl_->write([&] {
        manage(*impl_, actor, group_id);
        JsonReader in(input, "resource");
        Resource r;
        r.id = in.opt_id("id").value_or("");
        r.group_id = group_id;
        std::vector<std::string> fields;
        read_resource_fields(in, r, fields);
        in.finish();
        if (r.name.empty()) throw_invalid("'name' is required in resource");
        if (r.id.empty()) r.id = impl_->new_id();
        impl_->db
            .prepare("INSERT INTO resources (id, group_id, name, url, note) VALUES (?, ?, ?, ?, ?)")
            .bind_all(r.id, r.group_id, r.name, r.url, r.note)
            .run();
        impl_->log("resource", r.id, "insert", {"name", "url", "note"}, actor, group_id,
                   std::nullopt);
        impl_->record("add_resource", actor, [&] {
            return Json{{"group_id", group_id}, {"input", with_id(input, r.id)}};
        });
        return r;
    });
}

Resource Engine::update_resource(const Actor& actor, const Id& resource_id, const Json& patch) {
    return impl_->write([&] {
        Resource r = impl_->load_resource(resource_id);
        manage(*impl_, actor, r.group_id);
        JsonReader in(patch, "resource");
        std::vector<std::string> fields;
        read_resource_fields(in, r, fields);
        in.finish();
        if (fields.empty()) return r;
        impl_->db.prepare("UPDATE resources SET name = ?, url = ?, note = ? WHERE id = ?")
            .bind_all(r.name, r.url, r.note, r.id)
            .run();
        impl_->log("resource", r.id, "update", fields, actor, r.group_id, std::nullopt);
        impl_->record("update_resource", actor, [&] {
            return Json{{"resource_id", r.id}, {"patch", patch}};
        });
        return r;
    });
}

void Engine::remove_resource(const Actor& actor, const Id& resource_id) {
    impl_->write([&] {
        const Resource r = impl_->load_resource(resource_id);
        manage(*impl_, actor, r.group_id);
        impl_->db.prepare("DELETE FROM resources WHERE id = ?").bind(1, r.id).run();
        impl_->log("resource", r.id, "delete", {}, actor, r.group_id, std::nullopt);
        impl_->record("remove_resource", actor, [&] { return Json{{"resource_id", r.id}}; });
    });
}

}  // namespace leandesk

// Projects and their participants (R5–R8, R14).
#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {
namespace {

void check_dates(const Project& p) {
    if (p.start_date && p.target_date && *p.target_date < *p.start_date) {
        throw_invalid("'target_date' must not be before 'start_date'");
    }
}

// Reads the editable fields of a project; `fields` collects the names that were present.
void read_project_fields(JsonReader& in, Project& p, std::vector<std::string>& fields) {
    if (auto v = in.opt_string("name", limits::name)) p.name = *v, fields.emplace_back("name");
    if (auto v = in.opt_string("description", limits::long_text, true, true)) {
        p.description = *v, fields.emplace_back("description");
    }
    if (auto v = in.opt_string("future_state", limits::long_text, true, true)) {
        p.future_state = *v, fields.emplace_back("future_state");
    }
    if (in.has("start_date"))
        p.start_date = in.nullable_date("start_date"), fields.emplace_back("start_date");
    if (in.has("target_date")) {
        p.target_date = in.nullable_date("target_date"), fields.emplace_back("target_date");
    }
}

}  // namespace

Project Engine::create_project(const Actor& actor, const Json& input) {
    return impl_->write([&] {
        impl_->require_user(actor);
        JsonReader in(input, "project");
        Project p;
        p.id = in.opt_id("id").value_or("");
        p.group_id = in.id("group_id");
        std::vector<std::string> fields;
        read_project_fields(in, p, fields);
        in.finish();
        if (p.name.empty()) throw_invalid("'name' is required in project");
        check_dates(p);
        impl_->load_group(p.group_id);
        rules::enforce(rules::create_project(impl_->group_role(actor, p.group_id)));
        if (p.id.empty()) p.id = impl_->new_id();
        p.owner_id = actor.user_id;
        p.created_at = impl_->now();
        auto& db = impl_->db;
        db.prepare(
              "INSERT INTO projects (id, group_id, name, description, future_state, owner_id, "
              "start_date, target_date, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind_all(p.id, p.group_id, p.name, p.description, p.future_state, p.owner_id,
                      p.start_date, p.target_date, to_string(p.status), p.created_at)
            .run();
        impl_->log("project", p.id, "insert",
                   {"name", "description", "future_state", "owner_id", "start_date", "target_date",
                    "status"},
                   actor, p.group_id, p.id);
        // R5: the creator is the owner and the first participant.
        db.prepare(
              "INSERT INTO participants (project_id, user_id, added_by, added_at) VALUES (?, ?, ?, "
              "?)")
            .bind_all(p.id, actor.user_id, actor.user_id, p.created_at)
            .run();
        impl_->log("participant", p.id + "/" + actor.user_id, "insert", {}, actor, p.group_id,
                   p.id);
        impl_->record("create_project", actor, [&] {
            return Json{{"input", with_id(input, p.id)}};
        });
        return p;
    });
}

Project Engine::update_project(const Actor& actor, const Id& project_id, const Json& patch) {
    return impl_->write([&] {
        impl_->require_user(actor);
        Project p = impl_->load_project(project_id);
        const auto role = impl_->project_role(actor, p);
        rules::enforce(rules::read_group(role.group));
        rules::enforce(rules::edit_project(role));
        JsonReader in(patch, "project");
        std::vector<std::string> fields;
        read_project_fields(in, p, fields);
        if (auto v = in.opt_string("status", 16)) {
            p.status = project_status_from(*v), fields.emplace_back("status");
        }
        in.finish();
        check_dates(p);
        if (fields.empty()) return p;
        impl_->db
            .prepare(
                "UPDATE projects SET name = ?, description = ?, future_state = ?, start_date = ?, "
                "target_date = ?, status = ? WHERE id = ?")
            .bind_all(p.name, p.description, p.future_state, p.start_date, p.target_date,
                      to_string(p.status), p.id)
            .run();
        impl_->log("project", p.id, "update", fields, actor, p.group_id, p.id);
        impl_->record("update_project", actor, [&] {
            return Json{{"project_id", p.id}, {"patch", patch}};
        });
        return p;
    });
}

void Engine::delete_project(const Actor& actor, const Id& project_id) {
    impl_->write([&] {
        impl_->require_user(actor);
        const Project p = impl_->load_project(project_id);
        const auto role = impl_->project_role(actor, p);
        rules::enforce(rules::read_group(role.group));
        rules::enforce(rules::delete_project(role));
        auto& db = impl_->db;
        std::vector<std::string> hashes;
        {
            auto s = db.prepare(
                "SELECT DISTINCT ph.blob FROM photos ph JOIN actions a ON a.id = ph.action_id "
                "WHERE a.project_id = ?");
            s.bind(1, p.id);
            while (s.step()) hashes.push_back(s.text(0));
        }
        // R14: the cascade (actions, photos, comments, indicators, participants) is the schema's.
        db.prepare("DELETE FROM projects WHERE id = ?").bind(1, p.id).run();
        impl_->drop_unreferenced_blobs(hashes);
        impl_->log("project", p.id, "delete", {}, actor, p.group_id, p.id);
        impl_->record("delete_project", actor, [&] { return Json{{"project_id", p.id}}; });
    });
}

Participant Engine::add_participant(const Actor& actor, const Id& project_id, const Id& user_id) {
    return impl_->write([&] {
        impl_->require_user(actor);
        const Project p = impl_->load_project(project_id);
        const auto role = impl_->project_role(actor, p);
        rules::enforce(rules::read_group(role.group));
        validate::id("user_id", user_id);
        const auto target = impl_->group_role(Actor::user(user_id), p.group_id);
        rules::enforce(rules::add_participant(role, target.member));
        Participant part{p.id, user_id, actor.user_id, impl_->now()};
        impl_->db
            .prepare(
                "INSERT OR IGNORE INTO participants (project_id, user_id, added_by, added_at) "
                "VALUES (?, ?, ?, ?)")
            .bind_all(part.project_id, part.user_id, part.added_by, part.added_at)
            .run();
        if (impl_->db.changes() == 0) {
            throw Error(Errc::conflict, "this person already takes part in the project");
        }
        impl_->log("participant", p.id + "/" + user_id, "insert", {}, actor, p.group_id, p.id);
        impl_->record("add_participant", actor, [&] {
            return Json{{"project_id", p.id}, {"user_id", user_id}};
        });
        return part;
    });
}

namespace {

void drop_participant(Engine::Impl& impl, const Actor& actor, const Project& p, const Id& user_id) {
    auto& db = impl.db;
    std::vector<Id> owned;
    {
        auto s = db.prepare("SELECT id FROM actions WHERE project_id = ? AND owner_id = ?");
        s.bind_all(p.id, user_id);
        while (s.step()) owned.push_back(s.text(0));
    }
    // Their actions stay in the plan, without an owner, for the others to reassign.
    for (const Id& aid : owned) {
        db.prepare("UPDATE actions SET owner_id = NULL, updated_at = ? WHERE id = ?")
            .bind_all(impl.now(), aid)
            .run();
        impl.log("action", aid, "update", {"owner_id"}, actor, p.group_id, p.id);
    }
    db.prepare("DELETE FROM participants WHERE project_id = ? AND user_id = ?")
        .bind_all(p.id, user_id)
        .run();
    if (db.changes() == 0) throw_not_found("participant", user_id);
    impl.log("participant", p.id + "/" + user_id, "delete", {}, actor, p.group_id, p.id);
}

}  // namespace

void Engine::remove_participant(const Actor& actor, const Id& project_id, const Id& user_id) {
    impl_->write([&] {
        impl_->require_user(actor);
        const Project p = impl_->load_project(project_id);
        const auto role = impl_->project_role(actor, p);
        rules::enforce(rules::read_group(role.group));
        if (user_id == actor.user_id && !role.owner) {
            rules::enforce(rules::leave_project(role));  // any participant may leave
        } else {
            rules::enforce(rules::remove_participant(role, user_id == p.owner_id));
        }
        drop_participant(*impl_, actor, p, user_id);
        impl_->record("remove_participant", actor, [&] {
            return Json{{"project_id", p.id}, {"user_id", user_id}};
        });
    });
}

void Engine::leave_project(const Actor& actor, const Id& project_id) {
    impl_->write([&] {
        impl_->require_user(actor);
        const Project p = impl_->load_project(project_id);
        const auto role = impl_->project_role(actor, p);
        rules::enforce(rules::read_group(role.group));
        rules::enforce(rules::leave_project(role));
        drop_participant(*impl_, actor, p, actor.user_id);
        impl_->record("leave_project", actor, [&] { return Json{{"project_id", p.id}}; });
    });
}

Project Engine::transfer_project(const Actor& actor, const Id& project_id, const Id& new_owner) {
    return impl_->write([&] {
        impl_->require_user(actor);
        Project p = impl_->load_project(project_id);
        const auto role = impl_->project_role(actor, p);
        rules::enforce(rules::read_group(role.group));
        const auto target = impl_->project_role(Actor::user(new_owner), p);
        rules::enforce(rules::transfer_project(role, target.participant));
        p.owner_id = new_owner;
        impl_->db.prepare("UPDATE projects SET owner_id = ? WHERE id = ?")
            .bind_all(p.owner_id, p.id)
            .run();
        impl_->log("project", p.id, "update", {"owner_id"}, actor, p.group_id, p.id);
        impl_->record("transfer_project", actor, [&] {
            return Json{{"project_id", p.id}, {"user_id", new_owner}};
        });
        return p;
    });
}

}  // namespace leandesk

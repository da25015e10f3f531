#include "sync/tables.hpp"

#include <array>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sync/json_text.hpp"

namespace leandesk::sync {
namespace {

const std::vector<TableSpec>& specs() {
    static const std::vector<TableSpec> all = {
        {"group",
         "groups",
         {"id"},
         {"id", "name", "manager_id", "created_at"},
         1,
         BucketKind::group,
         "SELECT id FROM groups WHERE id = ?1",
         {{"manager_id", true}},
         {}},
        {"member",
         "members",
         {"group_id", "user_id"},
         {"group_id", "user_id", "added_by", "added_at"},
         2,
         BucketKind::group,
         "SELECT group_id FROM members WHERE group_id = ?1 AND user_id = ?2",
         {{"user_id", true}, {"added_by", false}},
         {}},
        {"step",
         "steps",
         {"id"},
         {"id", "group_id", "name", "position", "kind"},
         2,
         BucketKind::group,
         "SELECT group_id FROM steps WHERE id = ?1",
         {},
         {}},
        {"resource",
         "resources",
         {"id"},
         {"id", "group_id", "name", "url", "note"},
         2,
         BucketKind::group,
         "SELECT group_id FROM resources WHERE id = ?1",
         {},
         {}},
        {"project",
         "projects",
         {"id"},
         {"id", "group_id", "name", "description", "future_state", "owner_id", "start_date",
          "target_date", "status", "created_at"},
         3,
         BucketKind::project,
         "SELECT id FROM projects WHERE id = ?1",
         {{"owner_id", true}},
         {}},
        {"participant",
         "participants",
         {"project_id", "user_id"},
         {"project_id", "user_id", "added_by", "added_at"},
         4,
         BucketKind::project,
         "SELECT project_id FROM participants WHERE project_id = ?1 AND user_id = ?2",
         {{"user_id", true}, {"added_by", false}},
         {}},
        {"indicator",
         "indicators",
         {"id"},
         {"id", "project_id", "name", "unit", "baseline", "target", "created_at"},
         4,
         BucketKind::project,
         "SELECT project_id FROM indicators WHERE id = ?1",
         {},
         {}},
        {"action",
         "actions",
         {"id"},
         {"id", "project_id", "title", "description", "step_id", "owner_id", "context", "due_date",
          "priority", "progress", "indicator_id", "impact", "position", "created_by", "created_at",
          "updated_at", "done_at"},
         5,
         BucketKind::project,
         "SELECT project_id FROM actions WHERE id = ?1",
         {{"owner_id", false}, {"created_by", false}},
         {{"indicator_id", "indicators"}}},
        {"indicator_value",
         "indicator_values",
         {"indicator_id", "week"},
         {"indicator_id", "week", "actual"},
         6,
         BucketKind::project,
         "SELECT i.project_id FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id "
         "WHERE v.indicator_id = ?1 AND v.week = ?2",
         {},
         {}},
        {"comment",
         "comments",
         {"id"},
         {"id", "action_id", "author_id", "body", "created_at"},
         6,
         BucketKind::project,
         "SELECT a.project_id FROM comments c JOIN actions a ON a.id = c.action_id WHERE c.id = ?1",
         {{"author_id", false}},
         {}},
        {"photo",
         "photos",
         {"id"},
         {"id", "action_id", "blob", "mime", "size", "caption", "taken_at", "added_by",
          "created_at"},
         6,
         BucketKind::project,
         "SELECT a.project_id FROM photos p JOIN actions a ON a.id = p.action_id WHERE p.id = ?1",
         {{"added_by", false}},
         {}},
    };
    return all;
}

// The SQL texts of one spec, built once.
struct Sql {
    std::string select;
    std::string insert;
    std::string update;
    std::string remove;
};

std::string key_where(const TableSpec& spec) {
    std::string w;
    for (std::size_t i = 0; i < spec.key.size(); ++i) {
        if (i != 0) w += " AND ";
        w += std::string(spec.key[i]) + " = ?" + std::to_string(i + 1);
    }
    return w;
}

std::string sql_text(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (const auto part : parts) out.append(part);
    return out;
}

const Sql& sql_for(const TableSpec& spec) {
    static const std::unordered_map<const TableSpec*, Sql> all = [] {
        std::unordered_map<const TableSpec*, Sql> out;
        for (const auto& s : specs()) {
            Sql q;
            std::string cols;
            std::string marks;
            std::string updates;
            for (std::size_t i = 0; i < s.columns.size(); ++i) {
                if (i != 0) cols += ", ", marks += ", ";
                cols += s.columns[i];
                marks += "?";
                bool is_key = false;
                for (const char* k : s.key) is_key = is_key || std::strcmp(k, s.columns[i]) == 0;
                if (!is_key) {
                    if (!updates.empty()) updates += ", ";
                    updates += std::string(s.columns[i]) + " = ?" + std::to_string(i + 1);
                }
            }
            const std::string where = key_where(s);
            q.select = sql_text({"SELECT ", cols, " FROM ", s.table, " WHERE ", where});
            q.insert = sql_text({"INSERT INTO ", s.table, " (", cols, ") VALUES (", marks, ")"});
            q.update = sql_text({"UPDATE ", s.table, " SET ", updates, " WHERE ", where});
            q.remove = sql_text({"DELETE FROM ", s.table, " WHERE ", where});
            out.emplace(&s, std::move(q));
        }
        return out;
    }();
    return all.at(&spec);
}

void bind_value(store::Stmt& s, int index, const Json& v) {
    if (v.is_null()) {
        s.bind_null(index);
    } else if (v.is_string()) {
        // Bound without a copy (SQLITE_STATIC): every caller keeps `v` alive until its statement
        // has run, and the Stmt clears its bindings when it goes out of scope. A download binds
        // eight strings a row; copying each was a malloc and a memcpy apiece.
        const auto& text = v.get_ref<const std::string&>();
        const int rc = sqlite3_bind_text64(s.raw(), index, text.data(), text.size(), SQLITE_STATIC,
                                           SQLITE_UTF8);
        if (rc == SQLITE_NOMEM) throw Error(Errc::no_memory, "sync: out of memory binding a value");
        if (rc != SQLITE_OK) {
            throw Error(Errc::network,
                        "sync: the server's answer is malformed (a row value SQLite refuses: " +
                            std::string(sqlite3_errstr(rc)) + ")");
        }
    } else if (v.is_number_integer()) {
        s.bind(index, v.get<std::int64_t>());
    } else if (v.is_number_float()) {
        s.bind(index, v.get<double>());
    } else if (v.is_boolean()) {
        s.bind(index, v.get<bool>());
    } else {
        throw Error(Errc::network,
                    "sync: the server's answer is malformed (a row value is neither text, number "
                    "nor null)");
    }
}

Json column_value(const store::Stmt& s, int col) {
    switch (sqlite3_column_type(s.raw(), col)) {
        case SQLITE_NULL:
            return nullptr;
        case SQLITE_INTEGER:
            return s.int64(col);
        case SQLITE_FLOAT:
            return s.real(col);
        default:
            return s.text(col);
    }
}

void bind_key(store::Stmt& s, const std::vector<std::string>& key) {
    for (std::size_t i = 0; i < key.size(); ++i) s.bind(static_cast<int>(i + 1), key[i]);
}

}  // namespace

int TableSpec::column_index(const char* name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (std::strcmp(columns[i], name) == 0) return static_cast<int>(i);
    }
    return -1;
}

const std::vector<TableSpec>& all_tables() {
    return specs();
}

const TableSpec* table_for(std::string_view entity) {
    for (const auto& s : specs()) {
        if (entity == s.entity) return &s;
    }
    return nullptr;
}

std::vector<std::string> split_key(const TableSpec& spec, const std::string& entity_id) {
    if (entity_id.empty() || entity_id.size() > 200) return {};
    if (spec.key.size() == 1) {
        if (entity_id.find('/') != std::string::npos) return {};
        return {entity_id};
    }
    const auto slash = entity_id.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == entity_id.size()) return {};
    return {entity_id.substr(0, slash), entity_id.substr(slash + 1)};
}

std::optional<Json> read_row(store::Database& db, const TableSpec& spec,
                             const std::string& entity_id) {
    const auto key = split_key(spec, entity_id);
    if (key.empty()) return std::nullopt;
    auto s = db.prepare(sql_for(spec).select);
    bind_key(s, key);
    if (!s.step()) return std::nullopt;
    Json row = Json::array();
    for (int i = 0; i < static_cast<int>(spec.columns.size()); ++i)
        row.push_back(column_value(s, i));
    return row;
}

bool append_row_json(store::Database& db, const TableSpec& spec, const std::string& entity_id,
                     std::string& out,
                     const std::function<bool(const std::string&, bool)>& keep_user) {
    const auto key = split_key(spec, entity_id);
    if (key.empty()) return false;
    auto s = db.prepare(sql_for(spec).select);
    bind_key(s, key);
    if (!s.step()) return false;
    out += '[';
    for (int i = 0; i < static_cast<int>(spec.columns.size()); ++i) {
        if (i != 0) out += ',';
        const std::pair<const char*, bool>* ref = nullptr;
        for (const auto& r : spec.user_refs) {
            if (std::strcmp(r.first, spec.columns[static_cast<std::size_t>(i)]) == 0) ref = &r;
        }
        if (ref != nullptr && sqlite3_column_type(s.raw(), i) == SQLITE_TEXT &&
            !keep_user(s.text(i), ref->second)) {
            out += "null";
            continue;
        }
        append_json_column(out, s, i);
    }
    out += ']';
    return true;
}

std::optional<std::string> bucket_of(store::Database& db, const TableSpec& spec,
                                     const std::string& entity_id) {
    const auto key = split_key(spec, entity_id);
    if (key.empty()) return std::nullopt;
    auto s = db.prepare(spec.bucket_sql);
    bind_key(s, key);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

void upsert_row(store::Database& db, const TableSpec& spec, const Json& values) {
    if (!values.is_array() || values.size() != spec.columns.size()) {
        throw Error(Errc::corrupt,
                    std::string("sync: a row of ") + spec.entity + " has the wrong shape");
    }
    // A plain INSERT when the record is new (most rows of a download), an UPDATE when the INSERT
    // finds the key taken: an upsert statement makes SQLite keep a statement journal (a copy of
    // every page it touches), which cost as much as the insert itself, and asking first whether
    // the key exists costs a lookup per row of a download that never finds one. A single-row
    // INSERT checks its constraints before it writes, so one refused leaves nothing behind. This
    // relies on the key being the only UNIQUE constraint of every table a row is written to (a
    // clash on another would say SQLITE_CONSTRAINT_UNIQUE, and an edit of a record held here would
    // fail): users (UNIQUE email) are written by upsert_person, never here.
    const Sql& sql = sql_for(spec);
    {
        auto s = db.prepare(sql.insert);
        for (std::size_t i = 0; i < values.size(); ++i)
            bind_value(s, static_cast<int>(i + 1), values[i]);
        const int rc = sqlite3_step(s.raw());
        if (rc == SQLITE_DONE) return;
        if (sqlite3_extended_errcode(db.handle()) != SQLITE_CONSTRAINT_PRIMARYKEY)
            db.fail(rc, sql.insert);
    }
    auto s = db.prepare(sql.update);
    for (std::size_t i = 0; i < values.size(); ++i)
        bind_value(s, static_cast<int>(i + 1), values[i]);
    s.run();
}

std::vector<std::string> delete_row(store::Database& db, const TableSpec& spec,
                                    const std::string& entity_id) {
    const auto key = split_key(spec, entity_id);
    std::vector<std::string> hashes;
    if (key.empty()) return hashes;
    const std::string_view entity = spec.entity;
    const auto collect = [&](const char* sql) {
        auto s = db.prepare(sql);
        s.bind(1, key[0]);
        while (s.step()) hashes.push_back(s.text(0));
    };
    if (entity == "group") {
        collect(
            "SELECT DISTINCT ph.blob FROM photos ph JOIN actions a ON a.id = ph.action_id "
            "JOIN projects p ON p.id = a.project_id WHERE p.group_id = ?");
        // Actions reference the group's steps: they go first (as in Engine::delete_group).
        db.prepare(
              "DELETE FROM actions WHERE project_id IN (SELECT id FROM projects WHERE group_id = "
              "?)")
            .bind(1, key[0])
            .run();
    } else if (entity == "project") {
        collect(
            "SELECT DISTINCT ph.blob FROM photos ph JOIN actions a ON a.id = ph.action_id "
            "WHERE a.project_id = ?");
    } else if (entity == "action") {
        collect("SELECT DISTINCT blob FROM photos WHERE action_id = ?");
    } else if (entity == "photo") {
        collect("SELECT blob FROM photos WHERE id = ?");
    }
    auto s = db.prepare(sql_for(spec).remove);
    bind_key(s, key);
    s.run();
    return hashes;
}

// ---- people ---------------------------------------------------------------------------------

std::string hidden_email(const Id& user_id) {
    return "hidden+" + user_id + "@leandesk.invalid";
}

std::optional<Json> read_person(Engine::Impl& impl, const Id& user_id, const Actor& viewer) {
    const auto user = impl.find_user(user_id);
    if (!user) return std::nullopt;
    const bool self = !viewer.is_operator && viewer.user_id == user_id;
    const PersonView view = impl.person_view(*user, viewer);
    const auto opt = [](const auto& v) { return v ? Json(*v) : Json(nullptr); };
    return Json::array({user->id, opt(view.email), user->first_name, user->last_name,
                        opt(user->avatar), std::string(to_string(user->status)),
                        opt(user->activated_at), user->deactivated, user->created_at,
                        self ? user->newsletter_opt_in : true,
                        self ? user->show_open_actions_on_dashboard : true,
                        self ? user->accepted_policy_version : 0});
}

void upsert_person(store::Database& db, const Json& p, const Id& self) {
    const auto bad = [] { throw Error(Errc::corrupt, "sync: a person has the wrong shape"); };
    if (!p.is_array() || p.size() != kPersonFields || !p[0].is_string()) bad();
    const std::string& id = p[0].get_ref<const std::string&>();
    std::string email;
    if (p[1].is_string()) {
        email = p[1].get<std::string>();
        // A person this replica added by e-mail before the server gave them their id: the
        // server's record replaces the local stand-in (its local rows go with it).
        db.prepare("DELETE FROM users WHERE email = ? AND id <> ?").bind_all(email, id).run();
    } else if (p[1].is_null()) {
        email = hidden_email(id);
    } else {
        bad();
    }
    const bool is_self = id == self;
    auto s = db.prepare(
        is_self
            ? "INSERT INTO users (id, email, first_name, last_name, avatar, status, activated_at, "
              "deactivated, created_at, newsletter_opt_in, show_open_actions_on_dashboard, "
              "accepted_policy_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (id) DO UPDATE SET email = excluded.email, first_name = "
              "excluded.first_name, last_name = excluded.last_name, avatar = excluded.avatar, "
              "status = excluded.status, activated_at = excluded.activated_at, deactivated = "
              "excluded.deactivated, newsletter_opt_in = excluded.newsletter_opt_in, "
              "show_open_actions_on_dashboard = excluded.show_open_actions_on_dashboard, "
              "accepted_policy_version = excluded.accepted_policy_version"
            : "INSERT INTO users (id, email, first_name, last_name, avatar, status, activated_at, "
              "deactivated, created_at, newsletter_opt_in, show_open_actions_on_dashboard, "
              "accepted_policy_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (id) DO UPDATE SET email = excluded.email, first_name = "
              "excluded.first_name, last_name = excluded.last_name, avatar = excluded.avatar, "
              "status = excluded.status, activated_at = excluded.activated_at, deactivated = "
              "excluded.deactivated");
    s.bind(1, id).bind(2, email);
    for (std::size_t i = 2; i < kPersonFields; ++i) bind_value(s, static_cast<int>(i + 1), p[i]);
    s.run();
}

}  // namespace leandesk::sync

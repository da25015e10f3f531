// Restoring a backup folder as a new group. Two phases:
//   1. read and validate everything: group.json strictly (types, lengths, enums, dates, unknown
//      keys refused, every reference resolved), and each photo file (a plain file inside photos/,
//      within the size cap, whose SHA-256 is its name);
//   2. write the whole group in one transaction with fresh ids; any failure rolls it back.
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "engine/engine_impl.hpp"
#include "export/backup.hpp"
#include "export/photo_files.hpp"
#include "model/validate.hpp"

namespace leandesk::exports {
namespace fs = std::filesystem;
namespace {

constexpr std::int64_t kMaxTime = 253402300799999;  // 9999-12-31T23:59:59.999Z
constexpr std::size_t kMaxDepth = 8;                // group.json is an object of arrays of objects

[[noreturn]] void damaged(const std::string& message) {
    throw Error(Errc::corrupt, "backup: " + message);
}

struct BPerson {
    Id id;
    std::string email;
};
struct BMember {
    Id user;
    Millis added_at;
};
struct BParticipant {
    Id project, user;
    Millis added_at;
};
struct BValue {
    Id indicator;
    std::string week;
    double actual;
};
struct BPhoto {
    Photo photo;       // ids are the backup's
    std::string file;  // "photos/<sha256>.<ext>"
};

struct Backup {
    Group group;  // manager_id: the backup's manager (informational)
    std::vector<BPerson> people;
    std::vector<BMember> members;
    std::vector<Step> steps;
    std::vector<Resource> resources;
    std::vector<Project> projects;
    std::vector<BParticipant> participants;
    std::vector<Indicator> indicators;
    std::vector<BValue> values;
    std::vector<Action> actions;
    std::vector<Comment> comments;
    std::vector<BPhoto> photos;

    [[nodiscard]] std::int64_t records() const {
        return static_cast<std::int64_t>(people.size() + members.size() + steps.size() +
                                         resources.size() + projects.size() + participants.size() +
                                         indicators.size() + values.size() + actions.size() +
                                         comments.size() + photos.size());
    }
};

// ---- phase 1: reading ------------------------------------------------------------------------

Json parse_manifest(const std::string& text) {
    if (!validate::is_valid_utf8(text)) damaged("group.json is not valid UTF-8");
    bool too_deep = false;
    const Json::parser_callback_t guard = [&](int depth, Json::parse_event_t event, Json&) {
        if ((event == Json::parse_event_t::object_start ||
             event == Json::parse_event_t::array_start) &&
            static_cast<std::size_t>(depth) + 1 > kMaxDepth) {
            too_deep = true;
        }
        return !too_deep;
    };
    Json j = Json::parse(text.begin(), text.end(), guard, /*allow_exceptions=*/false);
    if (too_deep) damaged("group.json is nested too deeply");
    if (j.is_discarded()) damaged("group.json is not valid JSON");
    if (!j.is_object()) damaged("group.json must hold a JSON object");
    return j;
}

Millis time_of(JsonReader& in, const char* key) {
    auto v = in.nullable_int(key, 0, kMaxTime);
    if (!v) throw_invalid("'" + std::string(key) + "' is required");
    return *v;
}

/// Reads array `key` of the manifest, each element through `read`, naming the element in errors.
template <typename Fn>
void each(const Json& root, const char* key, Fn&& read) {
    const auto it = root.find(key);
    if (it == root.end()) damaged(std::string("group.json lacks \"") + key + "\"");
    if (!it->is_array()) damaged(std::string("\"") + key + "\" must be an array");
    std::size_t i = 0;
    for (const Json& element : *it) {
        try {
            JsonReader in(element, std::string(key) + " element");
            read(in);
            in.finish();
        } catch (const Error& e) {
            damaged(std::string(key) + "[" + std::to_string(i) + "]: " + e.what());
        }
        ++i;
    }
}

Backup read_manifest(const Json& root) {
    Backup b;
    {
        const auto f = root.find("format");
        if (f == root.end() || *f != kBackupFormat)
            damaged("group.json is not a LeanDesk group backup");
        const auto v = root.find("version");
        if (v == root.end() || !v->is_number_integer()) damaged("\"version\" must be an integer");
        if (v->get<std::int64_t>() != kBackupVersion) {
            damaged("version " + v->dump() + " is not supported (this LeanDesk reads version " +
                    std::to_string(kBackupVersion) + ")");
        }
        static const std::set<std::string> kKeys = {
            "format",           "version", "generator", "created_at", "group",        "people",
            "members",          "steps",   "resources", "projects",   "participants", "indicators",
            "indicator_values", "actions", "comments",  "photos"};
        for (const auto& [key, value] : root.items()) {
            if (!kKeys.count(key)) damaged("group.json has an unknown key \"" + key + "\"");
        }
        const auto g = root.find("group");
        if (g == root.end()) damaged("group.json lacks \"group\"");
        try {
            JsonReader in(*g, "group");
            b.group.id = in.id("id");
            b.group.name = in.string("name", limits::name);
            b.group.manager_id = in.nullable_id("manager").value_or("");
            b.group.created_at = time_of(in, "created_at");
            in.finish();
        } catch (const Error& e) {
            damaged(std::string("group: ") + e.what());
        }
    }
    each(root, "people", [&](JsonReader& in) {
        BPerson p;
        p.id = in.id("id");
        p.email = validate::email(in.string("email", limits::email));
        in.opt_string("first_name", limits::name,
                      true);  // informational: the account keeps its own
        in.opt_string("last_name", limits::name, true);
        in.opt_bool("activated");
        b.people.push_back(std::move(p));
    });
    each(root, "members", [&](JsonReader& in) {
        b.members.push_back({in.id("user"), time_of(in, "added_at")});
    });
    each(root, "steps", [&](JsonReader& in) {
        Step st;
        st.id = in.id("id");
        st.name = in.string("name", limits::name);
        const auto position = in.opt_int("position", 0, 100000);
        if (!position) throw_invalid("'position' is required");
        st.position = *position;
        st.kind = step_kind_from(in.string("kind", 16));
        b.steps.push_back(std::move(st));
    });
    each(root, "resources", [&](JsonReader& in) {
        Resource r;
        r.id = in.id("id");
        r.name = in.string("name", limits::name);
        r.url = in.nullable_string("url", limits::url);
        if (r.url) validate::url("url", *r.url);
        r.note = in.nullable_string("note", limits::long_text, true, true);
        b.resources.push_back(std::move(r));
    });
    each(root, "projects", [&](JsonReader& in) {
        Project p;
        p.id = in.id("id");
        p.name = in.string("name", limits::name);
        p.description = in.string("description", limits::long_text, true, true);
        p.future_state = in.string("future_state", limits::long_text, true, true);
        p.owner_id = in.id("owner");
        p.start_date = in.nullable_date("start_date");
        p.target_date = in.nullable_date("target_date");
        p.status = project_status_from(in.string("status", 16));
        p.created_at = time_of(in, "created_at");
        b.projects.push_back(std::move(p));
    });
    each(root, "participants", [&](JsonReader& in) {
        BParticipant pa;
        pa.project = in.id("project");
        pa.user = in.id("user");
        pa.added_at = time_of(in, "added_at");
        b.participants.push_back(std::move(pa));
    });
    each(root, "indicators", [&](JsonReader& in) {
        Indicator i;
        i.id = in.id("id");
        i.project_id = in.id("project");
        i.name = in.string("name", limits::name);
        i.unit = in.string("unit", limits::short_text, true);
        i.baseline = in.opt_number("baseline").value_or(0);
        i.target = in.opt_number("target").value_or(0);
        i.created_at = time_of(in, "created_at");
        b.indicators.push_back(std::move(i));
    });
    each(root, "indicator_values", [&](JsonReader& in) {
        BValue v;
        v.indicator = in.id("indicator");
        v.week = in.string("week", 8);
        validate::week("week", v.week);
        const auto actual = in.opt_number("actual");
        if (!actual) throw_invalid("'actual' is required");
        v.actual = *actual;
        b.values.push_back(std::move(v));
    });
    each(root, "actions", [&](JsonReader& in) {
        Action a;
        a.id = in.id("id");
        a.project_id = in.id("project");
        a.title = in.string("title", limits::title);
        a.description = in.string("description", limits::long_text, true, true);
        a.step_id = in.id("step");
        a.owner_id = in.nullable_id("owner");
        a.context = in.string("context", limits::short_text, true);
        a.due_date = in.nullable_date("due_date");
        a.priority = in.opt_int("priority", 0, 3).value_or(0);
        a.progress = in.opt_int("progress", 0, 100).value_or(0);
        a.indicator_id = in.nullable_id("indicator");
        a.impact = in.nullable_number("impact");
        a.position = in.opt_number("position").value_or(0);
        a.created_by = in.nullable_id("created_by");
        a.created_at = time_of(in, "created_at");
        a.updated_at = time_of(in, "updated_at");
        a.done_at = in.nullable_int("done_at", 0, kMaxTime);
        b.actions.push_back(std::move(a));
    });
    each(root, "comments", [&](JsonReader& in) {
        Comment c;
        c.id = in.id("id");
        c.action_id = in.id("action");
        c.author_id = in.nullable_id("author");
        c.body = in.string("body", limits::long_text, false, true);
        c.created_at = time_of(in, "created_at");
        b.comments.push_back(std::move(c));
    });
    each(root, "photos", [&](JsonReader& in) {
        BPhoto ph;
        ph.photo.id = in.id("id");
        ph.photo.action_id = in.id("action");
        ph.file = in.string("file", 100);
        ph.photo.blob = in.string("sha256", 64);
        ph.photo.mime = in.string("mime", 32);
        ph.photo.size = in.opt_int("size", 0, std::int64_t{1} << 40).value_or(-1);
        ph.photo.caption = in.string("caption", limits::short_text, true);
        ph.photo.taken_at = in.nullable_int("taken_at", 0, kMaxTime);
        ph.photo.added_by = in.nullable_id("added_by");
        ph.photo.created_at = time_of(in, "created_at");
        if (ph.photo.blob.size() != 64 ||
            ph.photo.blob.find_first_not_of("0123456789abcdef") != std::string::npos) {
            throw_invalid("'sha256' must be 64 lower-case hex digits");
        }
        if (!photo_extension(ph.photo.mime))
            throw_invalid("'mime' is not a photo type LeanDesk stores");
        // The only accepted name is the one derived from hash and type: no "..", no "/", no
        // absolute path can come through.
        if (ph.file != photo_file_name(ph.photo.blob, ph.photo.mime)) {
            throw_invalid("'file' must be \"" + photo_file_name(ph.photo.blob, ph.photo.mime) +
                          "\"");
        }
        if (ph.photo.size < 0) throw_invalid("'size' is required");
        b.photos.push_back(std::move(ph));
    });
    return b;
}

template <typename T, typename Key>
void unique_ids(const std::vector<T>& items, Key key, const char* what) {
    std::unordered_set<std::string> seen;
    for (const T& item : items) {
        if (!seen.insert(key(item)).second)
            damaged(std::string("two ") + what + " have the id " + key(item));
    }
}

/// Every reference resolves and the group's invariants hold, as the engine's commands would
/// have kept them.
void check_references(const Backup& b) {
    unique_ids(
        b.people, [](const BPerson& p) { return p.id; }, "people");
    unique_ids(
        b.people, [](const BPerson& p) { return p.email; }, "people (e-mail)");
    unique_ids(
        b.steps, [](const Step& s) { return s.id; }, "steps");
    unique_ids(
        b.resources, [](const Resource& r) { return r.id; }, "resources");
    unique_ids(
        b.projects, [](const Project& p) { return p.id; }, "projects");
    unique_ids(
        b.indicators, [](const Indicator& i) { return i.id; }, "indicators");
    unique_ids(
        b.actions, [](const Action& a) { return a.id; }, "actions");
    unique_ids(
        b.comments, [](const Comment& c) { return c.id; }, "comments");
    unique_ids(
        b.photos, [](const BPhoto& p) { return p.photo.id; }, "photos");
    unique_ids(
        b.members, [](const BMember& m) { return m.user; }, "members");
    unique_ids(
        b.participants, [](const BParticipant& p) { return p.project + "/" + p.user; },
        "participants");
    unique_ids(
        b.values, [](const BValue& v) { return v.indicator + "/" + v.week; }, "indicator values");
    if (b.steps.empty()) damaged("the group has no workflow step");

    std::unordered_set<Id> people, members, steps, projects;
    for (const auto& p : b.people) people.insert(p.id);
    for (const auto& m : b.members) {
        if (!people.count(m.user)) damaged("member " + m.user + " is not among the people");
        members.insert(m.user);
    }
    const auto person_or_null = [&](const std::optional<Id>& id, const std::string& where) {
        if (id && !people.count(*id))
            damaged(where + " names " + *id + ", who is not among the people");
    };
    for (const auto& s : b.steps) steps.insert(s.id);
    for (const auto& p : b.projects) projects.insert(p.id);
    std::set<std::pair<Id, Id>> participants;
    for (const auto& pa : b.participants) {
        if (!projects.count(pa.project)) damaged("participant of unknown project " + pa.project);
        if (!members.count(pa.user)) damaged("participant " + pa.user + " is not a member (R6)");
        participants.emplace(pa.project, pa.user);
    }
    for (const auto& p : b.projects) {
        if (!participants.count({p.id, p.owner_id})) {
            damaged("the owner of project " + p.id + " is not one of its participants");
        }
    }
    std::unordered_map<Id, Id> indicator_project;
    for (const auto& i : b.indicators) {
        if (!projects.count(i.project_id)) damaged("indicator " + i.id + " of unknown project");
        indicator_project.emplace(i.id, i.project_id);
    }
    for (const auto& v : b.values) {
        if (!indicator_project.count(v.indicator))
            damaged("value of unknown indicator " + v.indicator);
    }
    std::unordered_set<Id> actions;
    for (const auto& a : b.actions) {
        if (!projects.count(a.project_id)) damaged("action " + a.id + " of unknown project");
        if (!steps.count(a.step_id)) damaged("action " + a.id + " is in an unknown step");
        if (a.owner_id && !participants.count({a.project_id, *a.owner_id})) {
            damaged("the owner of action " + a.id + " is not a participant of its project");
        }
        if (a.indicator_id) {
            const auto it = indicator_project.find(*a.indicator_id);
            if (it == indicator_project.end() || it->second != a.project_id) {
                damaged("action " + a.id + " names an indicator of another project");
            }
        }
        person_or_null(a.created_by, "action " + a.id);
        actions.insert(a.id);
    }
    for (const auto& c : b.comments) {
        if (!actions.count(c.action_id)) damaged("comment " + c.id + " of unknown action");
        person_or_null(c.author_id, "comment " + c.id);
    }
    for (const auto& ph : b.photos) {
        if (!actions.count(ph.photo.action_id))
            damaged("photo " + ph.photo.id + " of unknown action");
        person_or_null(ph.photo.added_by, "photo " + ph.photo.id);
    }
}

/// Each photo file: a plain file under photos/ (no link out of the folder), within the cap, with
/// the content its name and record promise.
void check_photo_files(const Backup& b, const fs::path& folder, std::size_t max_blob_bytes,
                       ProgressTicker& ticker) {
    if (b.photos.empty()) return;
    struct stat st {};
    if (::lstat((folder / "photos").c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        damaged("photos/ is missing or is not a plain folder");
    }
    std::unordered_set<std::string> checked;
    for (const auto& ph : b.photos) {
        if (!checked.insert(ph.file).second) continue;
        const auto bytes = read_backup_file(folder / ph.file, ph.file, max_blob_bytes);
        if (sha256_hex(bytes.data(), bytes.size()) != ph.photo.blob) {
            damaged(ph.file + " does not match its SHA-256 (altered or damaged)");
        }
        if (static_cast<std::int64_t>(bytes.size()) != ph.photo.size) {
            damaged("photo " + ph.photo.id + " gives a size that is not its file's");
        }
        ticker.advance();
    }
}

// ---- phase 2: writing --------------------------------------------------------------------------

class Restorer {
  public:
    Restorer(Engine::Impl& impl, const Actor& actor, const Backup& b, const fs::path& folder,
             ProgressTicker& ticker)
        : impl_(impl), db_(impl.db), actor_(actor), b_(b), folder_(folder), ticker_(ticker) {}

    Group run() {
        rules::enforce(rules::create_group(impl_.account(actor_)));
        // A replica sends its user's commands to the server; a restore is no command it could
        // replay there, so the group would exist on this device only.
        if (impl_.replica) {
            throw Error(Errc::conflict,
                        "a backup is restored on the server or a local database, not on a replica");
        }
        Group g;
        g.id = impl_.new_id();
        g.name = b_.group.name;
        g.manager_id = actor_.user_id;
        g.created_at = b_.group.created_at;
        db_.prepare("INSERT INTO groups (id, name, manager_id, created_at) VALUES (?, ?, ?, ?)")
            .bind_all(g.id, g.name, g.manager_id, g.created_at)
            .run();
        impl_.log("group", g.id, "insert", {"name", "manager_id"}, actor_, g.id, std::nullopt);
        gid_ = g.id;
        assign_ids();
        people_and_members(g);
        steps_and_resources();
        projects();
        plan();
        // Still inside the transaction: a cancellation at the very end rolls everything back.
        ticker_.finish();
        return g;
    }

  private:
    /// Every record (not person) gets its new id here, before anything is written: the backup's
    /// ids in ascending order receive new ids in ascending order (new_id is monotonic), so any two
    /// records of the backup compare by id as they did in the database it came from. Lists whose
    /// last key is the id (photos and comments of the same millisecond, names that tie, ...)
    /// therefore come back in the same order, also from a backup made by an older version.
    void assign_ids() {
        std::vector<Id> old;
        old.reserve(b_.steps.size() + b_.resources.size() + b_.projects.size() +
                    b_.indicators.size() + b_.actions.size() + b_.comments.size() +
                    b_.photos.size());
        for (const auto& s : b_.steps) old.push_back(s.id);
        for (const auto& r : b_.resources) old.push_back(r.id);
        for (const auto& p : b_.projects) old.push_back(p.id);
        for (const auto& i : b_.indicators) old.push_back(i.id);
        for (const auto& a : b_.actions) old.push_back(a.id);
        for (const auto& c : b_.comments) old.push_back(c.id);
        for (const auto& ph : b_.photos) old.push_back(ph.photo.id);
        std::sort(old.begin(), old.end());
        old.erase(std::unique(old.begin(), old.end()), old.end());
        for (const Id& id : old) ids_.emplace(id, impl_.new_id());
    }
    Id map(const Id& old) const { return ids_.at(old); }
    std::optional<Id> map(const std::optional<Id>& old) const {
        return old ? std::optional<Id>(ids_.at(*old)) : std::nullopt;
    }
    Id person(const Id& old) const { return person_ids_.at(old); }
    std::optional<Id> person(const std::optional<Id>& old) const {
        return old ? std::optional<Id>(person_ids_.at(*old)) : std::nullopt;
    }

    void people_and_members(const Group& g) {
        // People are matched by e-mail; an unknown address becomes a not-yet-activated person,
        // exactly as add_member does (R16). Nothing of an existing account is changed.
        for (const auto& p : b_.people) {
            if (auto u = impl_.find_user_by_email(p.email)) {
                person_ids_.emplace(p.id, u->id);
            } else {
                const Id id = impl_.new_id();
                person_ids_.emplace(p.id, id);
                db_.prepare("INSERT INTO users (id, email, created_at) VALUES (?, ?, ?)")
                    .bind_all(id, p.email, impl_.now())
                    .run();
                impl_.log("user", id, "insert", {"email"}, actor_, std::nullopt, std::nullopt);
            }
            ticker_.advance();
        }
        std::unordered_map<Id, Millis> members;
        for (const auto& m : b_.members) members.emplace(person(m.user), m.added_at);
        members.emplace(actor_.user_id, g.created_at);  // the restorer: manager, so a member
        for (const auto& [user, added_at] : members) {
            db_.prepare(
                   "INSERT INTO members (group_id, user_id, added_by, added_at) VALUES (?, ?, ?, "
                   "?)")
                .bind_all(gid_, user, actor_.user_id, added_at)
                .run();
            impl_.log("member", gid_ + "/" + user, "insert", {}, actor_, gid_, std::nullopt);
            ticker_.advance();
        }
    }

    void steps_and_resources() {
        std::vector<const Step*> order;
        for (const auto& s : b_.steps) order.push_back(&s);
        // The order group_steps gives (position, then id), renumbered 0..n-1.
        std::sort(order.begin(), order.end(), [](const Step* a, const Step* b) {
            return std::tie(a->position, a->id) < std::tie(b->position, b->id);
        });
        std::int64_t position = 0;
        for (const Step* s : order) {
            const Id id = map(s->id);
            db_.prepare(
                   "INSERT INTO steps (id, group_id, name, position, kind) VALUES (?, ?, ?, ?, ?)")
                .bind_all(id, gid_, s->name, position++, to_string(s->kind))
                .run();
            impl_.log("step", id, "insert", {"name", "position", "kind"}, actor_, gid_,
                      std::nullopt);
            ticker_.advance();
        }
        for (const auto& r : b_.resources) {
            const Id id = map(r.id);
            db_.prepare(
                   "INSERT INTO resources (id, group_id, name, url, note) VALUES (?, ?, ?, ?, ?)")
                .bind_all(id, gid_, r.name, r.url, r.note)
                .run();
            impl_.log("resource", id, "insert", {"name", "url", "note"}, actor_, gid_,
                      std::nullopt);
            ticker_.advance();
        }
    }

    void projects() {
        for (const auto& p : b_.projects) {
            const Id id = map(p.id);
            db_.prepare(
                   "INSERT INTO projects (id, group_id, name, description, future_state, owner_id, "
                   "start_date, target_date, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?)")
                .bind_all(id, gid_, p.name, p.description, p.future_state, person(p.owner_id),
                          p.start_date, p.target_date, to_string(p.status), p.created_at)
                .run();
            impl_.log("project", id, "insert",
                      {"name", "description", "future_state", "owner_id", "start_date",
                       "target_date", "status"},
                      actor_, gid_, id);
            ticker_.advance();
        }
        for (const auto& pa : b_.participants) {
            const Id project = map(pa.project);
            const Id user = person(pa.user);
            db_.prepare(
                   "INSERT INTO participants (project_id, user_id, added_by, added_at) VALUES (?, "
                   "?, ?, ?)")
                .bind_all(project, user, actor_.user_id, pa.added_at)
                .run();
            impl_.log("participant", project + "/" + user, "insert", {}, actor_, gid_, project);
            ticker_.advance();
        }
        for (const auto& i : b_.indicators) {
            const Id id = map(i.id);
            const Id project = map(i.project_id);
            db_.prepare(
                   "INSERT INTO indicators (id, project_id, name, unit, baseline, target, "
                   "created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind_all(id, project, i.name, i.unit, i.baseline, i.target, i.created_at)
                .run();
            impl_.log("indicator", id, "insert", {"name", "unit", "baseline", "target"}, actor_,
                      gid_, project);
            ticker_.advance();
        }
        for (const auto& v : b_.values) {
            const Id indicator = map(v.indicator);
            db_.prepare(
                   "INSERT INTO indicator_values (indicator_id, week, actual) VALUES (?, ?, ?)")
                .bind_all(indicator, v.week, v.actual)
                .run();
            impl_.log("indicator_value", indicator + "/" + v.week, "insert", {"actual"}, actor_,
                      gid_, project_of_indicator(v.indicator));
            ticker_.advance();
        }
    }

    Id project_of_indicator(const Id& old_indicator) const {
        for (const auto& i : b_.indicators) {
            if (i.id == old_indicator) return map(i.project_id);
        }
        return {};
    }

    void plan() {
        std::unordered_map<Id, Id> project_of_action;  // new action id -> new project id
        for (const auto& a : b_.actions) {
            const Id id = map(a.id);
            const Id project = map(a.project_id);
            project_of_action.emplace(id, project);
            db_.prepare(
                   "INSERT INTO actions (id, project_id, title, description, step_id, owner_id, "
                   "context, "
                   "due_date, priority, progress, indicator_id, impact, position, created_by, "
                   "created_at, "
                   "updated_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?)")
                .bind_all(id, project, a.title, a.description, map(a.step_id), person(a.owner_id),
                          a.context, a.due_date, a.priority, a.progress, map(a.indicator_id),
                          a.impact, a.position, person(a.created_by), a.created_at, a.updated_at,
                          a.done_at)
                .run();
            impl_.log("action", id, "insert",
                      {"title", "description", "step_id", "owner_id", "context", "due_date",
                       "priority", "progress", "indicator_id", "impact", "position", "done_at"},
                      actor_, gid_, project);
            ticker_.advance();
        }
        for (const auto& c : b_.comments) {
            const Id id = map(c.id);
            const Id action = map(c.action_id);
            db_.prepare(
                   "INSERT INTO comments (id, action_id, author_id, body, created_at) VALUES (?, "
                   "?, ?, ?, ?)")
                .bind_all(id, action, person(c.author_id), c.body, c.created_at)
                .run();
            impl_.log("comment", id, "insert", {"body"}, actor_, gid_,
                      project_of_action.at(action));
            ticker_.advance();
        }
        for (const auto& bp : b_.photos) {
            const Photo& ph = bp.photo;
            // Read again (the folder may have changed since it was checked) and stored through
            // the engine's blob store, which checks the type by its bytes and the size cap.
            const auto bytes =
                read_backup_file(folder_ / bp.file, bp.file, impl_.options.max_blob_bytes);
            if (sha256_hex(bytes.data(), bytes.size()) != ph.blob) {
                damaged(bp.file + " changed while it was restored");
            }
            std::pair<std::string, std::string> stored;
            try {
                stored = impl_.put_blob(bytes);
            } catch (const Error& e) {
                damaged(bp.file + ": " + e.what());
            }
            if (stored.second != ph.mime) damaged(bp.file + " is not of the type its record gives");
            const Id id = map(ph.id);
            const Id action = map(ph.action_id);
            db_.prepare(
                   "INSERT INTO photos (id, action_id, blob, mime, size, caption, taken_at, "
                   "added_by, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind_all(id, action, stored.first, stored.second,
                          static_cast<std::int64_t>(bytes.size()), ph.caption, ph.taken_at,
                          person(ph.added_by), ph.created_at)
                .run();
            impl_.log("photo", id, "insert", {"blob", "mime", "size", "caption", "taken_at"},
                      actor_, gid_, project_of_action.at(action));
            ticker_.advance();
        }
    }

    Engine::Impl& impl_;
    store::Database& db_;
    const Actor& actor_;
    const Backup& b_;
    fs::path folder_;
    ProgressTicker& ticker_;
    Id gid_;
    std::unordered_map<Id, Id> ids_;         // backup id -> new id, for every record
    std::unordered_map<Id, Id> person_ids_;  // backup person id -> the matched or new user
};

}  // namespace

Group restore_group(Engine& engine, const Actor& actor, const std::string& folder,
                    const Progress& progress, const RestoreLimits& limits) {
    auto& impl = engine.internals();
    {
        std::lock_guard lock(impl.mutex);
        impl.require_user(actor);
    }
    if (folder.empty()) throw_invalid("the backup folder path is empty");
    const fs::path dir(folder);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(Errc::not_found, "no backup folder at '" + folder + "'");
    // Phase 1: read and check everything, without the engine's lock (nothing of it is needed).
    Backup b;
    {
        const auto bytes =
            read_backup_file(dir / "group.json", "group.json", limits.max_manifest_bytes);
        const Json root = parse_manifest(std::string(bytes.begin(), bytes.end()));
        b = read_manifest(root);
    }
    check_references(b);
    std::int64_t files = 0;
    {
        std::unordered_set<std::string> distinct;
        for (const auto& ph : b.photos) distinct.insert(ph.file);
        files = static_cast<std::int64_t>(distinct.size());
    }
    ProgressTicker ticker(progress, files + b.records() + 1);
    check_photo_files(b, dir, impl.options.max_blob_bytes, ticker);
    // Phase 2: one transaction; a cancellation or any failure rolls everything back.
    Group g = impl.write([&] { return Restorer(impl, actor, b, dir, ticker).run(); });
    impl.say(LogLevel::info, "restored a backup as group " + g.id);
    return g;
}

}  // namespace leandesk::exports

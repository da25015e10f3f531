#include "sync/authority.hpp"

#include <sodium.h>

#include <array>
#include <unordered_map>
#include <unordered_set>

#include "engine/engine_impl.hpp"
#include "model/validate.hpp"
#include "sync/json_text.hpp"
#include "sync/protocol.hpp"
#include "sync/tables.hpp"

namespace leandesk::sync {
namespace {

const char* const kServerNode = "0000000000000000";

bool is_hash(const std::string& h) {
    return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string sha256_hex(const std::vector<unsigned char>& bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return hex.data();
}

// A command's own fault (a rule, its input, a record gone): it is rejected and the push goes on.
// Anything else (disk, memory, a bug) fails the whole push, which the replica retries.
bool rejectable(Errc code) {
    return code == Errc::permission_denied || code == Errc::invalid_argument ||
           code == Errc::not_found || code == Errc::conflict;
}

// "R9: ..." -> "R9".
std::string rule_of(const std::string& message) {
    std::size_t i = 1;
    if (message.empty() || message[0] != 'R') return {};
    while (i < message.size() && message[i] >= '0' && message[i] <= '9') ++i;
    if (i == 1 || i >= message.size() || message[i] != ':') return {};
    return message.substr(0, i);
}

// Commands whose patch edits fields of one record: (entity, argument naming the record).
const std::unordered_map<std::string_view, std::pair<const char*, const char*>>& patch_commands() {
    static const std::unordered_map<std::string_view, std::pair<const char*, const char*>> m = {
        {"update_action", {"action", "action_id"}},
        {"update_project", {"project", "project_id"}},
        {"update_group", {"group", "group_id"}},
        {"update_step", {"step", "step_id"}},
        {"update_resource", {"resource", "resource_id"}},
        {"update_indicator", {"indicator", "indicator_id"}},
        {"update_profile", {"user", "user_id"}},
    };
    return m;
}

class Clocks {
  public:
    explicit Clocks(store::Database& db) : db_(db) {}
    /// True when a field was already written with a stamp later than `hlc`.
    bool newer(const std::string& entity, const std::string& id, const std::string& field,
               const std::string& hlc) {
        auto s = db_.prepare(
            "SELECT hlc FROM sync_field_clocks WHERE entity = ? AND entity_id = ? AND field = ?");
        s.bind_all(entity, id, field);
        return s.step() && s.text(0) > hlc;
    }
    void stamp(const Change& c, const std::string& hlc) {
        for (const auto& f : c.fields) {
            db_.prepare(
                   "INSERT INTO sync_field_clocks (entity, entity_id, field, hlc) VALUES (?, ?, ?, "
                   "?) "
                   "ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = max(hlc, "
                   "excluded.hlc)")
                .bind_all(c.entity, c.entity_id, f, hlc)
                .run();
        }
    }

  private:
    store::Database& db_;
};

// Per field, the later stamp wins: drops from `args` what a later command already wrote.
// Returns false when nothing is left to run. `superseded` tells the replica to fetch the records
// again, since its optimistic copy lost.
bool drop_older_fields(Clocks& clocks, std::string_view command, Json& args, const std::string& hlc,
                       bool& superseded) {
    const auto text_arg = [&](const char* key) -> std::optional<std::string> {
        const auto it = args.find(key);
        if (it == args.end() || !it->is_string()) return std::nullopt;
        return it->get<std::string>();
    };
    if (const auto it = patch_commands().find(command); it != patch_commands().end()) {
        const auto id = text_arg(it->second.second);
        auto patch = args.find("patch");
        if (!id || patch == args.end() || !patch->is_object() || patch->empty()) return true;
        std::vector<std::string> older;
        for (const auto& [key, _] : patch->items()) {
            if (clocks.newer(it->second.first, *id, key, hlc)) older.push_back(key);
        }
        for (const auto& key : older) patch->erase(key);
        superseded = !older.empty();
        return !patch->empty();
    }
    if (command == "move_action") {
        const auto id = text_arg("action_id");
        if (id && (clocks.newer("action", *id, "step_id", hlc) ||
                   clocks.newer("action", *id, "position", hlc))) {
            superseded = true;
            return false;
        }
    } else if (command == "set_indicator_value") {
        const auto id = text_arg("indicator_id");
        const auto week = text_arg("week");
        if (id && week && clocks.newer("indicator_value", *id + "/" + *week, "actual", hlc)) {
            superseded = true;
            return false;
        }
    }
    return true;
}

std::vector<unsigned char> uploaded(Engine::Impl& impl, const Actor& actor, const Json& hash) {
    if (!hash.is_string()) throw_invalid("'blob' must be a content hash");
    auto s = impl.db.prepare("SELECT data FROM sync_uploads WHERE user_id = ? AND hash = ?");
    s.bind_all(actor.user_id, hash.get<std::string>());
    if (!s.step())
        throw Error(Errc::not_found, "the image bytes of this command were not uploaded");
    const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(s.raw(), 0));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(s.raw(), 0));
    return {data, data + size};
}

void run_command(Engine& engine, const Actor& actor, const std::string& command, const Json& args) {
    auto& impl = engine.internals();
    if (command == "add_photo") {
        JsonReader in(args, "add_photo");
        const Id action_id = in.id("action_id");
        const Json* input = in.opt_raw("input");
        const Json* blob = in.opt_raw("blob");
        in.finish();
        if (blob == nullptr) throw_invalid("'blob' is required");
        const auto bytes = uploaded(impl, actor, *blob);
        engine.add_photo(actor, action_id, bytes, input == nullptr ? Json::object() : *input);
        impl.db.prepare("DELETE FROM sync_uploads WHERE user_id = ? AND hash = ?")
            .bind_all(actor.user_id, blob->get<std::string>())
            .run();
    } else if (command == "set_avatar") {
        JsonReader in(args, "set_avatar");
        const Json* blob = in.opt_raw("blob");
        in.finish();
        engine.set_avatar(
            actor, blob == nullptr ? std::vector<unsigned char>{} : uploaded(impl, actor, *blob));
    } else {
        engine.execute(actor, command, args);
    }
}

// Runs a command and undoes it: the engine's verdict (validation, then the rules against the
// server's state) without its effect. Throws what the command would throw.
void check_command(Engine& engine, const Actor& actor, const std::string& command,
                   const Json& args) {
    struct Undo {};
    try {
        engine.internals().write_isolated([&] {
            run_command(engine, actor, command, args);
            throw Undo{};
        });
    } catch (const Undo&) {
        // Allowed; its savepoint rolled back.
    }
}

// ---- pull -----------------------------------------------------------------------------------

// One page of a pull: rows (current values), tombstones, and the people they name. Rows are
// written as JSON text as they are read (a page holds thousands; a document per row, then its
// serialization, was most of the cost of a page).
class Page {
  public:
    Page(Engine::Impl& impl, const Actor& viewer, const std::unordered_set<std::string>& buckets)
        : impl_(impl), viewer_(viewer), buckets_(buckets) {
        keep_user_ = [this](const std::string& uid, bool required) {
            if (!required && !visible_person(uid)) return false;  // not even their id travels
            people_.insert(uid);
            return true;
        };
    }

    /// True once the page's rows reach the byte budget: the walk stops there ("more").
    [[nodiscard]] bool full() const { return rows_.size() >= kMaxPageBytes; }

    void emit(const TableSpec& spec, const std::string& id) {
        if (!emitted_.insert(std::string(spec.entity) + '\n' + id).second) return;
        const std::size_t mark = rows_.size();
        if (mark != 0) rows_ += ',';
        rows_ += R"({"e":")";
        rows_ += spec.entity;
        rows_ += R"(","v":)";
        if (!append_row_json(impl_.db, spec, id, rows_, keep_user_)) {
            rows_.resize(mark);
            gone_.push_back(Json::array({spec.entity, id}));
            return;
        }
        rows_ += '}';
    }

    void refetch(const std::string& entity, const std::string& id) {
        if (entity == "user") {
            person_changed(id);
            return;
        }
        const TableSpec* spec = table_for(entity);
        if (spec == nullptr) return;
        const auto bucket = bucket_of(impl_.db, *spec, id);
        const std::string prefix = spec->bucket == BucketKind::group ? "g:" : "p:";
        if (!bucket || buckets_.count(prefix + *bucket) == 0) {
            if (emitted_.insert(std::string(spec->entity) + '\n' + id).second) {
                gone_.push_back(Json::array({spec->entity, id}));
            }
            return;
        }
        emit(*spec, id);
    }

    void person_changed(const std::string& id) {
        if (!impl_.find_user(id)) {
            gone_.push_back(Json::array({"user", id}));
        } else if (visible_person(id)) {
            people_.insert(id);
        }
    }

    void add_person(const Id& id) { people_.insert(id); }

    /// The page as JSON text: `head` (buckets, lost, more, hlc) plus persons, gone and rows.
    std::string finish(Json head) {
        Json persons = Json::array();
        for (const auto& id : people_) {
            if (auto p = read_person(impl_, id, viewer_)) persons.push_back(std::move(*p));
        }
        head["persons"] = std::move(persons);
        head["gone"] = std::move(gone_);
        std::string out = head.dump(-1, ' ', false, Json::error_handler_t::replace);
        out.pop_back();  // the closing brace: the rows follow
        out.reserve(out.size() + rows_.size() + 16);
        out += R"(,"rows":[)";
        out += rows_;
        out += "]}";
        return out;
    }

  private:
    bool visible_person(const Id& id) {
        if (id == viewer_.user_id) return true;
        const auto it = visible_.find(id);
        if (it != visible_.end()) return it->second;
        auto s = impl_.db.prepare(
            "SELECT EXISTS (SELECT 1 FROM members a JOIN members b ON a.group_id = b.group_id "
            "WHERE a.user_id = ?1 AND b.user_id = ?2)");
        s.bind_all(viewer_.user_id, id);
        s.step();
        return visible_.emplace(id, s.int64(0) != 0).first->second;
    }

    Engine::Impl& impl_;
    const Actor& viewer_;
    const std::unordered_set<std::string>& buckets_;
    std::function<bool(const std::string&, bool)> keep_user_;
    std::unordered_set<std::string> emitted_;
    std::unordered_map<Id, bool> visible_;
    std::unordered_set<Id> people_;
    std::string rows_;  // the rows so far, comma-separated JSON objects
    Json gone_ = Json::array();
};

// The buckets a user may see now, parents first: people, then each group followed by its
// projects (all of them for its manager, R7; those they take part in otherwise, R8).
std::vector<std::string> buckets_of(Engine::Impl& impl, const Actor& actor) {
    std::vector<std::string> out{std::string(kPeopleBucket)};
    std::vector<std::pair<Id, bool>> groups;
    {
        auto s = impl.db.prepare(
            "SELECT g.id, g.manager_id = ?1 FROM members m JOIN groups g ON g.id = m.group_id "
            "WHERE m.user_id = ?1 ORDER BY g.id");
        s.bind(1, actor.user_id);
        while (s.step()) groups.emplace_back(s.text(0), s.int64(1) != 0);
    }
    for (const auto& [gid, manager] : groups) {
        out.push_back("g:" + gid);
        auto s = impl.db.prepare(
            manager ? "SELECT id FROM projects WHERE group_id = ?1 ORDER BY id"
                    : "SELECT p.id FROM participants pa JOIN projects p ON p.id = pa.project_id "
                      "WHERE p.group_id = ?1 AND pa.user_id = ?2 ORDER BY p.id");
        s.bind(1, gid);
        if (!manager) s.bind(2, actor.user_id);
        while (s.step()) out.push_back("p:" + s.text(0));
    }
    return out;
}

// Walks one bucket's changes after `cp`, spending at most `budget` records; returns the new
// checkpoint and sets `more` when the budget ran out.
std::int64_t walk_bucket(Engine::Impl& impl, Page& page, const std::string& bucket, std::int64_t cp,
                         std::size_t& budget, bool& more) {
    auto& db = impl.db;
    if (bucket == kPeopleBucket) {
        if (cp == 0) {
            // A new replica: people arrive with the rows that name them, so the walk starts now.
            auto s = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM changes");
            s.step();
            return s.int64(0);
        }
    }
    const auto limit = static_cast<std::int64_t>(budget) + 1;
    std::optional<store::Stmt> s;
    if (bucket == kPeopleBucket) {
        s.emplace(
            db.prepare("SELECT seq, entity, entity_id FROM changes WHERE group_id IS NULL "
                       "AND seq > ?1 ORDER BY seq LIMIT ?2"));
        s->bind_all(cp, limit);
    } else if (bucket.rfind("g:", 0) == 0) {
        s.emplace(
            db.prepare("SELECT seq, entity, entity_id FROM changes WHERE group_id = ?1 AND "
                       "project_id IS NULL AND seq > ?2 ORDER BY seq LIMIT ?3"));
        s->bind_all(bucket.substr(2), cp, limit);
    } else {
        s.emplace(
            db.prepare("SELECT seq, entity, entity_id FROM changes WHERE project_id = ?1 "
                       "AND seq > ?2 ORDER BY seq LIMIT ?3"));
        s->bind_all(bucket.substr(2), cp, limit);
    }
    // Each record is emitted as it is read (its row's statement differs from this one).
    while (s->step()) {
        if (budget == 0 || page.full()) {
            more = true;
            break;
        }
        const std::string entity = s->text(1);
        const std::string id = s->text(2);
        if (entity == "user") {
            page.person_changed(id);
        } else if (const TableSpec* spec = table_for(entity)) {
            page.emit(*spec, id);
        }
        cp = s->int64(0);
        --budget;
    }
    return cp;
}

}  // namespace

bool is_sync_command(std::string_view command) {
    static const std::unordered_set<std::string_view> names = {
        "update_profile",      "set_avatar",
        "create_group",        "update_group",
        "delete_group",        "add_member",
        "remove_member",       "leave_group",
        "transfer_group",      "add_step",
        "update_step",         "move_step",
        "remove_step",         "add_resource",
        "update_resource",     "remove_resource",
        "create_project",      "update_project",
        "delete_project",      "add_participant",
        "remove_participant",  "leave_project",
        "transfer_project",    "create_action",
        "update_action",       "move_action",
        "delete_action",       "add_comment",
        "delete_comment",      "create_indicator",
        "update_indicator",    "delete_indicator",
        "set_indicator_value", "clear_indicator_value",
        "add_photo",           "remove_photo"};
    return names.count(command) != 0;
}

Authority::Authority(Engine& engine, Millis max_clock_skew)
    : engine_(engine), max_clock_skew_(max_clock_skew) {
    if (max_clock_skew_ < 1 || max_clock_skew_ > kDefaultMaxClockSkewMs) {
        throw_invalid("the clock skew bound must be 1 to " +
                      std::to_string(kDefaultMaxClockSkewMs) + " ms");
    }
    engine_.internals().write([&] {
        auto s = engine_.internals().db.prepare("SELECT value FROM meta WHERE key = 'sync_hlc'");
        if (s.step()) {
            if (auto h = Hlc::parse(s.text(0))) clock_ = h->normalized();
        }
        recover_clock();
    });
}

void Authority::recover_clock() {
    auto& impl = engine_.internals();
    const Millis now = impl.now();
    const Millis limit = now + max_clock_skew_;
    if (clock_.wall <= limit) return;
    // An earlier version merged every pushed stamp, even a refused command's, and applied
    // commands stamped far ahead: its clock, and the clocks of the fields those commands wrote,
    // would make every later edit lose. Those field clocks are forgotten (a missing clock is
    // older than any edit, so the next edit wins) and the clock starts again from the latest
    // field clock left, or from now.
    const std::string cut = Hlc{limit, kMaxHlcCounter}.text("g");  // after every node id
    impl.db.prepare("DELETE FROM sync_field_clocks WHERE hlc > ?").bind(1, cut).run();
    const auto forgotten = impl.db.changes();
    Hlc reset{now, 0};
    auto s = impl.db.prepare("SELECT MAX(hlc) FROM sync_field_clocks");
    if (s.step() && !s.is_null(0)) {
        if (auto h = Hlc::parse(s.text(0))) reset = reset.merge(*h);
    }
    const std::string was = clock_.text(kServerNode);
    clock_ = reset;
    impl.db
        .prepare(
            "INSERT INTO meta (key, value) VALUES ('sync_hlc', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(1, server_stamp())
        .run();
    impl.say(LogLevel::warning,
             "sync: the stored clock " + was + " was further ahead of now (" + std::to_string(now) +
                 ") than " + describe_ms(max_clock_skew_) + "; reset to " + server_stamp() + ", " +
                 std::to_string(forgotten) + " field clocks beyond it forgotten");
}

std::string Authority::server_stamp() const {
    return clock_.text(kServerNode);
}

Json Authority::sign_in(const std::string& email, const std::string& password,
                        const std::string& client) {
    const Session session = engine_.sign_in(email, password, client);
    auto& impl = engine_.internals();
    return impl.read([&] {
        Json out{{"token", session.token},
                 {"expires_at", session.expires_at},
                 {"user_id", session.user_id},
                 {"policy_notice_required", session.policy_notice_required},
                 {"policy_version", session.policy_version}};
        out["user"] = *read_person(impl, session.user_id, Actor::user(session.user_id));
        out["hlc"] = server_stamp();
        return out;
    });
}

Json Authority::push(const Actor& actor, const Json& request) {
    JsonReader in(request, "push");
    const Json* commands = in.opt_raw("commands");
    in.finish();
    if (commands == nullptr || !commands->is_array()) throw_invalid("'commands' must be an array");
    if (commands->size() > kMaxPushCommands) {
        throw_invalid("a push holds at most " + std::to_string(kMaxPushCommands) + " commands");
    }
    // The whole request is checked before anything runs: a malformed one changes nothing.
    for (const auto& c : *commands) {
        if (!c.is_object()) throw_invalid("each command must be an object");
        JsonReader cr(c, "command");
        cr.id("id");
        const std::string name = cr.string("command", 64);
        const Json* args = cr.opt_raw("args");
        const std::string hlc = cr.string("hlc", 64);
        cr.finish();
        if (!is_sync_command(name))
            throw_invalid("'" + name + "' is not a command a replica pushes");
        if (args == nullptr || !args->is_object()) throw_invalid("'args' must be an object");
        if (!Hlc::parse(hlc)) throw_invalid("'hlc' is not a clock stamp");
    }
    auto& impl = engine_.internals();
    Json results = Json::array();
    std::string stamp;  // the answer's clock, read under the engine's lock
    impl.write([&] {
        impl.require_user(actor);
        // A stamp from the future is refused before anything runs: merged, it would push every
        // replica's next stamps past it (docs/protocol.md, "Clocks").
        const Millis now = impl.now();
        for (const auto& c : *commands) {
            const Hlc h = *Hlc::parse(c["hlc"].get<std::string>());
            if (h.wall > now + max_clock_skew_) {
                throw_invalid("a command's clock stamp (hlc) is " + describe_ms(h.wall - now) +
                              " ahead of the server's clock, more than the " +
                              describe_ms(max_clock_skew_) +
                              " allowed: this device's date and time (or the server's) are "
                              "wrong; nothing of this push was applied");
            }
        }
        prune();
        for (const auto& c : *commands) results.push_back(apply_command(actor, c));
        stamp = server_stamp();
        impl.db
            .prepare(
                "INSERT INTO meta (key, value) VALUES ('sync_hlc', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(1, stamp)
            .run();
        if (test_hook) test_hook("before_commit");
    });
    if (test_hook) test_hook("after_commit");
    return Json{{"results", std::move(results)}, {"hlc", std::move(stamp)}};
}

void Authority::prune() {
    auto& impl = engine_.internals();
    const Millis now = impl.now();
    if (now >= pruned_at_ && now - pruned_at_ < kPruneEveryMs) return;
    pruned_at_ = now;
    const Millis cut = now - kCommandRetentionMs;
    // Safe because a command stamped before `cut` is refused: a forgotten id can never come back
    // to be applied, and a forgotten clock (stamped before `cut`) is older than every command
    // still accepted, which is what its absence means.
    impl.db.prepare("DELETE FROM sync_commands WHERE at < ?").bind(1, cut).run();
    impl.db.prepare("DELETE FROM sync_field_clocks WHERE hlc < ?")
        .bind(1, Hlc{cut, 0}.text(kServerNode))
        .run();
}

Json Authority::apply_command(const Actor& actor, const Json& c) {
    auto& impl = engine_.internals();
    const std::string id = c["id"].get<std::string>();
    const std::string command = c["command"].get<std::string>();
    const std::string hlc = c["hlc"].get<std::string>();
    {
        auto s = impl.db.prepare(
            "SELECT outcome, code, rule, message FROM sync_commands WHERE user_id = ? AND "
            "command_id = ?");
        s.bind_all(actor.user_id, id);
        if (s.step()) {
            if (s.text(0) == "applied") return Json{{"id", id}, {"outcome", "duplicate"}};
            // Told again, so that a replica that missed the first answer still undoes it.
            return Json{{"id", id},
                        {"outcome", "rejected"},
                        {"code", s.int64(1)},
                        {"rule", s.opt_text(2).value_or("")},
                        {"message", s.opt_text(3).value_or("")},
                        {"duplicate", true}};
        }
    }
    const Hlc stamp = *Hlc::parse(hlc);
    Json args = c["args"];
    bool superseded = false;
    try {
        // Isolated: a command rejected after it wrote is undone alone; the push goes on.
        impl.write_isolated([&] {
            if (stamp.wall < impl.now() - kCommandRetentionMs) {
                // Its id may have been pruned: applied once already, it must not apply again.
                throw Error(Errc::conflict,
                            "this command is older than the server remembers commands (90 days); "
                            "it was not applied");
            }
            Clocks clocks(impl.db);
            const bool run = drop_older_fields(clocks, command, args, hlc, superseded);
            // Authorized first, always: a command whose every field a later stamp already wrote
            // still runs whole, against the server's state, and is undone (below). Otherwise an
            // outsider would learn from "superseded" when a record was last edited.
            if (!run) check_command(engine_, actor, command, c["args"]);
            const std::size_t mark = impl.pending.size();
            if (run) run_command(engine_, actor, command, args);
            for (std::size_t i = mark; i < impl.pending.size(); ++i) {
                if (impl.pending[i].op == "update") clocks.stamp(impl.pending[i], hlc);
            }
            impl.db
                .prepare(
                    "INSERT INTO sync_commands (user_id, command_id, outcome, at) "
                    "VALUES (?, ?, 'applied', ?)")
                .bind_all(actor.user_id, id, impl.now())
                .run();
        });
    } catch (const Error& e) {
        if (!rejectable(e.code())) throw;
        const std::string message = e.what();
        const std::string rule = rule_of(message);
        impl.db
            .prepare(
                "INSERT INTO sync_commands (user_id, command_id, outcome, code, rule, message, at) "
                "VALUES (?, ?, 'rejected', ?, ?, ?, ?)")
            .bind_all(actor.user_id, id, static_cast<int>(e.code()), rule, message, impl.now())
            .run();
        impl.say(LogLevel::info, "sync: rejected " + command + " of user " + actor.user_id + " (" +
                                     std::string(errc_name(e.code())) +
                                     (rule.empty() ? "" : ", " + rule) + ")");
        return Json{{"id", id},
                    {"outcome", "rejected"},
                    {"code", static_cast<int>(e.code())},
                    {"rule", rule},
                    {"message", message}};
    }
    // Merged only now, once the command is authorized and applied: a refused command's stamp
    // (or a malformed push's) never moves the clock.
    clock_ = clock_.merge(stamp);
    Json out{{"id", id}, {"outcome", "applied"}};
    if (superseded) out["superseded"] = true;
    return out;
}

Json Authority::pull(const Actor& actor, const Json& request) {
    return parse_json(pull_text(actor, request), "a pull page");
}

std::string Authority::pull_text(const Actor& actor, const Json& request) {
    JsonReader in(request, "pull");
    const Json* checkpoints = in.opt_raw("checkpoints");
    const Json* refetch = in.opt_raw("refetch");
    const auto limit =
        static_cast<std::size_t>(in.opt_int("limit", 1, static_cast<std::int64_t>(kMaxPullLimit))
                                     .value_or(kDefaultPullLimit));
    in.finish();
    std::unordered_map<std::string, std::int64_t> known;
    if (checkpoints != nullptr) {
        if (!checkpoints->is_object()) throw_invalid("'checkpoints' must be an object");
        if (checkpoints->size() > 100000) throw_invalid("too many checkpoints");
        for (const auto& [bucket, seq] : checkpoints->items()) {
            if (bucket.size() > 80 || !seq.is_number_integer() || seq.get<std::int64_t>() < 0) {
                throw_invalid("'checkpoints' maps bucket names to sequence numbers");
            }
            known.emplace(bucket, seq.get<std::int64_t>());
        }
    }
    std::vector<std::pair<std::string, std::string>> wanted;
    if (refetch != nullptr) {
        if (!refetch->is_array() || refetch->size() > kMaxRefetch) {
            throw_invalid("'refetch' must be an array of at most " + std::to_string(kMaxRefetch) +
                          " [entity, id] pairs");
        }
        for (const auto& r : *refetch) {
            if (!r.is_array() || r.size() != 2 || !r[0].is_string() || !r[1].is_string() ||
                r[0].get_ref<const std::string&>().size() > 32 ||
                r[1].get_ref<const std::string&>().size() > 200) {
                throw_invalid("'refetch' must be an array of [entity, id] pairs");
            }
            wanted.emplace_back(r[0].get<std::string>(), r[1].get<std::string>());
        }
    }
    auto& impl = engine_.internals();
    return impl.read([&] {
        impl.require_user(actor);
        // One read transaction: every bucket of the page is read from the same state.
        store::Transaction snapshot(impl.db);
        const auto buckets = buckets_of(impl, actor);
        const std::unordered_set<std::string> visible(buckets.begin(), buckets.end());
        Json lost = Json::array();
        for (const auto& [bucket, _] : known) {
            if (visible.count(bucket) == 0) lost.push_back(bucket);
        }
        Page page(impl, actor, visible);
        page.add_person(actor.user_id);
        for (const auto& [entity, id] : wanted) page.refetch(entity, id);
        std::size_t budget = limit;
        bool more = false;
        Json next = Json::object();
        for (const auto& bucket : buckets) {
            const auto it = known.find(bucket);
            std::int64_t cp = it == known.end() ? 0 : it->second;
            // Once the budget is spent, later buckets wait: their parents may not be complete.
            if (!more) cp = walk_bucket(impl, page, bucket, cp, budget, more);
            next[bucket] = cp;
        }
        std::string text = page.finish(Json{{"buckets", std::move(next)},
                                            {"lost", std::move(lost)},
                                            {"more", more},
                                            {"hlc", server_stamp()}});
        snapshot.commit();
        return text;
    });
}

void Authority::put_blob(const Actor& actor, const std::string& hash,
                         const std::vector<unsigned char>& bytes) {
    if (!is_hash(hash)) throw_invalid("'hash' must be 64 lower-case hex digits");
    auto& impl = engine_.internals();
    if (bytes.size() > impl.options.max_blob_bytes) throw_invalid("the blob is too large");
    if (sha256_hex(bytes) != hash) throw_invalid("the bytes do not match their hash");
    impl.write([&] {
        impl.require_user(actor);
        // Bytes nobody referenced within a day are dropped.
        impl.db.prepare("DELETE FROM sync_uploads WHERE user_id = ? AND at < ?")
            .bind_all(actor.user_id, impl.now() - Millis{24 * 3600 * 1000})
            .run();
        auto s = impl.db.prepare(
            "INSERT OR REPLACE INTO sync_uploads (user_id, hash, data, at) VALUES (?, ?, ?, ?)");
        s.bind(1, actor.user_id).bind(2, hash).bind(4, impl.now());
        if (sqlite3_bind_blob64(s.raw(), 3, bytes.data(), bytes.size(), SQLITE_TRANSIENT) !=
            SQLITE_OK) {
            impl.db.fail(SQLITE_NOMEM, "bind blob");
        }
        s.run();
    });
}

std::vector<unsigned char> Authority::get_blob(const Actor& actor, const std::string& hash) {
    engine_.internals().read([&] { engine_.internals().require_user(actor); });
    return engine_.read_blob(actor, hash);
}

}  // namespace leandesk::sync

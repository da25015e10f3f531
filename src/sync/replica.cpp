#include "sync/replica.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <future>
#include <map>
#include <string_view>
#include <system_error>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <set>
#include <unordered_map>

#include "engine/engine_impl.hpp"
#include "sync/hlc.hpp"
#include "sync/protocol.hpp"
#include "sync/replica_clock.hpp"
#include "sync/tables.hpp"
#include "sync/token_vault.hpp"

namespace leandesk::sync {
namespace {

[[noreturn]] void bad_answer(const std::string& what) {
    throw Error(Errc::network, "sync: the server's answer is malformed (" + what + ")");
}

const Json& member(const Json& object, const char* key, Json::value_t type) {
    const auto it = object.find(key);
    if (it == object.end() || it->type() != type) bad_answer(std::string("'") + key + "'");
    return *it;
}

// A push result's optional fields, read without trusting their types (Json::value throws a
// type_error, which is not an Error, when the server sends a number where text belongs).
std::string text_or_empty(const Json& result, const char* key) {
    const auto it = result.find(key);
    return it != result.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Errc rejection_code(const Json& result) {
    const auto it = result.find("code");
    if (it == result.end() || !it->is_number_integer()) return Errc::error;
    return errc_from_wire(it->get<std::int64_t>()).value_or(Errc::error);
}

// Why a server's stamp is refused (empty when it is not): further ahead of this device's wall
// clock than kReplicaMaxClockAheadMs. Adopted, it would stamp every later command of this replica
// as far ahead, which the server then refuses (docs/protocol.md, "Clocks").
std::string clock_refusal(Engine::Impl& impl, const Json& stamp) {
    if (!stamp.is_string()) return {};
    const auto seen = Hlc::parse(stamp.get<std::string>());
    const Millis now = impl.now();
    if (!seen || seen->wall <= now + kReplicaMaxClockAheadMs) return {};
    return "sync: the server's clock stamp is " + describe_ms(seen->wall - now) +
           " ahead of this device's clock, more than the " + describe_ms(kReplicaMaxClockAheadMs) +
           " allowed: this device's date and time (or the server's) are wrong";
}

// Refuses an answer whose stamp is too far ahead (before anything of it is applied).
void check_clock(Engine::Impl& impl, const Json& answer) {
    const auto it = answer.find("hlc");
    if (it == answer.end()) return;
    const std::string why = clock_refusal(impl, *it);
    if (!why.empty()) {
        throw Error(Errc::network,
                    why + "; the answer was not applied and the replica's clock was kept");
    }
}

// Adopts a server's stamp already checked (check_clock) or found acceptable (clock_refusal).
void merge_clock(Engine::Impl& impl, const Json& stamp) {
    if (!stamp.is_string() || !impl.replica) return;
    const auto seen = Hlc::parse(stamp.get<std::string>());
    if (!seen) return;
    auto& r = *impl.replica;
    const Hlc merged = Hlc{r.hlc_wall, r.hlc_counter}.merge(*seen);
    r.hlc_wall = merged.wall;
    r.hlc_counter = merged.counter;
    impl.db.prepare("UPDATE sync_replica SET hlc_wall = ?, hlc_counter = ? WHERE id = 1")
        .bind_all(r.hlc_wall, r.hlc_counter)
        .run();
}

void add_refetch(Engine::Impl& impl, const std::string& touched_json) {
    const Json touched = Json::parse(touched_json);
    for (const auto& t : touched) {
        impl.db.prepare("INSERT OR IGNORE INTO sync_refetch (entity, entity_id) VALUES (?, ?)")
            .bind_all(t[0].get<std::string>(), t[1].get<std::string>())
            .run();
    }
}

std::string key_of(const TableSpec& spec, const Json& values) {
    std::string id;
    for (std::size_t i = 0; i < spec.key.size(); ++i) {
        const Json& v = values[static_cast<std::size_t>(spec.column_index(spec.key[i]))];
        if (!v.is_string()) bad_answer("a row key is not text");
        if (i != 0) id += '/';
        id += v.get<std::string>();
    }
    return id;
}

// A row from the server may name records this replica does not hold (a person it may not see,
// an indicator whose creation comes in a later page): such optional links are left empty until
// the change that brings them.
class LinkChecker {
  public:
    explicit LinkChecker(store::Database& db) : db_(db) {}
    void clear_missing(const TableSpec& spec, Json& values) {
        for (const auto& [column, required] : spec.user_refs) {
            if (required) continue;
            Json& v = values[static_cast<std::size_t>(spec.column_index(column))];
            if (v.is_string() && !exists("users", v.get_ref<const std::string&>())) v = nullptr;
        }
        for (const auto& [column, table] : spec.record_refs) {
            Json& v = values[static_cast<std::size_t>(spec.column_index(column))];
            if (v.is_string() && !exists(table, v.get_ref<const std::string&>())) v = nullptr;
        }
    }

  private:
    // One map per table, looked up by the row's own string: a download checks three links a row,
    // and building a "table + id" key for each was an allocation apiece.
    using Known = std::unordered_map<std::string, bool>;

    bool exists(const char* table, const std::string& id) {
        Known& known = known_[table];
        if (const auto it = known.find(id); it != known.end()) return it->second;
        auto s = db_.prepare(std::string("SELECT 1 FROM ") + table + " WHERE id = ?");
        s.bind(1, id);
        return known.emplace(id, s.step()).first->second;
    }
    store::Database& db_;
    std::map<std::string_view, Known> known_;  // by table name (the specs' static strings)
};

std::string random_node(Engine::Impl& impl) {
    std::array<unsigned char, 8> b{};
    impl.options.random(b.data(), b.size());
    std::string out;
    char hex[3];
    for (unsigned char c : b) {
        std::snprintf(hex, sizeof hex, "%02x", c);
        out += hex;
    }
    return out;
}

}  // namespace

void Replica::attach(Engine& engine, const ReplicaSettings& settings) {
    if (settings.server_url.rfind("https://", 0) != 0 || settings.server_url.size() > 2000 ||
        settings.server_url.size() <= 8) {
        throw_invalid("the server URL must be an https:// URL");
    }
    if (settings.ca_file.size() > 4096 || settings.pinned_key.size() > 4096) {
        throw_invalid("the CA file path or pinned key is too long");
    }
    auto& impl = engine.internals();
    impl.write([&] {
        auto s = impl.db.prepare("SELECT server_url FROM sync_replica WHERE id = 1");
        if (s.step()) {
            if (s.text(0) != settings.server_url) {
                throw Error(Errc::conflict, "this database is a replica of another server");
            }
        } else {
            auto g = impl.db.prepare("SELECT EXISTS (SELECT 1 FROM groups)");
            g.step();
            if (g.int64(0) != 0) {
                throw Error(Errc::conflict,
                            "this database already holds local data; a replica starts empty");
            }
            impl.db.prepare("INSERT INTO sync_replica (id, server_url, node) VALUES (1, ?, ?)")
                .bind_all(settings.server_url, random_node(impl))
                .run();
        }
        const auto opt = [](const std::string& v) {
            return v.empty() ? std::optional<std::string>() : std::optional<std::string>(v);
        };
        impl.db.prepare("UPDATE sync_replica SET ca_file = ?, pinned_key = ? WHERE id = 1")
            .bind_all(opt(settings.ca_file), opt(settings.pinned_key))
            .run();
        impl.load_replica_state();
    });
}

bool Replica::is_replica(Engine& engine) {
    auto& impl = engine.internals();
    return impl.read([&] { return impl.replica != nullptr; });
}

ReplicaSettings Replica::settings(Engine& engine) {
    auto& impl = engine.internals();
    return impl.read([&] {
        auto s = impl.db.prepare(
            "SELECT server_url, ca_file, pinned_key FROM sync_replica WHERE id = 1");
        if (!s.step()) throw Error(Errc::invalid_argument, "this database is not a replica");
        return ReplicaSettings{s.text(0), s.opt_text(1).value_or(""), s.opt_text(2).value_or("")};
    });
}

Replica::Replica(Engine& engine, std::shared_ptr<Transport> transport)
    : engine_(engine), transport_(std::move(transport)) {
    if (!transport_) throw_invalid("a replica needs a transport");
    if (!is_replica(engine_)) throw Error(Errc::invalid_argument, "this database is not a replica");
}

Session Replica::sign_in(const std::string& email, const std::string& password) {
    std::lock_guard guard(sync_mutex_);
    const Json answer = transport_->sign_in(email, password);
    const std::string& token =
        member(answer, "token", Json::value_t::string).get_ref<const std::string&>();
    const Json& person = member(answer, "user", Json::value_t::array);
    if (person.size() != kPersonFields || !person[0].is_string()) bad_answer("'user'");
    const Id user_id = person[0].get<std::string>();
    auto& impl = engine_.internals();
    return impl.write([&] {
        if (!impl.replica->user_id.empty() && impl.replica->user_id != user_id) {
            throw Error(Errc::conflict, "this replica belongs to another user");
        }
        upsert_person(impl.db, person, user_id);
        // Sealed with a key kept outside the database (token_vault.hpp): never in clear there.
        impl.db.prepare("UPDATE sync_replica SET user_id = ?, token = ? WHERE id = 1")
            .bind_all(user_id, TokenVault(impl.options.path).seal(token))
            .run();
        impl.replica->user_id = user_id;
        // A stamp too far ahead is not adopted, but the sign-in stands (the local session works
        // offline); the status says why, and every sync fails alike until the clocks agree.
        const Json stamp = answer.value("hlc", Json());
        if (const std::string why = clock_refusal(impl, stamp); !why.empty()) {
            impl.db
                .prepare("UPDATE sync_replica SET last_error_code = ?, last_error = ? WHERE id = 1")
                .bind_all(static_cast<int>(Errc::network),
                          why + "; signed in, but the replica's clock was kept")
                .run();
            impl.say(LogLevel::warning, why);
        } else {
            merge_clock(impl, stamp);
        }
        impl.log("user", user_id, "update", {}, Actor::user(user_id), std::nullopt, std::nullopt);
        return impl.open_local_session(user_id);
    });
}

std::string Replica::token() {
    auto& impl = engine_.internals();
    const TokenVault vault(impl.options.path);
    std::string stored = impl.read([&] {
        auto s = impl.db.prepare("SELECT token FROM sync_replica WHERE id = 1");
        if (!s.step() || s.is_null(0)) {
            throw Error(Errc::not_signed_in, "sign in to the server before syncing");
        }
        return s.text(0);
    });
    if (!TokenVault::is_sealed(stored)) {
        // Kept in clear by an earlier version: sealed now, and used this once.
        impl.write([&] {
            impl.db.prepare("UPDATE sync_replica SET token = ? WHERE id = 1")
                .bind(1, vault.seal(stored))
                .run();
        });
        return stored;
    }
    auto token = vault.open(stored);
    if (!token) {
        throw Error(Errc::not_signed_in,
                    "the saved server session cannot be read here (the database's .sync-key file "
                    "is missing or belongs to another copy); sign in to the server again");
    }
    return std::move(*token);
}

void Replica::sync_now(const std::function<void(const SyncProgress&)>& progress,
                       const std::function<bool()>& cancelled) {
    std::lock_guard guard(sync_mutex_);
    try {
        const std::string tok = token();
        // A clock left far ahead of this device's (its date was put back) restarts from now, and
        // so do the stamps of the commands it queued meanwhile, before they are pushed. Under the
        // engine's lock; it writes (in a transaction of its own) only when there is something to
        // recover.
        auto& impl = engine_.internals();
        impl.read([&] { recover_replica_clock(impl, /*full=*/false); });
        std::int64_t pushed = 0;
        std::int64_t pulled = 0;
        // Commands made while a sync runs are pushed before any page is applied over them; a
        // few rounds, then the rest waits for the next sync.
        for (int round = 0; round < 8; ++round) {
            push(tok, progress, cancelled, pushed);
            if (pull(tok, progress, cancelled, pulled)) break;
        }
        record_outcome(nullptr);
    } catch (const Error& e) {
        record_outcome(&e);
        throw;
    }
}

void Replica::record_outcome(const Error* error) {
    auto& impl = engine_.internals();
    try {
        impl.write([&] {
            if (error == nullptr) {
                impl.db
                    .prepare(
                        "UPDATE sync_replica SET last_success_at = ?, last_error_code = NULL, "
                        "last_error = NULL WHERE id = 1")
                    .bind(1, impl.now())
                    .run();
            } else {
                impl.db
                    .prepare(
                        "UPDATE sync_replica SET last_error_code = ?, last_error = ? WHERE id = 1")
                    .bind_all(static_cast<int>(error->code()), std::string(error->what()))
                    .run();
            }
        });
    } catch (const Error&) {
        // The status is best effort: the sync's own outcome is what the caller gets.
    }
}

void Replica::push(const std::string& tok, const std::function<void(const SyncProgress&)>& progress,
                   const std::function<bool()>& cancelled, std::int64_t& pushed) {
    auto& impl = engine_.internals();
    struct Queued {
        std::string id, command, args, hlc, touched;
        std::optional<std::string> blob;
    };
    for (;;) {
        if (cancelled && cancelled()) throw Error(Errc::cancelled, "sync cancelled");
        std::vector<Queued> batch;
        std::int64_t pending = 0;
        impl.read([&] {
            auto s = impl.db.prepare(
                "SELECT command_id, command, args, hlc, touched, blob FROM sync_outbox "
                "WHERE user_id = ? ORDER BY seq LIMIT ?");
            s.bind_all(impl.replica->user_id,
                       static_cast<std::int64_t>(std::min(push_batch, kMaxPushCommands)));
            while (s.step())
                batch.push_back(
                    {s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.opt_text(5)});
            auto c = impl.db.prepare("SELECT COUNT(*) FROM sync_outbox");
            c.step();
            pending = c.int64(0);
        });
        if (batch.empty()) return;
        // Blobs first: the server replays add_photo / set_avatar with bytes it already holds.
        std::set<std::string> sent;
        for (const auto& q : batch) {
            if (!q.blob || !sent.insert(*q.blob).second) continue;
            std::vector<unsigned char> bytes;
            impl.read([&] {
                auto s = impl.db.prepare("SELECT data FROM blobs WHERE hash = ?");
                s.bind(1, *q.blob);
                if (s.step()) {
                    const auto* d =
                        static_cast<const unsigned char*>(sqlite3_column_blob(s.raw(), 0));
                    bytes.assign(d, d + sqlite3_column_bytes(s.raw(), 0));
                }
            });
            // Gone locally (the photo was removed since): the server will reject the command.
            if (!bytes.empty()) transport_->put_blob(tok, *q.blob, bytes);
        }
        Json commands = Json::array();
        for (const auto& q : batch) {
            commands.push_back(Json{{"id", q.id},
                                    {"command", q.command},
                                    {"args", Json::parse(q.args)},
                                    {"hlc", q.hlc}});
        }
        const Json answer = transport_->push(tok, Json{{"commands", std::move(commands)}});
        if (!answer.is_object()) bad_answer("push answer");
        const Json& results = member(answer, "results", Json::value_t::array);
        // Not applied at all: the commands stay queued, and are duplicates when pushed again.
        check_clock(impl, answer);
        std::unordered_map<std::string, const Queued*> by_id;
        for (const auto& q : batch) by_id.emplace(q.id, &q);
        std::vector<Rejection> rejected;
        std::size_t settled = 0;
        impl.write([&] {
            for (const auto& r : results) {
                if (!r.is_object()) bad_answer("a push result");
                const std::string& id =
                    member(r, "id", Json::value_t::string).get_ref<const std::string&>();
                const std::string& outcome =
                    member(r, "outcome", Json::value_t::string).get_ref<const std::string&>();
                const auto it = by_id.find(id);
                if (it == by_id.end()) continue;
                const Queued& q = *it->second;
                if (outcome == "rejected") {
                    Rejection rej;
                    rej.command_id = q.id;
                    rej.command = q.command;
                    rej.args = Json::parse(q.args);
                    rej.code = rejection_code(r);
                    rej.rule = text_or_empty(r, "rule");
                    rej.message = text_or_empty(r, "message");
                    impl.db
                        .prepare(
                            "INSERT INTO sync_rejections (command_id, command, code, rule, "
                            "message, at) "
                            "VALUES (?, ?, ?, ?, ?, ?)")
                        .bind_all(rej.command_id, rej.command, static_cast<int>(rej.code), rej.rule,
                                  rej.message, impl.now())
                        .run();
                    // Undo: the records it touched come back from the server as they are there
                    // (or go, when the server does not have them).
                    add_refetch(impl, q.touched);
                    rejected.push_back(std::move(rej));
                } else if (outcome == "applied" || outcome == "duplicate") {
                    const auto superseded = r.find("superseded");
                    if (superseded != r.end() && *superseded == true) add_refetch(impl, q.touched);
                } else {
                    bad_answer("outcome '" + outcome + "'");
                }
                impl.db.prepare("DELETE FROM sync_outbox WHERE command_id = ?").bind(1, q.id).run();
                ++settled;
            }
            // Keep the stored rejections bounded: the app was told; the status shows the last few.
            impl.db
                .prepare(
                    "DELETE FROM sync_rejections WHERE seq <= (SELECT MAX(seq) FROM "
                    "sync_rejections) - 1000")
                .run();
            merge_clock(impl, answer.value("hlc", Json()));
        });
        for (const auto& rej : rejected) {
            if (!on_rejected) continue;
            try {
                on_rejected(rej);
            } catch (...) {
                // The app's callback failing does not undo the sync.
            }
        }
        if (settled == 0) bad_answer("no command of the batch was settled");
        pushed += static_cast<std::int64_t>(settled);
        if (progress)
            progress(SyncProgress{"push", pushed, pending - static_cast<std::int64_t>(settled)});
    }
}

namespace {

/// Hands the memory of an applied page back to the system. A page is parsed on the look-ahead
/// thread and freed on this one, so glibc keeps the freed blocks in two arenas; without a trim
/// the replica's peak memory crept up with every page of a long download instead of staying at
/// two pages in flight.
void release_freed_memory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace

bool Replica::pull(const std::string& tok, const std::function<void(const SyncProgress&)>& progress,
                   const std::function<bool()>& cancelled, std::int64_t& pulled) {
    auto& impl = engine_.internals();
    const auto limit =
        static_cast<std::int64_t>(std::clamp<std::size_t>(pull_limit, 1, kMaxPullLimit));
    // The next page is asked for while this one is applied (the server and the network work
    // while the replica writes). Its request is what the replica would send after applying this
    // page: this page's checkpoints (every bucket granted), no refetch (this page carried them
    // all). Dropped unused when this page is not applied (a command was queued meanwhile).
    std::future<Json> ahead;
    // An applied page is freed on a thread of its own: dropping a page of thousands of parsed
    // rows is a hundred thousand frees, a sixth of the download's time when done on this thread.
    // One page at a time (the previous disposal is waited for), so at most three pages are in
    // memory: the one applied, the one asked for, the one being freed.
    std::future<void> disposal;
    for (;;) {
        if (cancelled && cancelled()) throw Error(Errc::cancelled, "sync cancelled");
        Json refetch = Json::array();
        Json page;
        if (ahead.valid()) {
            page = ahead.get();
        } else {
            Json request{{"limit", limit}};
            bool queued = false;
            impl.read([&] {
                auto o = impl.db.prepare("SELECT EXISTS (SELECT 1 FROM sync_outbox)");
                o.step();
                queued = o.int64(0) != 0;
                Json cps = Json::object();
                auto s = impl.db.prepare("SELECT bucket, seq FROM sync_checkpoints");
                while (s.step()) cps[s.text(0)] = s.int64(1);
                request["checkpoints"] = std::move(cps);
                auto r = impl.db.prepare("SELECT entity, entity_id FROM sync_refetch LIMIT ?");
                r.bind(1, static_cast<std::int64_t>(kMaxRefetch));
                while (r.step()) refetch.push_back(Json::array({r.text(0), r.text(1)}));
            });
            if (queued) return false;
            request["refetch"] = refetch;
            page = transport_->pull(tok, request);
        }
        if (!page.is_object()) bad_answer("pull page");
        check_clock(impl, page);
        const bool more = member(page, "more", Json::value_t::boolean).get<bool>();
        const bool complete = !more && refetch.size() < kMaxRefetch;
        if (more && refetch.size() < kMaxRefetch) {
            Json next{{"limit", limit},
                      {"checkpoints", member(page, "buckets", Json::value_t::object)},
                      {"refetch", Json::array()}};
            ahead = std::async(std::launch::async, [this, tok, next = std::move(next)] {
                return transport_->pull(tok, next);
            });
        }
        fetch_blobs(tok, page);
        const auto rows =
            static_cast<std::int64_t>(member(page, "rows", Json::value_t::array).size());
        if (!apply_page(page, refetch)) return false;  // `ahead` is waited for and dropped
        if (disposal.valid()) disposal.get();
        try {
            disposal = std::async(std::launch::async, [applied = std::move(page)]() mutable {
                applied = Json();
                release_freed_memory();
            });
        } catch (const std::system_error&) {
            // No thread to be had: the page, committed, went with the lambda that held it.
            release_freed_memory();
        }
        pulled += rows;
        if (progress) progress(SyncProgress{"pull", pulled, 0});
        if (complete) return true;
    }
}

void Replica::fetch_blobs(const std::string& tok, const Json& page) {
    auto& impl = engine_.internals();
    std::vector<std::pair<std::string, bool>> wanted;  // hash, required (photos) or not (avatars)
    const TableSpec* photo = table_for("photo");
    const auto blob_col = static_cast<std::size_t>(photo->column_index("blob"));
    // The page is not checked yet (apply_page does that): look, never assume. A const Json's
    // operator[] on a missing key is undefined behaviour, and value() throws on a wrong type.
    for (const auto& row : member(page, "rows", Json::value_t::array)) {
        if (!row.is_object()) continue;
        const auto e = row.find("e");
        const auto v = row.find("v");
        if (e == row.end() || v == row.end() || *e != "photo" || !v->is_array() ||
            v->size() <= blob_col || !(*v)[blob_col].is_string()) {
            continue;
        }
        wanted.emplace_back((*v)[blob_col].get<std::string>(), true);
    }
    for (const auto& p : member(page, "persons", Json::value_t::array)) {
        if (p.is_array() && p.size() == kPersonFields && p[4].is_string())
            wanted.emplace_back(p[4].get<std::string>(), false);
    }
    std::set<std::string> done;
    for (const auto& want : wanted) {
        // Named copies, not a structured binding: clang before 16 cannot capture those in the
        // lambdas below, and the fuzz and sanitizer builds use Debian's clang 14.
        const std::string& hash = want.first;
        const bool required = want.second;
        if (!done.insert(hash).second) continue;
        const bool have = impl.read([&] {
            auto s = impl.db.prepare("SELECT 1 FROM blobs WHERE hash = ?");
            s.bind(1, hash);
            return s.step();
        });
        if (have) continue;
        std::vector<unsigned char> bytes;
        try {
            bytes = transport_->get_blob(tok, hash);
        } catch (const Error& e) {
            if (!required && e.code() == Errc::not_found) continue;
            throw;
        }
        // Stored on its own (not with the page): pages stay small whatever the photos weigh. An
        // unused one is dropped with the next page that settles its photos.
        impl.write([&] {
            if (impl.put_blob(bytes).first != hash) {
                throw Error(Errc::corrupt, "sync: a downloaded blob does not match its hash");
            }
        });
    }
}

bool Replica::apply_page(Json& page, const Json& refetched) {
    const Json& buckets = member(page, "buckets", Json::value_t::object);
    const Json& lost = member(page, "lost", Json::value_t::array);
    const Json& persons = member(page, "persons", Json::value_t::array);
    member(page, "rows", Json::value_t::array);
    Json& rows = page["rows"];
    const Json& gone = member(page, "gone", Json::value_t::array);
    member(page, "more", Json::value_t::boolean);
    auto& impl = engine_.internals();
    return impl.write([&] {
        auto& db = impl.db;
        auto o = db.prepare("SELECT EXISTS (SELECT 1 FROM sync_outbox)");
        o.step();
        if (o.int64(0) != 0) return false;
        const Id self = impl.replica->user_id;
        std::vector<std::string> freed;
        // Observers hear of every record the page changed, once per page (after its commit). The
        // replica's change log is not written: it is the server's log that sync follows, and a
        // log row per pulled record cost a third of applying a page.
        const Millis at = impl.now();
        const auto tell = [&](const char* entity, std::string id, const char* op) {
            impl.pending.push_back(Change{
                0, entity, std::move(id), op, {}, at, std::nullopt, std::nullopt, std::nullopt});
        };
        const auto drop = [&](const TableSpec& spec, const std::string& id) {
            auto hashes = delete_row(db, spec, id);
            freed.insert(freed.end(), hashes.begin(), hashes.end());
            tell(spec.entity, id, "delete");
        };
        // 1. Buckets lost: purge them, projects before groups.
        std::vector<std::string> lost_groups;
        for (const auto& b : lost) {
            if (!b.is_string()) bad_answer("'lost'");
            const std::string name = b.get<std::string>();
            if (name.rfind("p:", 0) == 0) {
                drop(*table_for("project"), name.substr(2));
            } else if (name.rfind("g:", 0) == 0) {
                lost_groups.push_back(name.substr(2));
            }
            db.prepare("DELETE FROM sync_checkpoints WHERE bucket = ?").bind(1, name).run();
        }
        for (const auto& gid : lost_groups) {
            db.prepare(
                  "DELETE FROM sync_checkpoints WHERE bucket IN (SELECT 'p:' || id FROM projects "
                  "WHERE group_id = ?)")
                .bind(1, gid)
                .run();
            drop(*table_for("group"), gid);
        }
        // 2. People, then rows parents first, then tombstones children first.
        for (const auto& p : persons) {
            upsert_person(db, p, self);
            tell("user", p[0].get<std::string>(), "update");
        }
        std::vector<std::pair<const TableSpec*, Json*>> ordered;
        ordered.reserve(rows.size());
        for (auto& r : rows) {
            if (!r.is_object() || !r.contains("e") || !r["e"].is_string() || !r.contains("v"))
                bad_answer("a row");
            const TableSpec* spec = table_for(r["e"].get<std::string>());
            if (spec == nullptr) bad_answer("unknown entity");
            if (!r["v"].is_array() || r["v"].size() != spec->columns.size())
                bad_answer("a row of " + std::string(spec->entity));
            ordered.emplace_back(spec, &r["v"]);
        }
        std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
            return a.first->rank < b.first->rank;
        });
        LinkChecker links(db);
        for (const auto& [spec, values] : ordered) {
            Json& v = *values;  // fixed in place: the page is this function's to change
            links.clear_missing(*spec, v);
            try {
                upsert_row(db, *spec, v);
            } catch (const Error& e) {
                // A row the schema refuses (a CHECK, a NOT NULL, a missing parent, a value too
                // big) is the server's fault, not the app's: said so, and the page is undone.
                if (e.code() != Errc::conflict && e.code() != Errc::invalid_argument) throw;
                bad_answer("a row of " + std::string(spec->entity) +
                           " the database refuses: " + e.what());
            }
            tell(spec->entity, key_of(*spec, v), "update");
        }
        std::vector<std::pair<const TableSpec*, std::string>> tombstones;
        for (const auto& g : gone) {
            if (!g.is_array() || g.size() != 2 || !g[0].is_string() || !g[1].is_string())
                bad_answer("'gone'");
            const std::string entity = g[0].get<std::string>();
            if (entity == "user") {
                try {
                    db.prepare("DELETE FROM users WHERE id = ? AND id <> ?")
                        .bind_all(g[1].get<std::string>(), self)
                        .run();
                } catch (const Error&) {
                    // Still named by a record here: it goes with that record's own tombstone.
                }
                continue;
            }
            const TableSpec* spec = table_for(entity);
            if (spec == nullptr) bad_answer("unknown entity");
            tombstones.emplace_back(spec, g[1].get<std::string>());
        }
        std::stable_sort(tombstones.begin(), tombstones.end(), [](const auto& a, const auto& b) {
            return a.first->rank > b.first->rank;
        });
        for (const auto& [spec, id] : tombstones) drop(*spec, id);
        if (!lost.empty()) {
            // People who share no group with the user any more leave the replica too (R13).
            db.prepare(
                  "DELETE FROM users WHERE id <> ?1 AND NOT EXISTS (SELECT 1 FROM members m "
                  "WHERE m.user_id = users.id)")
                .bind(1, self)
                .run();
        }
        // Blobs fetched for this page but not used, and those the page freed.
        for (const auto& r : ordered) {
            if (std::string_view(r.first->entity) == "photo")
                freed.push_back((*r.second)[2].get<std::string>());
        }
        impl.drop_unreferenced_blobs(freed);
        // 3. What was fetched again is settled; checkpoints move on.
        for (const auto& r : refetched) {
            db.prepare("DELETE FROM sync_refetch WHERE entity = ? AND entity_id = ?")
                .bind_all(r[0].get<std::string>(), r[1].get<std::string>())
                .run();
        }
        for (const auto& [bucket, seq] : buckets.items()) {
            if (!seq.is_number_integer()) bad_answer("'buckets'");
            db.prepare(
                  "INSERT INTO sync_checkpoints (bucket, seq) VALUES (?, ?) ON CONFLICT (bucket) "
                  "DO UPDATE SET seq = excluded.seq")
                .bind_all(bucket, seq.get<std::int64_t>())
                .run();
        }
        merge_clock(impl, page.value("hlc", Json()));
        return true;
    });
}

Json Replica::status() {
    auto& impl = engine_.internals();
    return impl.read([&] {
        Json out;
        auto c = impl.db.prepare("SELECT COUNT(*) FROM sync_outbox");
        c.step();
        out["pending"] = c.int64(0);
        auto r = impl.db.prepare("SELECT COUNT(*) FROM sync_rejections");
        r.step();
        out["rejected"] = r.int64(0);
        auto s = impl.db.prepare(
            "SELECT server_url, user_id, token IS NOT NULL, last_success_at, last_error_code, "
            "last_error "
            "FROM sync_replica WHERE id = 1");
        if (!s.step()) throw Error(Errc::invalid_argument, "this database is not a replica");
        out["server_url"] = s.text(0);
        out["user_id"] = s.is_null(1) ? Json(nullptr) : Json(s.text(1));
        out["signed_in"] = s.int64(2) != 0;
        out["last_success_at"] = s.is_null(3) ? Json(nullptr) : Json(s.int64(3));
        out["last_error"] =
            s.is_null(4) ? Json(nullptr)
                         : Json{{"code", s.int64(4)}, {"message", s.opt_text(5).value_or("")}};
        return out;
    });
}

}  // namespace leandesk::sync

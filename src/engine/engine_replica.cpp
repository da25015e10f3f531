// The engine's side of being a replica (docs/sync.md): each user command, once applied locally,
// is also written to the outbox in the same transaction, with a client-made command id, a hybrid
// logical clock stamp and the records it touched (to undo it if the server rejects it).
// A plain local database has no replica state and never comes here.
#include <sodium.h>

#include <array>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "engine/engine_impl.hpp"
#include "sync/hlc.hpp"
#include "sync/replica_clock.hpp"

namespace leandesk {

Json with_id(const Json& input, const Id& id) {
    Json out = input.is_object() ? input : Json::object();
    out["id"] = id;
    return out;
}

Id derived_id(const Id& base, std::int64_t n) {
    const std::string seed = "leandesk-derived-id:" + base + ":" + std::to_string(n);
    std::array<unsigned char, 16> b{};
    crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(seed.data()),
                       seed.size(), nullptr, 0);
    b[6] = static_cast<unsigned char>((b[6] & 0x0FU) | 0x40U);
    b[8] = static_cast<unsigned char>((b[8] & 0x3FU) | 0x80U);
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return out;
}

void Engine::Impl::load_replica_state() {
    {
        auto s = db.prepare(
            "SELECT node, user_id, hlc_wall, hlc_counter FROM sync_replica WHERE id = 1");
        if (!s.step()) {
            replica.reset();
            return;
        }
        auto state = std::make_unique<ReplicaState>();
        state->node = s.text(0);
        state->user_id = s.opt_text(1).value_or("");
        state->hlc_wall = s.int64(2);
        state->hlc_counter = s.int64(3);
        replica = std::move(state);
    }
    // A clock an earlier version left far ahead (a server's stamp from the future) recovers here.
    sync::recover_replica_clock(*this, /*full=*/true);
}

void Engine::Impl::record_command(std::string_view command, const Actor& actor, Json args,
                                  const std::optional<std::string>& blob) {
    ReplicaState& r = *replica;
    if (actor.is_operator) {
        throw Error(Errc::permission_denied,
                    "R12: the operator acts on the server, not through a replica");
    }
    if (r.user_id.empty() || actor.user_id != r.user_id) {
        // Only the signed-in user's commands can be replayed on the server under their session.
        throw Error(Errc::conflict, "this replica queues the commands of its signed-in user only");
    }
    // A clock far ahead of the device's (its wall clock was put back) restarts from now first.
    if (r.hlc_wall > now() + sync::kReplicaMaxClockAheadMs) {
        sync::recover_replica_clock(*this, /*full=*/false);
    }
    const sync::Hlc stamp = sync::Hlc{r.hlc_wall, r.hlc_counter}.tick(now());
    r.hlc_wall = stamp.wall;
    r.hlc_counter = stamp.counter;
    db.prepare("UPDATE sync_replica SET hlc_wall = ?, hlc_counter = ? WHERE id = 1")
        .bind_all(r.hlc_wall, r.hlc_counter)
        .run();
    // The records this command changed here: what a rejection must restore from the server.
    std::set<std::pair<std::string, std::string>> seen;
    Json touched = Json::array();
    for (std::size_t i = command_mark; i < pending.size(); ++i) {
        const Change& c = pending[i];
        if (seen.emplace(c.entity, c.entity_id).second) touched.push_back({c.entity, c.entity_id});
    }
    db.prepare(
          "INSERT INTO sync_outbox (command_id, user_id, command, args, hlc, blob, touched, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(new_id(), actor.user_id, command, args.dump(), stamp.text(r.node), blob,
                  touched.dump(), now())
        .run();
}

}  // namespace leandesk

namespace leandesk::sync {

bool recover_replica_clock(Engine::Impl& impl, bool full) {
    auto& r = *impl.replica;
    const Millis now = impl.now();
    const Millis limit = now + kReplicaMaxClockAheadMs;
    const Hlc stored{r.hlc_wall, r.hlc_counter};
    Hlc clock = stored.normalized();
    const bool out_of_range = clock.wall != stored.wall || clock.counter != stored.counter;
    const bool ahead = clock.wall > limit;
    if (!out_of_range && !ahead && !full) return false;
    // Every stamp up to `cut` is one the server may take; beyond it, or not a stamp at all (a
    // 7-digit counter an earlier version wrote), it is stamped again.
    const std::string cut = Hlc{limit, kMaxHlcCounter}.text("g");  // after every node id
    const char* const bad =
        "hlc > ?1 OR length(hlc) < 24 OR substr(hlc, 16, 1) <> '-' OR substr(hlc, 23, 1) <> '-'";
    std::vector<std::int64_t> restamp;
    store::Transaction tx(impl.db);
    {
        auto s = impl.db.prepare(std::string("SELECT seq FROM sync_outbox WHERE ") + bad +
                                 " ORDER BY seq");
        s.bind(1, cut);
        while (s.step()) restamp.push_back(s.int64(0));
    }
    if (!out_of_range && !ahead && restamp.empty()) return false;
    if (ahead) {
        // Restarts from now, but after the good stamps still queued, so that the commands of
        // this replica keep their order on the server.
        clock = Hlc{now, 0};
        auto s = impl.db.prepare(std::string("SELECT MAX(hlc) FROM sync_outbox WHERE NOT (") + bad +
                                 ")");
        s.bind(1, cut);
        if (s.step() && !s.is_null(0)) {
            if (auto h = Hlc::parse(s.text(0))) clock = clock.merge(*h);
        }
    }
    for (const auto seq : restamp) {
        clock = clock.tick(now);
        impl.db.prepare("UPDATE sync_outbox SET hlc = ? WHERE seq = ?")
            .bind_all(clock.text(r.node), seq)
            .run();
    }
    impl.db.prepare("UPDATE sync_replica SET hlc_wall = ?, hlc_counter = ? WHERE id = 1")
        .bind_all(clock.wall, clock.counter)
        .run();
    tx.commit();
    impl.say(LogLevel::warning, "sync: the replica's clock (" + std::to_string(stored.wall) + ", " +
                                    std::to_string(stored.counter) + ") was " +
                                    (ahead ? "further ahead of now (" + std::to_string(now) +
                                                 ") than " + describe_ms(kReplicaMaxClockAheadMs)
                                           : std::string("out of range")) +
                                    "; now " + clock.text(r.node) + ", " +
                                    std::to_string(restamp.size()) +
                                    " queued commands stamped again");
    r.hlc_wall = clock.wall;
    r.hlc_counter = clock.counter;
    return true;
}

}  // namespace leandesk::sync

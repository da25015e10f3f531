// The replica's side of sync (docs/sync.md). A replica database keeps the part of the server's
// data its user may see; the user's commands apply locally at once and wait in the outbox (the
// engine records them, see engine_replica.cpp). sync_now() pushes the outbox in bounded batches,
// undoes what the server rejected, then pulls each bucket's changes after its checkpoint and
// applies them directly (they are the server's truth, already authorized).
//
// Thread safety: one sync at a time per replica (a second sync_now waits for the first). The
// engine stays usable from other threads during a sync; commands made meanwhile are pushed before
// any pulled page is applied over them.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/error.hpp"
#include "engine/engine.hpp"
#include "sync/transport.hpp"

namespace leandesk::sync {

/// A command the server refused; it has been undone on the replica.
struct Rejection {
    std::string command_id;
    std::string command;  // "update_action", ...
    Json args;
    Errc code = Errc::error;
    std::string rule;  // "R9", or empty when no rule refused it
    std::string message;
};

struct SyncProgress {
    const char* phase = "";    // "push", "pull"
    std::int64_t done = 0;     // commands pushed, or rows pulled, so far in this sync
    std::int64_t pending = 0;  // commands still in the outbox
};

struct ReplicaSettings {
    std::string server_url;
    std::string ca_file;     // PEM bundle for an intranet CA; empty: the system's CAs
    std::string pinned_key;  // "sha256//<base64>" (curl's syntax); empty: no pinning
};

class Replica {
  public:
    /// Makes the engine's database a replica of a server. Allowed on a database with no groups
    /// yet, or on a replica of the same server (then it only updates the settings); conflict
    /// otherwise: local data never seen by the server cannot become a replica of it.
    static void attach(Engine& engine, const ReplicaSettings& settings);
    /// True when the engine's database is a replica.
    static bool is_replica(Engine& engine);
    static ReplicaSettings settings(Engine& engine);

    Replica(Engine& engine, std::shared_ptr<Transport> transport);

    /// Signs in on the server, keeps the server's session token in the replica, writes the user's
    /// own record and opens a local session for them, which it returns (the app's session on
    /// this database). A replica belongs to one user: another user's sign-in is a conflict.
    Session sign_in(const std::string& email, const std::string& password);

    /// Pushes then pulls until both are done. `progress` is called on this thread after each
    /// batch; `cancelled` is polled between batches (Error(cancelled) then). Throws Error; the
    /// outbox is intact after any failure and the next sync resumes where this one stopped.
    void sync_now(const std::function<void(const SyncProgress&)>& progress = {},
                  const std::function<bool()>& cancelled = {});

    /// {"pending", "last_success_at", "last_error": {"code", "message"} | null, "user_id",
    ///  "server_url", "rejected"}.
    Json status();

    /// Told of each rejected command, after it was undone and committed, on the syncing thread.
    std::function<void(const Rejection&)> on_rejected;

    std::size_t push_batch = 500;
    std::size_t pull_limit = 5000;  // rows per page (the server also stops at kMaxPageBytes)

  private:
    void push(const std::string& token, const std::function<void(const SyncProgress&)>& progress,
              const std::function<bool()>& cancelled, std::int64_t& pushed);
    /// Returns false when commands were queued meanwhile and must be pushed first.
    bool pull(const std::string& token, const std::function<void(const SyncProgress&)>& progress,
              const std::function<bool()>& cancelled, std::int64_t& pulled);
    void fetch_blobs(const std::string& token, const Json& page);
    bool apply_page(Json& page, const Json& refetched);
    std::string token();
    void record_outcome(const Error* error);

    Engine& engine_;
    std::shared_ptr<Transport> transport_;
    std::mutex sync_mutex_;
};

}  // namespace leandesk::sync

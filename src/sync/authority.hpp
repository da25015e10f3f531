// The server's side of sync (docs/protocol.md): the engine as authority. Push replays each
// command as its user through Engine::execute, once (command ids are remembered per user), after
// dropping the fields a later stamp already wrote; pull hands out the current rows of the changes
// after each bucket checkpoint the user may see; blobs go up and down by content hash.
//
// Clock: the authority's stamp (`hlc` in every answer) is the latest stamp of an applied command;
// a pushed stamp further ahead of the server's wall clock than `max_clock_skew` refuses the push
// (docs/protocol.md, "Clocks").
//
// Thread safety: like the engine it wraps; every call takes the engine's lock for its duration,
// and the clock is read and written only under it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "sync/hlc.hpp"

namespace leandesk::sync {

class Authority {
  public:
    /// `max_clock_skew` (ms, 1 to kDefaultMaxClockSkewMs) bounds how far ahead of the server's
    /// wall clock a pushed stamp may be. A stored clock (or field clock) beyond it, left by an
    /// earlier version that took any stamp, is reset here and logged.
    explicit Authority(Engine& engine, Millis max_clock_skew = kDefaultMaxClockSkewMs);

    /// Signs in on the server: {"token", "expires_at", "user": <person, full>}.
    /// `client`: the caller's network address, a key of the sign-in throttle (Engine::sign_in).
    Json sign_in(const std::string& email, const std::string& password,
                 const std::string& client = "");
    /// {"commands": [{"id", "command", "args", "hlc"}]} -> {"results": [...], "hlc"}.
    Json push(const Actor& actor, const Json& request);
    /// {"checkpoints": {bucket: seq}, "refetch": [[entity, id]], "limit"} -> one page.
    Json pull(const Actor& actor, const Json& request);
    /// The same page as JSON text, written without a document (what the HTTP server sends).
    std::string pull_text(const Actor& actor, const Json& request);
    /// Keeps bytes the user is about to reference from a pushed add_photo or set_avatar.
    void put_blob(const Actor& actor, const std::string& hash,
                  const std::vector<unsigned char>& bytes);
    /// A blob the user may see (Engine::read_blob's visibility rules).
    std::vector<unsigned char> get_blob(const Actor& actor, const std::string& hash);

    /// Test hook (the server sets it only from its test-only config keys): called during a push
    /// with "before_commit" (commands applied, transaction still open) and "after_commit" (the
    /// answer not yet sent), so a test can kill the server at either point.
    std::function<void(const char* phase)> test_hook;

  private:
    Json apply_command(const Actor& actor, const Json& command);
    /// Forgets command ids and field clocks older than kCommandRetentionMs (once an hour).
    void prune();
    /// The clock as text; the engine's lock must be held.
    std::string server_stamp() const;
    /// Resets a clock left further ahead than the bound by an earlier version (constructor).
    void recover_clock();

    Engine& engine_;
    Millis max_clock_skew_;
    // The latest stamp of an applied command; replicas merge it so their next stamps come after
    // it. Guarded by the engine's lock.
    Hlc clock_;
    Millis pruned_at_ = 0;
};

}  // namespace leandesk::sync

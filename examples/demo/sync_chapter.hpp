// The last chapter of the walkthrough: offline sync. A real leandesk-server on loopback over
// HTTPS; Marie and Pierre each open a replica of it (a database file of their own), the way the
// app on each phone would, through the library's public C++ wrapper
// (include/leandesk/leandesk.hpp). Marie plans an action and syncs; Pierre receives it, edits it
// while the server is down (his edits wait in his replica's outbox), syncs when it is back, and
// Marie sees his edit arrive.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "console.hpp"

namespace demo {

struct SyncSetup {
    std::optional<std::filesystem::path> server;  // the leandesk-server binary, when found
    std::string missing_reason;                   // where it was looked for, when not found
    std::filesystem::path folder;                 // the chapter's files, recreated on every run
};

/// Tells the chapter. Without a server binary it says so, and how to get one, and returns: the
/// local walkthrough stands on its own. Anything else that fails throws (the server, if started,
/// is stopped first).
void tell_offline_sync(Console& out, const SyncSetup& setup);

}  // namespace demo

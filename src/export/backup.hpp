// Full backup of a group and its restore into a new group. A backup is a folder that any tool can
// read (docs/backup-format.md):
//
//   <folder>/group.json                 every record of the group, as JSON
//   <folder>/photos/<sha256>.<ext>      each photo's bytes once, named by their SHA-256
//
// Restore makes a new group from it: fresh ids for everything, the restoring user as manager,
// people matched by e-mail (an unknown address becomes a not-yet-activated person, as when a
// manager adds a member by e-mail). Everything is validated before anything is written, and the
// whole group is written in one transaction: a damaged or hostile backup changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.hpp"
#include "export/progress.hpp"

namespace leandesk::exports {

inline constexpr const char* kBackupFormat = "leandesk-group-backup";
inline constexpr std::int64_t kBackupVersion = 1;

/// Writes a backup of `group_id` into the new folder `folder` (which must not exist; it appears
/// only once complete). Group manager only (R7/R10: the backup holds every record of the group).
/// Progress counts records and photo files. Errors: not_found, permission_denied, conflict (the
/// folder exists), io, cancelled.
void backup_group(Engine& engine, const Actor& actor, const Id& group_id, const std::string& folder,
                  const Progress& progress = {});

struct RestoreLimits {
    /// group.json larger than this is refused before it is read (it is parsed in memory).
    std::uint64_t max_manifest_bytes = 512ULL * 1024 * 1024;
};

/// Restores the backup in `folder` as a new group managed by `actor` and returns it. Errors:
/// corrupt (anything wrong in the backup: bad JSON, a wrong type or value, a dangling reference, a
/// photo missing, oversized, altered, or outside the folder), not_found (no backup there),
/// not_signed_in / permission_denied (R1: an active user), cancelled. Nothing changes on failure.
Group restore_group(Engine& engine, const Actor& actor, const std::string& folder,
                    const Progress& progress = {}, const RestoreLimits& limits = {});

}  // namespace leandesk::exports

// The versioned schema. Migration N takes a database at version N-1 to version N; a released
// migration is never edited, only followed by a new one. PRAGMA user_version holds the version.
#pragma once

#include "store/sqlite.hpp"

namespace leandesk::store {

/// The version this build writes.
int latest_schema_version();

/// Brings `db` to `target` (default: latest) in one transaction. Refuses a database newer than
/// this build (Error conflict) rather than guessing at its meaning.
void migrate(Database& db, int target = -1);

int schema_version(Database& db);

}  // namespace leandesk::store

// The records sync moves, described once as data: for each entity of the change log, its table,
// key and columns (in wire order), its bucket, and which columns reference people or other
// records. The server reads rows with it, the replica writes them with it (docs/protocol.md,
// "Rows").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine_impl.hpp"

namespace leandesk::sync {

enum class BucketKind { group, project };

struct TableSpec {
    const char* entity;                // the change log's name: "action"
    const char* table;                 // "actions"
    std::vector<const char*> key;      // one column ("id"), or two for "a/b" ids
    std::vector<const char*> columns;  // every synced column, key columns first
    int rank;                          // parents before children when applying
    BucketKind bucket;
    /// SQL returning the record's bucket id (group or project) from its key.
    const char* bucket_sql;
    /// Columns naming a user; `required` ones are never null (manager, owner, the member itself).
    std::vector<std::pair<const char*, bool>> user_refs;
    /// Nullable columns naming another record: (column, table). Null on the replica when the
    /// record is not there (yet): a later change brings the link back.
    std::vector<std::pair<const char*, const char*>> record_refs;

    [[nodiscard]] int column_index(const char* name) const;
};

/// The spec of an entity, or null for one sync does not move ("user" is a person, see below).
const TableSpec* table_for(std::string_view entity);
const std::vector<TableSpec>& all_tables();

/// Splits an entity id into its key values ("g/u" for two-column keys); empty when malformed.
std::vector<std::string> split_key(const TableSpec& spec, const std::string& entity_id);

/// The current row as a JSON array in column order, or nullopt when it does not exist.
std::optional<Json> read_row(store::Database& db, const TableSpec& spec,
                             const std::string& entity_id);
/// Appends the current row as JSON text (`[v1, v2, ...]`, column order) to `out`; false when the
/// record does not exist. Each non-null user reference goes through `keep_user(id, required)`:
/// written when it returns true, null otherwise (someone the viewer may not see).
bool append_row_json(store::Database& db, const TableSpec& spec, const std::string& entity_id,
                     std::string& out,
                     const std::function<bool(const std::string&, bool)>& keep_user);
/// The bucket id (group or project id) the record belongs to, or nullopt when it does not exist.
std::optional<std::string> bucket_of(store::Database& db, const TableSpec& spec,
                                     const std::string& entity_id);

/// Inserts or replaces a row received from the server (values already checked by the caller).
void upsert_row(store::Database& db, const TableSpec& spec, const Json& values);
/// Deletes a record and what hangs from it; returns the blob hashes it may have freed.
std::vector<std::string> delete_row(store::Database& db, const TableSpec& spec,
                                    const std::string& entity_id);

// ---- people ---------------------------------------------------------------------------------
// A person travels as [id, email|null, first_name, last_name, avatar, status, activated_at,
// deactivated, created_at, newsletter_opt_in, show_open_actions_on_dashboard,
// accepted_policy_version]; the e-mail is null where R13 hides it, and the last three are the
// user's own preferences (defaults for anybody else).
inline constexpr std::size_t kPersonFields = 12;

/// The person `user_id` as `viewer` may see them, or nullopt when the user does not exist.
std::optional<Json> read_person(Engine::Impl& impl, const Id& user_id, const Actor& viewer);
/// Writes a person received from the server into a replica.
void upsert_person(store::Database& db, const Json& person, const Id& self);
/// The e-mail stored on a replica for a person whose address it may not see.
std::string hidden_email(const Id& user_id);

}  // namespace leandesk::sync

#include "store/schema.hpp"

#include <array>
#include <string>

#include "common/error.hpp"

namespace leandesk::store {
namespace {

// Version 1: the data model of the first release.
constexpr const char* kV1 = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id                              TEXT PRIMARY KEY,
    email                           TEXT NOT NULL UNIQUE,
    first_name                      TEXT NOT NULL DEFAULT '',
    last_name                       TEXT NOT NULL DEFAULT '',
    avatar                          TEXT,
    status                          TEXT NOT NULL DEFAULT 'none'
                                    CHECK (status IN ('none', 'bronze', 'silver', 'gold')),
    activated_at                    INTEGER,
    deactivated                     INTEGER NOT NULL DEFAULT 0,
    newsletter_opt_in               INTEGER NOT NULL DEFAULT 1,
    show_open_actions_on_dashboard  INTEGER NOT NULL DEFAULT 1,
    created_at                      INTEGER NOT NULL
);

CREATE TABLE groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    manager_id  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);

CREATE TABLE members (
    group_id  TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members(user_id);

CREATE TABLE steps (
    id        TEXT PRIMARY KEY,
    group_id  TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('open', 'active', 'done'))
);
CREATE INDEX steps_by_group ON steps(group_id, position);

CREATE TABLE resources (
    id        TEXT PRIMARY KEY,
    group_id  TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    url       TEXT,
    note      TEXT
);
CREATE INDEX resources_by_group ON resources(group_id);

CREATE TABLE projects (
    id            TEXT PRIMARY KEY,
    group_id      TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    future_state  TEXT NOT NULL DEFAULT '',
    owner_id      TEXT NOT NULL REFERENCES users(id),
    start_date    TEXT,
    target_date   TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    created_at    INTEGER NOT NULL
);
CREATE INDEX projects_by_group ON projects(group_id);

CREATE TABLE participants (
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;
CREATE INDEX participants_by_user ON participants(user_id);

CREATE TABLE indicators (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    baseline    REAL NOT NULL DEFAULT 0,
    target      REAL NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE INDEX indicators_by_project ON indicators(project_id);

CREATE TABLE indicator_values (
    indicator_id  TEXT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    week          TEXT NOT NULL,
    actual        REAL NOT NULL,
    PRIMARY KEY (indicator_id, week)
) WITHOUT ROWID;

CREATE TABLE actions (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    step_id       TEXT NOT NULL REFERENCES steps(id),
    owner_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
    context       TEXT NOT NULL DEFAULT '',
    due_date      TEXT,
    priority      INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 3),
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    indicator_id  TEXT REFERENCES indicators(id) ON DELETE SET NULL,
    impact        REAL,
    position      REAL NOT NULL DEFAULT 0,
    created_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    done_at       INTEGER
);
CREATE INDEX actions_by_project ON actions(project_id, step_id, position);
CREATE INDEX actions_by_owner ON actions(owner_id);
CREATE INDEX actions_by_step ON actions(step_id);
CREATE INDEX actions_by_indicator ON actions(indicator_id);

-- Content-addressed blobs (photos, avatars), kept in the database so that adding or removing one
-- commits atomically with the record that references it, and secure_delete erases it.
CREATE TABLE blobs (
    hash        TEXT PRIMARY KEY,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE photos (
    id          TEXT PRIMARY KEY,
    action_id   TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    blob        TEXT NOT NULL REFERENCES blobs(hash),
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    caption     TEXT NOT NULL DEFAULT '',
    taken_at    INTEGER,
    added_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX photos_by_action ON photos(action_id);
CREATE INDEX photos_by_blob ON photos(blob);

-- The change log sync reads: one row per record touched by an applied command. Field names only,
-- never values, so erased content does not live on here. group_id/project_id are the record's
-- sync buckets.
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    op          TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    fields      TEXT NOT NULL DEFAULT '[]',
    at          INTEGER NOT NULL,
    actor       TEXT,
    group_id    TEXT,
    project_id  TEXT
);
CREATE INDEX changes_by_group ON changes(group_id, seq);
CREATE INDEX changes_by_project ON changes(project_id, seq);
)sql";

// Version 2: comments on actions, and the privacy-policy bookkeeping of users.
constexpr const char* kV2 = R"sql(
CREATE TABLE comments (
    id          TEXT PRIMARY KEY,
    action_id   TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    author_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX comments_by_action ON comments(action_id, created_at);

ALTER TABLE users ADD COLUMN accepted_policy_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_active_at INTEGER;
)sql";

// Version 3: accounts. Secrets live only here, only as hashes (Argon2id for passwords, BLAKE2b for
// 256-bit tokens), and never travel to a replica or through the change log.
constexpr const char* kV3 = R"sql(
CREATE TABLE credentials (
    user_id              TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    password_hash        TEXT NOT NULL,
    failed_sign_ins      INTEGER NOT NULL DEFAULT 0,
    failed_window_start  INTEGER
) WITHOUT ROWID;

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,  -- NULL: the operator's session
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE account_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('activate', 'reset', 'email_change')),
    new_email   TEXT,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX account_tokens_by_user ON account_tokens(user_id);

CREATE TABLE operator_credential (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    secret_hash  TEXT NOT NULL
);

CREATE TABLE policy_versions (
    version       INTEGER PRIMARY KEY,
    summary       TEXT NOT NULL,
    published_at  INTEGER NOT NULL
);

-- Anonymous usage figures: counts only, no user id, e-mail or IP address.
CREATE TABLE usage_counts (
    event         TEXT NOT NULL,
    platform      TEXT NOT NULL,
    os_version    TEXT NOT NULL,
    app_version   TEXT NOT NULL,
    device_class  TEXT NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (event, platform, os_version, app_version, device_class)
) WITHOUT ROWID;
)sql";

// Version 4: the change log without a CHECK (op IN (...)). SQLite evaluates an IN list by building
// a temporary b-tree for every row inserted, which cost a third of a command's time; the engine
// alone writes this table, with its own three constants. AUTOINCREMENT stays: sync checkpoints
// rely on sequence numbers never being reused.
constexpr const char* kV4 = R"sql(
CREATE TABLE changes_v4 (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    fields      TEXT NOT NULL DEFAULT '[]',
    at          INTEGER NOT NULL,
    actor       TEXT,
    group_id    TEXT,
    project_id  TEXT
);
INSERT INTO changes_v4 SELECT seq, entity, entity_id, op, fields, at, actor, group_id, project_id
    FROM changes ORDER BY seq;
DROP TABLE changes;
ALTER TABLE changes_v4 RENAME TO changes;
CREATE INDEX changes_by_group ON changes(group_id, seq);
CREATE INDEX changes_by_project ON changes(project_id, seq);
)sql";

// Version 5: sync (docs/sync.md, docs/protocol.md). A plain local database leaves these tables
// empty. Replica side: its identity and hybrid logical clock, the outbox of commands waiting to be
// pushed, a checkpoint per bucket, the records to fetch again after a rejection, and the last
// rejections for the status. Server side: the command ids seen per user (push is idempotent), the
// clock of every field written through sync (the later stamp wins), and blobs uploaded ahead of
// the commands that use them.
constexpr const char* kV5 = R"sql(
CREATE TABLE sync_replica (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    server_url       TEXT NOT NULL,
    node             TEXT NOT NULL,
    user_id          TEXT,
    token            TEXT,
    ca_file          TEXT,
    pinned_key       TEXT,
    hlc_wall         INTEGER NOT NULL DEFAULT 0,
    hlc_counter      INTEGER NOT NULL DEFAULT 0,
    last_success_at  INTEGER,
    last_error_code  INTEGER,
    last_error       TEXT
);

CREATE TABLE sync_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id  TEXT NOT NULL UNIQUE,
    user_id     TEXT NOT NULL,
    command     TEXT NOT NULL,
    args        TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    blob        TEXT,
    touched     TEXT NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL
);

CREATE TABLE sync_checkpoints (
    bucket  TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sync_refetch (
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

CREATE TABLE sync_rejections (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id  TEXT NOT NULL,
    command     TEXT NOT NULL,
    code        INTEGER NOT NULL,
    rule        TEXT,
    message     TEXT NOT NULL,
    at          INTEGER NOT NULL
);

CREATE TABLE sync_commands (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    command_id  TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    code        INTEGER NOT NULL DEFAULT 0,
    rule        TEXT,
    message     TEXT,
    at          INTEGER NOT NULL,
    PRIMARY KEY (user_id, command_id)
) WITHOUT ROWID;

CREATE TABLE sync_field_clocks (
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) WITHOUT ROWID;

CREATE TABLE sync_uploads (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash     TEXT NOT NULL,
    data     BLOB NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (user_id, hash)
) WITHOUT ROWID;

-- A group's own records (not its projects'), for pulling the group bucket without walking past
-- every action of its projects. Partial: plan commands do not pay for it.
CREATE INDEX changes_group_level ON changes(group_id, seq) WHERE project_id IS NULL;
)sql";

// Version 6: accounts that reveal nothing and cannot be taken over (docs/accounts.md). A sign-up is
// a claim on an address, with its own names and password, until its mailed code proves the address:
// the verified claim wins and the others die. Pending sign-ups of version 5 become claims (their
// activation codes stay valid). Failed sign-ins are counted per (address tried, client) and per
// client; account mails per recipient. Addresses tried and recipients are kept as BLAKE2b hashes.
constexpr const char* kV6 = R"sql(
CREATE TABLE signup_claims (
    token_hash     TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX signup_claims_by_user ON signup_claims(user_id, created_at);
INSERT INTO signup_claims
    SELECT t.token_hash, t.user_id, u.first_name, u.last_name, c.password_hash, u.created_at,
           t.expires_at
    FROM account_tokens t JOIN users u ON u.id = t.user_id JOIN credentials c ON c.user_id = u.id
    WHERE t.purpose = 'activate' AND u.activated_at IS NULL;
DELETE FROM account_tokens WHERE purpose = 'activate'
    AND user_id IN (SELECT id FROM users WHERE activated_at IS NULL);
DELETE FROM credentials WHERE user_id IN (SELECT id FROM users WHERE activated_at IS NULL);

CREATE TABLE sign_in_failures (
    scope     TEXT NOT NULL,  -- BLAKE2b of the address tried, or '*': the client's total
    client    TEXT NOT NULL,  -- the client's network address; '' for a local caller
    failures  INTEGER NOT NULL,
    first_at  INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, client)
) WITHOUT ROWID;

CREATE TABLE account_mails (
    recipient  TEXT NOT NULL,  -- BLAKE2b of the address
    sent_at    INTEGER NOT NULL
);
CREATE INDEX account_mails_by_recipient ON account_mails(recipient, sent_at);
)sql";

constexpr std::array<const char*, 6> kMigrations = {kV1, kV2, kV3, kV4, kV5, kV6};

}  // namespace

int latest_schema_version() {
    return static_cast<int>(kMigrations.size());
}

int schema_version(Database& db) {
    Stmt s = db.prepare("PRAGMA user_version");
    s.step();
    return static_cast<int>(s.int64(0));
}

void migrate(Database& db, int target) {
    if (target < 0) target = latest_schema_version();
    Transaction tx(db);
    const int current = schema_version(db);
    if (current > latest_schema_version()) {
        throw Error(Errc::conflict, "database schema version " + std::to_string(current) +
                                        " is newer than this library (" +
                                        std::to_string(latest_schema_version()) + ")");
    }
    for (int v = current + 1; v <= target; ++v) {
        db.exec(kMigrations.at(static_cast<std::size_t>(v - 1)));
        db.exec("PRAGMA user_version = " + std::to_string(v));
    }
    tx.commit();
}

}  // namespace leandesk::store

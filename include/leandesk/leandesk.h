/**
 * @file leandesk.h
 * @brief The stable C API of the LeanDesk core.
 *
 * One engine, embedded by the Android and iOS apps, Python scripts and integrators, reached
 * through this header only. Conventions (docs/api.md says more):
 *
 * - **Status codes.** Every function that can fail returns an `int`: #LD_OK (0) or a negative
 *   `LD_E*` code. After a failure, ld_last_error() gives the calling thread's message and
 *   ld_last_error_code() its code. A refusal by a permission rule is #LD_EPERM with a message that
 *   starts with the rule's id ("R9: ...") and changes nothing.
 * - **Output parameters first**, named `out`. What a function hands back through `out` belongs to
 *   the caller and is freed with the matching `*_free` function; every `*_free` accepts NULL.
 *   Strings are NUL-terminated UTF-8 freed with ld_string_free(); bytes are freed with
 *   ld_bytes_free(). On failure `*out` is set to NULL (or 0) so a caller may free it blindly.
 * - **Entities cross as JSON** text (UTF-8) whose shapes are the JSON Schemas in docs/schema/.
 *   Inputs are JSON objects: unknown keys, wrong types and out-of-range values are refused with
 *   #LD_EINVAL and change nothing. Ids are lower-case UUID strings.
 * - **Handles are opaque.** An ::ld_db is one open database; an ::ld_session is a signed-in user (or
 *   the operator) on a database. A database must outlive its sessions.
 * - **Threads.** Unless a function says otherwise it may be called from any thread; calls on one
 *   database are serialized. Callbacks say on which thread they run, take `void *userdata` last,
 *   and accept an optional ::ld_free_fn that LeanDesk calls on `userdata` when the callback is
 *   replaced, removed or the database is closed. When registering fails, LeanDesk keeps nothing
 *   and calls nothing: `userdata` stays the caller's. With `fn` NULL (removing a callback),
 *   `userdata` and `free_userdata` are ignored.
 * - **Common errors.** Besides those listed per function: #LD_EINVAL for a NULL where a value is
 *   required or malformed JSON; #LD_ESESSION / #LD_ENOTSIGNEDIN for a session that ended or never
 *   was; #LD_EIO, #LD_EBUSY, #LD_ENOMEM, #LD_ECORRUPT from the storage; #LD_EINTERNAL for a bug.
 *
 * The header compiles as C99 and as C++. Released signatures never change: a new behaviour gets a
 * new function with a `_v2` suffix.
 */
#ifndef LEANDESK_H
#define LEANDESK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LD_BUILDING_LIBRARY)
#define LD_API __attribute__((visibility("default")))
#else
#define LD_API
#endif

/* ============================================================================================ */
/** @name Version */
/**@{*/

#define LD_VERSION_MAJOR 0 /**< incompatible API or ABI changes bump it */
#define LD_VERSION_MINOR 1 /**< additions (new functions, new JSON fields) bump it */
#define LD_VERSION_PATCH 0 /**< fixes only */
/** The header's version as text. */
#define LD_VERSION "0.1.0"
/** MAJOR * 1000000 + MINOR * 1000 + PATCH, comparable as an integer. */
#define LD_VERSION_NUMBER (LD_VERSION_MAJOR * 1000000 + LD_VERSION_MINOR * 1000 + LD_VERSION_PATCH)

/** The library's version string ("0.1.0"). Static storage, never NULL. Any thread. */
LD_API const char *ld_version(void);
/** The library's #LD_VERSION_NUMBER. Compare it with the header's at load time: the major parts
 * must be equal and the library's minor at least the header's. Any thread. */
LD_API int ld_version_number(void);
/** #LD_OK when the library can serve code compiled against `header_version_number` (pass
 * #LD_VERSION_NUMBER), else #LD_ECONFLICT with a message naming both versions. Any thread. */
LD_API int ld_check_version(int header_version_number);

/**@}*/
/* ============================================================================================ */
/** @name Status codes and errors */
/**@{*/

#define LD_OK 0 /**< success */
#define LD_ERROR (-1)        /**< unclassified failure */
#define LD_ENOTFOUND (-2)    /**< the id names nothing the caller may see */
#define LD_EPERM (-3)        /**< refused by a rule; the message starts with its id ("R9: ...") */
#define LD_EINVAL (-4)       /**< invalid argument: NULL, bad JSON, wrong shape, bad value */
#define LD_ECONFLICT (-5)    /**< unique key taken, still in use, or state changed */
#define LD_ENOTSIGNEDIN (-6) /**< no signed-in user behind this handle or token */
#define LD_ESESSION (-7)     /**< the session expired, went idle too long, or was ended */
#define LD_ENETWORK (-8)     /**< network failure (sync, mail) */
#define LD_EIO (-9)          /**< the database file, the disk or a mail sender failed */
#define LD_EBUSY (-10)       /**< the database is locked by another process */
#define LD_ENOMEM (-11)      /**< out of memory */
#define LD_ERATELIMIT (-12)  /**< too many attempts; try again later */
#define LD_ECANCELLED (-13)  /**< cancelled by the caller */
#define LD_ECORRUPT (-14)    /**< damaged database or input file */
#define LD_EINTERNAL (-15)   /**< a bug in LeanDesk: please report it */
#define LD_EAUTH (-16)       /**< wrong e-mail or password, or an unknown, used or expired code */

/** The code of the calling thread's last failure, #LD_OK after a success. Any thread. */
LD_API int ld_last_error_code(void);
/** The message of the calling thread's last failure ("" after a success). Valid until the same
 * thread's next LeanDesk call; never NULL. It never holds a password, token or hash. */
LD_API const char *ld_last_error(void);
/** A short stable name for a status code ("permission denied"). Static storage; never NULL. */
LD_API const char *ld_error_name(int code);

/**@}*/
/* ============================================================================================ */
/** @name Memory */
/**@{*/

/** Frees a string returned by LeanDesk. NULL is ignored. Any thread. */
LD_API void ld_string_free(char *str);
/** Frees bytes returned by LeanDesk. NULL is ignored. Any thread. */
LD_API void ld_bytes_free(uint8_t *bytes);
/** Called by LeanDesk on a callback's `userdata` when it no longer needs it. */
typedef void (*ld_free_fn)(void *userdata);

/**@}*/
/* ============================================================================================ */
/** @name Database */
/**@{*/

/** An open database: the engine over one SQLite file. */
typedef struct ld_db ld_db;

/**
 * Opens the database at `path` (created and migrated when needed; ":memory:" for a temporary one).
 *
 * `options_json` may be NULL or an object with any of: `max_blob_bytes` (photo and avatar cap,
 * default 10 MiB), `session_lifetime_ms`, `session_idle_timeout_ms` (at least 60000: activity is recorded at a one-minute
 * grain), `activation_token_lifetime_ms`,
 * `reset_token_lifetime_ms`, `max_failed_sign_ins` (per address tried and client),
 * `failed_sign_in_window_ms`, `max_failed_sign_ins_per_client`,
 * `max_mails_per_recipient_per_hour` (account mails; docs/accounts.md),
 * `active_user_window_ms`, `product_name`, `link_base` (prefix of links in mails),
 * `password_opslimit`, `password_memlimit` (Argon2id; never below the library's minimum),
 * `smtp`: {url, from, from_name?, username?, password?, allow_plaintext_loopback?, ca_file?,
 * timeout_ms?} to send the activation, reset and report mails through an SMTP server (TLS
 * required; docs/export.md) when no callback is set with ld_db_set_mail_sender().
 *
 * On success `*out` is a handle to close with ld_db_close().
 * Errors: #LD_EINVAL (bad option), #LD_EIO (cannot open or write), #LD_ECORRUPT (not a LeanDesk
 * database), #LD_ECONFLICT (written by a newer LeanDesk). Any thread.
 */
LD_API int ld_db_open(ld_db **out, const char *path, const char *options_json);

/** Closes the database and frees the handle. NULL is ignored. Sessions on it must be freed first
 * and no call on it may be running. Calls the free functions of registered callbacks. */
LD_API void ld_db_close(ld_db *db);

/** How the store is set up, as JSON: schema_version, journal_mode, foreign_keys, secure_delete,
 * busy_timeout_ms, prepared_statements, page_count, page_size. Free `*out` with ld_string_free(). */
LD_API int ld_db_storage_info(char **out, ld_db *db);

/** Moves the write-ahead log into the database file and truncates it. Deleted content is already
 * overwritten (secure_delete); this also clears it from the log file. */
LD_API int ld_db_checkpoint(ld_db *db);

#define LD_LOG_DEBUG 0   /**< log level passed to an ::ld_log_fn: detail for developers */
#define LD_LOG_INFO 1    /**< log level: an event worth keeping (sign-in, deactivation, ...) */
#define LD_LOG_WARNING 2 /**< log level: something refused or suspicious (rate limiting) */
#define LD_LOG_ERROR 3   /**< log level: a failure */

/** Receives one log line (UTF-8, valid only during the call). Lines hold ids and events, never a
 * password, token or hash. Runs on the thread of the call that logs; must not call LeanDesk. */
typedef void (*ld_log_fn)(int level, const char *message, void *userdata);

/** Sets (or with `fn` NULL, removes) the log callback. */
LD_API int ld_db_set_log(ld_db *db, ld_log_fn fn, void *userdata, ld_free_fn free_userdata);

/**
 * Delivers one mail (activation, password reset, e-mail change). `mail_json` is
 * {"to","to_name","subject","text","html"}, valid only during the call. Return 0 when the mail was
 * handed over, non-zero when it could not be: the operation that wanted to send it then fails with
 * #LD_EIO and changes nothing. Runs on the calling thread inside the operation's transaction: it
 * must not call LeanDesk.
 */
typedef int (*ld_mail_fn)(const char *mail_json, void *userdata);

/** Sets (or with `fn` NULL, removes) the mail sender. Sign-up and password resets need one. */
LD_API int ld_db_set_mail_sender(ld_db *db, ld_mail_fn fn, void *userdata,
                                 ld_free_fn free_userdata);

/** Returns "now" in milliseconds since the Unix epoch (UTC). Must not call LeanDesk. */
typedef int64_t (*ld_clock_fn)(void *userdata);

/** Replaces the clock (or with `fn` NULL, restores the system clock). For tests: expiries, idle
 * timeouts and rate-limit windows then follow the injected time. */
LD_API int ld_db_set_clock(ld_db *db, ld_clock_fn fn, void *userdata, ld_free_fn free_userdata);

/**
 * Receives the change records of one committed unit of work, as a JSON array of
 * {seq, entity, entity_id, op, fields, at, actor, group_id, project_id} (valid during the call).
 * Runs on the thread that committed, after the commit; it may call LeanDesk.
 */
typedef void (*ld_observer_fn)(const char *changes_json, void *userdata);

/** Registers an observer; `*out` receives its id for ld_db_remove_observer(). */
LD_API int ld_db_add_observer(uint64_t *out, ld_db *db, ld_observer_fn fn, void *userdata,
                              ld_free_fn free_userdata);

/** Unregisters an observer (its free function is called). #LD_ENOTFOUND for an unknown id. */
LD_API int ld_db_remove_observer(ld_db *db, uint64_t observer_id);

/** The change log after `after_seq`, oldest first, at most `limit` records (at most 100,000), as a
 * JSON array. Low-level: it names records of every group in this database. */
LD_API int ld_db_changes_since(char **out, ld_db *db, int64_t after_seq, int64_t limit);

/**
 * Reports the progress of long work (export, backup, sync): `done` of `total` units (`total` 0
 * when unknown). Return non-zero to cancel: the work stops with #LD_ECANCELLED and leaves nothing
 * half-done. Runs on the thread doing the work.
 */
typedef int (*ld_progress_fn)(int64_t done, int64_t total, void *userdata);

/**@}*/
/* ============================================================================================ */
/** @name Accounts (no session needed) */
/**@{*/

/** Signs up from {first_name, last_name, email, password}: records a claim on the address and
 * mails it the activation code; the claim becomes the account only when its code comes back, and
 * then every other claim on the address dies (R16: an address held by someone added to a group
 * claims that person). `*out` is the user as JSON (not yet activated). The answer is the same
 * when the address already has an account: nothing is created, the id names no record, and the
 * owner gets a mail saying someone tried (docs/accounts.md).
 * Errors: #LD_EINVAL (password shorter than 10 or longer than 1024 bytes, equal to the e-mail, bad
 * e-mail, missing name, a field the policy forbids such as a postal address, R17), #LD_EIO (no
 * mail sender, or it failed). */
LD_API int ld_account_sign_up(char **out, ld_db *db, const char *input_json);

/** Mails a fresh code for the newest pending sign-up on the address. Anything else is ignored
 * (#LD_OK), so the answer reveals nothing. */
LD_API int ld_account_resend_activation(ld_db *db, const char *email);

/** Consumes an activation or e-mail-change code; `*out` is the user as JSON.
 * Errors: #LD_EAUTH (unknown, used or expired code), #LD_ECONFLICT (the new address was taken). */
LD_API int ld_account_activate(char **out, ld_db *db, const char *code);

/** Mails a password-reset code; unknown addresses are ignored (#LD_OK), and a mail that cannot be
 * sent is logged, not reported, so the answer reveals nothing. */
LD_API int ld_account_request_password_reset(ld_db *db, const char *email);

/** Sets a new password with a reset code and ends every session of the user.
 * Errors: #LD_EAUTH (bad code), #LD_EINVAL (password rules). */
LD_API int ld_account_reset_password(ld_db *db, const char *code, const char *new_password);

/**@}*/
/* ============================================================================================ */
/** @name Sessions */
/**@{*/

/** A signed-in user, or the operator, on a database. */
typedef struct ld_session ld_session;

/** Signs in; `*out` is a new session (a new token every time) to free with ld_session_free().
 * Errors: #LD_EAUTH (wrong e-mail or password, or not activated yet: the same answer for all),
 * #LD_ERATELIMIT (too many failures for this address recently, known or not), #LD_EPERM (R12:
 * the account is deactivated). */
LD_API int ld_session_sign_in(ld_session **out, ld_db *db, const char *email,
                              const char *password);

/** Resumes a session from a token kept by the app (see ld_session_token()).
 * Errors: #LD_ESESSION (ended, expired or idle), #LD_ENOTSIGNEDIN (malformed token). */
LD_API int ld_session_resume(ld_session **out, ld_db *db, const char *token);

/** Frees the handle; the session itself stays valid (sign out first to end it). NULL is ignored. */
LD_API void ld_session_free(ld_session *session);

/** Ends the session on the database; later calls with it fail with #LD_ESESSION. */
LD_API int ld_session_sign_out(ld_session *session);

/** The session's secret token, for the app to keep in the platform's secure storage and pass to
 * ld_session_resume(). Free `*out` with ld_string_free(); never log it. */
LD_API int ld_session_token(char **out, ld_session *session);

/** {user_id, expires_at, policy_notice_required, policy_version, is_operator} as JSON.
 * `policy_notice_required` is true when the operator published a privacy-policy version this user
 * has not acknowledged: the app shows the notice, then calls ld_me_acknowledge_policy(). */
LD_API int ld_session_info(char **out, ld_session *session);

/** Runs any command or query by name with JSON arguments (the list is in docs/api.md); `*out` is
 * the result as JSON ("null" when there is none). The typed functions below are the same calls. */
LD_API int ld_session_execute(char **out, ld_session *session, const char *command,
                              const char *args_json);

/**@}*/
/* ============================================================================================ */
/** @name My account (R11) */
/**@{*/

/** The signed-in user's own full record as JSON. */
LD_API int ld_me_get(char **out, ld_session *session);

/** Edits the own profile: {first_name, last_name, newsletter_opt_in,
 * show_open_actions_on_dashboard}. The e-mail changes through ld_me_request_email_change(); the
 * status only by the operator (R11/R12: #LD_EPERM). `*out` is the updated user. */
LD_API int ld_me_update(char **out, ld_session *session, const char *patch_json);

/** Mails a confirmation code to a new address; the change applies when the code is passed to
 * ld_account_activate(). Errors: #LD_ECONFLICT (address in use), #LD_EIO (no mail sender). */
LD_API int ld_me_request_email_change(ld_session *session, const char *new_email);

/** Changes the password (the current one is required) and ends every other session of the user.
 * Errors: #LD_EAUTH (current password wrong), #LD_EINVAL (password rules). */
LD_API int ld_me_change_password(ld_session *session, const char *current_password,
                                 const char *new_password);

/** Sets the avatar from image bytes (JPEG, PNG, WebP or HEIC, by content; size-capped), or
 * removes it when `size` is 0. `*out` is the updated user. Visible to group mates (R13). */
LD_API int ld_me_set_avatar(char **out, ld_session *session, const uint8_t *image, size_t size);

/** Acknowledges the privacy-policy notice of `version`. `*out` is the updated user. */
LD_API int ld_me_acknowledge_policy(char **out, ld_session *session, int64_t version);

/** Deletes the account (password required): personal data erased, memberships ended, actions they
 * owned stay without an owner. The session ends. Errors: #LD_EAUTH, #LD_EPERM with a message
 * starting "R3:" (still manages a group: hand it over first). */
LD_API int ld_me_delete_account(ld_session *session, const char *password);

/** The signed-in user's actions across projects, late and soon-due first; open-step ones hidden
 * when their preference says so. JSON array of actions (with the derived `overdue`). */
LD_API int ld_dashboard_get(char **out, ld_session *session);

/**@}*/
/* ============================================================================================ */
/** @name Groups, members, steps, resources (R1–R4, R13) */
/**@{*/

/** Creates a group {id?, name}; the caller becomes its manager and it gets the default steps (R1). */
LD_API int ld_group_create(char **out, ld_session *session, const char *input_json);
/** A group the caller is a member of (R13). */
LD_API int ld_group_get(char **out, ld_session *session, const char *group_id);
/** The caller's groups, as a JSON array. */
LD_API int ld_group_list(char **out, ld_session *session);
/** Renames a group: {name}. Manager only (R2). */
LD_API int ld_group_update(char **out, ld_session *session, const char *group_id,
                           const char *patch_json);
/** Deletes the group and everything in it, permanently (R2, R14). */
LD_API int ld_group_delete(ld_session *session, const char *group_id);
/** Members as people {id, display_name, first_name, last_name, avatar, status, activated, email?};
 * the e-mail only where the caller may see it (R13). */
LD_API int ld_group_members(char **out, ld_session *session, const char *group_id);
/** Adds a member by e-mail (R2); an unknown address becomes a not-yet-activated person (R16).
 * `*out` is the person. Errors: #LD_ECONFLICT (already a member). */
LD_API int ld_group_add_member(char **out, ld_session *session, const char *group_id,
                               const char *email);
/** Removes a member (manager only, R2; never the manager, R3); they also leave every project of
 * the group (R4). */
LD_API int ld_group_remove_member(ld_session *session, const char *group_id, const char *user_id);
/** Leaves the group and its projects (R4); the manager must hand over first (R3). */
LD_API int ld_group_leave(ld_session *session, const char *group_id);
/** Hands the manager role to another member (R2). `*out` is the group. */
LD_API int ld_group_transfer(char **out, ld_session *session, const char *group_id,
                             const char *new_manager_id);
/** The group's projects the caller may see: all for the manager (R7), else those they are in. */
LD_API int ld_group_projects(char **out, ld_session *session, const char *group_id);

/** The group's workflow steps in order. */
LD_API int ld_step_list(char **out, ld_session *session, const char *group_id);
/** Adds a step {id?, name, kind: "open"|"active"|"done"} at the end (R2). */
LD_API int ld_step_add(char **out, ld_session *session, const char *group_id,
                       const char *input_json);
/** Renames a step or changes its kind: {name, kind} (R2). */
LD_API int ld_step_update(char **out, ld_session *session, const char *step_id,
                          const char *patch_json);
/** Moves a step to `position` (0-based); `*out` is the new order (R2). */
LD_API int ld_step_move(char **out, ld_session *session, const char *step_id, int64_t position);
/** Removes an unused step (R2). Errors: #LD_ECONFLICT (actions still in it, or the last step). */
LD_API int ld_step_remove(ld_session *session, const char *step_id);

/** The group's shared resources. */
LD_API int ld_resource_list(char **out, ld_session *session, const char *group_id);
/** Adds a resource {id?, name, url?, note?} (R2). */
LD_API int ld_resource_add(char **out, ld_session *session, const char *group_id,
                           const char *input_json);
/** Edits a resource {name, url, note} (R2). */
LD_API int ld_resource_update(char **out, ld_session *session, const char *resource_id,
                              const char *patch_json);
/** Removes a resource (R2). */
LD_API int ld_resource_remove(ld_session *session, const char *resource_id);

/**@}*/
/* ============================================================================================ */
/** @name Projects and participants (R5–R8, R15) */
/**@{*/

/** Creates a project {id?, group_id, name, description?, future_state?, start_date?,
 * target_date?}; the caller owns it and is its first participant (R5). */
LD_API int ld_project_create(char **out, ld_session *session, const char *input_json);
/** A project the caller may read (participant, R8, or group manager, R7). */
LD_API int ld_project_get(char **out, ld_session *session, const char *project_id);
/** The projects the caller takes part in, across groups. */
LD_API int ld_project_list(char **out, ld_session *session);
/** Edits {name, description, future_state, start_date, target_date, status: "active"|"closed"}. */
LD_API int ld_project_update(char **out, ld_session *session, const char *project_id,
                             const char *patch_json);
/** Deletes the project and everything in it, permanently (group manager or owner; R7, R14). */
LD_API int ld_project_delete(ld_session *session, const char *project_id);
/** Participants as people, with e-mail (R8). */
LD_API int ld_project_participants(char **out, ld_session *session, const char *project_id);
/** Adds a group member as participant (owner or group manager, R6). `*out` is the participation. */
LD_API int ld_project_add_participant(char **out, ld_session *session, const char *project_id,
                                      const char *user_id);
/** Removes a participant (owner or group manager, R6; not the owner). Their actions stay, without
 * an owner. */
LD_API int ld_project_remove_participant(ld_session *session, const char *project_id,
                                         const char *user_id);
/** Leaves the project (R6); the owner hands over first. */
LD_API int ld_project_leave(ld_session *session, const char *project_id);
/** Hands ownership to another participant (owner or group manager, R6). */
LD_API int ld_project_transfer(char **out, ld_session *session, const char *project_id,
                               const char *new_owner_id);
/** All actions of the project in workflow order. */
LD_API int ld_project_actions(char **out, ld_session *session, const char *project_id);
/** The review: {project, steps: [{step, actions}], participants, indicators}. */
LD_API int ld_project_review(char **out, ld_session *session, const char *project_id);
/** The project's indicators. */
LD_API int ld_project_indicators(char **out, ld_session *session, const char *project_id);
/** Checks who a report may be sent to (R15): `recipient_ids_json` is an array of user ids, all
 * participants; `*out` is them as people with e-mail. */
LD_API int ld_project_report_recipients(char **out, ld_session *session, const char *project_id,
                                        const char *recipient_ids_json);

/**@}*/
/* ============================================================================================ */
/** @name Actions, comments, indicators, photos (R9) */
/**@{*/

/** Creates an action {id?, project_id, title, description?, step_id?, owner_id?, context?,
 * due_date?, priority? (0–3), progress? (0–100), indicator_id?, impact?}; without step_id it goes
 * to the group's open step. Participants only (R9). */
LD_API int ld_action_create(char **out, ld_session *session, const char *input_json);
/** An action with its photos and comments: {action, photos, comments}. */
LD_API int ld_action_get(char **out, ld_session *session, const char *action_id);
/** Edits any field of ld_action_create() but id and project_id; null clears an optional one. */
LD_API int ld_action_update(char **out, ld_session *session, const char *action_id,
                            const char *patch_json);
/** Moves the action to `step_id`, before `before_action_id` (NULL: last). Entering a done step
 * marks it done; leaving one reopens it. */
LD_API int ld_action_move(char **out, ld_session *session, const char *action_id,
                          const char *step_id, const char *before_action_id);
/** Deletes the action, its photos and comments, permanently (R14). */
LD_API int ld_action_delete(ld_session *session, const char *action_id);

/** Adds a comment {id?, body} to an action. */
LD_API int ld_comment_add(char **out, ld_session *session, const char *action_id,
                          const char *input_json);
/** Deletes one of the caller's own comments. */
LD_API int ld_comment_delete(ld_session *session, const char *comment_id);

/** Creates an indicator {id?, project_id, name, unit?, baseline?, target?}. */
LD_API int ld_indicator_create(char **out, ld_session *session, const char *input_json);
/** Edits {name, unit, baseline, target}. */
LD_API int ld_indicator_update(char **out, ld_session *session, const char *indicator_id,
                               const char *patch_json);
/** Deletes the indicator and its values; linked actions keep their impact, unlinked. */
LD_API int ld_indicator_delete(ld_session *session, const char *indicator_id);
/** Records the actual value of ISO week `week` ("2026-W09"). */
LD_API int ld_indicator_set_value(char **out, ld_session *session, const char *indicator_id,
                                  const char *week, double actual);
/** Removes the value of `week`. */
LD_API int ld_indicator_clear_value(ld_session *session, const char *indicator_id,
                                    const char *week);
/** The weekly curve [{week, expected, actual}]: expected = baseline + impacts of the actions due by
 * that week. */
LD_API int ld_indicator_curve(char **out, ld_session *session, const char *indicator_id);

/** Adds a photo to an action from image bytes (JPEG, PNG, WebP or HEIC, recognised by content;
 * size-capped) with `input_json` {id?, caption?, taken_at?} or NULL. Stored by content hash. */
LD_API int ld_photo_add(char **out, ld_session *session, const char *action_id,
                        const uint8_t *image, size_t size, const char *input_json);
/** Removes a photo; its bytes go when nothing else uses them. */
LD_API int ld_photo_remove(ld_session *session, const char *photo_id);
/** The bytes of a photo or avatar by content hash, if the caller may see it (#LD_ENOTFOUND
 * otherwise: knowing a hash grants nothing). Free `*out` with ld_bytes_free(). */
LD_API int ld_blob_read(uint8_t **out, size_t *out_size, ld_session *session, const char *hash);

/**@}*/
/* ============================================================================================ */
/** @name The operator (R12) */
/**@{*/

/** Sets the operator secret (at least 16 characters): the first time with `current` NULL or "",
 * afterwards with the current one. Ends every operator session. Errors: #LD_EAUTH. */
LD_API int ld_operator_set_secret(ld_db *db, const char *current, const char *new_secret);
/** Signs the operator in; the session is distinct from any user's. Errors: #LD_EAUTH. */
LD_API int ld_operator_sign_in(ld_session **out, ld_db *db, const char *secret);
/** Any user's full record. */
LD_API int ld_operator_get_user(char **out, ld_session *session, const char *user_id);
/** Sets a user's status: "none", "bronze", "silver" or "gold". */
LD_API int ld_operator_set_user_status(char **out, ld_session *session, const char *user_id,
                                       const char *status);
/** Deactivates (`deactivated` non-zero: every session of the user ends at once) or reactivates. */
LD_API int ld_operator_set_user_deactivated(char **out, ld_session *session, const char *user_id,
                                            int deactivated);
/** Changes a user's login e-mail. Errors: #LD_ECONFLICT (address in use). */
LD_API int ld_operator_change_login_email(char **out, ld_session *session, const char *user_id,
                                          const char *email);
/** Mails the user a reset code and ends their sessions. */
LD_API int ld_operator_reset_password(ld_session *session, const char *user_id);
/** Publishes a new privacy-policy version with a summary; `*out` is {version, summary,
 * published_at}. Users see the notice at their next sign-in. */
LD_API int ld_operator_publish_policy(char **out, ld_session *session, const char *summary);
/** Users active in the last three months (for the policy e-mail), as a JSON array of users. */
LD_API int ld_operator_active_users(char **out, ld_session *session);
/** Activated, active users who consented to the newsletter. */
LD_API int ld_operator_newsletter_recipients(char **out, ld_session *session);
/** The anonymous usage figures: [{event, platform, os_version, app_version, device_class, count}]. */
LD_API int ld_operator_usage_report(char **out, ld_session *session);

/**@}*/
/* ============================================================================================ */
/** @name Anonymous usage figures */
/**@{*/

/** Counts one event {event, platform, os_version, app_version, device_class} unless figures are
 * turned off. Nothing identifies the user: no id, e-mail or address is taken. */
LD_API int ld_usage_record(ld_db *db, const char *event_json);
/** Turns the figures on (non-zero) or off (0) for this database. */
LD_API int ld_usage_set_enabled(ld_db *db, int enabled);
/** `*out` is 1 when figures are on, 0 when off. */
LD_API int ld_usage_enabled(int *out, ld_db *db);

/**@}*/

#ifdef __cplusplus
}
#endif

/* The modules that grow the API, each in its own header (they include this one first):
 * exports, backup, restore and reports; offline sync with a server. */
#include "export.h"
#include "sync.h"

#endif /* LEANDESK_H */

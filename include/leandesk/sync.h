/**
 * @file sync.h
 * @brief Offline sync: a database kept as a replica of a LeanDesk server (docs/sync.md).
 *
 * A replica holds the part of the server's data its user may see. The user's commands (every
 * ld_session call that writes) apply locally at once and wait in an outbox; ld_sync_now() pushes
 * them to the server, which replays each as that user through the same rules, then pulls what
 * changed. A command the server refuses is undone on the replica and reported through the
 * rejection callback. Conflicts: per field the later edit wins; a delete wins over any edit.
 *
 * The connection is HTTPS only; the server's certificate and host name are always verified (there
 * is no option to turn that off). An intranet CA may be given as a PEM file, and the server's
 * public key may be pinned.
 *
 * Included by leandesk.h; the conventions of leandesk.h apply (status codes, `out` first,
 * ld_string_free(), callbacks with `void *userdata` last).
 */
#ifndef LEANDESK_SYNC_H
#define LEANDESK_SYNC_H

#include "leandesk.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Sync */
/**@{*/

/**
 * Opens (creating if needed) a database as a replica of the server at `server_url`.
 *
 * `path` and `options_json` are as for ld_db_open(). `server_url` must start with `https://`.
 * `ca_file` (may be NULL) is a PEM bundle of the CA that signed the server's certificate, for
 * intranet servers; NULL uses the system's trust store. `pinned_key` (may be NULL) pins the
 * server's public key in curl's syntax, `"sha256//<base64>"` (several joined by `;`).
 * A new file becomes a replica; an existing replica of the same server keeps its data and takes
 * the new CA file and pin.
 *
 * On success `*out` is a handle to close with ld_db_close(); the sync client lives with it.
 * Errors: #LD_EINVAL (not an https URL, bad option), #LD_ECONFLICT (the file is a replica of
 * another server, or already holds local data that was never synced), and those of ld_db_open().
 * Any thread.
 */
LD_API int ld_sync_open(ld_db **out, const char *path, const char *options_json, const char *server_url,
                        const char *ca_file, const char *pinned_key);

/**
 * Signs in on the server with `email` and `password`, keeps the server's session token in the
 * replica (sealed with a key kept in the file `<path>.sync-key` beside the database, never in
 * clear in it), and opens a local session for the user on this database.
 *
 * `*out` is the local session, freed with ld_session_free(); use it for every command and query.
 * A replica belongs to one user: signing in as another user fails. Signing in again (after
 * #LD_ESESSION from ld_sync_now()) keeps the outbox.
 * Errors: #LD_EAUTH (wrong e-mail or password), #LD_ERATELIMIT (too many failed sign-ins, or
 * too many requests: returned at once, never retried; ld_last_error_retry_after_ms() gives the
 * server's time to wait), #LD_EPERM (R12: deactivated),
 * #LD_ENETWORK (the server cannot be reached, or its certificate is not trusted),
 * #LD_ECONFLICT (another user's replica), #LD_EINVAL (`db` is not a replica).
 * Blocks for a network round trip (more only while the server cannot be reached or answers 502,
 * 503 or 504: those are retried within the retry budget of docs/sync.md); any thread.
 */
LD_API int ld_sync_sign_in(ld_session **out, ld_db *db, const char *email, const char *password);

/**
 * Syncs now: pushes the outbox in batches, then pulls every change the user may see, until both
 * are done. Blocks until then.
 *
 * `progress` (may be NULL) is called after each batch on the calling thread with `done` = commands
 * pushed plus rows pulled so far and `total` = 0; returning non-zero cancels the sync at its next
 * batch (#LD_ECANCELLED); after the last batch nothing is left to cancel and the call succeeds.
 * `userdata` is passed to it and stays the caller's. A cancel (from `progress` or
 * ld_sync_cancel()) also ends a wait between retries and a transfer under way.
 * Transient network failures are retried with backoff within a retry budget (docs/sync.md); the
 * error returned after the last attempt is #LD_ENETWORK. An answer whose wait would exceed the
 * budget (#LD_ERATELIMIT, #LD_EBUSY) is returned at once, with the time to wait from
 * ld_last_error_retry_after_ms(). Nothing acknowledged is lost by a failure or a cancel: the next ld_sync_now()
 * resumes. Rejected commands are reported through ld_sync_set_rejection_callback() during the call.
 * Errors: #LD_ESESSION or #LD_ENOTSIGNEDIN (sign in again with ld_sync_sign_in(); also when the
 * `.sync-key` file beside the database is missing or does not open the saved session),
 * #LD_ENETWORK (also when the server's answer is malformed, a row it sends included, or carries a
 * clock stamp more than 10 minutes ahead of this device's clock: the message says what was wrong,
 * and the page it came in is not applied),
 * #LD_ECANCELLED, #LD_EPERM (R12: the account is not active), #LD_EINVAL (`db` is not a replica;
 * or the server refused the push because its clock stamps are further ahead of the server's clock
 * than it allows: this device's date and time are wrong, nothing was lost),
 * #LD_ERATELIMIT, #LD_EBUSY (see above).
 * Any thread; one sync at a time per database (a second call waits). Other calls on the database
 * may run meanwhile.
 */
LD_API int ld_sync_now(ld_db *db, ld_progress_fn progress, void *userdata);

/**
 * Asks a running ld_sync_now() on `db` to stop at its next batch, or at once when it is waiting
 * to retry or in a transfer (it then returns #LD_ECANCELLED). Does nothing when no sync runs.
 * Any thread.
 */
LD_API int ld_sync_cancel(ld_db *db);

/**
 * The replica's sync status as JSON: `pending` (commands in the outbox), `rejected` (commands the
 * server refused, last 1,000), `last_success_at` (ms, or null), `last_error` ({code, message} of
 * the last failed sync, or null after a success), `signed_in`, `user_id`, `server_url`.
 * Free `*out` with ld_string_free(). Errors: #LD_EINVAL (`db` is not a replica). Any thread.
 */
LD_API int ld_sync_status(char **out, ld_db *db);

/**
 * Receives one rejected command as JSON: {command_id, command, args, code, rule, message}; `code`
 * is an `LD_E*` value and `rule` the rule id ("R9") or "". The command has already been undone.
 * The text is valid only during the call. Runs on the thread of ld_sync_now(); must not call
 * ld_sync_now() itself.
 */
typedef void (*ld_rejection_fn)(const char *rejection_json, void *userdata);

/**
 * Sets (or with `fn` NULL, removes) the callback told of rejected commands. `free_userdata` (may
 * be NULL) is called on `userdata` when the callback is replaced or removed, or the database is
 * closed. Errors: #LD_EINVAL (`db` is not a replica). Any thread.
 */
LD_API int ld_sync_set_rejection_callback(ld_db *db, ld_rejection_fn fn, void *userdata,
                                          ld_free_fn free_userdata);

/**
 * The time to wait, in milliseconds, that the calling thread's last failure came with: set when
 * the server refused with a time to come back (HTTP 429 or 503 with `Retry-After`) and the call
 * returned without waiting that long (#LD_ERATELIMIT, #LD_EBUSY from ld_sync_sign_in() or
 * ld_sync_now()); the message (ld_last_error()) then ends with `" (retry after N s)"`. -1 when the
 * last failure came with no time to wait, and after a success. Any thread (per thread, like
 * ld_last_error()).
 */
LD_API int64_t ld_last_error_retry_after_ms(void);

/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* LEANDESK_SYNC_H */

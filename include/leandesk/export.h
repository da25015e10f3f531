/**
 * @file export.h
 * @brief Group spreadsheet, backup and restore, project report and its e-mail (LeanDesk C API).
 *
 * Part of the stable C API: the conventions of leandesk.h hold here too (status codes,
 * ld_last_error(), output parameters first, strings freed with ld_string_free()). leandesk.h
 * includes this header; it may also be included on its own.
 *
 * Long work (export, backup, restore) reports progress through an optional ::ld_progress_fn
 * called on the calling thread, during the call only, with the database locked: it must not call
 * LeanDesk. Returning non-zero cancels the work: the function then fails with #LD_ECANCELLED and
 * leaves nothing behind (no partial file or folder, no partly restored group). `userdata` is
 * passed back untouched and never freed by LeanDesk.
 *
 * Formats: docs/export.md (the workbook's sheets and columns), docs/backup-format.md (the backup
 * folder).
 */
#ifndef LEANDESK_EXPORT_H
#define LEANDESK_EXPORT_H

#include "leandesk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================================================ */
/** @name Export, backup, report (R10, R15) */
/**@{*/

/**
 * Writes the group's spreadsheet (.xlsx) to `path`: sheets Group, Members, Steps, Projects,
 * Participants, Actions, Comments, Indicators and Indicator weeks, with real numbers, booleans and
 * dates, frozen header rows and filters, and no photos (each action gives its photo count).
 * Memory use does not grow with the size of the group.
 *
 * Only the group manager may export (R10). The file is written under a temporary name beside
 * `path` and renamed into place when complete; an existing file at `path` is replaced only then.
 * `progress` (may be NULL) counts rows.
 *
 * Errors: #LD_EPERM (not the manager, R10; or R13 for a non-member), #LD_ENOTFOUND (no such
 * group), #LD_EINVAL (NULL or empty argument, `path` is a folder), #LD_EIO (cannot write),
 * #LD_ECANCELLED. Any thread; calls on the same database wait for it.
 */
LD_API int ld_group_export_xlsx(ld_session *session, const char *group_id, const char *path,
                                ld_progress_fn progress, void *userdata);

/**
 * Writes a full backup of the group, photos included, into the new folder `folder`:
 * `group.json` (every record) and `photos/HASH.EXT` (each photo's bytes, named by their SHA-256
 * and type), readable without LeanDesk (docs/backup-format.md). The folder must not exist: it is
 * written under a temporary name beside it and renamed when complete. Only the group manager may
 * back up a group (R7, R10). `progress` (may be NULL) counts records and files.
 *
 * Errors: #LD_EPERM, #LD_ENOTFOUND, #LD_ECONFLICT (`folder` exists), #LD_EIO, #LD_ECANCELLED,
 * #LD_EINVAL. Any thread.
 */
LD_API int ld_group_backup(ld_session *session, const char *group_id, const char *folder,
                           ld_progress_fn progress, void *userdata);

/**
 * Restores the backup in `folder` as a new group: fresh ids, the caller as its manager, people
 * matched by e-mail (an unknown address becomes a not-yet-activated person, R16). Everything is
 * checked before anything is written, and the group is written in one transaction, so a damaged or
 * hostile backup changes nothing. On success `*out` is the new group as JSON (free it with
 * ld_string_free()); on failure it is NULL. `progress` (may be NULL) counts records and files.
 *
 * Errors: #LD_ECORRUPT (bad JSON, a wrong type or value, a dangling reference, a photo missing,
 * oversized, altered or outside the folder; the message says which), #LD_ENOTFOUND (no folder),
 * #LD_EPERM (R1: the caller's account is not active), #LD_ECONFLICT (this database is a sync
 * replica: restore on the server, whose replicas then receive the group), #LD_ECANCELLED, #LD_EIO.
 * Any thread.
 */
LD_API int ld_group_restore(char **out, ld_session *session, const char *folder,
                            ld_progress_fn progress, void *userdata);

/**
 * Renders the project report (R15): a printable, self-contained HTML page (inline style, an
 * inline SVG chart per indicator, every value HTML-escaped) in `*out_html`, and the same content
 * as plain text in `*out_text`: header, summary by step, overdue actions, actions by step with
 * owners and due dates, indicators (expected against actual per week), participants by display
 * name. Both are UTF-8, owned by the caller and freed with ld_string_free(); both are NULL on
 * failure. Any participant (R8) or the group manager (R7) may render it.
 *
 * Errors: #LD_ENOTFOUND (no such project, or not visible to the caller), #LD_EPERM, #LD_EINVAL.
 * Any thread.
 */
LD_API int ld_project_report(char **out_html, char **out_text, ld_session *session,
                             const char *project_id);

/**
 * E-mails the project report (HTML with a plain-text alternative) to each user of
 * `recipient_ids_json`, a JSON array of user ids that must all be participants of the project,
 * activated or not (R15). Only a participant may send it; the check runs before any mail goes.
 * Mail goes through the callback of ld_db_set_mail_sender() when one is registered, else through
 * the database's SMTP configuration (the `smtp` option of ld_db_open(), docs/export.md); it is
 * sent on the calling thread.
 *
 * Errors: #LD_EPERM (R15: the caller is not a participant, or a recipient is not one),
 * #LD_EINVAL (bad or empty array), #LD_ENOTFOUND, #LD_EIO (no mail sender configured),
 * #LD_ENETWORK (the SMTP server could not be reached or refused the mail; the message says how
 * many recipients had already been sent the report), #LD_EAUTH (the SMTP server refused the
 * credentials). Any thread.
 */
LD_API int ld_project_report_send(ld_session *session, const char *project_id,
                                  const char *recipient_ids_json);

/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* LEANDESK_EXPORT_H */

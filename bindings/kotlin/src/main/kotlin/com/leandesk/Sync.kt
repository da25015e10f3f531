package com.leandesk

import org.json.JSONObject

// What the export and sync functions hand back (include/leandesk/export.h, sync.h).

/**
 * Progress of long work (export, backup, restore, sync): [done] of [total] units ([total] 0 when
 * not known in advance, as for a sync). Return false to cancel: the call then throws
 * [LeanDeskException.Cancelled] and leaves nothing behind. What the lambda throws also cancels the
 * work, and is rethrown by the call instead. Runs on the calling thread during the call; must not
 * call LeanDesk (that throws [IllegalStateException], which cancels).
 */
typealias Progress = (done: Long, total: Long) -> Boolean

/** A project report (R15), as [Session.projectReport] renders it. */
data class ProjectReport(
    /** A printable, self-contained HTML page (inline style and SVG charts, no script). */
    val html: String,
    /** The same content as plain text. */
    val text: String
)

/** The last failed sync, in [SyncStatus]. */
data class SyncError(
    /** An `LD_E*` status code. */
    val code: Int,
    val message: String
) {
    /** The exception this failure was thrown as. */
    fun toException(): LeanDeskException = LeanDeskException.of(code, message)

    companion object {
        internal fun from(o: JSONObject) = SyncError(code = o.int("code"), message = o.str("message"))
    }
}

/** A replica's sync state ([Database.syncStatus]). */
data class SyncStatus(
    /** Commands waiting in the outbox. */
    val pending: Long,
    /** Commands the server refused (the last 1,000 are kept). */
    val rejected: Long,
    /** When the last full sync ended (ms since the epoch); null before the first. */
    val lastSuccessAt: Long?,
    /** The last failed sync; null after a success. */
    val lastError: SyncError?,
    /** Whether a server session is held (false: sign in again with [Database.syncSignIn]). */
    val signedIn: Boolean,
    /** The replica's user; null before the first sign-in. */
    val userId: String?,
    val serverUrl: String
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): SyncStatus = decodeObject("sync status", json) { o ->
            SyncStatus(
                pending = o.long("pending"),
                rejected = o.long("rejected"),
                lastSuccessAt = o.longOrNull("last_success_at"),
                lastError = if (o.isNull("last_error")) null else SyncError.from(o.obj("last_error")),
                signedIn = o.bool("signed_in"),
                userId = o.strOrNull("user_id"),
                serverUrl = o.str("server_url")
            )
        }
    }
}

/**
 * A command the sync server refused. It has already been undone on the replica (the records it
 * touched were fetched again), so the app only has to tell the user.
 */
data class SyncRejection(
    /** The id the replica gave the command. */
    val commandId: String,
    /** Its name, as for [Session.execute] ("create_action"). */
    val command: String,
    /** Its arguments as JSON text. */
    val argsJson: String,
    /** An `LD_E*` status code ([LeanDeskException.code]). */
    val code: Int,
    /** The refusing rule ("R9"), or null when no rule refused. */
    val rule: String?,
    val message: String
) {
    /** The refusal as the exception the command would have thrown on the server. */
    fun toException(): LeanDeskException = LeanDeskException.of(code, message)

    companion object {
        @JvmStatic
        fun fromJson(json: String): SyncRejection = decodeObject("sync rejection", json) { o ->
            val rule = if (o.isNull("rule")) "" else o.str("rule")
            SyncRejection(
                commandId = o.str("command_id"),
                command = o.str("command"),
                argsJson = if (o.has("args")) o.get("args").toString() else "null",
                code = o.int("code"),
                rule = if (rule == "") null else rule,
                message = o.str("message")
            )
        }
    }
}

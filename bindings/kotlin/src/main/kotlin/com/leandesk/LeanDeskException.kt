package com.leandesk

import com.leandesk.jni.LeanDeskNativeConstants as C

/**
 * A LeanDesk call failed. [code] is the C API's status code (`LD_E*`, negative) and [message] its
 * message exactly as `ld_last_error()` gave it. Each code has its own subclass, so callers can
 * `catch` or `when` on the kind of failure:
 *
 * ```
 * try {
 *     session.createAction(projectId, "Measure")
 * } catch (e: LeanDeskException.PermissionDenied) {
 *     show(e.rule, e.message)    // "R9", "R9: ..."
 * }
 * ```
 *
 * Misuse of the facade itself (a closed handle, a LeanDesk call from inside a mail sender) throws
 * [IllegalStateException], not a LeanDeskException.
 */
sealed class LeanDeskException(
    /** The `LD_E*` status code. */
    val code: Int,
    message: String,
    cause: Throwable? = null
) : Exception(message, cause) {

    /** Never null: the C API's message ("" when it gave none). */
    override val message: String
        get() = super.message ?: ""

    /** `LD_ERROR`: an unclassified failure. */
    class Failure(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_ERROR, message, cause)

    /** `LD_ENOTFOUND`: the id names nothing the caller may see. */
    class NotFound(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_ENOTFOUND, message, cause)

    /** `LD_EPERM`: refused by a permission rule; the message starts with the rule's id ("R9: ..."). */
    class PermissionDenied(message: String, cause: Throwable? = null) :
        LeanDeskException(C.LD_EPERM, message, cause) {
        /** The id of the rule that refused ("R9"), or null when the message names none. */
        val rule: String?
            get() = RULE.find(message)?.groupValues?.get(1)
    }

    /** `LD_EINVAL`: a NULL, malformed JSON, a wrong shape or a bad value. */
    class InvalidArgument(message: String, cause: Throwable? = null) :
        LeanDeskException(C.LD_EINVAL, message, cause)

    /** `LD_ECONFLICT`: a unique key taken, still in use, or a state that changed. */
    class Conflict(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_ECONFLICT, message, cause)

    /** `LD_ENOTSIGNEDIN`: no signed-in user behind this handle or token. */
    class NotSignedIn(message: String, cause: Throwable? = null) :
        LeanDeskException(C.LD_ENOTSIGNEDIN, message, cause)

    /** `LD_ESESSION`: the session expired, went idle too long, or was ended. */
    class SessionExpired(message: String, cause: Throwable? = null) :
        LeanDeskException(C.LD_ESESSION, message, cause)

    /** `LD_ENETWORK`: a network failure (sync, mail). */
    class Network(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_ENETWORK, message, cause)

    /**
     * `LD_EIO`: the database file, the disk or a mail sender failed. When a mail sender lambda
     * threw, its exception is the [cause].
     */
    class Io(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_EIO, message, cause)

    /**
     * `LD_EBUSY`: the database is locked by another process, or the sync server is unavailable for
     * longer than the retry budget; then [retryAfterMs] is the server's time to wait.
     */
    class Busy @JvmOverloads constructor(
        message: String,
        cause: Throwable? = null,
        /**
         * The server's time to wait in milliseconds (`ld_last_error_retry_after_ms()`), or null when
         * it gave none. A Long, not kotlin.time.Duration (experimental in the Kotlin 1.3 this
         * builds with) nor java.time.Duration (Android API 26+).
         */
        val retryAfterMs: Long? = null
    ) : LeanDeskException(C.LD_EBUSY, message, cause)

    /** `LD_ENOMEM`: out of memory. */
    class OutOfMemory(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_ENOMEM, message, cause)

    /**
     * `LD_ERATELIMIT`: too many attempts; try again later: after [retryAfterMs] when the sync
     * server gave a time to wait.
     */
    class RateLimited @JvmOverloads constructor(
        message: String,
        cause: Throwable? = null,
        /**
         * The server's time to wait in milliseconds (`ld_last_error_retry_after_ms()`), or null when
         * it gave none. A Long, not kotlin.time.Duration (experimental in the Kotlin 1.3 this
         * builds with) nor java.time.Duration (Android API 26+).
         */
        val retryAfterMs: Long? = null
    ) : LeanDeskException(C.LD_ERATELIMIT, message, cause)

    /** `LD_ECANCELLED`: cancelled by the caller. */
    class Cancelled(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_ECANCELLED, message, cause)

    /** `LD_ECORRUPT`: a damaged database or input file. */
    class Corrupt(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_ECORRUPT, message, cause)

    /** `LD_EINTERNAL`: a bug in LeanDesk (or a result this binding cannot read): please report it. */
    class Internal(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_EINTERNAL, message, cause)

    /** `LD_EAUTH`: wrong e-mail or password, or an unknown, used or expired code. */
    class AuthFailed(message: String, cause: Throwable? = null) : LeanDeskException(C.LD_EAUTH, message, cause)

    /** A code this binding does not know (from a newer library). */
    class Unknown(code: Int, message: String, cause: Throwable? = null) : LeanDeskException(code, message, cause)

    companion object {
        private val RULE = Regex("^(R[0-9]+):")

        /**
         * The exception for a status [code] and its [message]; [retryAfterMs] (negative: none)
         * becomes the [RateLimited.retryAfterMs] or [Busy.retryAfterMs].
         */
        @JvmStatic
        @JvmOverloads
        fun of(code: Int, message: String, cause: Throwable? = null, retryAfterMs: Long = -1): LeanDeskException {
            val wait = if (retryAfterMs >= 0) retryAfterMs else null
            return when (code) {
                C.LD_ERROR -> Failure(message, cause)
                C.LD_ENOTFOUND -> NotFound(message, cause)
                C.LD_EPERM -> PermissionDenied(message, cause)
                C.LD_EINVAL -> InvalidArgument(message, cause)
                C.LD_ECONFLICT -> Conflict(message, cause)
                C.LD_ENOTSIGNEDIN -> NotSignedIn(message, cause)
                C.LD_ESESSION -> SessionExpired(message, cause)
                C.LD_ENETWORK -> Network(message, cause)
                C.LD_EIO -> Io(message, cause)
                C.LD_EBUSY -> Busy(message, cause, wait)
                C.LD_ENOMEM -> OutOfMemory(message, cause)
                C.LD_ERATELIMIT -> RateLimited(message, cause, wait)
                C.LD_ECANCELLED -> Cancelled(message, cause)
                C.LD_ECORRUPT -> Corrupt(message, cause)
                C.LD_EINTERNAL -> Internal(message, cause)
                C.LD_EAUTH -> AuthFailed(message, cause)
                else -> Unknown(code, message, cause)
            }
        }
    }
}

package com.leandesk

import com.leandesk.jni.LeanDeskNative as N
import com.leandesk.jni.NativeClock
import com.leandesk.jni.NativeLogSink
import com.leandesk.jni.NativeMailSender
import com.leandesk.jni.NativeObserver
import com.leandesk.jni.NativeRejectionHandler
import com.leandesk.jni.SWIGTYPE_p_ld_db
import com.leandesk.jni.SWIGTYPE_p_ld_session
import com.leandesk.jni.TextContainsNulException
import com.leandesk.jni.Utf8
import java.io.Closeable
import java.util.concurrent.locks.ReentrantReadWriteLock

/**
 * The options of [Database.open]; null leaves the library's default. Durations in milliseconds.
 */
data class DatabaseOptions @JvmOverloads constructor(
    /** Photo and avatar size cap (default 10 MiB). */
    val maxBlobBytes: Long? = null,
    val sessionLifetimeMs: Long? = null,
    val sessionIdleTimeoutMs: Long? = null,
    val activationTokenLifetimeMs: Long? = null,
    val resetTokenLifetimeMs: Long? = null,
    val maxFailedSignIns: Int? = null,
    val failedSignInWindowMs: Long? = null,
    val activeUserWindowMs: Long? = null,
    /** The product name used in mails. */
    val productName: String? = null,
    /** Prefix of the links in mails; without it mails carry the bare code. */
    val linkBase: String? = null,
    /** Argon2id cost (never below the library's minimum). */
    val passwordOpslimit: Long? = null,
    val passwordMemlimit: Long? = null
) {
    /** The options as the JSON object ld_db_open() reads. */
    fun toJson(): String = jsonOf(
        "max_blob_bytes" to maxBlobBytes,
        "session_lifetime_ms" to sessionLifetimeMs,
        "session_idle_timeout_ms" to sessionIdleTimeoutMs,
        "activation_token_lifetime_ms" to activationTokenLifetimeMs,
        "reset_token_lifetime_ms" to resetTokenLifetimeMs,
        "max_failed_sign_ins" to maxFailedSignIns,
        "failed_sign_in_window_ms" to failedSignInWindowMs,
        "active_user_window_ms" to activeUserWindowMs,
        "product_name" to productName,
        "link_base" to linkBase,
        "password_opslimit" to passwordOpslimit,
        "password_memlimit" to passwordMemlimit
    )
}

/**
 * One open LeanDesk database: the engine over one SQLite file. Close it (or use `use {}`) to release
 * it; closing also closes the [Session]s made from it and drops every callback and observer.
 *
 * Threads: a Database and its sessions may be used from any thread; LeanDesk serializes the calls
 * on one database. [close] waits for calls running on other threads.
 *
 * ```
 * Database.open(path, DatabaseOptions(productName = "Acme")).use { db ->
 *     db.setMailSender { mail -> mailer.send(mail.to, mail.subject, mail.text) }
 *     db.signIn(email, password).use { session -> session.groups() }
 * }
 * ```
 */
class Database private constructor(handle: SWIGTYPE_p_ld_db) : Closeable {
    @Volatile
    internal var handle: SWIGTYPE_p_ld_db? = handle

    /** Calls hold the read side; closing a database or a session takes the write side. */
    internal val lock = ReentrantReadWriteLock()
    private val sessions = LinkedHashSet<Session>()
    private val observers = LinkedHashSet<ObserverToken>()

    /**
     * Receives what an observer, clock or log lambda threw (those exceptions cannot travel through
     * LeanDesk to a caller). Prints the stack trace by default. A mail sender's exception instead
     * becomes the cause of the [LeanDeskException.Io] of the operation that wanted the mail.
     */
    @Volatile
    var onCallbackError: (Throwable) -> Unit = { it.printStackTrace() }

    /** How deep the calling thread is inside [syncNow] on this database (its observers and rejection
     * handler run there; a nested sync would wait for itself). */
    private val syncDepth = object : ThreadLocal<IntArray>() {
        override fun initialValue() = IntArray(1)
    }

    /** Whether [close] was called. */
    val isClosed: Boolean
        get() = handle == null

    internal inline fun <T> withHandle(block: (SWIGTYPE_p_ld_db) -> T): T {
        Native.checkNotRestricted()
        val read = lock.readLock()
        read.lock()
        try {
            val h = handle ?: throw IllegalStateException("the database is closed")
            return block(h)
        } catch (e: TextContainsNulException) {
            throw LeanDeskException.InvalidArgument(e.message ?: "text contains a NUL character", e)
        } finally {
            read.unlock()
        }
    }

    private inline fun <T> withWriteLock(block: () -> T): T {
        check(lock.readHoldCount == 0) { "a database or session cannot be closed from inside a LeanDesk callback" }
        val write = lock.writeLock()
        write.lock()
        try {
            return block()
        } finally {
            write.unlock()
        }
    }

    private fun reportCallbackError(t: Throwable) {
        try {
            onCallbackError(t)
        } catch (ignored: Throwable) {
            // Nothing may travel back into LeanDesk.
        }
    }

    // ---- lifetime ------------------------------------------------------------------------------

    /**
     * Closes the sessions made from this database, then the database; idempotent. Callbacks and
     * observers are released. Must not be called from inside a LeanDesk callback.
     */
    override fun close() {
        if (handle == null) return
        withWriteLock {
            val h = handle ?: return
            val open = synchronized(sessions) { sessions.toList().also { sessions.clear() } }
            for (s in open) s.releaseLocked()
            synchronized(observers) {
                for (o in observers) o.closed = true
                observers.clear()
            }
            handle = null
            N.ld_db_close(h)
        }
    }

    internal fun closeSession(session: Session) {
        withWriteLock {
            session.releaseLocked()
            synchronized(sessions) { sessions.remove(session) }
        }
    }

    private fun adopt(out: Array<SWIGTYPE_p_ld_session?>): Session {
        val s = Session(this, out[0] ?: throw LeanDeskException.Internal("LeanDesk returned no session"))
        synchronized(sessions) { sessions.add(s) }
        return s
    }

    private inline fun newSession(call: (Array<SWIGTYPE_p_ld_session?>, SWIGTYPE_p_ld_db) -> Int): Session =
        withHandle { h ->
            val out = arrayOfNulls<SWIGTYPE_p_ld_session>(1)
            Native.check(call(out, h))
            adopt(out)
        }

    // ---- storage ---------------------------------------------------------------------------------

    /** How the store is set up (schema version, journal mode, ...). */
    fun storageInfo(): StorageInfo =
        StorageInfo.fromJson(withHandle { h -> Native.string { N.ld_db_storage_info(it, h) } })

    /** Moves the write-ahead log into the database file and truncates it. */
    fun checkpoint() = withHandle { h -> Native.check(N.ld_db_checkpoint(h)) }

    /** The change log after [afterSeq], oldest first, at most [limit] records (at most 100,000). */
    @JvmOverloads
    fun changesSince(afterSeq: Long = 0, limit: Long = 1000): List<Change> =
        Change.listFromJson(withHandle { h -> Native.string { N.ld_db_changes_since(it, h, afterSeq, limit) } })

    // ---- callbacks -------------------------------------------------------------------------------

    /**
     * Sets (or with null, removes) the mail sender: sign-up and password resets need one. The lambda
     * runs on the calling thread inside the operation's transaction and must not call LeanDesk; when
     * it throws, the operation fails with [LeanDeskException.Io] (the thrown exception as cause) and
     * changes nothing.
     */
    fun setMailSender(sender: ((Mail) -> Unit)?) {
        val native = if (sender == null) null else NativeMailSender { bytes ->
            try {
                val mail = Mail.fromJson(Utf8.decode(bytes))
                Native.restricted { sender(mail) }
                0
            } catch (t: Throwable) {
                Native.recordCallbackFailure(t)
                1
            }
        }
        withHandle { h -> Native.check(N.ldj_db_set_mail_sender(h, native)) }
    }

    /**
     * Sets (or with null, removes) the log sink. Lines hold ids and events, never a password, token
     * or hash. Runs on the thread of the call that logs; must not call LeanDesk.
     */
    fun setLog(sink: ((LogLevel, String) -> Unit)?) {
        val native = if (sink == null) null else NativeLogSink { level, bytes ->
            try {
                val line = Utf8.decode(bytes)
                Native.restricted { sink(LogLevel.of(level), line) }
            } catch (t: Throwable) {
                reportCallbackError(t)
            }
        }
        withHandle { h -> Native.check(N.ldj_db_set_log(h, native)) }
    }

    /**
     * Replaces the clock (or with null, restores the system clock): milliseconds since the Unix epoch.
     * For tests: expiries, idle timeouts and rate-limit windows then follow the injected time. Must
     * not call LeanDesk; when it throws, the system time is used for that reading.
     */
    fun setClock(clock: (() -> Long)?) {
        val native = if (clock == null) null else NativeClock {
            try {
                Native.restricted { clock() }
            } catch (t: Throwable) {
                reportCallbackError(t)
                System.currentTimeMillis()
            }
        }
        withHandle { h -> Native.check(N.ldj_db_set_clock(h, native)) }
    }

    /**
     * Registers an observer of committed changes; close the returned token to unregister it. The
     * lambda runs on the thread that committed, after the commit, and may call LeanDesk. What it
     * throws goes to [onCallbackError].
     */
    fun addObserver(observer: (List<Change>) -> Unit): ObserverToken {
        val native = NativeObserver { bytes ->
            try {
                observer(Change.listFromJson(Utf8.decode(bytes)))
            } catch (t: Throwable) {
                reportCallbackError(t)
            }
        }
        val id = withHandle { h ->
            val out = LongArray(1)
            Native.check(N.ldj_db_add_observer(out, h, native))
            out[0]
        }
        val token = ObserverToken(this, id)
        synchronized(observers) { observers.add(token) }
        return token
    }

    internal fun removeObserver(token: ObserverToken) {
        synchronized(observers) {
            if (!observers.remove(token)) return
        }
        Native.checkNotRestricted()
        val read = lock.readLock()
        read.lock()
        try {
            val h = handle ?: return // closing the database dropped it already
            Native.check(N.ld_db_remove_observer(h, token.id))
        } finally {
            read.unlock()
        }
    }

    // ---- accounts ----------------------------------------------------------------------------------

    /**
     * Creates an account and mails the activation code (a mail sender is needed). The user is not yet
     * activated. Throws [LeanDeskException.InvalidArgument] (password rules, bad e-mail, R17),
     * [LeanDeskException.Conflict] (an account exists), [LeanDeskException.Io] (no or failing sender).
     */
    fun signUp(firstName: String, lastName: String, email: String, password: String): User =
        User.fromJson(withHandle { h ->
            val input = jsonOf("first_name" to firstName, "last_name" to lastName, "email" to email, "password" to password)
            Native.string { N.ld_account_sign_up(it, h, input) }
        })

    /** Mails a fresh activation code; unknown or activated addresses are silently ignored. */
    fun resendActivation(email: String) = withHandle { h -> Native.check(N.ld_account_resend_activation(h, email)) }

    /** Consumes an activation or e-mail-change code. Throws [LeanDeskException.AuthFailed] for a bad code. */
    fun activate(code: String): User =
        User.fromJson(withHandle { h -> Native.string { N.ld_account_activate(it, h, code) } })

    /** Mails a password-reset code; unknown addresses are silently ignored. */
    fun requestPasswordReset(email: String) =
        withHandle { h -> Native.check(N.ld_account_request_password_reset(h, email)) }

    /** Sets a new password with a reset code and ends every session of the user. */
    fun resetPassword(code: String, newPassword: String) =
        withHandle { h -> Native.check(N.ld_account_reset_password(h, code, newPassword)) }

    /**
     * Signs in; every call makes a new session. Throws [LeanDeskException.AuthFailed] (wrong e-mail or
     * password), [LeanDeskException.RateLimited], [LeanDeskException.PermissionDenied] (R12: deactivated).
     */
    fun signIn(email: String, password: String): Session =
        newSession { out, h -> N.ld_session_sign_in(out, h, email, password) }

    /** Resumes a session from a kept [Session.token]. Throws [LeanDeskException.SessionExpired]. */
    fun resume(token: String): Session = newSession { out, h -> N.ld_session_resume(out, h, token) }

    // ---- the operator ----------------------------------------------------------------------------

    /** Sets the operator secret (16+ characters): the first time with [current] null. */
    fun setOperatorSecret(current: String?, newSecret: String) =
        withHandle { h -> Native.check(N.ld_operator_set_secret(h, current, newSecret)) }

    /** Signs the operator in. Throws [LeanDeskException.AuthFailed]. */
    fun operatorSignIn(secret: String): Session = newSession { out, h -> N.ld_operator_sign_in(out, h, secret) }

    // ---- anonymous usage figures --------------------------------------------------------------------

    /** Counts one event unless figures are off; nothing identifies the user. */
    @JvmOverloads
    fun recordUsage(
        event: String,
        platform: String? = null,
        osVersion: String? = null,
        appVersion: String? = null,
        deviceClass: String? = null
    ) = withHandle { h ->
        val json = jsonOf(
            "event" to event, "platform" to platform, "os_version" to osVersion,
            "app_version" to appVersion, "device_class" to deviceClass
        )
        Native.check(N.ld_usage_record(h, json))
    }

    /** Whether the anonymous usage figures are on for this database. */
    var usageEnabled: Boolean
        get() = withHandle { h ->
            val out = IntArray(1)
            Native.check(N.ld_usage_enabled(out, h))
            out[0] != 0
        }
        set(value) = withHandle { h -> Native.check(N.ld_usage_set_enabled(h, if (value) 1 else 0)) }

    // ---- sync (replicas from [openReplica] only: [LeanDeskException.InvalidArgument] otherwise) ----------

    /**
     * Signs in on the replica's server with [email] and [password], keeps the server's session token
     * in the replica, and returns the local session of that user for every command and query. A
     * replica belongs to one user. Signing in again (after [LeanDeskException.SessionExpired] from
     * [syncNow]) keeps the outbox. Blocks for a network round trip. Throws
     * [LeanDeskException.AuthFailed], [LeanDeskException.RateLimited], [LeanDeskException.PermissionDenied]
     * (R12), [LeanDeskException.Network] (unreachable, or a certificate that is not trusted),
     * [LeanDeskException.Conflict] (another user's replica).
     */
    fun syncSignIn(email: String, password: String): Session =
        newSession { out, h -> N.ld_sync_sign_in(out, h, email, password) }

    /**
     * Pushes the outbox, then pulls every change the user may see; blocks until both are done.
     * [progress] is called after each batch with the commands pushed plus rows pulled so far
     * (`total` 0); returning false (or throwing, which is then rethrown here) cancels. Rejected
     * commands go to the [setRejectionHandler] lambda during the call, on this thread. Nothing
     * acknowledged is lost by a failure or a cancel: the next sync resumes. One sync at a time per
     * database (a second caller waits); other calls may run meanwhile. Throws
     * [LeanDeskException.SessionExpired] / [LeanDeskException.NotSignedIn] (sign in again with
     * [syncSignIn]), [LeanDeskException.Network] (after retries), [LeanDeskException.Cancelled],
     * [LeanDeskException.PermissionDenied] (R12); [IllegalStateException] when called from this
     * database's observer or rejection handler during a sync.
     */
    @JvmOverloads
    fun syncNow(progress: Progress? = null) {
        val depth = syncDepth.get()
        check(depth[0] == 0) { "syncNow() cannot be called from inside a sync of the same database (an observer or rejection handler)" }
        depth[0]++
        try {
            withHandle { h ->
                val p = ProgressCall(progress)
                p.finish(N.ld_sync_now(h, p.native))
            }
        } finally {
            depth[0]--
        }
    }

    /**
     * Asks a running [syncNow] (on another thread) to stop at its next batch; it then throws
     * [LeanDeskException.Cancelled]. Does nothing when no sync runs.
     */
    fun cancelSync() = withHandle { h -> Native.check(N.ld_sync_cancel(h)) }

    /** Pending commands, rejections, last success and last error, user and server. */
    fun syncStatus(): SyncStatus =
        SyncStatus.fromJson(withHandle { h -> Native.string { N.ld_sync_status(it, h) } })

    /**
     * Sets (or with null, removes) the lambda told of each command the server refused (already
     * undone on the replica: the app only has to tell the user). It runs on the thread of [syncNow],
     * during the sync; it may call LeanDesk but not [syncNow]. What it throws goes to
     * [onCallbackError] and the sync goes on.
     */
    fun setRejectionHandler(handler: ((SyncRejection) -> Unit)?) {
        val native = if (handler == null) null else NativeRejectionHandler { bytes ->
            try {
                handler(SyncRejection.fromJson(Utf8.decode(bytes)))
            } catch (t: Throwable) {
                reportCallbackError(t)
            }
        }
        withHandle { h -> Native.check(N.ldj_sync_set_rejection_callback(h, native)) }
    }

    companion object {
        /** Opens (creating and migrating when needed) the database at [path]; ":memory:" for a temporary one. */
        @JvmStatic
        @JvmOverloads
        fun open(path: String, options: DatabaseOptions = DatabaseOptions()): Database = open(path, options.toJson())

        /** Opens with the options as JSON (see ld_db_open()); null for the defaults. */
        @JvmStatic
        fun open(path: String, optionsJson: String?): Database = adopt { out -> N.ld_db_open(out, path, optionsJson) }

        /**
         * Opens (creating if needed) the database at [path] as a replica of the LeanDesk server at
         * [serverUrl] (`https://` only; the certificate and host name are always verified). [caFile]
         * is a PEM bundle of the CA that signed the server's certificate (intranets; null: the
         * system's trust store); [pinnedKey] pins the server's public key, `"sha256//<base64>"`
         * (several joined by `;`). An existing replica of the same server keeps its data and takes
         * the new CA file and pin. Sign in with [syncSignIn]. Throws
         * [LeanDeskException.InvalidArgument] (not an https URL), [LeanDeskException.Conflict] (a
         * replica of another server, or local data never synced), and what [open] throws.
         */
        @JvmStatic
        @JvmOverloads
        fun openReplica(
            path: String,
            options: DatabaseOptions,
            serverUrl: String,
            caFile: String? = null,
            pinnedKey: String? = null
        ): Database = openReplica(path, options.toJson(), serverUrl, caFile, pinnedKey)

        /** [openReplica] with the options as JSON (see ld_db_open()); null for the defaults. */
        @JvmStatic
        @JvmOverloads
        fun openReplica(
            path: String,
            optionsJson: String?,
            serverUrl: String,
            caFile: String? = null,
            pinnedKey: String? = null
        ): Database = adopt { out -> N.ld_sync_open(out, path, optionsJson, serverUrl, caFile, pinnedKey) }

        private inline fun adopt(open: (Array<SWIGTYPE_p_ld_db?>) -> Int): Database {
            Native.checkNotRestricted()
            Loader.ensure()
            val out = arrayOfNulls<SWIGTYPE_p_ld_db>(1)
            try {
                Native.check(open(out))
            } catch (e: TextContainsNulException) {
                throw LeanDeskException.InvalidArgument(e.message ?: "text contains a NUL character", e)
            }
            return Database(out[0] ?: throw LeanDeskException.Internal("LeanDesk returned no database"))
        }
    }
}

/** A registered observer; [close] unregisters it (idempotent; nothing to do once the database closed). */
class ObserverToken internal constructor(private val db: Database, internal val id: Long) : Closeable {
    @Volatile
    internal var closed = false

    override fun close() {
        if (closed) return
        closed = true
        if (!db.isClosed) db.removeObserver(this)
    }
}

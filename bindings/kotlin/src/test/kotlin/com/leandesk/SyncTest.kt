package com.leandesk

import org.junit.AfterClass
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.BeforeClass
import org.junit.Test
import java.io.Closeable
import java.io.File
import java.lang.ref.WeakReference
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlin.concurrent.thread

/**
 * Replicas against a real leandesk-server on loopback over TLS (see [SyncServer]): offline edits,
 * progress and cancelling, rejections, status, certificate checks. One server for the class; each
 * test uses accounts of its own.
 */
class SyncTest {
    companion object {
        private var server: SyncServer? = null
        private var dir: File? = null
        private val serial = AtomicInteger()

        @BeforeClass
        @JvmStatic
        fun startServer() {
            server = SyncServer.start()
            dir = tempDir("sync-replicas")
        }

        @AfterClass
        @JvmStatic
        fun stopServer() {
            try {
                server?.close()
            } finally {
                server = null
                dir?.deleteRecursively()
            }
        }
    }

    private val srv: SyncServer
        get() = server ?: throw AssertionError("the sync server did not start")

    /** Replicas opened by a test, closed after it. */
    private class Replicas : Closeable {
        val open = ArrayList<Database>()
        override fun close() {
            for (db in open.asReversed()) db.close()
        }
    }

    /** A unique address per test run ("ann" -> "ann-3@example.com"). */
    private fun email(name: String, n: Int) = "$name-$n@example.com"

    private fun Replicas.replica(email: String, caFile: File = srv.caFile): Pair<Database, Session> {
        val db = Database.openReplica(File(dir, "$email-${System.nanoTime()}.db").path, FAST, srv.url, caFile.path)
        open.add(db)
        return db to db.syncSignIn(email, PASSWORD)
    }

    @Test
    fun anEditMadeOfflineReachesTheOtherReplicaAfterSync(): Unit = Replicas().use { r ->
        val n = serial.incrementAndGet()
        srv.account(email("ann", n), "Ann", "Archer")
        srv.account(email("bob", n), "Bob", "Baker")
        val (annDb, ann) = r.replica(email("ann", n))
        val (bobDb, bob) = r.replica(email("bob", n))

        val group = ann.createGroup("Plant")
        ann.addMember(group.id, email("bob", n))
        val project = ann.createProject(group.id, "Scrap")
        // Ann's replica learns Bob's account id from the server (the member was added by e-mail).
        annDb.syncNow()
        ann.addParticipant(project.id, bob.me().id)
        val action = ann.createAction(project.id, "Measure")
        assertTrue(annDb.syncStatus().pending >= 2)
        annDb.syncNow()
        val annStatus = annDb.syncStatus()
        assertEquals(0L, annStatus.pending)
        assertNotNull(annStatus.lastSuccessAt)
        assertNull(annStatus.lastError)
        assertTrue(annStatus.signedIn)
        assertEquals(ann.me().id, annStatus.userId)
        assertEquals(srv.url, annStatus.serverUrl)

        bobDb.syncNow()
        assertEquals("Measure", bob.action(action.id).action.title)

        // Bob edits without syncing: only his replica knows, and his outbox holds the command.
        bob.updateAction(action.id) { title = "Measure scrap"; progress = 40 }
        assertEquals(1L, bobDb.syncStatus().pending)
        annDb.syncNow()
        assertEquals("Measure", ann.action(action.id).action.title)

        bobDb.syncNow()
        assertEquals(0L, bobDb.syncStatus().pending)
        annDb.syncNow()
        val seen = ann.action(action.id).action
        assertEquals("Measure scrap", seen.title)
        assertEquals(40, seen.progress)
    }

    @Test
    fun progressIsCalledAndReturningFalseCancels(): Unit = Replicas().use { r ->
        val n = serial.incrementAndGet()
        srv.account(email("cat", n), "Cat", "Carter")
        val (db, cat) = r.replica(email("cat", n))
        val group = cat.createGroup("Line 1")
        val project = cat.createProject(group.id, "Changeover")
        for (i in 1..5) cat.createAction(project.id, "Step $i")
        val queued = db.syncStatus().pending
        assertTrue(queued >= 7)

        val calls = CopyOnWriteArrayList<Pair<Long, Long>>()
        val threads = CopyOnWriteArrayList<Thread>()
        val cancelled = expectThrows<LeanDeskException.Cancelled> {
            db.syncNow { done, total ->
                calls.add(done to total)
                threads.add(Thread.currentThread())
                false
            }
        }
        assertEquals(-13, cancelled.code)
        assertEquals(1, calls.size) // the first batch's report stopped it
        assertTrue(calls[0].first > 0)
        assertEquals(0L, calls[0].second) // a sync does not know its total
        assertEquals(listOf(Thread.currentThread()), threads.toList())
        val status = db.syncStatus()
        assertEquals(-13, status.lastError?.code)
        assertTrue(status.lastError?.toException() is LeanDeskException.Cancelled)

        // What the lambda throws cancels too, and comes back as it was thrown.
        cat.createAction(project.id, "One more")
        val boom = RuntimeException("stop it")
        val thrown = expectThrows<RuntimeException> { db.syncNow { _, _ -> throw boom } }
        assertSame(boom, thrown)

        // Nothing acknowledged is lost: the next sync finishes the work.
        val total = AtomicInteger()
        db.syncNow { done, _ -> total.set(done.toInt()); true }
        assertTrue(total.get() > 0)
        val after = db.syncStatus()
        assertEquals(0L, after.pending)
        assertNull(after.lastError)

        // A second device of Cat's receives everything.
        val (_, again) = r.replica(email("cat", n))
        again.database.syncNow()
        assertEquals(6, again.actions(project.id).size)
    }

    @Test
    fun cancelSyncStopsASyncRunningOnAnotherThread(): Unit = Replicas().use { r ->
        val n = serial.incrementAndGet()
        srv.account(email("dan", n), "Dan", "Dunn")
        val (db, dan) = r.replica(email("dan", n))
        val group = dan.createGroup("Warehouse")
        for (i in 1..3) dan.createProject(group.id, "Aisle $i")

        val inProgress = CountDownLatch(1)
        val release = CountDownLatch(1)
        val outcome = AtomicReference<Throwable?>()
        val syncing = thread(name = "sync") {
            try {
                db.syncNow { _, _ ->
                    inProgress.countDown()
                    release.await(30, TimeUnit.SECONDS)
                    true
                }
            } catch (t: Throwable) {
                outcome.set(t)
            }
        }
        assertTrue("the sync never reported progress", inProgress.await(30, TimeUnit.SECONDS))
        db.cancelSync()
        release.countDown()
        syncing.join(30_000)
        assertFalse(syncing.isAlive)
        assertTrue("expected Cancelled, got ${outcome.get()}", outcome.get() is LeanDeskException.Cancelled)
        db.cancelSync() // no sync running: nothing happens
        db.syncNow()
        assertEquals(0L, db.syncStatus().pending)
    }

    @Test
    fun aMemberRemovedWhileOfflineGetsTheRejectionAndLosesTheProject(): Unit = Replicas().use { r ->
        val n = serial.incrementAndGet()
        srv.account(email("eve", n), "Eve", "Evans")
        srv.account(email("fay", n), "Fay", "Fox")
        val (eveDb, eve) = r.replica(email("eve", n))
        val (fayDb, fay) = r.replica(email("fay", n))
        val group = eve.createGroup("Assembly")
        eve.addMember(group.id, email("fay", n))
        val project = eve.createProject(group.id, "Torque")
        eveDb.syncNow() // Eve's replica learns Fay's account id (added by e-mail)
        eve.addParticipant(project.id, fay.me().id)
        eveDb.syncNow()
        fayDb.syncNow()
        assertEquals(listOf("Torque"), fay.projects().map { it.name })

        val rejections = CopyOnWriteArrayList<SyncRejection>()
        val handlerThreads = CopyOnWriteArrayList<Thread>()
        val nested = CopyOnWriteArrayList<Throwable>()
        fayDb.onCallbackError = { nested.add(it) }
        fayDb.setRejectionHandler { rejection ->
            rejections.add(rejection)
            handlerThreads.add(Thread.currentThread())
            fay.groups() // the handler may call LeanDesk...
            fayDb.syncNow() // ...but not sync again: IllegalStateException, to onCallbackError
        }

        // Fay, offline, plans an action; meanwhile Eve removes her from the project.
        val planned = fay.createAction(project.id, "Check the wrench")
        assertEquals(1L, fayDb.syncStatus().pending)
        eve.removeParticipant(project.id, fay.me().id)
        eveDb.syncNow()

        fayDb.syncNow()
        assertEquals(1, rejections.size)
        val rejection = rejections[0]
        assertEquals("create_action", rejection.command)
        assertEquals(-3, rejection.code)
        assertEquals("R9", rejection.rule)
        assertTrue(rejection.message, rejection.message.startsWith("R9:"))
        assertTrue(rejection.argsJson.contains("Check the wrench"))
        assertTrue(rejection.toException() is LeanDeskException.PermissionDenied)
        assertEquals(listOf(Thread.currentThread()), handlerThreads.toList())
        assertEquals(1, nested.size)
        assertTrue(nested[0].toString(), nested[0] is IllegalStateException)

        // The project is gone from her replica; she stays in the group.
        assertEquals(emptyList<Project>(), fay.projects())
        expectThrows<LeanDeskException> { fay.project(project.id) }
        expectThrows<LeanDeskException> { fay.action(planned.id) }
        assertEquals(listOf("Assembly"), fay.groups().map { it.name })
        val status = fayDb.syncStatus()
        assertEquals(0L, status.pending)
        assertEquals(1L, status.rejected)
        // The server never got the action.
        eveDb.syncNow()
        assertEquals(emptyList<Action>(), eve.actions(project.id))
    }

    @Test
    fun aServerCertificateFromAnUnknownCaIsRefused(): Unit = Replicas().use { r ->
        val n = serial.incrementAndGet()
        srv.account(email("gus", n), "Gus", "Grant")
        val e = expectThrows<LeanDeskException.Network> { r.replica(email("gus", n), srv.unknownCaFile) }
        assertEquals(-8, e.code)
        assertTrue(e.message, e.message.isNotEmpty())
        val db = r.open.last()
        assertFalse(db.syncStatus().signedIn)
        // With the right CA the same replica signs in.
        db.close()
        val good = Database.openReplica(File(dir, "gus-$n-good.db").path, FAST, srv.url, srv.caFile.path)
        r.open.add(good)
        good.syncSignIn(email("gus", n), PASSWORD)
        assertTrue(good.syncStatus().signedIn)
        // Plain HTTP is not even attempted.
        expectThrows<LeanDeskException.InvalidArgument> {
            Database.openReplica(File(dir, "gus-$n-http.db").path, FAST, "http://localhost:${srv.port}")
        }
    }

    @Test
    fun wrongPasswordAndSyncWithoutSignIn(): Unit = Replicas().use { r ->
        val n = serial.incrementAndGet()
        srv.account(email("hal", n), "Hal", "Hart")
        val db = Database.openReplica(File(dir, "hal-$n.db").path, FAST_JSON, srv.url, srv.caFile.path)
        r.open.add(db)
        expectThrows<LeanDeskException.AuthFailed> { db.syncSignIn(email("hal", n), "not the password") }
        val notSignedIn = expectThrows<LeanDeskException> { db.syncNow() }
        assertTrue(notSignedIn.toString(), notSignedIn is LeanDeskException.NotSignedIn || notSignedIn is LeanDeskException.SessionExpired)
        db.syncSignIn(email("hal", n), PASSWORD).close()
        db.syncNow()
    }

    /** The server throttles per (address, client): five failures, then 429 with Retry-After (docs/accounts.md). */
    @Test
    fun aRateLimitedSignInCarriesTheServersTimeToWait(): Unit = Replicas().use { r ->
        val n = serial.incrementAndGet()
        srv.account(email("ida", n), "Ida", "Irwin")
        val db = Database.openReplica(File(dir, "ida-$n.db").path, FAST_JSON, srv.url, srv.caFile.path)
        r.open.add(db)
        repeat(5) { expectThrows<LeanDeskException.AuthFailed> { db.syncSignIn(email("ida", n), "not the password") } }
        val limited = expectThrows<LeanDeskException.RateLimited> { db.syncSignIn(email("ida", n), PASSWORD) }
        val wait = limited.retryAfterMs
        assertNotNull(limited.toString(), wait)
        assertTrue(wait.toString(), wait!! >= 1000)
        assertTrue("${limited.message}", "${limited.message}".endsWith("(retry after ${wait / 1000} s)"))
        // A refusal that came without a time to wait has none.
        assertNull((LeanDeskException.of(-12, "rate limited") as LeanDeskException.RateLimited).retryAfterMs)
        assertEquals(1500L, (LeanDeskException.of(-12, "x", null, 1500) as LeanDeskException.RateLimited).retryAfterMs)
    }
}

/** The sync functions without a server: what a plain database and a fresh replica answer. */
class SyncLocalTest {
    @Test
    fun aPlainDatabaseIsNotAReplica(): Unit = World().use { w ->
        expectThrows<LeanDeskException.InvalidArgument> { w.db.syncStatus() }
        expectThrows<LeanDeskException.InvalidArgument> { w.db.syncNow() }
        expectThrows<LeanDeskException.InvalidArgument> { w.db.cancelSync() }
        expectThrows<LeanDeskException.InvalidArgument> { w.db.setRejectionHandler { } }
        expectThrows<LeanDeskException.InvalidArgument> { w.db.syncSignIn("ann@example.com", PASSWORD) }
    }

    @Test
    fun aReplicaOpensOfflineAndReleasesItsHandler() {
        val dir = tempDir("replica")
        val path = File(dir, "app.db").path
        Database.openReplica(path, FAST, "https://sync.example.invalid", pinnedKey = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").use { db ->
            val status = db.syncStatus()
            assertEquals(0L, status.pending)
            assertFalse(status.signedIn)
            assertNull(status.userId)
            assertNull(status.lastSuccessAt)
            assertEquals("https://sync.example.invalid", status.serverUrl)

            val seen = ArrayList<SyncRejection>()
            var handler: ((SyncRejection) -> Unit)? = { seen.add(it) }
            val weak = WeakReference(handler)
            db.setRejectionHandler(handler)
            handler = null
            assertNull(handler)
            db.setRejectionHandler(null) // LeanDesk lets go of it: the global reference is deleted
            assertTrue("the rejection handler is still referenced", collected(weak))

            var second: ((SyncRejection) -> Unit)? = { seen.add(it) }
            val weakSecond = WeakReference(second)
            db.setRejectionHandler(second)
            second = null
            assertNull(second)
            db.close() // closing the database releases it too
            assertTrue("the rejection handler outlived the database", collected(weakSecond))
        }
        // Another server for the same file is refused; the same server reopens it.
        expectThrows<LeanDeskException.Conflict> { Database.openReplica(path, FAST, "https://other.example.invalid") }
        Database.openReplica(path, FAST, "https://sync.example.invalid").close()
        dir.deleteRecursively()
    }
}

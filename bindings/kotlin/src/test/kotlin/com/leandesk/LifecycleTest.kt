package com.leandesk

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File

class LifecycleTest {
    @Test
    fun closeIsIdempotentAndClosesSessions() {
        val w = World()
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val token = w.db.addObserver { }
        ann.close()
        ann.close()
        assertTrue(ann.isClosed)
        expectThrows<IllegalStateException> { ann.me() }

        val again = w.db.signIn("ann@example.com", PASSWORD)
        w.db.close()
        w.db.close()
        assertTrue(w.db.isClosed)
        assertTrue("closing the database closed its sessions", again.isClosed)
        again.close()
        token.close()
        expectThrows<IllegalStateException> { again.me() }
        expectThrows<IllegalStateException> { w.db.signIn("ann@example.com", PASSWORD) }
    }

    @Test
    fun useBlocksCloseHandles() {
        lateinit var session: Session
        lateinit var db: Database
        Database.open(":memory:", FAST_JSON).use { d ->
            db = d
            d.setMailSender { }
            d.setOperatorSecret("", "a long operator secret")
            d.operatorSignIn("a long operator secret").use { s ->
                session = s
                assertTrue(s.info().isOperator)
            }
            assertTrue(session.isClosed)
            assertFalse(d.isClosed)
        }
        assertTrue(db.isClosed)
    }

    @Test
    fun aFileDatabaseKeepsItsDataAndSessions() {
        val dir = tempDir("lifecycle")
        val path = File(dir, "app.leandesk").path
        val token = World(FAST, path).use { w ->
            val ann = w.user("Ann", "Archer", "ann@example.com")
            ann.createGroup("Lean Team")
            ann.token
        }
        Database.open(path, FAST).use { db ->
            assertEquals("wal", db.storageInfo().journalMode)
            db.resume(token).use { s -> assertEquals(listOf("Lean Team"), s.groups().map { it.name }) }
        }
        dir.deleteRecursively()
    }

    @Test
    fun badOptionsAndPathsAreRefused() {
        expectThrows<LeanDeskException.InvalidArgument> { Database.open(":memory:", """{"no_such_option":1}""") }
        expectThrows<LeanDeskException.InvalidArgument> { Database.open(":memory:", "{") }
        val dir = tempDir("badpath")
        val notADb = File(dir, "text.leandesk").apply { writeText("this is not a database, just some text ".repeat(100)) }
        val corrupt = expectThrows<LeanDeskException.Corrupt> { Database.open(notADb.path, FAST) }
        assertEquals(-14, corrupt.code)
        expectThrows<LeanDeskException.Io> { Database.open(File(dir, "missing/dir/x.leandesk").path, FAST) }
        dir.deleteRecursively()
        Database.open(":memory:", null as String?).close()
    }

    @Test
    fun sessionsExpireByTheInjectedClock(): Unit =
        World(FAST.copy(sessionLifetimeMs = 600_000, sessionIdleTimeoutMs = 120_000)).use { w ->
            var now = 1_800_000_000_000L
            w.db.setClock { now }
            val ann = w.user("Ann", "Archer", "ann@example.com")
            assertEquals(now + 600_000, ann.info().expiresAt)

            // Activity is recorded at a one-minute grain: each call below, 90 s apart, counts.
            now += 90_000
            ann.me()
            now += 90_000
            ann.me()
            now += 121_000 // idle too long
            expectThrows<LeanDeskException.SessionExpired> { ann.me() }

            val bob = w.user("Bob", "Baker", "bob@example.com")
            for (i in 1..6) {
                now += 100_000
                if (i < 6) bob.me() else expectThrows<LeanDeskException.SessionExpired> { bob.me() } // lifetime over
            }
            w.db.setClock(null) // the system clock again: a new session works
            w.db.signIn("bob@example.com", PASSWORD).use { it.me() }
        }

    @Test
    fun aThrowingClockFallsBackToSystemTime(): Unit = World().use { w ->
        val errors = ArrayList<Throwable>()
        w.db.onCallbackError = { errors.add(it) }
        w.db.setClock { throw IllegalStateException("clock broke") }
        val ann = w.user("Ann", "Archer", "ann@example.com")
        assertTrue(ann.info().expiresAt > System.currentTimeMillis())
        assertTrue(errors.isNotEmpty())
    }

    @Test
    fun versionIsCheckedAtLoad() {
        LeanDesk.checkVersion()
        assertEquals(LeanDesk.headerVersionNumber / 1000000, LeanDesk.versionNumber / 1000000)
        assertTrue(LeanDesk.versionNumber >= LeanDesk.headerVersionNumber)
        assertTrue(LeanDesk.version.matches(Regex("[0-9]+\\.[0-9]+\\.[0-9]+.*")))
        assertEquals("permission denied", LeanDesk.errorName(-3))
    }

    @Test
    fun closingWhileAnotherThreadCallsIsSafe() {
        repeat(5) {
            val w = World()
            val ann = w.user("Ann", "Archer", "ann@example.com")
            ann.createGroup("Lean Team")
            val started = java.util.concurrent.CountDownLatch(1)
            val unexpected = java.util.concurrent.atomic.AtomicReference<Throwable>()
            val reader = kotlin.concurrent.thread {
                try {
                    while (true) {
                        assertEquals(1, ann.groups().size)
                        started.countDown()
                    }
                } catch (e: IllegalStateException) {
                    // the session or the database was closed: the expected end
                } catch (t: Throwable) {
                    unexpected.set(t)
                } finally {
                    started.countDown()
                }
            }
            started.await()
            w.db.close()
            reader.join()
            unexpected.get()?.let { throw it }
        }
    }
}

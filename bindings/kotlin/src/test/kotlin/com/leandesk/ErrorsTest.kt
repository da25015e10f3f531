package com.leandesk

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.util.concurrent.CountDownLatch
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.atomic.AtomicReference
import kotlin.concurrent.thread

class ErrorsTest {
    @Test
    fun aRuleRefusalIsPermissionDeniedWithTheRuleId(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val cat = w.user("Cat", "Carter", "cat@example.com")
        val group = ann.createGroup("Lean Team")
        ann.addMember(group.id, "cat@example.com")
        val pilot = ann.createProject(group.id, "Pilot")

        val e = expectThrows<LeanDeskException.PermissionDenied> { cat.createAction(pilot.id, "Sneak") }
        assertEquals(-3, e.code)
        assertTrue(e.message, e.message.startsWith("R9:"))
        assertEquals("R9", e.rule)
        assertEquals("permission denied", LeanDesk.errorName(e.code))
        // A refusal changes nothing.
        assertEquals(0, ann.actions(pilot.id).size)

        // A sealed hierarchy: `when` needs no else.
        val error: LeanDeskException = e
        val kind = when (error) {
            is LeanDeskException.PermissionDenied -> "refused"
            is LeanDeskException.Failure, is LeanDeskException.NotFound, is LeanDeskException.InvalidArgument,
            is LeanDeskException.Conflict, is LeanDeskException.NotSignedIn, is LeanDeskException.SessionExpired,
            is LeanDeskException.Network, is LeanDeskException.Io, is LeanDeskException.Busy,
            is LeanDeskException.OutOfMemory, is LeanDeskException.RateLimited, is LeanDeskException.Cancelled,
            is LeanDeskException.Corrupt, is LeanDeskException.Internal, is LeanDeskException.AuthFailed,
            is LeanDeskException.Unknown -> "other"
        }
        assertEquals("refused", kind)

        assertRefused("R2") { cat.addMember(group.id, "dan@example.com") }
    }

    @Test
    fun notFoundInvalidAndConflictKeepCodeAndMessage(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val missing = expectThrows<LeanDeskException.NotFound> { ann.group("00000000-0000-4000-8000-000000000000") }
        assertEquals(-2, missing.code)
        assertTrue(missing.message.isNotEmpty())

        val invalid = expectThrows<LeanDeskException.InvalidArgument> { ann.createGroup("") }
        assertEquals(-4, invalid.code)
        assertTrue(invalid.message.isNotEmpty())
        expectThrows<LeanDeskException.InvalidArgument> { ann.execute("create_group", "{not json") }
        expectThrows<LeanDeskException.InvalidArgument> { ann.createAction("x", "Title", priority = 9) }

        val group = ann.createGroup("Lean Team")
        ann.addMember(group.id, "bob@example.com")
        val twice = expectThrows<LeanDeskException.Conflict> { ann.addMember(group.id, "bob@example.com") }
        assertEquals(-5, twice.code)
    }

    @Test
    fun everyCodeHasItsClass() {
        val expected = mapOf(
            -1 to LeanDeskException.Failure::class.java,
            -2 to LeanDeskException.NotFound::class.java,
            -3 to LeanDeskException.PermissionDenied::class.java,
            -4 to LeanDeskException.InvalidArgument::class.java,
            -5 to LeanDeskException.Conflict::class.java,
            -6 to LeanDeskException.NotSignedIn::class.java,
            -7 to LeanDeskException.SessionExpired::class.java,
            -8 to LeanDeskException.Network::class.java,
            -9 to LeanDeskException.Io::class.java,
            -10 to LeanDeskException.Busy::class.java,
            -11 to LeanDeskException.OutOfMemory::class.java,
            -12 to LeanDeskException.RateLimited::class.java,
            -13 to LeanDeskException.Cancelled::class.java,
            -14 to LeanDeskException.Corrupt::class.java,
            -15 to LeanDeskException.Internal::class.java,
            -16 to LeanDeskException.AuthFailed::class.java
        )
        for ((code, cls) in expected) {
            val e = LeanDeskException.of(code, "message $code")
            assertEquals(cls, e.javaClass)
            assertEquals(code, e.code)
            assertEquals("message $code", e.message)
            assertTrue(LeanDesk.errorName(code).isNotEmpty())
        }
        val unknown = LeanDeskException.of(-99, "future")
        assertTrue(unknown is LeanDeskException.Unknown)
        assertEquals(-99, unknown.code)
        assertEquals(null, LeanDeskException.of(-3, "no rule here").let { (it as LeanDeskException.PermissionDenied).rule })
    }

    @Test
    fun textWithNulIsInvalid(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        // In JSON input the engine refuses it; as a direct argument the binding does (C would cut
        // the string there): both are InvalidArgument.
        expectThrows<LeanDeskException.InvalidArgument> { ann.createGroup("a\u0000b") }
        val direct = expectThrows<LeanDeskException.InvalidArgument> { ann.group("a\u0000b") }
        assertEquals(-4, direct.code)
        assertEquals(0, ann.groups().size)
    }

    @Test
    fun eachThreadGetsItsOwnError(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val group = ann.createGroup("Lean Team")
        val rounds = 200
        val barrier = CyclicBarrier(2)
        val failure = AtomicReference<Throwable>()
        val done = CountDownLatch(2)
        val notFound = thread {
            try {
                repeat(rounds) {
                    barrier.await()
                    expectThrows<LeanDeskException.NotFound> { ann.group("00000000-0000-4000-8000-000000000000") }
                }
            } catch (t: Throwable) {
                failure.compareAndSet(null, t)
                barrier.reset()
            } finally {
                done.countDown()
            }
        }
        val invalid = thread {
            try {
                repeat(rounds) {
                    barrier.await()
                    val e = expectThrows<LeanDeskException.InvalidArgument> { ann.updateGroup(group.id) { name = "" } }
                    assertEquals(-4, e.code)
                }
            } catch (t: Throwable) {
                failure.compareAndSet(null, t)
                barrier.reset()
            } finally {
                done.countDown()
            }
        }
        done.await()
        notFound.join()
        invalid.join()
        failure.get()?.let { throw it }
    }
}

package com.leandesk

import org.junit.Assert.assertEquals
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Test
import java.util.Collections
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread

class ObserversTest {
    @Test
    fun observersAreLambdasAndTokensUnregisterThem(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val seen = CopyOnWriteArrayList<Change>()
        val batches = CopyOnWriteArrayList<Int>()
        val token = w.db.addObserver { changes ->
            batches.add(changes.size)
            seen.addAll(changes)
        }
        val group = ann.createGroup("Lean Team")
        val insert = seen.first { it.entity == "group" }
        assertEquals(group.id, insert.entityId)
        assertEquals(ChangeOp.INSERT, insert.op)
        assertTrue(insert.fields.contains("name"))
        assertTrue("one batch per committed unit of work", batches.isNotEmpty())

        token.close()
        token.close() // idempotent
        val count = seen.size
        ann.updateGroup(group.id) { name = "Renamed" }
        assertEquals(count, seen.size)
    }

    @Test
    fun anObserverMayCallLeanDesk(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val names = Collections.synchronizedList(ArrayList<String>())
        w.db.addObserver { changes ->
            if (changes.any { it.entity == "group" }) names.addAll(ann.groups().map { it.name })
        }
        ann.createGroup("Lean Team")
        assertEquals(listOf("Lean Team"), names)
    }

    @Test
    fun whatAnObserverThrowsGoesToTheHandlerAndTheCommandStands(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val errors = CopyOnWriteArrayList<Throwable>()
        w.db.onCallbackError = { errors.add(it) }
        val boom = RuntimeException("observer bug")
        w.db.addObserver { throw boom }
        val group = ann.createGroup("Lean Team")
        assertEquals(group, ann.group(group.id))
        assertSame(boom, errors.first())
    }

    @Test
    fun observersRunOnTheCommittingThread(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val threads = CopyOnWriteArrayList<String>()
        w.db.addObserver { threads.add(Thread.currentThread().name) }
        val t = thread(name = "writer") { ann.createGroup("From a thread") }
        t.join()
        assertTrue(threads.toString(), threads.isNotEmpty() && threads.all { it == "writer" })
    }

    @Test
    fun logLinesReachTheLambda(): Unit = World().use { w ->
        val lines = CopyOnWriteArrayList<Pair<LogLevel, String>>()
        w.db.setLog { level, line -> lines.add(level to line) }
        val ann = w.user("Ann", "Archer", "ann@example.com")
        ann.createGroup("Lean Team")
        expectThrows<LeanDeskException.AuthFailed> { w.db.signIn("ann@example.com", "wrong password!") }
        // Whatever the engine logs, it never holds the password.
        assertTrue(lines.none { it.second.contains(PASSWORD) || it.second.contains("wrong password!") })
        w.db.setLog(null)
    }

    @Test
    fun anObserverMayUnregisterItself(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        var calls = 0
        lateinit var token: ObserverToken
        token = w.db.addObserver {
            calls++
            token.close()
        }
        ann.createGroup("One")
        ann.createGroup("Two")
        assertEquals(1, calls)
    }
}

package com.leandesk

import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.lang.ref.WeakReference
import java.util.concurrent.CopyOnWriteArrayList

/** The group spreadsheet, backup and restore, the project report and its mail (export.h). */
class ExportTest {
    /** Ann manages "Lean Team" (Bob and Cat members), Bob takes part in "Pilot", which has actions. */
    private class Team(val w: World) {
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val bob = w.user("Bob", "Baker", "bob@example.com")
        val cat = w.user("Cat", "Carter", "cat@example.com")
        val dan = w.user("Dan", "Dunn", "dan@example.com")
        val group = ann.createGroup("Lean Team")
        val pilot: Project

        init {
            ann.addMember(group.id, "bob@example.com")
            ann.addMember(group.id, "cat@example.com")
            pilot = ann.createProject(group.id, "Pilot <Ω>", targetDate = "2030-06-30")
            ann.addParticipant(pilot.id, bob.me().id)
            for (i in 1..30) ann.createAction(pilot.id, "Action $i", dueDate = "2030-01-${10 + i % 18}")
            val scrap = ann.createIndicator(pilot.id, "Scrap", unit = "%", baseline = 12.0, target = 4.0)
            ann.setIndicatorValue(scrap.id, "2026-W10", 11.5)
        }
    }

    private fun filesIn(dir: File): List<String> = (dir.list() ?: emptyArray()).sorted()

    @Test
    fun theManagerExportsAWorkbookWithProgress(): Unit = World().use { w ->
        val t = Team(w)
        val dir = tempDir("export")
        val file = File(dir, "team.xlsx")
        val calls = CopyOnWriteArrayList<Pair<Long, Long>>()
        t.ann.exportGroupXlsx(t.group.id, file.path) { done, total ->
            calls.add(done to total)
            true
        }
        val bytes = file.readBytes()
        assertTrue("empty workbook", bytes.size > 100)
        assertEquals("PK", String(bytes, 0, 2, Charsets.US_ASCII))
        assertEquals(listOf("team.xlsx"), filesIn(dir)) // no temporary file left beside it
        assertTrue("progress was never called", calls.isNotEmpty())
        assertTrue("progress went backwards: $calls", calls.zipWithNext().all { (a, b) -> b.first >= a.first })

        // Without a progress lambda, replacing the file.
        t.ann.exportGroupXlsx(t.group.id, file.path)
        assertEquals("PK", String(file.readBytes(), 0, 2, Charsets.US_ASCII))
        dir.deleteRecursively()
    }

    @Test
    fun onlyTheManagerMayExportAndARefusalLeavesNoFile(): Unit = World().use { w ->
        val t = Team(w)
        val dir = tempDir("export-refused")
        val file = File(dir, "team.xlsx")
        assertRefused("R13") { t.dan.exportGroupXlsx(t.group.id, file.path) } // not a member
        assertRefused("R10") { t.bob.exportGroupXlsx(t.group.id, file.path) } // a member, not the manager
        assertEquals(emptyList<String>(), filesIn(dir))
        val unknown = expectThrows<LeanDeskException.NotFound> {
            t.ann.exportGroupXlsx("00000000-0000-4000-8000-000000000000", file.path)
        }
        assertEquals(-2, unknown.code)
        val folder = expectThrows<LeanDeskException.InvalidArgument> { t.ann.exportGroupXlsx(t.group.id, dir.path) }
        assertTrue(folder.message.isNotBlank())
        assertEquals(emptyList<String>(), filesIn(dir))
        dir.deleteRecursively()
    }

    @Test
    fun aProgressReturningFalseCancelsAndLeavesNothing(): Unit = World().use { w ->
        val t = Team(w)
        val dir = tempDir("export-cancel")
        val e = expectThrows<LeanDeskException.Cancelled> {
            t.ann.exportGroupXlsx(t.group.id, File(dir, "team.xlsx").path) { _, _ -> false }
        }
        assertEquals(-13, e.code)
        assertEquals(emptyList<String>(), filesIn(dir))
        expectThrows<LeanDeskException.Cancelled> {
            t.ann.backupGroup(t.group.id, File(dir, "backup").path) { _, _ -> false }
        }
        assertEquals(emptyList<String>(), filesIn(dir))
        dir.deleteRecursively()
    }

    @Test
    fun whatAProgressLambdaThrowsCancelsAndIsRethrown(): Unit = World().use { w ->
        val t = Team(w)
        val dir = tempDir("export-throw")
        val boom = IllegalStateException("the user closed the window")
        val thrown = expectThrows<IllegalStateException> {
            t.ann.exportGroupXlsx(t.group.id, File(dir, "team.xlsx").path) { _, _ -> throw boom }
        }
        assertSame(boom, thrown)
        assertEquals(emptyList<String>(), filesIn(dir))

        // A progress lambda must not call LeanDesk (the database is locked): refused, so cancelled.
        val reentry = expectThrows<IllegalStateException> {
            t.ann.backupGroup(t.group.id, File(dir, "backup").path) { _, _ -> t.ann.groups().isNotEmpty() }
        }
        assertTrue(reentry.message!!, reentry.message!!.contains("must not call LeanDesk"))
        assertEquals(emptyList<String>(), filesIn(dir))

        // The thread is clean afterwards: the next calls succeed or fail on their own.
        t.ann.exportGroupXlsx(t.group.id, File(dir, "team.xlsx").path)
        assertRefused("R10") { t.bob.exportGroupXlsx(t.group.id, File(dir, "bob.xlsx").path) }
        dir.deleteRecursively()
    }

    @Test
    fun theProgressObjectIsReleasedAfterTheCall(): Unit = World().use { w ->
        val t = Team(w)
        val dir = tempDir("export-release")
        val seen = ArrayList<Long>()
        var progress: Progress? = { done, _ -> seen.add(done); true }
        val weak = WeakReference(progress)
        t.ann.exportGroupXlsx(t.group.id, File(dir, "team.xlsx").path, progress)
        progress = null
        assertNull(progress)
        assertTrue("the progress lambda is still referenced after the call", collected(weak))
        assertTrue(seen.isNotEmpty())
        dir.deleteRecursively()
    }

    @Test
    fun backupThenRestoreMakesANewEqualGroup(): Unit = World().use { w ->
        val t = Team(w)
        val dir = tempDir("backup")
        val folder = File(dir, "lean-team")
        val steps = CopyOnWriteArrayList<Long>()
        t.ann.backupGroup(t.group.id, folder.path) { done, _ -> steps.add(done); true }
        assertTrue(File(folder, "group.json").isFile)
        assertTrue(steps.isNotEmpty())
        assertRefused("R10") { t.bob.backupGroup(t.group.id, File(dir, "bob").path) }
        expectThrows<LeanDeskException.Conflict> { t.ann.backupGroup(t.group.id, folder.path) }

        val restored = t.cat.restoreGroup(folder.path) { _, _ -> true }
        assertNotEquals(t.group.id, restored.id)
        assertEquals(t.group.name, restored.name)
        assertEquals(t.cat.me().id, restored.managerId)
        val projects = t.cat.groupProjects(restored.id)
        assertEquals(listOf(t.pilot.name), projects.map { it.name })
        assertEquals(
            t.ann.actions(t.pilot.id).map { it.title }.sorted(),
            t.cat.actions(projects[0].id).map { it.title }.sorted()
        )
        assertEquals(listOf("Scrap"), t.cat.indicators(projects[0].id).map { it.name })
        // People are matched by e-mail: the same members.
        assertEquals(
            t.ann.members(t.group.id).map { it.id }.sorted(),
            t.cat.members(restored.id).map { it.id }.sorted()
        )

        expectThrows<LeanDeskException.NotFound> { t.ann.restoreGroup(File(dir, "missing").path) }
        File(folder, "group.json").writeText("{\"not\": \"a backup\"")
        val groups = t.ann.groups().size
        expectThrows<LeanDeskException.Corrupt> { t.ann.restoreGroup(folder.path) }
        assertEquals(groups, t.ann.groups().size)
        dir.deleteRecursively()
    }

    @Test
    fun theReportHasTheProjectInHtmlAndText(): Unit = World().use { w ->
        val t = Team(w)
        val report = t.bob.projectReport(t.pilot.id)
        assertTrue(report.text, report.text.contains("Pilot <Ω>"))
        assertTrue(report.html.contains("Pilot &lt;Ω&gt;")) // escaped, and real UTF-8 both ways
        assertTrue(!report.html.contains("Pilot <Ω>"))
        assertTrue(report.html.contains("<svg")) // the indicator's chart
        assertTrue(report.text.contains("Action 1"))
        // The manager reads it too (R7); a member who takes no part does not.
        assertEquals(report.text.lines().size, t.ann.projectReport(t.pilot.id).text.lines().size)
        expectThrows<LeanDeskException> { t.cat.projectReport(t.pilot.id) }
    }

    @Test
    fun theReportGoesToParticipantsOnly(): Unit = World().use { w ->
        val t = Team(w)
        val bobId = t.bob.me().id
        val catId = t.cat.me().id
        w.mailbox.mails.clear()
        t.ann.sendReport(t.pilot.id, listOf(bobId))
        val mail = w.mailbox.lastTo("bob@example.com")
        assertTrue(mail.subject, mail.subject.contains("Pilot <Ω>"))
        assertTrue(mail.text.contains("Action 1"))

        // Cat is a member of the group but not a participant: neither a recipient nor a sender (R15).
        w.mailbox.mails.clear()
        assertRefused("R15") { t.ann.sendReport(t.pilot.id, listOf(bobId, catId)) }
        assertRefused("R15") { t.cat.sendReport(t.pilot.id, listOf(bobId)) }
        assertEquals("no mail may go before the check", emptyList<Mail>(), w.mailbox.mails.toList())
        expectThrows<LeanDeskException.InvalidArgument> { t.ann.sendReport(t.pilot.id, emptyList()) }

        // A mail sender that throws: the send fails with Io, the thrown exception as cause.
        val down = RuntimeException("relay down")
        w.db.setMailSender { throw down }
        val io = expectThrows<LeanDeskException.Io> { t.ann.sendReport(t.pilot.id, listOf(bobId)) }
        assertSame(down, io.cause)
    }
}

/** Whether [ref] was cleared by the garbage collector within a few seconds. */
fun collected(ref: WeakReference<*>): Boolean {
    for (i in 0 until 50) {
        System.gc()
        if (ref.get() == null) return true
        Thread.sleep(20)
    }
    return false
}

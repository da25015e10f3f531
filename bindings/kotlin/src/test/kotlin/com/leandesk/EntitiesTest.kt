package com.leandesk

import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

class EntitiesTest {
    private val png = byteArrayOf(0x89.toByte(), 'P'.toByte(), 'N'.toByte(), 'G'.toByte(), 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 9, 9)

    @Test
    fun groupsStepsAndResources(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val group = ann.createGroup("Lean Team")
        assertEquals("Lean Team", group.name)
        assertEquals(ann.me().id, group.managerId)
        assertEquals(listOf(group), ann.groups())
        assertEquals("Renamed", ann.updateGroup(group.id) { name = "Renamed" }.name)

        val steps = ann.steps(group.id)
        assertTrue(steps.size >= 2)
        assertEquals(steps.indices.toList(), steps.map { it.position })
        assertEquals(StepKind.OPEN, steps.first().kind)
        assertTrue(steps.any { it.kind == StepKind.DONE })
        val check = ann.addStep(group.id, "Check", StepKind.ACTIVE)
        assertEquals(steps.size, check.position)
        assertEquals("Verify", ann.updateStep(check.id) { name = "Verify" }.name)
        val moved = ann.moveStep(check.id, 0)
        assertEquals(check.id, moved.first().id)
        ann.removeStep(check.id)
        assertEquals(steps.map { it.id }, ann.steps(group.id).map { it.id })

        val link = ann.addResource(group.id, "Handbook", url = "https://example.com/handbook")
        assertEquals("https://example.com/handbook", link.url)
        assertNull(link.note)
        val edited = ann.updateResource(link.id) {
            note = "Read first"
            url = null
        }
        assertEquals("Read first", edited.note)
        assertNull(edited.url)
        assertEquals(listOf(edited), ann.resources(group.id))
        ann.removeResource(link.id)
        assertEquals(0, ann.resources(group.id).size)

        val person = ann.addMember(group.id, "new@example.com")
        assertFalse(person.activated) // R16: no account yet
        assertEquals("new@example.com", person.displayName)
        assertEquals(2, ann.members(group.id).size)
        ann.removeMember(group.id, person.id)
        assertEquals(1, ann.members(group.id).size)
        ann.deleteGroup(group.id)
        assertEquals(0, ann.groups().size)
    }

    @Test
    fun projectsActionsCommentsIndicatorsPhotos(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val bob = w.user("Bob", "Baker", "bob@example.com")
        val bobId = bob.me().id
        val group = ann.createGroup("Lean Team")
        ann.addMember(group.id, "bob@example.com")
        val project = ann.createProject(group.id, "Pilot", description = "Now", futureState = "Later",
            startDate = "2026-01-05", targetDate = "2026-06-30")
        assertEquals("2026-01-05", project.startDate)
        assertEquals(ProjectStatus.ACTIVE, project.status)
        assertEquals(ann.me().id, project.ownerId)
        assertEquals(listOf(project), ann.projects())
        assertEquals(listOf(project), ann.groupProjects(group.id))
        val participation = ann.addParticipant(project.id, bobId)
        assertEquals(project.id, participation.projectId)
        assertEquals(bobId, participation.userId)
        assertEquals(ann.me().id, participation.addedBy)
        val updated = ann.updateProject(project.id) {
            targetDate = null
            status = ProjectStatus.CLOSED
        }
        assertNull(updated.targetDate)
        assertEquals(ProjectStatus.CLOSED, updated.status)
        ann.updateProject(project.id) { status = ProjectStatus.ACTIVE }

        val indicator = ann.createIndicator(project.id, "Lead time", unit = "days", baseline = 10.0, target = 4.0)
        assertEquals(10.0, indicator.baseline, 0.0)
        assertEquals("days", indicator.unit)
        assertEquals(5.5, ann.updateIndicator(indicator.id) { target = 5.5 }.target, 0.0)
        assertEquals(listOf(indicator.id), ann.indicators(project.id).map { it.id })

        val late = bob.createAction(project.id, "Measure", ownerId = bobId, dueDate = "2020-01-01", priority = 3,
            progress = 10, indicatorId = indicator.id, impact = -2.5, context = "@floor")
        assertTrue("due in the past and not done", late.overdue)
        assertEquals(bobId, late.ownerId)
        assertEquals(-2.5, late.impact!!, 0.0)
        assertEquals("@floor", late.context)
        assertNull(late.doneAt)
        val cleared = bob.updateAction(late.id) {
            dueDate = null
            impact = null
        }
        assertNull(cleared.dueDate)
        assertNull(cleared.impact)
        assertFalse(cleared.overdue)

        val second = bob.createAction(project.id, "Standardise")
        val steps = bob.steps(group.id)
        val done = steps.last { it.kind == StepKind.DONE }
        val finished = bob.moveAction(second.id, done.id)
        assertEquals(done.id, finished.stepId)
        assertNotNull(finished.doneAt)
        assertEquals(2, bob.actions(project.id).size)

        val comment = bob.addComment(late.id, "Started measuring")
        assertEquals(bobId, comment.authorId)
        val photo = bob.addPhoto(late.id, png, caption = "Board", takenAt = 1_700_000_000_000L)
        assertEquals("image/png", photo.mime)
        assertEquals(png.size.toLong(), photo.size)
        assertEquals(1_700_000_000_000L, photo.takenAt)
        assertArrayEquals(png, ann.readBlob(photo.blob))
        val detail = bob.action(late.id)
        assertEquals(late.id, detail.action.id)
        assertEquals(listOf(comment), detail.comments)
        assertEquals(listOf(photo), detail.photos)
        expectThrows<LeanDeskException.NotFound> { bob.readBlob("0".repeat(64)) }

        val value = bob.setIndicatorValue(indicator.id, "2026-W09", 8.0)
        assertEquals(IndicatorValue(indicator.id, "2026-W09", 8.0), value)
        val curve = bob.indicatorCurve(indicator.id)
        assertTrue(curve.any { it.week == "2026-W09" && it.actual == 8.0 })
        bob.clearIndicatorValue(indicator.id, "2026-W09")
        assertTrue(bob.indicatorCurve(indicator.id).none { it.actual != null })

        val review = ann.review(project.id)
        assertEquals(project.id, review.project.id)
        assertEquals(steps.map { it.id }, review.steps.map { it.step.id })
        assertEquals(2, review.steps.map { it.actions.size }.sum())
        assertEquals(setOf("Ann Archer", "Bob Baker"), review.participants.map { it.displayName }.toSet())
        assertEquals(listOf(indicator.id), review.indicators.map { it.id })

        val dashboard = bob.dashboard()
        assertTrue(dashboard.any { it.id == late.id })

        val recipients = ann.reportRecipients(project.id, listOf(bobId))
        assertEquals(listOf("bob@example.com"), recipients.map { it.email })

        bob.removePhoto(photo.id)
        bob.deleteComment(comment.id)
        assertEquals(0, bob.action(late.id).comments.size)
        bob.deleteAction(second.id)
        ann.deleteIndicator(indicator.id)
        assertNull(bob.action(late.id).action.indicatorId)

        ann.transferProject(project.id, bobId)
        ann.leaveProject(project.id)
        expectThrows<LeanDeskException> { bob.removeParticipant(project.id, bobId) } // not the owner (R6)
        assertEquals(listOf(bobId), bob.participants(project.id).map { it.id })
    }

    @Test
    fun changesStorageAndSessionInfo(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val group = ann.createGroup("Lean Team")
        val changes = w.db.changesSince(0, 1000)
        val groupInsert = changes.first { it.entity == "group" }
        assertEquals(group.id, groupInsert.entityId)
        assertEquals(ChangeOp.INSERT, groupInsert.op)
        assertEquals(ann.me().id, groupInsert.actor)
        assertEquals(group.id, groupInsert.groupId)
        assertNull(groupInsert.projectId)
        assertTrue(changes.zipWithNext().all { (a, b) -> a.seq < b.seq })
        assertEquals(changes.drop(1), w.db.changesSince(changes.first().seq, 1000))

        val storage = w.db.storageInfo()
        assertTrue(storage.schemaVersion >= 1)
        assertEquals("memory", storage.journalMode)
        assertTrue(storage.foreignKeys)
        assertTrue(storage.secureDelete)
        assertTrue(storage.pageSize > 0)
        w.db.checkpoint()
    }

    @Test
    fun theOperator(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val annId = ann.me().id
        expectThrows<LeanDeskException.AuthFailed> { w.db.operatorSignIn("no secret set yet") }
        w.db.setOperatorSecret(null, "a long operator secret")
        expectThrows<LeanDeskException.AuthFailed> { w.db.setOperatorSecret("wrong current secret", "another long secret") }
        w.db.operatorSignIn("a long operator secret").use { op ->
            val info = op.info()
            assertTrue(info.isOperator)
            assertNull(info.userId)
            assertEquals(UserStatus.GOLD, op.setUserStatus(annId, UserStatus.GOLD).status)
            assertEquals(UserStatus.GOLD, op.operatorGetUser(annId).status)
            assertRefused("R11") { ann.updateMe { set("status", "silver") } }

            val policy = op.publishPolicy("We keep less data.")
            assertEquals("We keep less data.", policy.summary)
            assertTrue(policy.version >= 1)
            w.db.signIn("ann@example.com", PASSWORD).use { s ->
                val annInfo = s.info()
                assertTrue(annInfo.policyNoticeRequired)
                assertEquals(policy.version, annInfo.policyVersion)
                assertEquals(policy.version, s.acknowledgePolicy(policy.version).acceptedPolicyVersion)
                assertFalse(s.info().policyNoticeRequired)
            }
            assertTrue(op.activeUsers().any { it.id == annId })
            assertTrue(op.newsletterRecipients().any { it.id == annId })

            assertTrue(op.setUserDeactivated(annId, true).deactivated)
            expectThrows<LeanDeskException.SessionExpired> { ann.me() }
            assertRefused("R12") { w.db.signIn("ann@example.com", PASSWORD) }
            assertFalse(op.setUserDeactivated(annId, false).deactivated)

            assertEquals("ann@new.example", op.changeLoginEmail(annId, "ann@new.example").email)
            op.resetUserPassword(annId)
            assertNotNull(w.mailbox.lastTo("ann@new.example"))

            w.db.usageEnabled = true
            assertTrue(w.db.usageEnabled)
            w.db.recordUsage("app_start", platform = "android", osVersion = "14", appVersion = "1.0", deviceClass = "phone")
            w.db.recordUsage("app_start", platform = "android", osVersion = "14", appVersion = "1.0", deviceClass = "phone")
            val report = op.usageReport()
            assertEquals(listOf(UsageCount("app_start", "android", "14", "1.0", "phone", 2)), report)
            w.db.usageEnabled = false
            assertFalse(w.db.usageEnabled)
        }
    }

    @Test
    fun decodingFollowsTheSchemas() {
        val person = Person.fromJson(
            """{"id":"11111111-1111-4111-8111-111111111111","display_name":"Cat Carter","first_name":"Cat",
               "last_name":"Carter","avatar":null,"status":"silver","activated":true}"""
        )
        assertNull("absent e-mail is null", person.email)
        assertEquals(UserStatus.SILVER, person.status)
        val action = Action.fromJson(
            """{"id":"a","project_id":"p","title":"T","description":"","step_id":"s","owner_id":null,
               "context":"","due_date":null,"priority":0,"progress":100,"indicator_id":null,"impact":3,
               "position":1.5,"created_by":null,"created_at":1,"updated_at":2,"done_at":null,"overdue":false}"""
        )
        assertEquals(3.0, action.impact!!, 0.0)
        assertEquals(1.5, action.position, 0.0)
        assertNull(action.ownerId)
        assertEquals(100, action.progress)
        val point = IndicatorPoint.fromJson("""{"week":"2026-W01","expected":1,"actual":null}""")
        assertEquals(IndicatorPoint("2026-W01", 1.0, null), point)
        val bad = expectThrows<LeanDeskException.Internal> { Group.fromJson("""{"id":"g","name":"N"}""") }
        assertTrue(bad.message, bad.message.contains("group"))
        expectThrows<LeanDeskException.Internal> { Step.fromJson("""{"id":"s","group_id":"g","name":"N","position":0,"kind":"later"}""") }
    }
}

package com.leandesk

import org.json.JSONArray
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Test
import java.io.File

/**
 * The cross-language consistency scenario (issue 7). Every binding (Python, Kotlin, Swift) runs the
 * same steps against the real engine and must observe the same results:
 *
 *  1. Open a fresh database file with options {"password_opslimit":1,"password_memlimit":8192} and
 *     a mail sender that captures the mails.
 *  2. Sign up Ann Archer <ann@example.com>, Bob Baker <bob@example.com>, Cat Carter
 *     <cat@example.com>, each with the password "correct horse battery"; activate each with the
 *     code of their activation mail (the line of the mail's text that starts with four spaces,
 *     trimmed); sign each in.
 *  3. Ann creates the group "Lean Team" (R1): she is its manager. She adds bob@example.com and
 *     cat@example.com (R2): the group has 3 members.
 *  4. Ann creates the project "Pilot" in the group (R5) and adds Bob as participant (R6).
 *  5. Bob creates the action "Measure" in Pilot (R9, as participant): it lands in the open step
 *     "Ideas" and Bob is its creator.
 *  6. Cat (member, not participant) tries to create the action "Sneak" in Pilot: refused with
 *     permission denied (-3), message starting "R9:"; Pilot still has 1 action. Cat reading Pilot
 *     is refused too: permission denied (-3), message starting "R8:".
 *  7. E-mail visibility in the group's members (R13), as the sets of members whose e-mail is
 *     present: Ann (manager) sees {Ann, Bob, Cat}; Bob sees {Ann, Bob} (Ann is a co-participant,
 *     R8); Cat sees {Cat} only.
 *  8. Ann hands Pilot's ownership to Bob (R6) and leaves Pilot: she is now manager but not
 *     participant. Pilot's participants: {Bob}.
 *  9. Ann reads Pilot's actions (R7, the manager reads all data of the group): 1 action, titled
 *     "Measure". Ann's group projects list Pilot; her own projects do not.
 * 10. E-mail visibility again: Bob now sees {Bob} only; Ann still sees all three.
 *
 * The results are gathered into one JSON object and compared with [EXPECTED], the same object the
 * other bindings' tests hold.
 */
class ConsistencyTest {
    companion object {
        const val EXPECTED = """
        {
          "members_count": 3,
          "participants_after_add": ["Ann Archer", "Bob Baker"],
          "measure_step": "Ideas",
          "cat_create_action": {"code": -3, "name": "permission denied", "rule": "R9"},
          "actions_after_refusal": 1,
          "cat_get_project": {"code": -3, "name": "permission denied", "rule": "R8"},
          "emails_seen_by": {
            "ann": ["Ann Archer", "Bob Baker", "Cat Carter"],
            "bob": ["Ann Archer", "Bob Baker"],
            "cat": ["Cat Carter"]
          },
          "participants_after_ann_left": ["Bob Baker"],
          "pilot_owner": "Bob Baker",
          "ann_reads_actions": ["Measure"],
          "ann_group_projects": ["Pilot"],
          "ann_my_projects": [],
          "emails_seen_after_ann_left": {
            "ann": ["Ann Archer", "Bob Baker", "Cat Carter"],
            "bob": ["Bob Baker"],
            "cat": ["Cat Carter"]
          }
        }
        """
    }

    @Test
    fun scenario() {
        val dir = tempDir("consistency")
        // 1-2
        World(FAST, File(dir, "scenario.leandesk").path).use { w ->
            val ann = w.user("Ann", "Archer", "ann@example.com")
            val bob = w.user("Bob", "Baker", "bob@example.com")
            val cat = w.user("Cat", "Carter", "cat@example.com")
            val names = listOf(ann, bob, cat).map { it.me() }.associate { it.id to it.displayName }
            val bobId = bob.me().id
            val observed = LinkedHashMap<String, Any?>()

            // 3
            val group = ann.createGroup("Lean Team")
            assertEquals(ann.me().id, group.managerId)
            ann.addMember(group.id, "bob@example.com")
            ann.addMember(group.id, "cat@example.com")
            observed["members_count"] = ann.members(group.id).size.toLong()

            // 4
            val pilot = ann.createProject(group.id, "Pilot")
            ann.addParticipant(pilot.id, bobId)
            observed["participants_after_add"] = sortedNames(ann.participants(pilot.id))

            // 5
            val measure = bob.createAction(pilot.id, "Measure")
            assertEquals(bobId, measure.createdBy)
            observed["measure_step"] = bob.steps(group.id).firstOrNull { it.id == measure.stepId }?.name ?: "?"

            // 6
            observed["cat_create_action"] = errorSummary { cat.createAction(pilot.id, "Sneak") }
            observed["actions_after_refusal"] = bob.actions(pilot.id).size.toLong()
            observed["cat_get_project"] = errorSummary { cat.project(pilot.id) }

            // 7
            observed["emails_seen_by"] = emailsSeen(group.id, ann, bob, cat)

            // 8
            ann.transferProject(pilot.id, bobId)
            ann.leaveProject(pilot.id)
            observed["participants_after_ann_left"] = sortedNames(bob.participants(pilot.id))
            observed["pilot_owner"] = names[ann.project(pilot.id).ownerId] ?: "?"

            // 9
            observed["ann_reads_actions"] = ann.actions(pilot.id).map { it.title }
            observed["ann_group_projects"] = ann.groupProjects(group.id).map { it.name }
            observed["ann_my_projects"] = ann.projects().map { it.name }

            // 10
            observed["emails_seen_after_ann_left"] = emailsSeen(group.id, ann, bob, cat)

            assertEquals(plain(JSONObject(EXPECTED)), observed)
        }
        dir.deleteRecursively()
    }

    private fun sortedNames(people: List<Person>): List<String> = people.map { it.displayName }.sorted()

    private fun emailsSeen(groupId: String, ann: Session, bob: Session, cat: Session): Map<String, Any?> {
        fun seen(s: Session) = sortedNames(s.members(groupId).filter { it.email != null })
        return linkedMapOf("ann" to seen(ann), "bob" to seen(bob), "cat" to seen(cat))
    }

    private fun errorSummary(body: () -> Any): Any {
        return try {
            body()
            "succeeded"
        } catch (e: LeanDeskException) {
            linkedMapOf("code" to e.code.toLong(), "name" to LeanDesk.errorName(e.code),
                "rule" to (e as? LeanDeskException.PermissionDenied)?.rule)
        }
    }

    /** JSON as plain Kotlin values: maps, lists, strings, longs, booleans, null. */
    private fun plain(v: Any?): Any? = when (v) {
        is JSONObject -> {
            val m = LinkedHashMap<String, Any?>()
            val keys = v.keys()
            while (keys.hasNext()) {
                val k = keys.next()
                m[k] = plain(v.get(k))
            }
            m
        }
        is JSONArray -> (0 until v.length()).map { plain(v.get(it)) }
        is Int -> v.toLong()
        JSONObject.NULL -> null
        else -> v
    }
}

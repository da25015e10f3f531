package com.leandesk

import org.json.JSONArray
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File

/**
 * Deeply nested JSON input at every JSON entry point of the Kotlin binding (issue 20): JSON text
 * (options, execute arguments) goes to the library as it is and is refused there; values set on a
 * patch (JSONObject, JSONArray, maps, lists) are written by org.json, which recurses once per
 * level, and are refused by the binding first. Always InvalidArgument "nested too deeply", never a
 * StackOverflowError.
 */
class DepthTest {
    private val hostile = 100_000
    private val bound = 512 // the binding's MAX_INPUT_DEPTH (internal to the library's module)

    private fun deepArrayText(depth: Int) = "[".repeat(depth) + "]".repeat(depth)

    private fun deepObjectText(depth: Int) = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1)

    private fun deepValues(depth: Int): Map<String, Any> {
        var array = JSONArray()
        var obj = JSONObject()
        var list: Any = ArrayList<Any>()
        var map: Any = HashMap<String, Any>()
        for (i in 1 until depth) {
            array = JSONArray().put(array)
            obj = JSONObject().put("a", obj)
            list = arrayListOf(list)
            map = hashMapOf("a" to map)
        }
        return mapOf("JSONArray" to array, "JSONObject" to obj, "list" to list, "map" to map)
    }

    private fun expectTooDeep(what: String, block: () -> Unit) {
        val e = expectThrows<LeanDeskException.InvalidArgument>(block)
        assertEquals(-4, e.code)
        assertTrue("$what: ${e.message}", e.message.contains("nested too deeply"))
    }

    @Test
    fun deepJsonTextIsRefusedAtEveryTextEntryPoint(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val dir = tempDir("depth")
        for (text in listOf(deepArrayText(hostile), deepObjectText(hostile))) {
            expectTooDeep("open") { Database.open(":memory:", text).close() }
            val replica = File(dir, "replica.db")
            expectTooDeep("openReplica") {
                Database.openReplica(replica.path, text, "https://sync.invalid/").close()
            }
            assertFalse(replica.exists())
            expectTooDeep("execute") { ann.execute("create_group", text) }
            expectTooDeep("execute, nested") { ann.execute("create_group", "{\"input\":$text}") }
        }
        assertEquals(0, ann.groups().size)
    }

    @Test
    fun deepValuesInAPatchAreRefusedBeforeTheyAreWritten(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val group = ann.createGroup("Lean Team")
        val pilot = ann.createProject(group.id, "Pilot")
        val action = ann.createAction(pilot.id, "Measure")
        for ((what, deep) in deepValues(hostile)) {
            expectTooDeep("$what in an action patch") { ann.updateAction(action.id) { set("title", deep) } }
            expectTooDeep("$what in a profile patch") { ann.updateMe { set("first_name", deep) } }
            expectTooDeep("$what in a group patch") { ann.updateGroup(group.id) { set("name", deep) } }
            expectTooDeep("$what in toJson") { ActionPatch().apply { set("x", deep) }.toJson() }
        }
        assertEquals("Measure", ann.action(action.id).action.title)
        assertEquals("Lean Team", ann.group(group.id).name)
    }

    @Test
    fun aPatchValueThatContainsItselfIsRefused() {
        val loop = ArrayList<Any>()
        loop.add(loop)
        loop.add(loop)
        expectTooDeep("self-containing list") { ActionPatch().apply { set("x", loop) }.toJson() }
    }

    @Test
    fun theBindingsBoundLeavesTheRestToTheLibrary(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val group = ann.createGroup("Lean Team")
        // At the bound the patch is written and the library refuses it itself (32 levels).
        val atBound = expectThrows<LeanDeskException.InvalidArgument> {
            ann.updateGroup(group.id) { set("name", deepValues(bound)["JSONArray"]) }
        }
        assertTrue(atBound.message, atBound.message.contains("nested too deeply"))
        assertFalse(atBound.message, atBound.message.contains("$bound"))
        // One level more and the binding refuses it.
        val past = expectThrows<LeanDeskException.InvalidArgument> {
            ann.updateGroup(group.id) { set("name", JSONArray().put(deepValues(bound)["JSONArray"])) }
        }
        assertTrue(past.message, past.message.contains("$bound"))
        assertEquals("Lean Team", ann.group(group.id).name)
    }
}

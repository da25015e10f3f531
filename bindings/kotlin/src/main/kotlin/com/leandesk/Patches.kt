package com.leandesk

import org.json.JSONException
import org.json.JSONObject
import kotlin.properties.ReadWriteProperty
import kotlin.reflect.KProperty

/**
 * The fields an update changes. Only the properties you assign are sent; assigning `null` to an
 * optional field clears it (sends JSON null). Used with the update functions of [Session]:
 *
 * ```
 * session.updateAction(actionId) {
 *     priority = 3
 *     dueDate = null      // clears the due date
 * }
 * ```
 */
abstract class Patch {
    private val values = LinkedHashMap<String, Any?>()

    /** The names of the fields set so far, in order. */
    val keys: Set<String>
        get() = values.keys

    /** Whether nothing was set. */
    val isEmpty: Boolean
        get() = values.isEmpty()

    protected fun <T> field(key: String): ReadWriteProperty<Patch, T?> = object : ReadWriteProperty<Patch, T?> {
        @Suppress("UNCHECKED_CAST")
        override fun getValue(thisRef: Patch, property: KProperty<*>): T? = values[key] as T?

        override fun setValue(thisRef: Patch, property: KProperty<*>, value: T?) {
            values[key] = value
        }
    }

    /** Sets a field by its JSON name, for fields this binding does not know yet. */
    fun set(key: String, value: Any?) {
        values[key] = value
    }

    /**
     * The patch as a JSON object text. A value nested more than 512 levels deep (a JSONObject,
     * JSONArray, map or collection given to [set]) throws [LeanDeskException.InvalidArgument].
     */
    fun toJson(): String {
        val o = JSONObject()
        try {
            for ((k, v) in values) {
                checkDepth(v)
                o.put(k, when (v) {
                    null -> JSONObject.NULL
                    is UserStatus -> v.wire
                    is StepKind -> v.wire
                    is ProjectStatus -> v.wire
                    else -> v
                })
            }
        } catch (e: JSONException) {
            throw LeanDeskException.InvalidArgument(e.message ?: "invalid value", e)
        }
        return o.toString()
    }

    override fun toString(): String = javaClass.simpleName + toJson()
}

/** The own profile: [Session.updateMe]. The e-mail and status change elsewhere. */
class ProfilePatch : Patch() {
    var firstName: String? by field("first_name")
    var lastName: String? by field("last_name")
    var newsletterOptIn: Boolean? by field("newsletter_opt_in")
    var showOpenActionsOnDashboard: Boolean? by field("show_open_actions_on_dashboard")
}

/** A group: [Session.updateGroup]. */
class GroupPatch : Patch() {
    var name: String? by field("name")
}

/** A workflow step: [Session.updateStep]. */
class StepPatch : Patch() {
    var name: String? by field("name")
    var kind: StepKind? by field("kind")
}

/** A resource: [Session.updateResource]. */
class ResourcePatch : Patch() {
    var name: String? by field("name")
    var url: String? by field("url")
    var note: String? by field("note")
}

/** A project: [Session.updateProject]. */
class ProjectPatch : Patch() {
    var name: String? by field("name")
    var description: String? by field("description")
    var futureState: String? by field("future_state")
    /** "YYYY-MM-DD"; null clears it. */
    var startDate: String? by field("start_date")
    /** "YYYY-MM-DD"; null clears it. */
    var targetDate: String? by field("target_date")
    var status: ProjectStatus? by field("status")
}

/** An action: [Session.updateAction]. */
class ActionPatch : Patch() {
    var title: String? by field("title")
    var description: String? by field("description")
    var stepId: String? by field("step_id")
    /** A participant's id; null leaves the action without an owner. */
    var ownerId: String? by field("owner_id")
    var context: String? by field("context")
    /** "YYYY-MM-DD"; null clears it. */
    var dueDate: String? by field("due_date")
    /** 0..3. */
    var priority: Int? by field("priority")
    /** 0..100. */
    var progress: Int? by field("progress")
    /** null unlinks the indicator. */
    var indicatorId: String? by field("indicator_id")
    /** null clears it. */
    var impact: Double? by field("impact")
}

/** An indicator: [Session.updateIndicator]. */
class IndicatorPatch : Patch() {
    var name: String? by field("name")
    var unit: String? by field("unit")
    var baseline: Double? by field("baseline")
    var target: Double? by field("target")
}

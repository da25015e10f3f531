package com.leandesk

import org.json.JSONException
import org.json.JSONObject

// The entities LeanDesk hands back, decoded from the JSON whose shapes docs/schema/ fixes.
// Ids are lower-case UUID strings, dates "YYYY-MM-DD" strings, weeks ISO "YYYY-Www" strings and
// instants milliseconds since the Unix epoch (UTC). Every type has `fromJson` for JSON an app kept.

/** A user's status level; only the operator changes it (R12). */
enum class UserStatus(val wire: String) {
    NONE("none"), BRONZE("bronze"), SILVER("silver"), GOLD("gold");

    companion object {
        @JvmStatic
        fun of(wire: String): UserStatus =
            values().firstOrNull { it.wire == wire } ?: throw JSONException("unknown user status '$wire'")
    }
}

/** The kind of a workflow step. */
enum class StepKind(val wire: String) {
    OPEN("open"), ACTIVE("active"), DONE("done");

    companion object {
        @JvmStatic
        fun of(wire: String): StepKind =
            values().firstOrNull { it.wire == wire } ?: throw JSONException("unknown step kind '$wire'")
    }
}

/** Whether a project is running. */
enum class ProjectStatus(val wire: String) {
    ACTIVE("active"), CLOSED("closed");

    companion object {
        @JvmStatic
        fun of(wire: String): ProjectStatus =
            values().firstOrNull { it.wire == wire } ?: throw JSONException("unknown project status '$wire'")
    }
}

/** What a change record did to its record. */
enum class ChangeOp(val wire: String) {
    INSERT("insert"), UPDATE("update"), DELETE("delete");

    companion object {
        @JvmStatic
        fun of(wire: String): ChangeOp =
            values().firstOrNull { it.wire == wire } ?: throw JSONException("unknown change op '$wire'")
    }
}

/** A log line's level (`LD_LOG_*`). */
enum class LogLevel(val code: Int) {
    DEBUG(0), INFO(1), WARNING(2), ERROR(3);

    companion object {
        @JvmStatic
        fun of(code: Int): LogLevel = values().firstOrNull { it.code == code } ?: if (code < 0) DEBUG else ERROR
    }
}

/** A person's full record, as they see it themselves (R11) and the operator sees any account (R12). */
data class User(
    val id: String,
    val email: String,
    val firstName: String,
    val lastName: String,
    /** The e-mail address until activation, then "First Last" (R16). */
    val displayName: String,
    /** Content hash of the avatar image; null when none. */
    val avatar: String?,
    val status: UserStatus,
    /** When the address was verified; null for a not-yet-activated user (R16). */
    val activatedAt: Long?,
    val deactivated: Boolean,
    val newsletterOptIn: Boolean,
    val showOpenActionsOnDashboard: Boolean,
    /** The privacy-policy version last accepted; 0 for none yet. */
    val acceptedPolicyVersion: Long,
    val lastActiveAt: Long?,
    val createdAt: Long
) {
    /** Whether the e-mail address was verified. */
    val activated: Boolean
        get() = activatedAt != null

    companion object {
        @JvmStatic
        fun fromJson(json: String): User = decodeObject("user", json) { from(it) }

        internal fun from(o: JSONObject) = User(
            id = o.str("id"),
            email = o.str("email"),
            firstName = o.str("first_name"),
            lastName = o.str("last_name"),
            displayName = o.str("display_name"),
            avatar = o.strOrNull("avatar"),
            status = UserStatus.of(o.str("status")),
            activatedAt = o.longOrNull("activated_at"),
            deactivated = o.bool("deactivated"),
            newsletterOptIn = o.bool("newsletter_opt_in"),
            showOpenActionsOnDashboard = o.bool("show_open_actions_on_dashboard"),
            acceptedPolicyVersion = o.long("accepted_policy_version"),
            lastActiveAt = o.longOrNull("last_active_at"),
            createdAt = o.long("created_at")
        )
    }
}

/** A group: people who share a workflow, resources and projects. */
data class Group(
    val id: String,
    val name: String,
    val managerId: String,
    val createdAt: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Group = decodeObject("group", json) { from(it) }

        internal fun from(o: JSONObject) = Group(
            id = o.str("id"),
            name = o.str("name"),
            managerId = o.str("manager_id"),
            createdAt = o.long("created_at")
        )
    }
}

/**
 * A person as another user sees them (R8, R13). [email] is null where the viewer may not see the
 * address: only the person themself, co-participants of a common project, the manager of a common
 * group and report recipients see it.
 */
data class Person(
    val id: String,
    val displayName: String,
    val firstName: String,
    val lastName: String,
    val email: String?,
    val avatar: String?,
    val status: UserStatus,
    val activated: Boolean
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Person = decodeObject("person", json) { from(it) }

        internal fun from(o: JSONObject) = Person(
            id = o.str("id"),
            displayName = o.str("display_name"),
            firstName = o.str("first_name"),
            lastName = o.str("last_name"),
            email = if (o.has("email")) o.strOrNull("email") else null,
            avatar = o.strOrNull("avatar"),
            status = UserStatus.of(o.str("status")),
            activated = o.bool("activated")
        )
    }
}

/** One step of a group's workflow. */
data class Step(
    val id: String,
    val groupId: String,
    val name: String,
    /** 0-based place in the workflow. */
    val position: Int,
    val kind: StepKind
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Step = decodeObject("step", json) { from(it) }

        internal fun from(o: JSONObject) = Step(
            id = o.str("id"),
            groupId = o.str("group_id"),
            name = o.str("name"),
            position = o.int("position"),
            kind = StepKind.of(o.str("kind"))
        )
    }
}

/** A resource a group shares: a link, a note, or both. */
data class Resource(
    val id: String,
    val groupId: String,
    val name: String,
    val url: String?,
    val note: String?
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Resource = decodeObject("resource", json) { from(it) }

        internal fun from(o: JSONObject) = Resource(
            id = o.str("id"),
            groupId = o.str("group_id"),
            name = o.str("name"),
            url = o.strOrNull("url"),
            note = o.strOrNull("note")
        )
    }
}

/** A project of a group. */
data class Project(
    val id: String,
    val groupId: String,
    val name: String,
    val description: String,
    val futureState: String,
    val ownerId: String,
    /** "YYYY-MM-DD" or null. */
    val startDate: String?,
    /** "YYYY-MM-DD" or null. */
    val targetDate: String?,
    val status: ProjectStatus,
    val createdAt: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Project = decodeObject("project", json) { from(it) }

        internal fun from(o: JSONObject) = Project(
            id = o.str("id"),
            groupId = o.str("group_id"),
            name = o.str("name"),
            description = o.str("description"),
            futureState = o.str("future_state"),
            ownerId = o.str("owner_id"),
            startDate = o.strOrNull("start_date"),
            targetDate = o.strOrNull("target_date"),
            status = ProjectStatus.of(o.str("status")),
            createdAt = o.long("created_at")
        )
    }
}

/** One person's participation in a project (R6). */
data class Participant(
    val projectId: String,
    val userId: String,
    val addedBy: String?,
    val addedAt: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Participant = decodeObject("participant", json) { from(it) }

        internal fun from(o: JSONObject) = Participant(
            projectId = o.str("project_id"),
            userId = o.str("user_id"),
            addedBy = o.strOrNull("added_by"),
            addedAt = o.long("added_at")
        )
    }
}

/** One action of a project's plan. */
data class Action(
    val id: String,
    val projectId: String,
    val title: String,
    val description: String,
    val stepId: String,
    /** Null when nobody owns it. */
    val ownerId: String?,
    val context: String,
    /** "YYYY-MM-DD" or null. */
    val dueDate: String?,
    /** 0 none, 1 low, 2 medium, 3 high. */
    val priority: Int,
    /** Percent, 0..100. */
    val progress: Int,
    val indicatorId: String?,
    /** Signed effect on the indicator once done; null when none. */
    val impact: Double?,
    /** Order inside its step. */
    val position: Double,
    val createdBy: String?,
    val createdAt: Long,
    val updatedAt: Long,
    /** When it entered a done step; null while not done. */
    val doneAt: Long?,
    /** Derived: due before today (UTC) and not done. */
    val overdue: Boolean
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Action = decodeObject("action", json) { from(it) }

        internal fun from(o: JSONObject) = Action(
            id = o.str("id"),
            projectId = o.str("project_id"),
            title = o.str("title"),
            description = o.str("description"),
            stepId = o.str("step_id"),
            ownerId = o.strOrNull("owner_id"),
            context = o.str("context"),
            dueDate = o.strOrNull("due_date"),
            priority = o.int("priority"),
            progress = o.int("progress"),
            indicatorId = o.strOrNull("indicator_id"),
            impact = o.doubleOrNull("impact"),
            position = o.double("position"),
            createdBy = o.strOrNull("created_by"),
            createdAt = o.long("created_at"),
            updatedAt = o.long("updated_at"),
            doneAt = o.longOrNull("done_at"),
            overdue = o.bool("overdue")
        )
    }
}

/** A comment on an action. */
data class Comment(
    val id: String,
    val actionId: String,
    /** Null once the author no longer exists. */
    val authorId: String?,
    val body: String,
    val createdAt: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Comment = decodeObject("comment", json) { from(it) }

        internal fun from(o: JSONObject) = Comment(
            id = o.str("id"),
            actionId = o.str("action_id"),
            authorId = o.strOrNull("author_id"),
            body = o.str("body"),
            createdAt = o.long("created_at")
        )
    }
}

/** A photo attached to an action; its bytes come from [Session.readBlob] with [blob]. */
data class Photo(
    val id: String,
    val actionId: String,
    /** Content hash of the image. */
    val blob: String,
    /** "image/jpeg", "image/png", "image/webp" or "image/heic". */
    val mime: String,
    val size: Long,
    val caption: String,
    val takenAt: Long?,
    val addedBy: String?,
    val createdAt: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Photo = decodeObject("photo", json) { from(it) }

        internal fun from(o: JSONObject) = Photo(
            id = o.str("id"),
            actionId = o.str("action_id"),
            blob = o.str("blob"),
            mime = o.str("mime"),
            size = o.long("size"),
            caption = o.str("caption"),
            takenAt = o.longOrNull("taken_at"),
            addedBy = o.strOrNull("added_by"),
            createdAt = o.long("created_at")
        )
    }
}

/** An action with its photos and comments, oldest first. */
data class ActionDetail(
    val action: Action,
    val photos: List<Photo>,
    val comments: List<Comment>
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): ActionDetail = decodeObject("action detail", json) { from(it) }

        internal fun from(o: JSONObject) = ActionDetail(
            action = Action.from(o.obj("action")),
            photos = o.array("photos").objects { Photo.from(it) },
            comments = o.array("comments").objects { Comment.from(it) }
        )
    }
}

/** A project indicator: what the plan moves, from [baseline] towards [target]. */
data class Indicator(
    val id: String,
    val projectId: String,
    val name: String,
    val unit: String,
    val baseline: Double,
    val target: Double,
    val createdAt: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Indicator = decodeObject("indicator", json) { from(it) }

        internal fun from(o: JSONObject) = Indicator(
            id = o.str("id"),
            projectId = o.str("project_id"),
            name = o.str("name"),
            unit = o.str("unit"),
            baseline = o.double("baseline"),
            target = o.double("target"),
            createdAt = o.long("created_at")
        )
    }
}

/** The value of an indicator measured in one ISO week ("2026-W09"). */
data class IndicatorValue(
    val indicatorId: String,
    val week: String,
    val actual: Double
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): IndicatorValue = decodeObject("indicator value", json) { from(it) }

        internal fun from(o: JSONObject) = IndicatorValue(
            indicatorId = o.str("indicator_id"),
            week = o.str("week"),
            actual = o.double("actual")
        )
    }
}

/** One week of an indicator's curve: the expected value and, when measured, the actual one. */
data class IndicatorPoint(
    val week: String,
    val expected: Double,
    val actual: Double?
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): IndicatorPoint = decodeObject("indicator point", json) { from(it) }

        internal fun from(o: JSONObject) = IndicatorPoint(
            week = o.str("week"),
            expected = o.double("expected"),
            actual = o.doubleOrNull("actual")
        )
    }
}

/** One workflow step with the project's actions in it, in order. */
data class StepActions(
    val step: Step,
    val actions: List<Action>
) {
    companion object {
        internal fun from(o: JSONObject) = StepActions(
            step = Step.from(o.obj("step")),
            actions = o.array("actions").objects { Action.from(it) }
        )
    }
}

/** A project as its review screen shows it. */
data class ProjectReview(
    val project: Project,
    /** Every step of the group's workflow in order, each with its actions (possibly none). */
    val steps: List<StepActions>,
    val participants: List<Person>,
    val indicators: List<Indicator>
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): ProjectReview = decodeObject("project review", json) { from(it) }

        internal fun from(o: JSONObject) = ProjectReview(
            project = Project.from(o.obj("project")),
            steps = o.array("steps").objects { StepActions.from(it) },
            participants = o.array("participants").objects { Person.from(it) },
            indicators = o.array("indicators").objects { Indicator.from(it) }
        )
    }
}

/** One record of the change log: what a command changed (field names, never values). */
data class Change(
    val seq: Long,
    /** "user", "group", "member", "step", "resource", "project", "participant", "action", ... */
    val entity: String,
    /** A UUID, or "group_id/user_id", "project_id/user_id", "indicator_id/week". */
    val entityId: String,
    val op: ChangeOp,
    val fields: List<String>,
    val at: Long,
    /** The user who acted; null for the operator. */
    val actor: String?,
    val groupId: String?,
    val projectId: String?
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Change = decodeObject("change", json) { from(it) }

        /** A JSON array of changes, as observers and [Database.changesSince] get them. */
        @JvmStatic
        fun listFromJson(json: String): List<Change> = decodeArray("changes", json) { from(it) }

        internal fun from(o: JSONObject) = Change(
            seq = o.long("seq"),
            entity = o.str("entity"),
            entityId = o.str("entity_id"),
            op = ChangeOp.of(o.str("op")),
            fields = o.array("fields").strings(),
            at = o.long("at"),
            actor = o.strOrNull("actor"),
            groupId = o.strOrNull("group_id"),
            projectId = o.strOrNull("project_id")
        )
    }
}

/** What a session is. */
data class SessionInfo(
    /** Null for the operator. */
    val userId: String?,
    val expiresAt: Long,
    /** The operator published a policy version this user has not acknowledged: show the notice. */
    val policyNoticeRequired: Boolean,
    val policyVersion: Long,
    val isOperator: Boolean
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): SessionInfo = decodeObject("session info", json) { from(it) }

        internal fun from(o: JSONObject) = SessionInfo(
            userId = o.strOrNull("user_id"),
            expiresAt = o.long("expires_at"),
            policyNoticeRequired = o.bool("policy_notice_required"),
            policyVersion = o.long("policy_version"),
            isOperator = o.bool("is_operator")
        )
    }
}

/** A published privacy-policy version. */
data class PolicyVersion(
    val version: Long,
    val summary: String,
    val publishedAt: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): PolicyVersion = decodeObject("policy version", json) { from(it) }

        internal fun from(o: JSONObject) = PolicyVersion(
            version = o.long("version"),
            summary = o.str("summary"),
            publishedAt = o.long("published_at")
        )
    }
}

/** One line of the anonymous usage figures. */
data class UsageCount(
    val event: String,
    val platform: String,
    val osVersion: String,
    val appVersion: String,
    val deviceClass: String,
    val count: Long
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): UsageCount = decodeObject("usage count", json) { from(it) }

        internal fun from(o: JSONObject) = UsageCount(
            event = o.str("event"),
            platform = o.str("platform"),
            osVersion = o.str("os_version"),
            appVersion = o.str("app_version"),
            deviceClass = o.str("device_class"),
            count = o.long("count")
        )
    }
}

/** A mail LeanDesk asks the app to deliver (activation, password reset, e-mail change). */
data class Mail(
    val to: String,
    val toName: String,
    val subject: String,
    val text: String,
    val html: String,
    /** The mail as LeanDesk passed it: {"to","to_name","subject","text","html"}. */
    val json: String
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): Mail = decodeObject("mail", json) { o ->
            Mail(
                to = o.str("to"),
                toName = o.optString("to_name", ""),
                subject = o.str("subject"),
                text = o.str("text"),
                html = if (o.isNull("html")) "" else o.str("html"),
                json = json
            )
        }
    }
}

/** How the store is set up ([Database.storageInfo]); [json] keeps every field as LeanDesk gave it. */
data class StorageInfo(
    val schemaVersion: Long,
    /** "wal" for a file, "memory" for ":memory:". */
    val journalMode: String,
    val foreignKeys: Boolean,
    val secureDelete: Boolean,
    val busyTimeoutMs: Long,
    val preparedStatements: Long,
    val pageCount: Long,
    val pageSize: Long,
    val json: String
) {
    companion object {
        @JvmStatic
        fun fromJson(json: String): StorageInfo = decodeObject("storage info", json) { o ->
            StorageInfo(
                schemaVersion = o.long("schema_version"),
                journalMode = o.str("journal_mode"),
                foreignKeys = o.bool("foreign_keys"),
                secureDelete = o.bool("secure_delete"),
                busyTimeoutMs = o.long("busy_timeout_ms"),
                preparedStatements = o.long("prepared_statements"),
                pageCount = o.long("page_count"),
                pageSize = o.long("page_size"),
                json = json
            )
        }
    }
}

package com.leandesk

import com.leandesk.jni.LeanDeskNative as N
import com.leandesk.jni.SWIGTYPE_p_ld_session
import org.json.JSONArray
import java.io.Closeable

/**
 * A signed-in user (or the operator) on a [Database]. Every query and command of LeanDesk is a
 * function here; what the user may see and do is decided by the rules inside the engine, and a
 * refusal is a [LeanDeskException.PermissionDenied] whose message starts with the rule's id.
 *
 * [close] frees this handle only: the session itself stays valid and can be [Database.resume]d from
 * its [token] until it expires or [signOut] ends it. Closing the database closes its sessions.
 */
class Session internal constructor(private val db: Database, handle: SWIGTYPE_p_ld_session) : Closeable {
    @Volatile
    private var handle: SWIGTYPE_p_ld_session? = handle

    /** The database this session is on. */
    val database: Database
        get() = db

    /** Whether [close] (or the database's close) was called. */
    val isClosed: Boolean
        get() = handle == null

    /** Frees the handle (not the session: see [signOut]); idempotent. */
    override fun close() {
        if (handle == null) return
        db.closeSession(this)
    }

    /** Called with the database's write lock held. */
    internal fun releaseLocked() {
        val h = handle ?: return
        handle = null
        N.ld_session_free(h)
    }

    private inline fun <T> call(block: (SWIGTYPE_p_ld_session) -> T): T = db.withHandle {
        block(handle ?: throw IllegalStateException("the session is closed"))
    }

    private inline fun text(c: (Array<String?>, SWIGTYPE_p_ld_session) -> Int): String =
        call { h -> Native.string { out -> c(out, h) } }

    private inline fun status(c: (SWIGTYPE_p_ld_session) -> Int) {
        call { h -> Native.check(c(h)) }
    }

    // ---- the session ----------------------------------------------------------------------------

    /** The secret token: keep it in the platform's secure storage for [Database.resume]; never log it. */
    val token: String
        get() = text { out, h -> N.ld_session_token(out, h) }

    /** Who this session is, when it expires, and whether a privacy-policy notice is due. */
    fun info(): SessionInfo = SessionInfo.fromJson(text { out, h -> N.ld_session_info(out, h) })

    /** Ends the session on the database: later calls fail with [LeanDeskException.SessionExpired]. */
    fun signOut() = status { N.ld_session_sign_out(it) }

    /**
     * Runs any command or query by name with JSON arguments (docs/api.md lists them) and returns the
     * result as JSON text ("null" when there is none). The typed functions are the same calls.
     */
    @JvmOverloads
    fun execute(command: String, argsJson: String? = null): String =
        text { out, h -> N.ld_session_execute(out, h, command, argsJson) }

    // ---- my account (R11) --------------------------------------------------------------------------

    /** The signed-in user's own full record. */
    fun me(): User = User.fromJson(text { out, h -> N.ld_me_get(out, h) })

    /** Edits the own profile; returns the updated user. */
    fun updateMe(patch: ProfilePatch): User = User.fromJson(text { out, h -> N.ld_me_update(out, h, patch.toJson()) })

    /** Edits the own profile: `updateMe { firstName = "Ann" }`. */
    fun updateMe(build: ProfilePatch.() -> Unit): User = updateMe(ProfilePatch().apply(build))

    /** Mails a confirmation code to [newEmail]; the change applies at [Database.activate]. */
    fun requestEmailChange(newEmail: String) = status { N.ld_me_request_email_change(it, newEmail) }

    /** Changes the password and ends every other session of the user. */
    fun changePassword(currentPassword: String, newPassword: String) =
        status { N.ld_me_change_password(it, currentPassword, newPassword) }

    /** Sets the avatar from image bytes (JPEG, PNG, WebP or HEIC); null or empty removes it. */
    fun setAvatar(image: ByteArray?): User = User.fromJson(text { out, h -> N.ld_me_set_avatar(out, h, image) })

    /** Acknowledges the privacy-policy notice of [version]; returns the updated user. */
    fun acknowledgePolicy(version: Long): User =
        User.fromJson(text { out, h -> N.ld_me_acknowledge_policy(out, h, version) })

    /** Deletes the account (password required) and ends the session. */
    fun deleteAccount(password: String) = status { N.ld_me_delete_account(it, password) }

    /** The user's actions across projects, late and soon-due first. */
    fun dashboard(): List<Action> = actionList(text { out, h -> N.ld_dashboard_get(out, h) })

    // ---- groups, members, steps, resources (R1-R4, R13) ---------------------------------------------

    /** Creates a group; the caller becomes its manager and it gets the default steps (R1). */
    @JvmOverloads
    fun createGroup(name: String, id: String? = null): Group =
        Group.fromJson(text { out, h -> N.ld_group_create(out, h, jsonOf("id" to id, "name" to name)) })

    /** A group the caller is a member of (R13). */
    fun group(groupId: String): Group = Group.fromJson(text { out, h -> N.ld_group_get(out, h, groupId) })

    /** The caller's groups. */
    fun groups(): List<Group> = decodeArray("groups", text { out, h -> N.ld_group_list(out, h) }) { Group.from(it) }

    /** Renames a group (manager only, R2). */
    fun updateGroup(groupId: String, patch: GroupPatch): Group =
        Group.fromJson(text { out, h -> N.ld_group_update(out, h, groupId, patch.toJson()) })

    fun updateGroup(groupId: String, build: GroupPatch.() -> Unit): Group = updateGroup(groupId, GroupPatch().apply(build))

    /** Deletes the group and everything in it, permanently (R2, R14). */
    fun deleteGroup(groupId: String) = status { N.ld_group_delete(it, groupId) }

    /** The members as people; e-mails only where the caller may see them (R13). */
    fun members(groupId: String): List<Person> = personList(text { out, h -> N.ld_group_members(out, h, groupId) })

    /** Adds a member by e-mail (R2); an unknown address becomes a not-yet-activated person (R16). */
    fun addMember(groupId: String, email: String): Person =
        Person.fromJson(text { out, h -> N.ld_group_add_member(out, h, groupId, email) })

    /** Removes a member (manager only, R2; never the manager, R3). */
    fun removeMember(groupId: String, userId: String) = status { N.ld_group_remove_member(it, groupId, userId) }

    /** Leaves the group and its projects (R4). */
    fun leaveGroup(groupId: String) = status { N.ld_group_leave(it, groupId) }

    /** Hands the manager role to another member (R2). */
    fun transferGroup(groupId: String, newManagerId: String): Group =
        Group.fromJson(text { out, h -> N.ld_group_transfer(out, h, groupId, newManagerId) })

    /** The group's projects the caller may see: all for the manager (R7). */
    fun groupProjects(groupId: String): List<Project> =
        decodeArray("projects", text { out, h -> N.ld_group_projects(out, h, groupId) }) { Project.from(it) }

    /** The group's workflow steps in order. */
    fun steps(groupId: String): List<Step> =
        decodeArray("steps", text { out, h -> N.ld_step_list(out, h, groupId) }) { Step.from(it) }

    /** Adds a step at the end (R2). */
    @JvmOverloads
    fun addStep(groupId: String, name: String, kind: StepKind, id: String? = null): Step =
        Step.fromJson(text { out, h ->
            N.ld_step_add(out, h, groupId, jsonOf("id" to id, "name" to name, "kind" to kind.wire))
        })

    /** Renames a step or changes its kind (R2). */
    fun updateStep(stepId: String, patch: StepPatch): Step =
        Step.fromJson(text { out, h -> N.ld_step_update(out, h, stepId, patch.toJson()) })

    fun updateStep(stepId: String, build: StepPatch.() -> Unit): Step = updateStep(stepId, StepPatch().apply(build))

    /** Moves a step to the 0-based [position]; returns the new order (R2). */
    fun moveStep(stepId: String, position: Long): List<Step> =
        decodeArray("steps", text { out, h -> N.ld_step_move(out, h, stepId, position) }) { Step.from(it) }

    /** Removes an unused step (R2); [LeanDeskException.Conflict] while actions are in it. */
    fun removeStep(stepId: String) = status { N.ld_step_remove(it, stepId) }

    /** The group's shared resources. */
    fun resources(groupId: String): List<Resource> =
        decodeArray("resources", text { out, h -> N.ld_resource_list(out, h, groupId) }) { Resource.from(it) }

    /** Adds a resource: a link, a note, or both (R2). */
    @JvmOverloads
    fun addResource(groupId: String, name: String, url: String? = null, note: String? = null, id: String? = null): Resource =
        Resource.fromJson(text { out, h ->
            N.ld_resource_add(out, h, groupId, jsonOf("id" to id, "name" to name, "url" to url, "note" to note))
        })

    /** Edits a resource (R2). */
    fun updateResource(resourceId: String, patch: ResourcePatch): Resource =
        Resource.fromJson(text { out, h -> N.ld_resource_update(out, h, resourceId, patch.toJson()) })

    fun updateResource(resourceId: String, build: ResourcePatch.() -> Unit): Resource =
        updateResource(resourceId, ResourcePatch().apply(build))

    /** Removes a resource (R2). */
    fun removeResource(resourceId: String) = status { N.ld_resource_remove(it, resourceId) }

    // ---- projects and participants (R5-R8, R15) ---------------------------------------------------

    /** Creates a project; the caller owns it and is its first participant (R5). Dates "YYYY-MM-DD". */
    @JvmOverloads
    fun createProject(
        groupId: String,
        name: String,
        description: String? = null,
        futureState: String? = null,
        startDate: String? = null,
        targetDate: String? = null,
        id: String? = null
    ): Project = Project.fromJson(text { out, h ->
        N.ld_project_create(out, h, jsonOf(
            "id" to id, "group_id" to groupId, "name" to name, "description" to description,
            "future_state" to futureState, "start_date" to startDate, "target_date" to targetDate
        ))
    })

    /** A project the caller may read (participant, R8, or group manager, R7). */
    fun project(projectId: String): Project = Project.fromJson(text { out, h -> N.ld_project_get(out, h, projectId) })

    /** The projects the caller takes part in, across groups. */
    fun projects(): List<Project> = decodeArray("projects", text { out, h -> N.ld_project_list(out, h) }) { Project.from(it) }

    /** Edits a project. */
    fun updateProject(projectId: String, patch: ProjectPatch): Project =
        Project.fromJson(text { out, h -> N.ld_project_update(out, h, projectId, patch.toJson()) })

    fun updateProject(projectId: String, build: ProjectPatch.() -> Unit): Project =
        updateProject(projectId, ProjectPatch().apply(build))

    /** Deletes the project and everything in it, permanently (R7, R14). */
    fun deleteProject(projectId: String) = status { N.ld_project_delete(it, projectId) }

    /** The participants as people, with e-mail (R8). */
    fun participants(projectId: String): List<Person> =
        personList(text { out, h -> N.ld_project_participants(out, h, projectId) })

    /** Adds a group member as participant (owner or group manager, R6). */
    fun addParticipant(projectId: String, userId: String): Participant =
        Participant.fromJson(text { out, h -> N.ld_project_add_participant(out, h, projectId, userId) })

    /** Removes a participant (R6); their actions stay, without an owner. */
    fun removeParticipant(projectId: String, userId: String) =
        status { N.ld_project_remove_participant(it, projectId, userId) }

    /** Leaves the project (R6). */
    fun leaveProject(projectId: String) = status { N.ld_project_leave(it, projectId) }

    /** Hands ownership to another participant (R6). */
    fun transferProject(projectId: String, newOwnerId: String): Project =
        Project.fromJson(text { out, h -> N.ld_project_transfer(out, h, projectId, newOwnerId) })

    /** All actions of the project in workflow order. */
    fun actions(projectId: String): List<Action> = actionList(text { out, h -> N.ld_project_actions(out, h, projectId) })

    /** The project's review: every step with its actions, the participants and the indicators. */
    fun review(projectId: String): ProjectReview =
        ProjectReview.fromJson(text { out, h -> N.ld_project_review(out, h, projectId) })

    /** The project's indicators. */
    fun indicators(projectId: String): List<Indicator> =
        decodeArray("indicators", text { out, h -> N.ld_project_indicators(out, h, projectId) }) { Indicator.from(it) }

    /** Checks who a report may be sent to (R15): all must be participants; returns them with e-mail. */
    fun reportRecipients(projectId: String, recipientIds: List<String>): List<Person> =
        personList(text { out, h ->
            N.ld_project_report_recipients(out, h, projectId, JSONArray(recipientIds).toString())
        })

    // ---- actions, comments, indicators, photos (R9) ------------------------------------------------

    /**
     * Creates an action (participants only, R9); without [stepId] it goes to the group's open step.
     * [dueDate] is "YYYY-MM-DD", [priority] 0..3, [progress] 0..100.
     */
    @JvmOverloads
    fun createAction(
        projectId: String,
        title: String,
        description: String? = null,
        stepId: String? = null,
        ownerId: String? = null,
        context: String? = null,
        dueDate: String? = null,
        priority: Int? = null,
        progress: Int? = null,
        indicatorId: String? = null,
        impact: Double? = null,
        id: String? = null
    ): Action = Action.fromJson(text { out, h ->
        N.ld_action_create(out, h, jsonOf(
            "id" to id, "project_id" to projectId, "title" to title, "description" to description,
            "step_id" to stepId, "owner_id" to ownerId, "context" to context, "due_date" to dueDate,
            "priority" to priority, "progress" to progress, "indicator_id" to indicatorId, "impact" to impact
        ))
    })

    /** An action with its photos and comments. */
    fun action(actionId: String): ActionDetail = ActionDetail.fromJson(text { out, h -> N.ld_action_get(out, h, actionId) })

    /** Edits an action; a null assigned to an optional field clears it. */
    fun updateAction(actionId: String, patch: ActionPatch): Action =
        Action.fromJson(text { out, h -> N.ld_action_update(out, h, actionId, patch.toJson()) })

    fun updateAction(actionId: String, build: ActionPatch.() -> Unit): Action =
        updateAction(actionId, ActionPatch().apply(build))

    /**
     * Moves the action to [stepId], before [beforeActionId] (null: last). Entering a done step marks
     * it done; leaving one reopens it.
     */
    @JvmOverloads
    fun moveAction(actionId: String, stepId: String, beforeActionId: String? = null): Action =
        Action.fromJson(text { out, h -> N.ld_action_move(out, h, actionId, stepId, beforeActionId) })

    /** Deletes the action, its photos and comments, permanently (R14). */
    fun deleteAction(actionId: String) = status { N.ld_action_delete(it, actionId) }

    /** Adds a comment to an action. */
    @JvmOverloads
    fun addComment(actionId: String, body: String, id: String? = null): Comment =
        Comment.fromJson(text { out, h -> N.ld_comment_add(out, h, actionId, jsonOf("id" to id, "body" to body)) })

    /** Deletes one of the caller's own comments. */
    fun deleteComment(commentId: String) = status { N.ld_comment_delete(it, commentId) }

    /** Creates a project indicator. */
    @JvmOverloads
    fun createIndicator(
        projectId: String,
        name: String,
        unit: String? = null,
        baseline: Double? = null,
        target: Double? = null,
        id: String? = null
    ): Indicator = Indicator.fromJson(text { out, h ->
        N.ld_indicator_create(out, h, jsonOf(
            "id" to id, "project_id" to projectId, "name" to name, "unit" to unit,
            "baseline" to baseline, "target" to target
        ))
    })

    /** Edits an indicator. */
    fun updateIndicator(indicatorId: String, patch: IndicatorPatch): Indicator =
        Indicator.fromJson(text { out, h -> N.ld_indicator_update(out, h, indicatorId, patch.toJson()) })

    fun updateIndicator(indicatorId: String, build: IndicatorPatch.() -> Unit): Indicator =
        updateIndicator(indicatorId, IndicatorPatch().apply(build))

    /** Deletes the indicator and its values; linked actions keep their impact, unlinked. */
    fun deleteIndicator(indicatorId: String) = status { N.ld_indicator_delete(it, indicatorId) }

    /** Records the actual value of ISO [week] ("2026-W09"). */
    fun setIndicatorValue(indicatorId: String, week: String, actual: Double): IndicatorValue =
        IndicatorValue.fromJson(text { out, h -> N.ld_indicator_set_value(out, h, indicatorId, week, actual) })

    /** Removes the value of [week]. */
    fun clearIndicatorValue(indicatorId: String, week: String) =
        status { N.ld_indicator_clear_value(it, indicatorId, week) }

    /** The weekly curve: expected (baseline plus the impacts due by then) and actual values. */
    fun indicatorCurve(indicatorId: String): List<IndicatorPoint> =
        decodeArray("indicator curve", text { out, h -> N.ld_indicator_curve(out, h, indicatorId) }) {
            IndicatorPoint.from(it)
        }

    /** Adds a photo to an action from image bytes (JPEG, PNG, WebP or HEIC; size-capped). */
    @JvmOverloads
    fun addPhoto(actionId: String, image: ByteArray, caption: String? = null, takenAt: Long? = null, id: String? = null): Photo =
        Photo.fromJson(text { out, h ->
            N.ld_photo_add(out, h, actionId, image, jsonOf("id" to id, "caption" to caption, "taken_at" to takenAt))
        })

    /** Removes a photo. */
    fun removePhoto(photoId: String) = status { N.ld_photo_remove(it, photoId) }

    /** The bytes of a photo or avatar by content hash, if the caller may see it ([LeanDeskException.NotFound] otherwise). */
    fun readBlob(hash: String): ByteArray = call { h ->
        val out = arrayOfNulls<ByteArray>(1)
        Native.check(N.ld_blob_read(out, h, hash))
        out[0] ?: ByteArray(0)
    }

    // ---- export, backup, reports (R7, R10, R15; export.h) -------------------------------------------

    /**
     * Writes the group's spreadsheet (.xlsx) to [path]: one sheet per kind of record, no photos
     * (a photo count per action). Only the group manager may export (R10; R13 for a non-member).
     * The file appears whole or not at all: it is written under a temporary name beside [path] and
     * renamed when complete. [progress] counts rows; see [Progress] for cancelling. Throws
     * [LeanDeskException.PermissionDenied], [LeanDeskException.NotFound], [LeanDeskException.Io],
     * [LeanDeskException.Cancelled].
     */
    @JvmOverloads
    fun exportGroupXlsx(groupId: String, path: String, progress: Progress? = null) = call { h ->
        val p = ProgressCall(progress)
        p.finish(N.ld_group_export_xlsx(h, groupId, path, p.native))
    }

    /**
     * Writes a full backup of the group, photos included, into the new folder [folder]
     * (docs/backup-format.md); group manager only (R7, R10). [progress] counts records and files.
     * Throws [LeanDeskException.Conflict] when [folder] exists, and as [exportGroupXlsx].
     */
    @JvmOverloads
    fun backupGroup(groupId: String, folder: String, progress: Progress? = null) = call { h ->
        val p = ProgressCall(progress)
        p.finish(N.ld_group_backup(h, groupId, folder, p.native))
    }

    /**
     * Restores the backup in [folder] as a new group (fresh ids, the caller as manager, people
     * matched by e-mail) and returns it. Everything is checked first and written in one transaction:
     * a damaged or hostile backup throws [LeanDeskException.Corrupt] and changes nothing. On a sync
     * replica it throws [LeanDeskException.Conflict] (restore on the server instead).
     */
    @JvmOverloads
    fun restoreGroup(folder: String, progress: Progress? = null): Group = Group.fromJson(call { h ->
        val p = ProgressCall(progress)
        val out = arrayOfNulls<String>(1)
        p.finish(N.ld_group_restore(out, h, folder, p.native))
        out[0] ?: throw LeanDeskException.Internal("LeanDesk restored a group but returned no text")
    })

    /**
     * Renders the project report (R15) as a printable HTML page and as plain text. Any participant
     * (R8) or the group manager (R7) may render it.
     */
    fun projectReport(projectId: String): ProjectReport = call { h ->
        val html = arrayOfNulls<String>(1)
        val text = arrayOfNulls<String>(1)
        Native.check(N.ld_project_report(html, text, h, projectId))
        ProjectReport(
            html = html[0] ?: throw LeanDeskException.Internal("LeanDesk returned no report HTML"),
            text = text[0] ?: throw LeanDeskException.Internal("LeanDesk returned no report text")
        )
    }

    /**
     * E-mails the project report to each of [recipientIds], who must all be participants of the
     * project, activated or not; only a participant may send it (R15, checked before any mail
     * goes). The mail goes through [Database.setMailSender] when set, else the `smtp` option.
     * Throws [LeanDeskException.PermissionDenied] (R15), [LeanDeskException.Io] (no mail sender, or
     * it threw), [LeanDeskException.Network] / [LeanDeskException.AuthFailed] (SMTP).
     */
    fun sendReport(projectId: String, recipientIds: List<String>) =
        status { N.ld_project_report_send(it, projectId, JSONArray(recipientIds).toString()) }

    // ---- the operator (R12) ----------------------------------------------------------------------

    /** Operator: any user's full record. */
    fun operatorGetUser(userId: String): User = User.fromJson(text { out, h -> N.ld_operator_get_user(out, h, userId) })

    /** Operator: sets a user's status. */
    fun setUserStatus(userId: String, status: UserStatus): User =
        User.fromJson(text { out, h -> N.ld_operator_set_user_status(out, h, userId, status.wire) })

    /** Operator: deactivates (every session of the user ends at once) or reactivates a user. */
    fun setUserDeactivated(userId: String, deactivated: Boolean): User =
        User.fromJson(text { out, h -> N.ld_operator_set_user_deactivated(out, h, userId, if (deactivated) 1 else 0) })

    /** Operator: changes a user's login e-mail. */
    fun changeLoginEmail(userId: String, email: String): User =
        User.fromJson(text { out, h -> N.ld_operator_change_login_email(out, h, userId, email) })

    /** Operator: mails the user a reset code and ends their sessions. */
    fun resetUserPassword(userId: String) = status { N.ld_operator_reset_password(it, userId) }

    /** Operator: publishes a new privacy-policy version; users see the notice at their next sign-in. */
    fun publishPolicy(summary: String): PolicyVersion =
        PolicyVersion.fromJson(text { out, h -> N.ld_operator_publish_policy(out, h, summary) })

    /** Operator: users active in the last three months. */
    fun activeUsers(): List<User> = userList(text { out, h -> N.ld_operator_active_users(out, h) })

    /** Operator: activated, active users who consented to the newsletter. */
    fun newsletterRecipients(): List<User> = userList(text { out, h -> N.ld_operator_newsletter_recipients(out, h) })

    /** Operator: the anonymous usage figures. */
    fun usageReport(): List<UsageCount> =
        decodeArray("usage report", text { out, h -> N.ld_operator_usage_report(out, h) }) { UsageCount.from(it) }

    // ---- decoding ----------------------------------------------------------------------------------

    private fun actionList(json: String): List<Action> = decodeArray("actions", json) { Action.from(it) }

    private fun personList(json: String): List<Person> = decodeArray("people", json) { Person.from(it) }

    private fun userList(json: String): List<User> = decodeArray("users", json) { User.from(it) }
}

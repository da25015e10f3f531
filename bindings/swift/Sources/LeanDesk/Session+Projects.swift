// Projects and participants (R5–R8, R15).

internal import CLeanDesk
import Foundation

extension Session {
    /// Creates a project; the caller owns it and is its first participant (R5).
    public func createProject(_ project: NewProject) throws(LeanDeskError) -> Project {
        let json = try encodeArgument(project)
        return try cJSON { ld_project_create(&$0, handle, json) }
    }

    /// A project the caller may read (participant, R8, or group manager, R7).
    public func project(_ projectID: String) throws(LeanDeskError) -> Project {
        try cJSON { ld_project_get(&$0, handle, projectID) }
    }

    /// The projects the caller takes part in, across groups.
    public func projects() throws(LeanDeskError) -> [Project] {
        try cJSON { ld_project_list(&$0, handle) }
    }

    /// Edits a project.
    @discardableResult
    public func updateProject(_ projectID: String, _ patch: ProjectPatch) throws(LeanDeskError) -> Project {
        let json = try encodeArgument(patch)
        return try cJSON { ld_project_update(&$0, handle, projectID, json) }
    }

    /// Deletes the project and everything in it, permanently (owner or group manager; R7, R14).
    public func deleteProject(_ projectID: String) throws(LeanDeskError) {
        try check(ld_project_delete(handle, projectID))
    }

    /// The participants, with e-mail (R8).
    public func participants(ofProject projectID: String) throws(LeanDeskError) -> [Person] {
        try cJSON { ld_project_participants(&$0, handle, projectID) }
    }

    /// Adds a group member as participant (owner or group manager, R6).
    @discardableResult
    public func addParticipant(_ userID: String, toProject projectID: String) throws(LeanDeskError) -> Participant {
        try cJSON { ld_project_add_participant(&$0, handle, projectID, userID) }
    }

    /// Removes a participant (owner or group manager, R6; not the owner). Their actions stay,
    /// without an owner.
    public func removeParticipant(_ userID: String, fromProject projectID: String) throws(LeanDeskError) {
        try check(ld_project_remove_participant(handle, projectID, userID))
    }

    /// Leaves the project (R6); the owner hands over first.
    public func leaveProject(_ projectID: String) throws(LeanDeskError) {
        try check(ld_project_leave(handle, projectID))
    }

    /// Hands ownership to another participant (owner or group manager, R6).
    @discardableResult
    public func transferProject(_ projectID: String, toOwner newOwnerID: String) throws(LeanDeskError) -> Project {
        try cJSON { ld_project_transfer(&$0, handle, projectID, newOwnerID) }
    }

    /// All actions of the project in workflow order.
    public func actions(ofProject projectID: String) throws(LeanDeskError) -> [Action] {
        try cJSON { ld_project_actions(&$0, handle, projectID) }
    }

    /// The review: every step with its actions, the participants and the indicators.
    public func review(ofProject projectID: String) throws(LeanDeskError) -> ProjectReview {
        try cJSON { ld_project_review(&$0, handle, projectID) }
    }

    /// The project's indicators.
    public func indicators(ofProject projectID: String) throws(LeanDeskError) -> [Indicator] {
        try cJSON { ld_project_indicators(&$0, handle, projectID) }
    }

    /// Checks who a report may be sent to (R15): every id must be a participant. Returns them as
    /// people with e-mail.
    public func reportRecipients(ofProject projectID: String,
                                 userIDs: [String]) throws(LeanDeskError) -> [Person] {
        let json = try encodeArgument(userIDs)
        return try cJSON { ld_project_report_recipients(&$0, handle, projectID, json) }
    }
}
